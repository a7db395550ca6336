"""Demo reporting for Quảng Ninh (called by ``seed_demo``): the 2024 period, in which all
13 districts filed and the province accepted, so that the province's summary reproduces
its 2024 report (seeds/003); and this year's period, open, for the communes."""

from __future__ import annotations

import datetime

from django.utils import timezone

from committees.models import Area, Structure, User

from .models import AnnualReport, ReportingPeriod, ReportStatus
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


def seed(province: Area, administrator: User) -> None:
    if ReportingPeriod.objects.filter(province=province).exists():
        return
    period = ReportingPeriod.objects.create(
        province=province,
        year=2024,
        opens_on=datetime.date(2024, 11, 15),
        due_on=datetime.date(2024, 12, 15),
    )
    for n, district in enumerate(period.filing_areas().order_by("code")):
        report = report_start(period, district, actor=administrator)
        AnnualReport.objects.filter(pk=report.pk).update(**NARRATIVE)
        report_transition(report, ReportStatus.SUBMITTED, actor=administrator, notify=False)
        report_transition(report, ReportStatus.ACCEPTED, actor=administrator, notify=False)
        submitted = timezone.make_aware(datetime.datetime(2024, 12, 2 + n, 9, 30))
        if n == 12:  # one district filed late
            submitted = timezone.make_aware(datetime.datetime(2024, 12, 20, 16, 0))
        AnnualReport.objects.filter(pk=report.pk).update(
            first_submitted_at=submitted, submitted_at=submitted
        )
    period.closed_on = datetime.date(2025, 1, 15)
    period.save()
    today = datetime.date.today()
    current = Area.objects.filter(structure=Structure.Y2025, code=province.code).first()
    if current is not None and today.year >= 2025:
        ReportingPeriod.objects.create(
            province=current,
            year=today.year,
            opens_on=datetime.date(today.year, 11, 15),
            due_on=datetime.date(today.year, 12, 15),
        )
