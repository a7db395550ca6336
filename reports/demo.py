"""Demo reporting (called by ``seed_demo``), through the services, so that the figures
and the histories are those a user would have made.

Quảng Ninh: 2024, in which all 13 districts filed and the province accepted, so that the
summary reproduces its 2024 report (seeds/003); 2025, filed by the 54 communes of today's
map from the records of the whole year (their predecessors' until 30/06), all accepted;
2026, open since 15/11/2026, with a few communes' reports submitted, one returned, one
accepted, and Phường Cao Xanh's not filed yet. Phú Thọ: the 2024 periods of the three
provinces that became today's Phú Thọ, whose 2025 summary has them as last year."""

from __future__ import annotations

import datetime

from django.utils import timezone

from committees.models import Area, Role, RoleAssignment, Structure, User

from .models import AnnualReport, ReportingPeriod, ReportStatus, SummaryReport
from .selectors import summary
from .services import open_for_filing, report_save, report_start, report_transition

NARRATIVE = {
    "results": (
        "Cấp ủy, chính quyền quan tâm lãnh đạo, chỉ đạo; quy chế dân chủ được ban hành ở "
        "100% cơ quan, đơn vị; tổ chức đối thoại, tiếp công dân định kỳ."
    ),
    "limitations": "Một số nơi việc công khai, lấy ý kiến Nhân dân còn hình thức.",
    "causes_subjective": "Nhận thức của một bộ phận cán bộ chưa đầy đủ; kiêm nhiệm nhiều việc.",
    "causes_objective": "Văn bản hướng dẫn Luật Thực hiện dân chủ ở cơ sở ban hành chậm.",
    "lessons": "Người đứng đầu gương mẫu, sâu sát cơ sở; phát huy vai trò giám sát của Nhân dân.",
    "next_tasks": (
        "Tiếp tục quán triệt Luật Thực hiện dân chủ ở cơ sở; nhân rộng mô hình “Dân vận khéo”."
    ),
    "proposals": "Đề nghị Ban Chỉ đạo tỉnh tổ chức tập huấn nghiệp vụ cho tổ giúp việc.",
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
    # The conference asked for the subjective and objective causes (seeds/003).
    "causes_subjective": (
        "Một số cấp ủy, người đứng đầu chưa quan tâm đúng mức; nhận thức của một bộ phận "
        "cán bộ, đảng viên và Nhân dân về quyền và trách nhiệm làm chủ chưa đầy đủ."
    ),
    "causes_objective": (
        "Cán bộ công đoàn ở doanh nghiệp hoạt động kiêm nhiệm, phụ thuộc người sử dụng lao "
        "động; một số văn bản hướng dẫn thi hành Luật Thực hiện dân chủ ở cơ sở ban hành chậm."
    ),
    "lessons": (
        "Phát huy vai trò người đứng đầu; bám sát cơ sở; phương châm “dân biết, dân bàn, dân "
        "làm, dân kiểm tra, dân giám sát, dân thụ hưởng” phải được thực hiện thực chất."
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
    "proposals": (
        "Đề nghị Ban Chỉ đạo Trung ương sớm hướng dẫn thực hiện dân chủ ở cơ sở theo mô hình "
        "chính quyền địa phương hai cấp."
    ),
    "signer": "Hoàng Văn Bình",
    "signer_role": "standing_deputy",
    "recipients": (
        "Ban Chỉ đạo Trung ương (để báo cáo),\n"
        "Thường trực Tỉnh ủy (để báo cáo),\n"
        "Các thành viên Ban Chỉ đạo tỉnh,\n"
        "Ban Chỉ đạo các huyện, thị xã, thành phố,\n"
        "Lưu Văn phòng Tỉnh ủy."
    ),
}


def _seed_2024(province: Area, administrator: User) -> None:
    """Quảng Ninh's 2024 period: all 13 districts filed (one late), the province accepted."""
    if ReportingPeriod.objects.filter(province=province, year=2024).exists():
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
        report = report_start(period=period, area=district, actor=administrator)
        for name, text in NARRATIVE.items():
            setattr(report, name, text)
        report.save()
        report_transition(
            report=report, to=ReportStatus.SUBMITTED, actor=administrator, notify=False
        )
        report = report_transition(
            report=report, to=ReportStatus.ACCEPTED, actor=reviewer, notify=False
        )
        submitted = timezone.make_aware(datetime.datetime(2024, 12, 2 + n, 9, 30))
        if n == 12:  # one district filed late
            submitted = timezone.make_aware(datetime.datetime(2024, 12, 20, 16, 0))
        report.first_submitted_at = report.submitted_at = submitted
        report.issued_on = timezone.localdate(submitted)
        report.save(update_fields=["first_submitted_at", "submitted_at", "issued_on"])
    period.closed_on = datetime.date(2025, 1, 15)
    period.save()
    SummaryReport.objects.create(
        period=period, issued_on=datetime.date(2024, 12, 19), **SUMMARY_2024
    )


# --- across and after the 2025 reorganisation --------------------------------------------


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A moment of the demo's past; never after now (the present period is running)."""
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now()
    )


