"""The annual reporting cycle: periods, the indicator catalogue, annual reports with their
figures, narrative and workflow, and exceptions for late filing.

A period belongs to a province: its provincial staff open and close it, and the area tree
decides who files (districts before the 2025 reorganisation, communes after). A report's
computed figures are read from the records of the area's subtree while it is a draft and
frozen when it is submitted; a figure can be corrected only with a reason, and both the
computed and the corrected value are kept.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import REORGANISATION_DATE, Area, Level, ScopedQuerySet, Structure
from committees.platform.history import HistoryQuerySet

from .rules import MAX_LENGTH, Expression, ExpressionError, parse


class PeriodQuerySet(ScopedQuerySet):
    """Periods are the province's: anyone whose scope lies in the province sees them;
    only editors of the whole province change them, and they are its reviewing level."""

    scope_path = "province__path"

    def visible_to(self, user) -> Self:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        provinces = {"/".join(path.split("/")[:2]) + "/" for path in user.scope_paths()}
        return self.filter(province__path__in=provinces)

    def reviewable_by(self, user) -> Self:
        """The periods whose reports ``user`` reviews (returns, accepts, grants late
        filing): the editors of the whole province — the same who open and close them."""
        return self.editable_by(user)

    def summary_visible_to(self, user) -> Self:
        """The periods whose province summary ``user`` reads: the summary is the whole
        province's, for those who see the whole province (a district sees the period,
        not the others' figures)."""
        return ScopedQuerySet.visible_to(self, user)

    def taking_reports(self, today: datetime.date) -> Self:
        """The periods that take reports on ``today``: opened, and not closed yet or with a
        late-filing exception still running — for some area; which areas:
        ``reports.services.open_for_filing``, the same rule for one period."""
        late = FilingException.objects.running(today).filter(period=OuterRef("pk"))
        return self.filter(opens_on__lte=today).filter(_not_closed(today) | Exists(late))

    def open(self, today: datetime.date | None = None) -> Self:
        """The periods open to every filing area on ``today``: opened, and not closed yet
        (a closing day set ahead is not a closing yet) — those whose areas are reminded."""
        today = today or datetime.date.today()
        return self.filter(_not_closed(today), opens_on__lte=today)


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _in_sentence(province: Area) -> str:
    """ "tỉnh Quảng Ninh" within a sentence; the map's dates where two maps share a name
    ("tỉnh Quảng Ninh (đến 30/06/2025)")."""
    label = str(province.label)
    return label[:1].lower() + label[1:]


def filed_for(province: Area, year: int) -> models.QuerySet[Area]:
    """The provinces whose periods of ``year`` are ``province``'s: itself, or, for a
    province of today's map and a year filed on the legacy map, the provinces that
    merged into it (Phú Thọ 2024 = Phú Thọ + Vĩnh Phúc + Hòa Bình); for a legacy
    province and a year of today's map, the province it merged into."""
    if ReportingPeriod(year=year).structure == province.structure:
        return Area.objects.filter(pk=province.pk)
    if province.structure == Structure.Y2025:
        return Area.objects.filter(successors=province, level=Level.PROVINCE).order_by("path")
    return Area.objects.filter(predecessors=province, level=Level.PROVINCE)


def _not_closed(day: datetime.date) -> Q:
    return Q(closed_on__isnull=True) | Q(closed_on__gt=day)


