"""Demo reporting for Quảng Ninh (called by ``seed_demo``): the 2024 period, in which all
13 districts filed and the province accepted, so that the province's summary reproduces
its 2024 report (seeds/003); and this year's period, open, for the communes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from committees.models import Area, Role, Structure, User

from .models import ReportingPeriod, ReportStatus, SummaryReport
from .services import report_start, report_transition

NARRATIVE = {
    "results": (
        "Cấp ủy, chính quyền quan tâm lãnh đạo, chỉ đạo; quy chế dân chủ được ban hành ở "
        "100% cơ quan, đơn vị; tổ chức đối thoại, tiếp công dân định kỳ."
    ),
    "limitations": "Một số nơi việc công khai, lấy ý kiến Nhân dân còn hình thức.",
    "causes": "Nhận thức của một bộ phận cán bộ chưa đầy đủ; kiêm nhiệm nhiều việc.",
    "lessons": "Người đứng đầu gương mẫu, sâu sát cơ sở; phát huy vai trò giám sát của Nhân dân.",
    "next_tasks": (
        "Tiếp tục quán triệt Luật Thực hiện dân chủ ở cơ sở; nhân rộng mô hình “Dân vận khéo”."
    ),
}


# The province's own words for 2024, from its year-end conference (seeds/003, 19/12/2024).
SUMMARY_2024 = {
    "results": (
        "Ngay từ đầu năm 2024, Quảng Ninh đã đổi mới mạnh mẽ phương thức lãnh đạo, chỉ đạo "
        "triển khai thực hiện dân chủ theo hướng thiết thực, toàn diện, có trọng tâm, trọng "
        "điểm. Ban Chấp hành Đảng bộ tỉnh, Ban Thường vụ Tỉnh ủy kịp thời cụ thể hóa, ban "
        "hành 28 văn bản để lãnh đạo, chỉ đạo hệ thống chính trị tăng cường đổi mới, triển "
        "khai có hiệu quả, thực chất, thống nhất, bảo đảm dân chủ, đồng thuận trong Nhân dân.\n"
        "Công tác tập huấn, bồi dưỡng về thực hiện dân chủ ở cơ sở được cấp ủy cấp huyện quan "
        "tâm, tổ chức 72 lớp tập huấn cho 8.532 lượt người. Các cấp ủy đã tiến hành kiểm tra "
        "đối với 1.688 tổ chức đảng và 7.113 đảng viên; giám sát đối với 1.524 tổ chức đảng "
        "và 5.955 đảng viên. Đến nay toàn tỉnh có 100% địa phương, cơ quan, đơn vị ban hành "
        "quy chế dân chủ ở cơ sở.\n"
        "Phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng” "
        "được phát huy; niềm tin của Nhân dân đối với Đảng, Nhà nước tiếp tục được củng cố."
    ),
    "limitations": (
        "Một số địa phương, cơ quan, đơn vị, doanh nghiệp chưa thực sự quan tâm chỉ đạo, tổ "
        "chức triển khai thực hiện dân chủ, có biểu hiện phó mặc cho bộ phận thường trực, "
        "giúp việc; một bộ phận cán bộ, công chức, viên chức, người lao động và Nhân dân chưa "
        "nhận thức đầy đủ tầm quan trọng của việc thực hiện dân chủ ở cơ sở; đội ngũ cán bộ "
        "công đoàn tại các doanh nghiệp hoạt động kiêm nhiệm, thiếu kinh nghiệm, kỹ năng."
    ),
    "next_tasks": (
        "Thực hiện Nghị quyết của Ban Chấp hành Đảng bộ tỉnh về phương hướng, nhiệm vụ năm "
        "2025 với chủ đề công tác “Bứt phá trong phát triển kinh tế, tạo đà cho nhiệm kỳ "
        "mới”; Ban Chỉ đạo từ tỉnh đến cơ sở nêu cao tinh thần trách nhiệm, phát huy vai trò "
        "của từng thành viên và của người đứng đầu.\n"
        "Nâng cao chất lượng tham mưu cho cấp ủy; phối hợp chặt chẽ với chính quyền, các "
        "đoàn thể nhân dân xây dựng, duy trì và nhân rộng các mô hình điển hình về thực hiện "
        "dân chủ ở cơ sở tại các xã, phường, thị trấn, cơ quan, đơn vị, doanh nghiệp."
    ),
    "recipients": (
        "Ban Chỉ đạo Trung ương (để báo cáo),\n"
        "Thường trực Tỉnh ủy (để báo cáo),\n"
        "Các thành viên Ban Chỉ đạo tỉnh,\n"
        "Ban Chỉ đạo các huyện, thị xã, thành phố,\n"
        "Lưu Văn phòng Tỉnh ủy."
    ),
}


def seed(province: Area, administrator: User) -> None:
    if ReportingPeriod.objects.filter(province=province).exists():
        return
    period = ReportingPeriod.objects.create(
        province=province,
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2024, 12, 15),
    )
    # The administrator filed for the districts; the province's staff accepted (whoever
    # files a report does not accept it, see services.may_accept).
    reviewer = (
        User.objects.filter(assignments__area=province, assignments__role=Role.PROVINCIAL_STAFF)
        .order_by("pk")
        .first()
        or administrator
    )
    for n, district in enumerate(period.filing_areas().order_by("code")):
        report = report_start(period, district, actor=administrator)
        for name, text in NARRATIVE.items():
            setattr(report, name, text)
        report.save()
        report_transition(report, ReportStatus.SUBMITTED, actor=administrator, notify=False)
        report = report_transition(report, ReportStatus.ACCEPTED, actor=reviewer, notify=False)
        submitted = timezone.make_aware(datetime.datetime(2024, 12, 2 + n, 9, 30))
        if n == 12:  # one district filed late
            submitted = timezone.make_aware(datetime.datetime(2024, 12, 20, 16, 0))
        report.first_submitted_at = report.submitted_at = submitted
        report.save(update_fields=["first_submitted_at", "submitted_at"])
    period.closed_on = datetime.date(2025, 1, 15)
    period.save()
    SummaryReport.objects.create(
        period=period, issued_on=datetime.date(2024, 12, 19), **SUMMARY_2024
    )
    today = datetime.date.today()
    current = Area.objects.filter(structure=Structure.Y2025, code=province.code).first()
    if current is not None and today.year >= 2025:
        ReportingPeriod.objects.create(
            province=current,
            year=today.year,
            opens_on=datetime.date(today.year, 11, 15),
            due_on=datetime.date(today.year, 12, 15),
        )
