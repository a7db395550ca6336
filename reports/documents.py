"""A report as a document to sign: the content every export format renders.

``summary_content`` (the province's year-end summary) and ``report_content`` (an area's
own annual report) read the database once and return plain JSON-ready data in the Party
document layout of Hướng dẫn 36-HD/VPTW: issuing body and number, place and date, title,
the narrative, the figures, charts, the annex by area, "Nơi nhận" and the signature.
An export job stores this content, so that what was asked for is what gets rendered, and
its fingerprint makes the same content in the same format render once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from committees.models import Area, Level, SteeringCommittee

from .catalogue import ratio
from .charts import trend_charts
from .models import Aggregation, AnnualReport, Indicator, ReportingPeriod, SummaryReport
from .selectors import province_trend, summary
from .signing import signature

# Bump when the content's shape or the layout changes: older files are then made anew.
# 2: the summary's trend over the years; 3: the sections and signature of HD 36.
LAYOUT = 3
COMMITTEE = "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ"
# The annex of the PDF and DOCX is one table that fits a landscape page: the figures the
# year-end reports quote (seeds/003). The XLSX annex holds every indicator.
ANNEX_KEY_CODES = (
    "documents",
    "units_regulation_share",
    "training_classes",
    "training_attendances",
    "inspection_organisations",
    "inspection_members",
    "supervision_organisations",
    "supervision_members",
    "citizens_received",
    "petitions_received",
    "petitions_resolution_rate",
)
# Charts of the figures: attendances by area, and this year against last, one chart per
# kind of count so that bars on one axis measure the same thing (no lớp beside cuộc or
# buổi); an indicator whose unit differs from its chart's first is left out of it.
CHART_BY_AREA = "training_attendances"
CHART_YEARS = (
    (_lazy("Số cuộc kiểm tra, giám sát"), ("inspections", "supervisions")),
    (
        _lazy("Tổ chức đảng được kiểm tra, giám sát"),
        ("inspection_organisations", "supervision_organisations"),
    ),
    (_lazy("Đảng viên được kiểm tra, giám sát"), ("inspection_members", "supervision_members")),
    (_lazy("Số buổi tiếp công dân, đối thoại"), ("receptions", "dialogues")),
    (
        _lazy("Việc công khai, Nhân dân bàn và quyết định, tham gia ý kiến"),
        ("democracy_disclosures", "democracy_decisions", "democracy_consultations"),
    ),
)
CHART_MAX_AREAS = 20


def party_committee(area: Area) -> str:
    """The party committee an area's steering committee belongs to: Tỉnh ủy Quảng Ninh,
    Thành ủy Hạ Long, Huyện ủy Vân Đồn, Thị ủy Quảng Yên, Đảng ủy Phường Hà Khánh."""
    if area.level == Level.COMMUNE:
        return f"Đảng ủy {area.name}"
    committees = (("Thành phố", "Thành ủy"), ("Thị xã", "Thị ủy"), ("Quận", "Quận ủy"))
    for prefix, committee in committees:
        if area.name.startswith(prefix):
            return f"{committee} {area.short_name}"
    if area.level == Level.DISTRICT:
        return f"Huyện ủy {area.short_name}"
    return f"Tỉnh ủy {area.short_name}"


def _clean(text: str) -> str:
    """User text without the control characters no document format can hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text or "")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _clean(text).splitlines() if line.strip()]