def _backdate(report: AnnualReport, submitted: datetime.datetime, decided=None) -> None:
    """Date a seeded report's steps as they happened, not as the seed ran."""
    report.first_submitted_at = report.submitted_at = submitted
    report.issued_on = timezone.localdate(submitted)  # dated the day it was sent
    fields = ["first_submitted_at", "submitted_at", "issued_on"]
    if decided is not None and report.status == ReportStatus.ACCEPTED:
        report.accepted_at = decided
        fields.append("accepted_at")
    report.save(update_fields=fields)
    report.events.filter(to_status=ReportStatus.SUBMITTED).update(at=submitted)
    if decided is not None:
        report.events.exclude(to_status=ReportStatus.SUBMITTED).update(at=decided)


def _file(period, area, filer, *, narrative=NARRATIVE) -> AnnualReport:
    """A report started, written and submitted by ``filer`` through the services."""
    report = report_start(period=period, area=area, actor=filer)
    report = report_save(
        report=report, version=report.version, narrative=narrative, figures={}, actor=filer
    )
    return report_transition(report=report, to=ReportStatus.SUBMITTED, actor=filer, notify=False)


def _filed_period(province: Area, year: int, opens_on: datetime.date, due_on: datetime.date):
    """A period with its filing window; None when the demo has it already."""
    if ReportingPeriod.objects.filter(province=province, year=year).exists():
        return None
    return ReportingPeriod.objects.create(
        province=province, year=year, opens_on=opens_on, due_on=due_on
    )


def _officials(province: Area) -> dict[int, User]:
    """The commune officials of today's province, by commune (``commune_officials``)."""
    assignments = RoleAssignment.objects.filter(
        role=Role.COMMUNE_OFFICIAL, area__parent=province
    ).select_related("user")
    return {a.area_id: a.user for a in assignments}


def _seed_quang_ninh_2025(today: Area, reviewers: list[User]) -> None:
    """2025, filed by the 54 communes of today's map from their records of the whole year
    (their predecessors' until 30/06), all accepted by a reviewer of the province; two
    filed after the due date; the province's summary, issued on 26/12/2025."""
    period = _filed_period(today, 2025, datetime.date(2025, 11, 15), datetime.date(2025, 12, 15))
    if period is None:
        return
    officials = _officials(today)
    for n, commune in enumerate(period.filing_areas().order_by("code")):
        report = _file(period, commune, officials[commune.pk])
        reviewer = reviewers[n % len(reviewers)]
        report = report_transition(
            report=report, to=ReportStatus.ACCEPTED, actor=reviewer, notify=False
        )
        day = (
            datetime.date(2025, 12, 1 + n % 14)
            if n not in (17, 40)
            else datetime.date(2025, 12, 17)
        )
        _backdate(report, _at(day, 8 + n % 9), _at(day + datetime.timedelta(days=1), 15))
    period.closed_on = datetime.date(2026, 1, 15)
    period.save()
    SummaryReport.objects.create(
        period=period, issued_on=datetime.date(2025, 12, 26), **_summary_2025(period)
    )