class ReportingPeriod(models.Model):
    """A province's reporting year: who files, from when, by when."""

    province = models.ForeignKey(
        Area,
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        limit_choices_to={"level": Level.PROVINCE},
    )
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    opens_on = models.DateField(_("ngày mở"))
    due_on = models.DateField(_("hạn nộp"))
    closed_on = models.DateField(_("ngày khóa sổ"), null=True, blank=True)
    # The days whose records the period's figures count (Nghị định 09/2019/NĐ-CP, Điều 12:
    # from 15/12 of the previous year to 14/12 of the year reported); blank in a form or
    # the API: that default.
    window_start = models.DateField(
        _("số liệu tính từ ngày"),
        blank=True,
        help_text=_("Để trống: ngày 15/12 năm trước năm báo cáo."),
    )
    window_end = models.DateField(
        _("số liệu tính đến ngày"),
        blank=True,
        help_text=_("Để trống: ngày 14/12 năm báo cáo."),
    )
    history = HistoricalRecords()

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "kỳ báo cáo")
        ordering = ["-year", "province__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="one_period_per_province_year",
                violation_error_message=_("Tỉnh này đã có kỳ báo cáo của năm đó."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")),
                name="period_due_after_opening",
                violation_error_message=_("Hạn nộp không được trước ngày mở."),
            ),
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("window_end")),
                name="period_window_start_before_end",
                violation_error_message=_(
                    "Ngày bắt đầu tính số liệu không được sau ngày kết thúc."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Kỳ báo cáo năm %(year)s — %(province)s") % {
            "year": self.year,
            "province": self.province.name,
        }

    def save(self, *args, **kwargs) -> None:
        self.fill_window()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:period_detail", args=[self.pk])

    @staticmethod
    def default_window(year: int) -> tuple[datetime.date, datetime.date]:
        """15/12 of the previous year to 14/12 of ``year`` (Nghị định 09/2019/NĐ-CP,
        Điều 12)."""
        year = min(max(year, 2), 9999)  # a year out of the calendar: no crash
        return datetime.date(year - 1, 12, 15), datetime.date(year, 12, 14)

    def fill_window(self) -> None:
        """The default window where none was given."""
        if self.year and (self.window_start is None or self.window_end is None):
            start, end = self.default_window(self.year)
            self.window_start = self.window_start or start
            self.window_end = self.window_end or end

    @property
    def window_text(self) -> str:
        """The window as printed on the report, the summary and their documents."""
        return _("Số liệu tính từ ngày %(start)s đến ngày %(end)s") % {
            "start": self.window_start.strftime("%d/%m/%Y"),
            "end": self.window_end.strftime("%d/%m/%Y"),
        }

    def window_locked(self) -> bool:
        """Once a report of the period is submitted or accepted, its figures are frozen
        over the window: the window no longer changes."""
        return (
            self.pk is not None
            and self.reports.filter(
                status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
            ).exists()
        )

    def neighbours(self) -> tuple[list[ReportingPeriod], list[ReportingPeriod]]:
        """The periods of the year before and the year after of this province — across
        the map seam, those of the provinces that merged into it (the year before) or of
        the province they merged into (the year after)."""
        before = ReportingPeriod.objects.filter(
            province__in=filed_for(self.province, self.year - 1), year=self.year - 1
        )
        after = ReportingPeriod.objects.filter(
            province__in=filed_for(self.province, self.year + 1), year=self.year + 1
        )
        return (
            list(before.select_related("province").order_by("province__path")),
            list(after.select_related("province").order_by("province__path")),
        )

    def clean(self) -> None:
        """A period's province is of the map its year files under: a legacy province for
        the years before 2025, one of today's 34 provinces from 2025. Its window follows
        the previous period's and precedes the next one's, day by day, and stays as it
        was once a report of the period is submitted."""
        self.fill_window()
        if not self.province_id or not self.year:
            return
        province = self.province
        if province.level != Level.PROVINCE:
            raise ValidationError({"province": _("Kỳ báo cáo là của một tỉnh, thành phố.")})
        if province.structure == self.structure:
            self._clean_window()
            return
        if self.structure == Structure.Y2025:
            right = [province.attributed_to] if province.attributed_to_id else []
        else:
            right = list(province.predecessors.filter(level=Level.PROVINCE).order_by("path"))
        raise ValidationError(
            {
                "province": _(
                    "Năm %(year)s báo cáo theo %(map)s; %(province)s không thuộc bản đồ đó. "
                    "Hãy chọn: %(right)s."
                )
                % {
                    "year": self.year,
                    "map": Structure(self.structure).label,
                    "province": province.label,
                    "right": ", ".join(a.label for a in right) or "—",
                }
            },
            code="wrong_map",
        )

    def _clean_window(self) -> None:
        if self.window_start is None or self.window_end is None:
            return
        if self.pk is not None:
            saved = (
                ReportingPeriod.objects.filter(pk=self.pk)
                .values_list("window_start", "window_end")
                .first()
            )
            if saved and saved != (self.window_start, self.window_end) and self.window_locked():
                message = _(
                    "Kỳ báo cáo đã có báo cáo được nộp hoặc tiếp nhận: số liệu đã chốt theo "
                    "thời gian từ ngày %(start)s đến ngày %(end)s, không sửa được."
                ) % {"start": _day(saved[0]), "end": _day(saved[1])}
                field = "window_start" if saved[0] != self.window_start else "window_end"
                raise ValidationError({field: message}, code="window_locked")
        before, after = self.neighbours()
        errors = {}
        one_day = datetime.timedelta(days=1)
        for other in before:
            if other.window_end + one_day != self.window_start:
                errors["window_start"] = _(
                    "Kỳ báo cáo năm %(year)s của %(province)s kết thúc ngày %(end)s; kỳ này "
                    "phải bắt đầu từ ngày %(next)s (không trùng, không bỏ sót ngày nào)."
                ) % {
                    "year": other.year,
                    "province": _in_sentence(other.province),
                    "end": _day(other.window_end),
                    "next": _day(other.window_end + one_day),
                }
                break
        for other in after:
            if other.window_start - one_day != self.window_end:
                errors["window_end"] = _(
                    "Kỳ báo cáo năm %(year)s của %(province)s bắt đầu từ ngày %(start)s; kỳ "
                    "này phải kết thúc ngày %(previous)s (không trùng, không bỏ sót ngày nào)."
                ) % {
                    "year": other.year,
                    "province": _in_sentence(other.province),
                    "start": _day(other.window_start),
                    "previous": _day(other.window_start - one_day),
                }
                break
        if errors:
            raise ValidationError(errors, code="window_seam")

    @property
    def filing_level(self) -> str:
        """Districts filed for the years before the two-level structure; communes after."""
        return Level.DISTRICT if self.year < REORGANISATION_DATE.year else Level.COMMUNE

    @property
    def structure(self) -> str:
        return Structure.LEGACY if self.year < REORGANISATION_DATE.year else Structure.Y2025

    @property
    def is_closed(self) -> bool:
        return self.closed_by(datetime.date.today())

    def closed_by(self, day: datetime.date) -> bool:
        """Closed on ``day``: from its closing day on, only areas with a running
        exception may file (``PeriodQuerySet.taking_reports``)."""
        return self.closed_on is not None and self.closed_on <= day

    def filing_areas(self) -> models.QuerySet:
        """The areas that must report in this period, from the area tree."""
        return Area.objects.within(self.province).filter(level=self.filing_level)


