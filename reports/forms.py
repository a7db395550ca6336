"""Forms of the reporting cycle."""

from __future__ import annotations

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
    Source,
    SummaryReport,
    ValidationRule,
)
from .services import NARRATIVE, Figure


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["province", "year", "opens_on", "due_on", "closed_on"]
        widgets = {"opens_on": DATE_WIDGET, "due_on": DATE_WIDGET, "closed_on": DATE_WIDGET}
        help_texts = {"closed_on": _("Để trống khi kỳ còn mở.")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        provinces = Area.objects.editable_by(user).filter(level=Level.PROVINCE)
        self.fields["province"].queryset = provinces.order_by("-structure", "name")
        self.fields["province"].label_from_instance = lambda area: area.label
        if self.instance.pk:
            self.fields["province"].disabled = True
            self.fields["year"].disabled = True


def _plain(number: Decimal | None) -> Decimal | int | None:
    """120 rather than 120.00 in the form; decimals only when there are some."""
    if number is not None and number == number.to_integral_value():
        return int(number)
    return number


class ReportForm(forms.Form):
    """The filing form: one field per figure (and a reason where a computed figure is
    changed), the narrative sections, and the version the user opened."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    results = forms.CharField(
        label=_("Kết quả đạt được"), required=False, widget=forms.Textarea({"rows": 5})
    )
    limitations = forms.CharField(
        label=_("Hạn chế"), required=False, widget=forms.Textarea({"rows": 3})
    )
    causes = forms.CharField(
        label=_("Nguyên nhân"), required=False, widget=forms.Textarea({"rows": 3})
    )
    lessons = forms.CharField(
        label=_("Bài học kinh nghiệm"), required=False, widget=forms.Textarea({"rows": 3})
    )
    next_tasks = forms.CharField(
        label=_("Nhiệm vụ năm tới"), required=False, widget=forms.Textarea({"rows": 4})
    )
    number = forms.CharField(
        label=_("Số văn bản"),
        required=False,
        max_length=40,
        help_text=_("Ví dụ: 45-BC/BCĐ; để trống nếu chưa có số."),
    )
    signer = forms.CharField(
        label=_("Người ký"),
        required=False,
        max_length=120,
        help_text=_("Để trống: Trưởng ban Ban Chỉ đạo theo danh sách thành viên."),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Mỗi nơi nhận một dòng; để trống: nơi nhận thường dùng."),
    )

    def __init__(self, *args, report: AnnualReport, **kwargs) -> None:
        initial = {"version": report.version, **{n: getattr(report, n) for n in NARRATIVE}}
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
        return [self[name] for name in NARRATIVE]

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


class ExceptionForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Địa bàn"), queryset=Area.objects.none())
    until = forms.DateField(label=_("Được nộp đến ngày"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, period: ReportingPeriod, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = period.filing_areas().order_by("path")


class SummaryForm(forms.ModelForm):
    """The words and document details of the province's summary report."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SummaryReport
        fields = [
            "number",
            "issued_on",
            "signer",
            "results",
            "limitations",
            "causes",
            "lessons",
            "next_tasks",
            "recipients",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "results": forms.Textarea({"rows": 8}),
            "limitations": forms.Textarea({"rows": 4}),
            "causes": forms.Textarea({"rows": 4}),
            "lessons": forms.Textarea({"rows": 4}),
            "next_tasks": forms.Textarea({"rows": 6}),
            "recipients": forms.Textarea({"rows": 4}),
        }
        help_texts = {"issued_on": _("Để trống khi chưa ký: ngày, tháng để trống trên văn bản.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