def _thousands(value) -> str:
    return f"{int(value or 0):,}".replace(",", ".")


def _summary_2025(period: ReportingPeriod) -> dict[str, str]:
    """The words of the 2025 summary, quoting its own figures (both half-years)."""
    totals = {line.indicator.code: line.total for line in summary(period)["lines"]}
    figures = {code: _thousands(totals.get(code)) for code in totals}
    results = (
        "Năm 2025 là năm toàn tỉnh thực hiện sắp xếp đơn vị hành chính, tổ chức chính quyền "
        "địa phương hai cấp từ ngày 01/7/2025. Ban Chỉ đạo tỉnh được kiện toàn theo Quyết định "
        "số 15-QĐ/TU; việc thực hiện dân chủ ở cơ sở được duy trì liên tục trong quá trình "
        "sắp xếp, 54 xã, phường, đặc khu đều báo cáo đầy đủ.\n"
        "Cả năm, các cấp (đến 30/6/2025 gồm cấp huyện và cấp xã cũ) tổ chức "
        f"{figures['training_classes']} lớp tập huấn cho {figures['training_attendances']} lượt "
        f"người; kiểm tra {figures['inspection_organisations']} tổ chức đảng và "
        f"{figures['inspection_members']} đảng viên; giám sát "
        f"{figures['supervision_organisations']} tổ chức đảng và {figures['supervision_members']} "
        f"đảng viên; tiếp nhận {figures['petitions_received']} đơn thư."
    )
    return {
        "results": results,
        "limitations": (
            "Một số xã, phường mới sắp xếp còn lúng túng trong việc kiện toàn ban chỉ đạo, "
            "cập nhật hồ sơ; việc bàn giao hồ sơ từ cấp huyện cũ có nơi còn chậm."
        ),
        "causes_subjective": (
            "Một số cấp ủy cơ sở chưa quan tâm đúng mức đến việc kiện toàn ban chỉ đạo sau "
            "sắp xếp; cán bộ mới được phân công chưa nắm vững nghiệp vụ."
        ),
        "causes_objective": (
            "Khối lượng công việc sắp xếp đơn vị hành chính lớn, thời gian gấp; văn bản hướng "
            "dẫn mô hình chính quyền địa phương hai cấp ban hành từng bước."
        ),
        "lessons": (
            "Giữ ổn định bộ máy ban chỉ đạo trong quá trình sắp xếp; bàn giao hồ sơ đầy đủ, "
            "kịp thời giữa cấp cũ và cấp mới."
        ),
        "proposals": (
            "Đề nghị Ban Chỉ đạo Trung ương ban hành hướng dẫn thực hiện dân chủ ở cơ sở trong "
            "mô hình chính quyền địa phương hai cấp."
        ),
        "next_tasks": (
            "Kiện toàn ban chỉ đạo ở 100% xã, phường, đặc khu; hướng dẫn thực hiện dân chủ "
            "trong mô hình chính quyền địa phương hai cấp; nhân rộng mô hình “Dân vận khéo”."
        ),
        "recipients": (
            "Ban Chỉ đạo Trung ương (để báo cáo),\n"
            "Thường trực Tỉnh ủy (để báo cáo),\n"
            "Các thành viên Ban Chỉ đạo tỉnh,\n"
            "Ban Chỉ đạo các xã, phường, đặc khu,\n"
            "Lưu Văn phòng Tỉnh ủy."
        ),
    }