class FilingExceptionQuerySet(HistoryQuerySet):
    def running(self, today: datetime.date) -> Self:
        """The exceptions that still let their area file on ``today``."""
        return self.filter(until__gte=today)


class FilingException(models.Model):
    """Leave for an area to file after its period closed: why, and until when."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    area = models.ForeignKey(Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT)
    reason = models.CharField(_("lý do"), max_length=500)
    until = models.DateField(_("được nộp đến ngày"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cho phép"), on_delete=models.PROTECT
    )
    granted_at = models.DateTimeField(_("thời điểm cho phép"), auto_now_add=True)
    history = HistoricalRecords()

    objects = FilingExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngoại lệ nộp muộn")
        verbose_name_plural = pgettext_lazy("plural", "ngoại lệ nộp muộn")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.area} — {self.until:%d/%m/%Y}"


class Source(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu")
    MANUAL = "manual", _("Nhập tay")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    RATIO = "ratio", _("Tỷ lệ của hai tổng")
    TEXT = "text", _("Văn bản")


class Indicator(models.Model):
    """An indicator of the annual report (the catalogue ships with a default set)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    unit_en = models.CharField(_("đơn vị tính tiếng Anh"), max_length=40, blank=True)
    section = models.CharField(_("nhóm"), max_length=120)
    section_en = models.CharField(_("nhóm tiếng Anh"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("cách lấy số liệu"), max_length=20, choices=Source)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=20, choices=Aggregation)
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("tử số"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("mẫu số"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="ratio")
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="ratio_has_numerator_and_denominator",
                violation_error_message=_("Chỉ tiêu tỷ lệ phải có tử số và mẫu số."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    # The catalogue is data, so its English is data too: the English pages read these
    # (the Vietnamese where no English was entered); documents stay Vietnamese.
    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def unit_label(self) -> str:
        return self.unit_en if get_language() == "en" and self.unit_en else self.unit

    @property
    def section_label(self) -> str:
        return self.section_en if get_language() == "en" and self.section_en else self.section


class Importance(models.TextChoices):
    ERROR = "error", _("Lỗi (không nộp được)")
    WARNING = "warning", _("Cảnh báo (cần giải trình)")


class Operator(models.TextChoices):
    EQUAL = "==", "="
    AT_MOST = "<=", "≤"
    AT_LEAST = ">=", "≥"
    LESS = "<", "<"
    GREATER = ">", ">"


class ValidationRule(models.Model):
    """A check of a report's figures (DHIS2's validation rules): left side, operator,
    right side, each an expression over indicator codes (``reports.rules``). An error
    blocks submitting; a warning asks the filer for a note."""

    left = models.CharField(
        _("vế trái"),
        max_length=MAX_LENGTH,
        help_text=_("Mã chỉ tiêu, số nguyên, dấu + và -, ngoặc đơn. Ví dụ: units_regulation"),
    )
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator)
    right = models.CharField(
        _("vế phải"),
        max_length=MAX_LENGTH,
        help_text=_("Ví dụ: petitions_carried_over + petitions_received"),
    )
    importance = models.CharField(
        _("mức độ"), max_length=10, choices=Importance, default=Importance.ERROR
    )
    message = models.CharField(_("thông báo"), max_length=300)
    message_en = models.CharField(_("thông báo tiếng Anh"), max_length=300)
    active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc kiểm tra số liệu")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc kiểm tra số liệu")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.formula

    @property
    def formula(self) -> str:
        return f"{self.left} {Operator(self.operator).label} {self.right}"

    @property
    def label(self) -> str:
        return self.message_en if get_language() == "en" and self.message_en else self.message

    @property
    def is_error(self) -> bool:
        return self.importance == Importance.ERROR

    def sides(self) -> tuple[Expression, Expression]:
        """Both sides parsed (once per instance)."""
        if not hasattr(self, "_sides"):
            self._sides = (parse(self.left), parse(self.right))
        return self._sides

    def clean(self) -> None:
        """Each side must read as an expression over the catalogue's numeric indicators
        (sums: a ratio or a text is no figure a report keeps)."""
        known = set(
            Indicator.objects.filter(aggregation=Aggregation.SUM).values_list("code", flat=True)
        )
        errors = {}
        codes: set[str] = set()
        for name in ("left", "right"):
            try:
                codes |= parse(getattr(self, name), known).codes
            except ExpressionError as exc:
                errors[name] = str(exc)
        if not errors and not codes:
            errors["left"] = _("Quy tắc phải dùng ít nhất một mã chỉ tiêu.")
        if errors:
            raise ValidationError(errors)
        self.__dict__.pop("_sides", None)