def _narrative(source, year: int) -> list[dict]:
    """The narrative in the order of a year-end report (seeds/003): I. results, then
    limitations with their subjective and objective causes, then lessons; II. the next
    year's tasks; III. proposals. Empty sections are left out, but "I" and "1" stay: the
    figures and charts go under "1"."""
    parts = [
        ("I", _("KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM %(year)s") % {"year": year}, None),
        ("1", _("Kết quả đạt được"), source.results),
        ("2", _("Hạn chế, nguyên nhân"), source.limitations),
        ("a", _("Nguyên nhân chủ quan"), source.causes_subjective),
        ("b", _("Nguyên nhân khách quan"), source.causes_objective),
        ("3", _("Bài học kinh nghiệm"), source.lessons),
        ("II", _("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM %(year)s") % {"year": year + 1}, source.next_tasks),
        ("III", _("ĐỀ XUẤT, KIẾN NGHỊ"), source.proposals),
    ]
    has_causes = bool((source.causes_subjective + source.causes_objective).strip())
    return [
        {"number": number, "heading": heading, "paragraphs": _lines(text or "")}
        for number, heading, text in parts
        if number in ("I", "1") or (text or "").strip() or (number == "2" and has_causes)
    ]


def _value(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _kept_copy(area: Area) -> str:
    """ "Lưu Văn phòng Tỉnh ủy, Ban Dân vận Tỉnh ủy.": the copy the issuing body keeps,
    named from it (its party committee's office, and the committee's standing body)."""
    standing = (
        SteeringCommittee.objects.filter(area=area, is_active=True)
        .values_list("standing_body", flat=True)
        .first()
    )
    kept = [_("Văn phòng %(committee)s") % {"committee": party_committee(area)}]
    if standing:
        kept.append(standing)
    return _("Lưu %(where)s") % {"where": ", ".join(kept)}


def recipients(lines: list[str], area: Area) -> list[str]:
    """ "Nơi nhận" as Hướng dẫn 36-HD/VPTW writes it: one line per recipient, each ending
    with a comma and the last (the copy kept, "Lưu …", added when missing) with a full
    stop; the dash before each is the layout's."""
    lines = [line.lstrip("-\u2013+•* ").rstrip(",.; ") for line in lines]
    lines = [line for line in lines if line]
    if not any(line.casefold().startswith("lưu") for line in lines):
        lines.append(_kept_copy(area))
    return [line + ("." if n == len(lines) - 1 else ",") for n, line in enumerate(lines)]


def _common(area: Area, text, year: int, day: datetime.date | None, kind_title: str) -> dict:
    lines = _lines(text.recipients) if text is not None else []
    signed = signature(
        area,
        day or datetime.date.today(),
        _clean(text.signer) if text is not None else "",
        text.signer_role if text is not None else "",
    )
    return {
        "layout": LAYOUT,
        "issuer": [party_committee(area).upper(), COMMITTEE],
        "number": _clean(text.number if text is not None else ""),
        "place": area.short_name,
        "date": day.isoformat() if day else None,
        "title": _("BÁO CÁO"),
        "subtitle": kind_title,
        "area": area.name,
        "year": year,
        "version": text.version if text is not None else 0,
        "narrative": _narrative(text, year) if text is not None else [],
        "recipients": lines,
        "signer_lines": signed["lines"],
        "signer": signed["name"],
    }


def summary_content(period: ReportingPeriod) -> dict:
    """The province's year-end summary report of a period, in Vietnamese."""
    with translation.override("vi"):
        return _summary_content(period)


def _summary_content(period: ReportingPeriod) -> dict:
    province = period.province
    text = SummaryReport.objects.filter(period=period).first()
    data = summary(period)
    areas: list[Area] = data["areas"]
    lines = data["lines"]
    content = _common(
        province,
        text,
        period.year,
        text.issued_on if text is not None else None,
        _("Tổng kết năm %(year)s thực hiện dân chủ ở cơ sở và phương hướng, nhiệm vụ năm %(next)s")
        % {"year": period.year, "next": period.year + 1},
    )
    content["recipients"] = recipients(
        content["recipients"]
        or [
            _("Ban Chỉ đạo Trung ương (để báo cáo)"),
            _("Thường trực %(committee)s (để báo cáo)") % {"committee": party_committee(province)},
            _("Các thành viên Ban Chỉ đạo"),
            _("Ban Chỉ đạo các địa phương, đơn vị"),
        ],
        province,
    )
    previous_year = data["previous_year"]
    content["previous_year"] = previous_year
    merged = [p.province.name for p in data["previous_periods"]]
    if len(merged) > 1:
        content["previous_note"] = _("Số liệu năm %(year)s là tổng của: %(provinces)s.") % {
            "year": previous_year,
            "provinces": ", ".join(merged),
        }
    content["sources"] = _(
        "Số liệu tổng hợp từ báo cáo của %(n)s địa phương, đơn vị và hoạt động của cấp tỉnh."
    ) % {"n": len(areas)}
    content["window"] = period.window_text
    content["sections"] = _sections((line.indicator, line.total, line.previous) for line in lines)
    columns = [line.indicator for line in lines]
    rows = [
        {"name": a.name, "values": [_value(line.by_area.get(a.pk)) for line in lines]}
        for a in areas
    ]
    # The province's own records, by where they were kept (a former district's until
    # 30/06/2025): each its own line, so that the annex adds up to the total.
    for level, label in reversed(data["own_parts"]):
        own = [_value(line.own_parts.get(level)) for line in lines]
        if any(v not in (None, "0") for v in own):
            name = _("Cấp tỉnh (cơ quan, đơn vị trực thuộc tỉnh)") if level == "province" else label
            rows.insert(0, {"name": str(name), "values": own})
    content["annex"] = {
        "title": _("Số liệu thực hiện dân chủ ở cơ sở năm %(year)s theo địa bàn")
        % {"year": period.year},
        "area_label": _("Địa bàn"),
        "columns": [_column(i) for i in columns],
        "rows": rows,
        "total": [_value(line.total) for line in lines],
    }
    # The province's trend up to this year, the chart of its period page.
    content["charts"] = _charts(content, previous_year) + trend_charts(
        province_trend(province, period.year)
    )
    return content


def report_content(report: AnnualReport) -> dict:
    """An area's own annual report as a document (the same layout as the summary)."""
    with translation.override("vi"):
        return _report_content(report)


def _report_content(report: AnnualReport) -> dict:
    area, period = report.area, report.period
    day = report.issued_on
    content = _common(
        area,
        report,
        period.year,
        day,
        _("Kết quả thực hiện dân chủ ở cơ sở năm %(year)s và phương hướng, nhiệm vụ năm %(next)s")
        % {"year": period.year, "next": period.year + 1},
    )
    content["recipients"] = recipients(
        content["recipients"]
        or [
            _("Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh (để báo cáo)"),
            _("Thường trực %(committee)s (để báo cáo)") % {"committee": party_committee(area)},
        ],
        area,
    )
    values = {v.indicator_id: v for v in report.values.select_related("indicator")}
    previous_report = (
        AnnualReport.objects.filter(area=area, period__year=period.year - 1)
        .exclude(first_submitted_at=None)
        .first()
    )
    previous = (
        {v.indicator_id: v.value for v in previous_report.values.all()} if previous_report else {}
    )
    indicators = list(Indicator.objects.filter(active=True).order_by("order", "code"))

    def figure(indicator: Indicator, source: dict) -> Decimal | None:
        if indicator.aggregation == Aggregation.RATIO:
            n, d = source.get(indicator.numerator_id), source.get(indicator.denominator_id)
            return ratio(n, d)
        return source.get(indicator.pk)

    current = {pk: v.value for pk, v in values.items()}
    numeric = [i for i in indicators if i.aggregation != Aggregation.TEXT]
    content["previous_year"] = period.year - 1 if previous_report else None
    content["sources"] = ""
    content["window"] = period.window_text
    content["sections"] = _sections(
        (i, figure(i, current), figure(i, previous) if previous_report else None) for i in numeric
    )
    content["texts"] = [
        {"heading": i.name, "paragraphs": _lines(values[i.pk].text)}
        for i in indicators
        if i.aggregation == Aggregation.TEXT and i.pk in values and values[i.pk].text.strip()
    ]
    # Kept in the file's properties, not printed: the signed text is the committee's own.
    if report.on_behalf and report.submitted_by is not None:
        content["on_behalf"] = _("Lập thay bởi %(name)s, thay mặt %(area)s.") % {
            "name": report.submitted_by.get_full_name(),
            "area": area.name,
        }
    content["annex"] = None
    content["charts"] = _charts(content, content["previous_year"])
    return content


def _column(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "label": indicator.name,
        "unit": indicator.unit,
        "ratio": indicator.aggregation == Aggregation.RATIO,
    }


def _sections(figures) -> list[dict]:
    sections: dict[str, list] = {}
    for indicator, value, previous in figures:
        sections.setdefault(indicator.section, []).append(
            {**_column(indicator), "value": _value(value), "previous": _value(previous)}
        )
    return [{"title": title, "rows": rows} for title, rows in sections.items()]


def _charts(content: dict, previous_year: int | None) -> list[dict]:
    """The same chart specification the pages give Chart.js ({type, labels, label,
    values}); the PDF draws it as SVG (``reports.charts``). The small comparisons come
    first and the tall chart by area last: a chart is never split, so a tall one that does
    not fit after the figures' table would leave the rest of the page empty, where the
    small ones fit."""
    return _year_charts(content, previous_year) + _area_charts(content)


def _area_charts(content: dict) -> list[dict]:
    charts = []
    annex = content.get("annex")
    if annex and annex["rows"]:
        codes = [c["code"] for c in annex["columns"]]
        if CHART_BY_AREA in codes:
            at = codes.index(CHART_BY_AREA)
            rows = [(r["name"], Decimal(r["values"][at] or 0)) for r in annex["rows"]]
            rows = sorted((row for row in rows if row[1]), key=lambda row: -row[1])
            shown = rows[:CHART_MAX_AREAS]
            title = _("Lượt người tham dự tập huấn, tuyên truyền theo địa bàn (lượt người)")
            if len(rows) > len(shown):
                title = _(
                    "Lượt người tham dự tập huấn, tuyên truyền ở %(n)s địa bàn cao nhất "
                    "(lượt người)"
                ) % {"n": len(shown)}
            series = [{"label": str(content["year"]), "values": [str(v) for _n, v in shown]}]
            if shown:
                labels = [name for name, _v in shown]
                charts.append({"type": "bar", "title": title, "labels": labels, "series": series})
    return charts


def _year_charts(content: dict, previous_year: int | None) -> list[dict]:
    charts = []
    rows = {r["code"]: r for s in content["sections"] for r in s["rows"]}
    for title, codes in CHART_YEARS:
        picked = [rows[code] for code in codes if code in rows]
        picked = [r for r in picked if picked and r["unit"] == picked[0]["unit"]]
        if not any(Decimal(r["value"] or 0) or Decimal(r["previous"] or 0) for r in picked):
            continue
        series = [{"label": str(content["year"]), "values": [r["value"] or "0" for r in picked]}]
        if previous_year:
            series.insert(
                0, {"label": str(previous_year), "values": [r["previous"] or "0" for r in picked]}
            )
        compared = _(" so với năm %(year)s") % {"year": previous_year} if previous_year else ""
        charts.append(
            {
                "type": "bar",
                "title": f"{title}{compared} ({picked[0]['unit']})",
                "labels": [r["label"] for r in picked],
                "series": series,
            }
        )
    return charts


def digest(content: dict) -> str:
    """The fingerprint of a document's content (with its layout version)."""
    data = json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def file_stem(content: dict) -> str:
    """bao-cao-2024-tinh-quang-ninh: the downloaded file's name, ASCII only."""
    name = content["area"].replace("đ", "d").replace("Đ", "D")
    return slugify(f"bao-cao-{content['year']}-{name}")