# The present period of the demo: the province's reviewers have some reports in hand;
# Phường Cao Xanh has not filed yet (its official does so in the README's walk-through).
PRESENT = 2026
RETURN_REASON = (
    "Đề nghị bổ sung kết quả hội nghị cán bộ, công chức năm 2026 và số hương ước, quy ước "
    "được công nhận."
)
FILED_2026 = {  # commune code: what became of its report
    "06673": ReportStatus.SUBMITTED,  # Bãi Cháy (xa.baichay)
    "06652": ReportStatus.RETURNED,  # Hà Tu
    "06685": ReportStatus.ACCEPTED,  # Hồng Gai
    "06676": ReportStatus.SUBMITTED,  # Hà Lầm
    "06688": ReportStatus.SUBMITTED,  # Hạ Long
    "06706": ReportStatus.SUBMITTED,  # Tuần Châu
}


def _seed_quang_ninh_present(today: Area, reviewers: list[User]) -> None:
    period = _filed_period(
        today, PRESENT, datetime.date(PRESENT, 11, 15), datetime.date(PRESENT, 12, 15)
    )
    if period is None or not open_for_filing(period, [today.pk]):
        return
    officials = _officials(today)
    communes = Area.objects.filter(parent=today, code__in=FILED_2026).order_by("code")
    for n, commune in enumerate(communes):
        report = _file(period, commune, officials[commune.pk])
        outcome = FILED_2026[commune.code]
        if outcome == ReportStatus.RETURNED:
            report = report_transition(
                report=report, to=outcome, actor=reviewers[0], note=RETURN_REASON, notify=False
            )
        elif outcome == ReportStatus.ACCEPTED:
            report = report_transition(report=report, to=outcome, actor=reviewers[1], notify=False)
        day = datetime.date(PRESENT, 11, 18 + 2 * n)
        _backdate(report, _at(day), _at(day + datetime.timedelta(days=2), 15))


PHU_THO_LEGACY = ("25", "26", "17")


def _seed_phu_tho(administrator: User) -> None:
    """The three provinces that became today's Phú Thọ filed 2024 by district (the
    administrator typed them in; Phú Thọ's staff accepted). Today's Phú Thọ's 2025: the
    six communes that took over Thanh Ba, filed for them by the province's staff, its
    only reviewer, who accepts them too."""
    staff = User.objects.get(username="tinh.phutho")
    for code in PHU_THO_LEGACY:
        province = Area.objects.get(structure=Structure.LEGACY, code=code)
        period = _filed_period(
            province, 2024, datetime.date(2024, 11, 15), datetime.date(2024, 12, 15)
        )
        if period is None:
            continue
        for n, district in enumerate(period.filing_areas().order_by("code")):
            report = _file(period, district, administrator)
            report = report_transition(
                report=report, to=ReportStatus.ACCEPTED, actor=staff, notify=False
            )
            day = datetime.date(2024, 12, 2 + n)
            _backdate(report, _at(day), _at(day + datetime.timedelta(days=3), 14))
        period.closed_on = datetime.date(2025, 1, 15)
        period.save()
    today = Area.objects.get(structure=Structure.Y2025, code="25")
    period = _filed_period(today, 2025, datetime.date(2025, 11, 15), datetime.date(2025, 12, 15))
    if period is None:
        return
    thanh_ba = Area.objects.get(structure=Structure.LEGACY, parent__code="25", code="232")
    heirs = period.filing_areas().filter(predecessors__parent=thanh_ba).distinct().order_by("code")
    for n, commune in enumerate(heirs):
        report = _file(period, commune, staff)
        report = report_transition(
            report=report, to=ReportStatus.ACCEPTED, actor=staff, notify=False
        )
        day = datetime.date(2025, 12, 3 + n)
        _backdate(report, _at(day), _at(day + datetime.timedelta(days=2), 14))
    period.closed_on = datetime.date(2026, 1, 15)
    period.save()


def seed(province: Area, administrator: User) -> None:
    _seed_2024(province, administrator)
    today = Area.objects.get(structure=Structure.Y2025, code=province.code)
    # Two reviewers: whoever files a report does not accept it (services.may_accept).
    reviewers = [User.objects.get(username=name) for name in ("tinh.quangninh", "duyet.quangninh")]
    _seed_quang_ninh_2025(today, reviewers)
    _seed_quang_ninh_present(today, reviewers)
    _seed_phu_tho(administrator)