class ReportQuerySet(ScopedQuerySet):
    """A report is its area's: the area's editors file it, and whoever sees the area reads
    it. The reviewing level (``PeriodQuerySet.reviewable_by``) reads and reviews every
    report of the province."""

    def reviewable_by(self, user) -> Self:
        return self.filter(period__in=ReportingPeriod.objects.reviewable_by(user))

    def visible_to(self, user) -> Self:
        return super().visible_to(user) | self.reviewable_by(user)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class SignerRole(models.TextChoices):
    """Who signs for the committee (Hướng dẫn 36-HD/VPTW, thể thức đề ký): the head, or a
    deputy "K/T" (ký thay) the head."""

    HEAD = "head", _("Trưởng ban")
    STANDING_DEPUTY = "standing_deputy", _("Phó Trưởng ban thường trực")
    DEPUTY = "deputy", _("Phó Trưởng ban")


class ReportText(models.Model):
    """What a report says in words, and what it needs to be signed and sent as a Party
    document (Hướng dẫn 36-HD/VPTW): its number and date, who signs it, to whom it goes.

    The sections are those of a year-end report: results, limitations and their causes
    (subjective and objective, as the conferences analyse them, seeds/003), lessons, the
    next year's tasks, and proposals to the level above."""

    results = models.TextField(_("kết quả đạt được"), blank=True)
    limitations = models.TextField(_("hạn chế"), blank=True)
    causes_subjective = models.TextField(_("nguyên nhân chủ quan"), blank=True)
    causes_objective = models.TextField(_("nguyên nhân khách quan"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    next_tasks = models.TextField(_("nhiệm vụ năm tới"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    number = models.CharField(
        _("số văn bản"), max_length=40, blank=True, help_text=_("Ví dụ: 125-BC/BCĐ")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer = models.CharField(
        _("người ký"),
        max_length=120,
        blank=True,
        help_text=_("Để trống: Trưởng ban Ban Chỉ đạo theo danh sách thành viên."),
    )
    signer_role = models.CharField(
        _("chức danh người ký"), max_length=20, choices=SignerRole, blank=True
    )
    recipients = models.TextField(
        _("nơi nhận"),
        blank=True,
        help_text=_("Mỗi nơi nhận một dòng, ví dụ: Ban Dân vận Trung ương,"),
    )

    class Meta:
        abstract = True


class AnnualReport(ReportText):
    """An area's report for a period: figures, narrative and where it is in the workflow."""

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    # Optimistic locking: every save of the draft bumps it; a stale save is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    first_submitted_at = models.DateTimeField(_("nộp lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Submitted by the reviewing level on the area's behalf ("Lập thay"), not by the
    # area's own officials: the page and the document say so.
    on_behalf = models.BooleanField(_("lập thay"), default=False)
    history = HistoricalRecords()

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo năm")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo năm")
        ordering = ["period", "area__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "area"],
                name="one_report_per_area_period",
                violation_error_message=_("Địa bàn này đã có báo cáo của kỳ này."),
            )
        ]

    def __str__(self) -> str:
        return _("Báo cáo năm %(year)s — %(area)s") % {
            "year": self.period.year,
            "area": self.area.name,
        }

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportValue(models.Model):
    """One figure of a report: what the records say, what the report says, and why."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    computed = models.DecimalField(
        _("số liệu tính từ dữ liệu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(
        _("số liệu báo cáo"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("nội dung"), blank=True)
    correction_reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_value_per_report_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"

    @property
    def is_corrected(self) -> bool:
        return self.computed is not None and self.value != self.computed


class ReportEvent(models.Model):
    """A step of a report's workflow: who, when, from what to what, why."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("từ"), max_length=20, choices=ReportStatus)
    to_status = models.CharField(_("sang"), max_length=20, choices=ReportStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "bước xử lý báo cáo")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReportRuleNote(models.Model):
    """The filer's note on a warning rule the report's figures break (why the figures
    are right nonetheless); the reviewer reads it beside the warning."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="notes"
    )
    # Protected: a rule a submitted note answers is switched off, not deleted.
    rule = models.ForeignKey(
        ValidationRule,
        verbose_name=_("quy tắc"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("giải trình"), max_length=1000)
    history = HistoricalRecords()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("giải trình cảnh báo")
        verbose_name_plural = pgettext_lazy("plural", "giải trình cảnh báo")
        constraints = [
            models.UniqueConstraint(fields=["report", "rule"], name="one_note_per_report_rule")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.rule_id}"


class ReportSubmission(models.Model):
    """What a report said when it was submitted: its figures, narrative and notes, kept
    with the workflow step, so that a reviewer sees what changed since the previous
    submission.

    A row of its own rather than the change history: the history holds every draft
    save, its timestamps interleave with the workflow's, and reading a submission back
    from it would mean an ``as_of`` over the report and each of its figures; a snapshot is
    written once, in the submitting transaction, and read in one query."""

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    event = models.OneToOneField(
        ReportEvent,
        verbose_name=_("bước nộp"),
        on_delete=models.CASCADE,
        related_name="submission",
    )
    # {code: {"value", "computed", "text", "reason"}}, numbers as text (exact decimals).
    figures = models.JSONField(_("số liệu"), default=dict)
    narrative = models.JSONField(_("nội dung"), default=dict)  # {field: text}
    # {rule id: {"rule": formula, "message", "note"}}
    notes = models.JSONField(_("giải trình"), default=dict)

    class Meta:
        verbose_name = _("lần nộp báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "lần nộp báo cáo")
        ordering = ["event__at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.event_id}"


class ReminderLog(models.Model):
    """A reminder e-mail sent for a period to an area, so that it is sent once a day."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "area", "sent_on"], name="one_reminder_per_area_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} — {self.sent_on:%d/%m/%Y}"


class SummaryReport(ReportText):
    """The province's year-end summary report of a period: its own words and document
    details; the figures are the aggregation of the accepted reports (``summary``)."""

    period = models.OneToOneField(
        ReportingPeriod,
        verbose_name=_("kỳ báo cáo"),
        on_delete=models.CASCADE,
        related_name="summary_report",
    )
    # Optimistic locking, as for annual reports.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    history = HistoricalRecords()

    objects = HistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tổng kết")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo tổng kết")

    def __str__(self) -> str:
        return _("Báo cáo tổng kết năm %(year)s — %(province)s") % {
            "year": self.period.year,
            "province": self.period.province.name,
        }


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"
    DOCX = "docx", "Word (DOCX)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ExportJobQuerySet(models.QuerySet):
    """An export is read by whoever reads its document: an area's report
    (``ReportQuerySet.visible_to``) or the province's summary
    (``PeriodQuerySet.summary_visible_to``). Not a tracked record: the workers move its
    progress with ``update()``."""

    def visible_to(self, user) -> Self:
        reports = AnnualReport.objects.visible_to(user)
        summaries = ReportingPeriod.objects.summary_visible_to(user)
        return self.filter(Q(report__in=reports) | Q(report=None, period__in=summaries))

    def editable_by(self, user) -> Self:
        """Nobody changes an export: asking for one reads its document (the job is the
        service's row), and the workers write its file."""
        return self.none()


class ExportJob(models.Model):
    """One export of a report (an area's report, or the province's summary when
    ``report`` is empty) in one format, produced in the background.

    ``content`` holds the document as it stood when it was asked for, and ``digest`` its
    fingerprint: the same content in the same format is rendered once, whoever asks.
    """

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("báo cáo"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exports",
    )
    format = models.CharField(_("định dạng"), max_length=10, choices=ExportFormat)
    version = models.PositiveIntegerField(_("phiên bản báo cáo"))
    digest = models.CharField(_("dấu vân tay nội dung"), max_length=64)
    content = models.JSONField(_("nội dung"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveBigIntegerField(_("dung lượng"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    # When the broker last took the job's message; empty while it could not.
    handed_at = models.DateTimeField(_("chuyển vào hàng đợi lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp xuất báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "tệp xuất báo cáo")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # Idempotent exports: one live job per (content, format); a failed one may be
            # asked for again.
            models.UniqueConstraint(
                fields=["digest", "format"],
                condition=~Q(status="failed"),
                name="one_live_export_per_content_format",
            )
        ]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("reports:export_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
