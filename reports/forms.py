"""Forms of the reporting cycle."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.models import Area, Level
from committees.platform.widgets import DATE_WIDGET

from .models import (
    AnnualReport,
    Importance,
    Indicator,
    ReportingPeriod,
    SignerRole,
    Source,
    SummaryReport,
    ValidationRule,
)
from .services import NARRATIVE, Figure
from .signing import signatories, signer_error

TYPED = "typed"


class SignatoryMixin:
    """ "Người ký" chosen from the committee's members in office on the issue date (or
    typed, with its title, where the portal does not hold the committee): the name is
    checked against the seat its person held that day."""

    def _setup_signatory(self, area: Area, text) -> None:
        self._area = area
        day = self._issue_day(text)
        members = signatories(area, day)
        choices = [("", _("Trưởng ban (theo danh sách thành viên vào ngày ban hành)"))]
        choices += [
            (str(m.pk), f"{m.full_name} — {m.get_committee_role_display()}") for m in members
        ]
        choices.append((TYPED, _("Người khác: nhập họ tên và chức danh bên dưới")))
        field = self.fields["signatory"]
        field.choices = choices
        field.error_messages["invalid_choice"] = _(
            "Người được chọn không giữ chức danh Trưởng ban hoặc Phó Trưởng ban vào ngày %(day)s."
        ) % {"day": day.strftime("%d/%m/%Y")}
        field.help_text = _(
            "Thành viên Ban Chỉ đạo giữ chức danh vào ngày %(day)s; Phó Trưởng ban ký thay "
            "(K/T) Trưởng ban."
        ) % {"day": day.strftime("%d/%m/%Y")}
        chosen = [
            m
            for m in members
            if m.full_name == text.signer
            and (m.committee_role == text.signer_role or not text.signer_role)
        ]
        field.initial = str(chosen[0].pk) if chosen else (TYPED if text.signer else "")
        if field.initial != TYPED:  # the typed name and title are for someone else only
            self.initial["signer"] = self.initial["signer_role"] = ""
        self.fields["signer"].label = _("Họ tên người ký (nếu là người khác)")
        self.fields["signer"].help_text = ""
        self.fields["signer_role"].label = _("Chức danh người ký (nếu là người khác)")

    def _issue_day(self, text) -> datetime.date:
        """The issue date the form is about: the one typed (when it reads as a date), else
        the saved one, else today."""
        day = text.issued_on or datetime.date.today()
        if self.is_bound:
            typed = self.data.get(self.add_prefix("issued_on"))
            with contextlib.suppress(forms.ValidationError):
                day = self.fields["issued_on"].clean(typed)
        return day or datetime.date.today()

    def _clean_signatory(self, data: dict) -> None:
        picked = data.get("signatory") or ""
        day = data.get("issued_on") or datetime.date.today()
        if picked == TYPED:
            data["signer_role"] = data.get("signer_role") or SignerRole.HEAD
            if not (data.get("signer") or "").strip():
                self.add_error("signer", _("Hãy nhập họ tên người ký."))
                return
        elif picked:
            member = next((m for m in signatories(self._area, day) if str(m.pk) == picked), None)
            if member is None:
                self.add_error(
                    "signatory", self.fields["signatory"].error_messages["invalid_choice"]
                )
                return
            data["signer"], data["signer_role"] = member.full_name, member.committee_role
        else:
            data["signer"], data["signer_role"] = "", ""
        error = signer_error(self._area, day, data["signer"], data["signer_role"])
        if error:
            self.add_error("signer" if picked == TYPED else "signatory", error)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = [
            "province",
            "year",
            "opens_on",
            "due_on",
            "closed_on",
            "window_start",
            "window_end",
        ]
        widgets = {
            "opens_on": DATE_WIDGET,
            "due_on": DATE_WIDGET,
            "closed_on": DATE_WIDGET,
            "window_start": DATE_WIDGET,
            "window_end": DATE_WIDGET,
        }
        help_texts = {"closed_on": _("Để trống khi kỳ còn mở.")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        provinces = Area.objects.editable_by(user).filter(level=Level.PROVINCE)
        self.fields["province"].queryset = provinces.order_by("-structure", "name")
        self.fields["province"].label_from_instance = lambda area: area.label
        if self.instance.pk:
            self.fields["province"].disabled = True
            self.fields["year"].disabled = True
            if self.instance.window_locked():
                for name in ("window_start", "window_end"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Đã có báo cáo được nộp: thời gian tính số liệu không sửa được nữa."
                    )


def _plain(number: Decimal | None) -> Decimal | int | None:
    """120 rather than 120.00 in the form; decimals only when there are some."""
    if number is not None and number == number.to_integral_value():
        return int(number)
    return number


class ReportForm(SignatoryMixin, forms.Form):
    """The filing form: one field per figure (and a reason where a computed figure is
    changed), the narrative sections, and the version the user opened."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    results = forms.CharField(
        label=_("Kết quả đạt được"), required=False, widget=forms.Textarea({"rows": 5})
    )
    limitations = forms.CharField(
        label=_("Hạn chế"), required=False, widget=forms.Textarea({"rows": 3})
    )
    causes_subjective = forms.CharField(
        label=_("Nguyên nhân chủ quan"), required=False, widget=forms.Textarea({"rows": 3})
    )
    causes_objective = forms.CharField(
        label=_("Nguyên nhân khách quan"), required=False, widget=forms.Textarea({"rows": 3})
    )
    lessons = forms.CharField(
        label=_("Bài học kinh nghiệm"), required=False, widget=forms.Textarea({"rows": 3})
    )
    next_tasks = forms.CharField(
        label=_("Nhiệm vụ năm tới"), required=False, widget=forms.Textarea({"rows": 4})
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), required=False, widget=forms.Textarea({"rows": 3})
    )
    number = forms.CharField(
        label=_("Số văn bản"),
        required=False,
        max_length=40,
        help_text=_("Ví dụ: 45-BC/BCĐ; để trống nếu chưa có số."),
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Để trống: ngày nộp báo cáo."),
    )
    signatory = forms.ChoiceField(label=_("Người ký"), required=False)
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=120)
    signer_role = forms.ChoiceField(
        label=_("Chức danh người ký"), required=False, choices=[("", "—"), *SignerRole.choices]
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Mỗi nơi nhận một dòng; để trống: nơi nhận thường dùng."),
    )

    def __init__(self, *args, report: AnnualReport, **kwargs) -> None:
        initial = {
            "version": report.version,
            "issued_on": report.issued_on,
            **{n: getattr(report, n) for n in NARRATIVE},
        }
        initial.update({f"n_{n.rule_id}": n.note for n in report.notes.all()})
        self.rows = []
        for value in report.values.select_related("indicator").order_by("indicator__order"):
            code = value.indicator.code
            initial[f"v_{code}"] = (
                value.text if value.indicator.aggregation == "text" else _plain(value.value)
            )
            initial[f"r_{code}"] = value.correction_reason
        super().__init__(*args, initial=initial, **kwargs)
        for value in report.values.select_related("indicator").order_by("indicator__order"):
            indicator: Indicator = value.indicator
            code = indicator.code
            if indicator.aggregation == "text":
                self.fields[f"v_{code}"] = forms.CharField(
                    label=indicator.label, required=False, widget=forms.Textarea({"rows": 3})
                )
            else:
                self.fields[f"v_{code}"] = forms.DecimalField(
                    label=indicator.label,
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    error_messages={"min_value": _("Số liệu không được là số âm.")},
                    widget=forms.NumberInput(
                        {"step": "any", "inputmode": "decimal", "data-figure": ""}
                    ),
                )
            if indicator.source == Source.COMPUTED:
                self.fields[f"r_{code}"] = forms.CharField(
                    label=_("Lý do điều chỉnh"),
                    required=False,
                    max_length=500,
                    widget=forms.TextInput({"placeholder": _("Lý do điều chỉnh (nếu sửa)")}),
                )
            self.rows.append(
                (
                    value,
                    self[f"v_{code}"],
                    self[f"r_{code}"] if f"r_{code}" in self.fields else None,
                )
            )
        # A note for each warning rule; the page shows those the figures break.
        warnings = ValidationRule.objects.filter(active=True, importance=Importance.WARNING)
        for rule in warnings:
            self.fields[f"n_{rule.pk}"] = forms.CharField(
                label=_("Giải trình"),
                required=False,
                max_length=1000,
                # Kept as typed while the rule panel around it is swapped (htmx).
                widget=forms.Textarea({"rows": 2, "hx-preserve": "true"}),
            )
        self._setup_signatory(report.area, report)

    def clean(self) -> dict:
        data = super().clean()
        self._clean_signatory(data)
        return data

    # The sections, then what the document is signed and sent with.
    SECTIONS = (
        "results",
        "limitations",
        "causes_subjective",
        "causes_objective",
        "lessons",
        "next_tasks",
        "proposals",
    )
    SENDING = ("number", "issued_on", "signatory", "signer", "signer_role", "recipients")

    def note_field(self, rule: ValidationRule):
        """The note field of a warning rule (None for an error rule)."""
        name = f"n_{rule.pk}"
        return self[name] if name in self.fields else None

    def notes(self) -> dict[int, str]:
        return {
            int(name[2:]): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("n_")
        }

    @property
    def narrative_fields(self):
        return [self[name] for name in self.SECTIONS]

    @property
    def sending_fields(self):
        return [self[name] for name in self.SENDING]

    def figures(self) -> dict[str, Figure]:
        data = self.cleaned_data
        result = {}
        for value, _field, _reason in self.rows:
            code = value.indicator.code
            if value.indicator.aggregation == "text":
                result[code] = Figure(value=None, text=data.get(f"v_{code}") or "")
            else:
                number = data.get(f"v_{code}")
                result[code] = Figure(
                    value=Decimal(number) if number is not None else None,
                    reason=data.get(f"r_{code}") or "",
                )
        return result

    def narrative(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in NARRATIVE}

    def issued_date(self) -> datetime.date | None:
        return self.cleaned_data.get("issued_on")


class ExceptionForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Area.objects.none())
    until = forms.DateField(label=_("Được nộp đến ngày"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, period: ReportingPeriod, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = period.filing_areas().order_by("path")


class SummaryForm(SignatoryMixin, forms.ModelForm):
    """The words and document details of the province's summary report; who signs it is
    chosen from the committee's members in office on its issue date."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    signatory = forms.ChoiceField(label=_("Người ký"), required=False)

    class Meta:
        model = SummaryReport
        fields = [
            "number",
            "issued_on",
            "signatory",
            "signer",
            "signer_role",
            "results",
            "limitations",
            "causes_subjective",
            "causes_objective",
            "lessons",
            "next_tasks",
            "proposals",
            "recipients",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "results": forms.Textarea({"rows": 8}),
            "limitations": forms.Textarea({"rows": 4}),
            "causes_subjective": forms.Textarea({"rows": 4}),
            "causes_objective": forms.Textarea({"rows": 4}),
            "lessons": forms.Textarea({"rows": 4}),
            "next_tasks": forms.Textarea({"rows": 6}),
            "proposals": forms.Textarea({"rows": 4}),
            "recipients": forms.Textarea({"rows": 4}),
        }
        help_texts = {
            "issued_on": _("Để trống khi chưa ký: ngày, tháng để trống trên văn bản."),
            "recipients": _(
                "Mỗi nơi nhận một dòng; dòng “Lưu …” của cơ quan ban hành được thêm khi thiếu."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._setup_signatory(self.instance.period.province, self.instance)

    def clean(self) -> dict:
        data = super().clean()
        self._clean_signatory(data)
        return data
