"""Every form of the committees app: the login, each kind of record, the import of
member units, and the committee's decisions and seats."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from .models import (
    AnnualPlan,
    Area,
    Commendation,
    CommitteeDecision,
    CommitteeRole,
    DemocracyActivity,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    SteeringCommittee,
    Training,
    TypicalModel,
    UnitEvent,
    VillageConvention,
)
from .platform.records import AreaChoiceField, ScopedModelForm, area_choices
from .platform.uploads import CheckedFileMixin
from .platform.widgets import DATE_WIDGET
from .services.committees import Seat
from .services.reorganisation import REASON_MAX_LENGTH, implied_targets, move_choices


class LoginForm(AuthenticationForm):
    """Django's login form, with its refusals spelled out in the portal's own words."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên."),
    }


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["area", "kind", "title", "held_on", "audience", "attendances", "papers", "notes"]
        widgets = {
            "held_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "attendances": {"min_value": _("Số lượt người tham dự không được là số âm.")},
            "papers": {"min_value": _("Số tham luận không được là số âm.")},
        }


class MemberUnitForm(ScopedModelForm):
    class Meta:
        model = MemberUnit
        fields = [
            "area",
            "kind",
            "name",
            "established_on",
            "dissolved_on",
            "regulation_issued",
            "regulation_date",
            "notes",
        ]
        widgets = {
            "established_on": DATE_WIDGET,
            "dissolved_on": DATE_WIDGET,
            "regulation_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class UnitEventForm(ScopedModelForm):
    """A unit's conference or workplace dialogue, among the units one may edit."""

    class Meta:
        model = UnitEvent
        fields = ["unit", "kind", "held_on", "participants", "notes"]
        widgets = {"held_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "participants": {"min_value": _("Số người tham dự không được là số âm.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = MemberUnit.objects.editable_by(self.user).select_related("area")
        self.fields["unit"].queryset = units.order_by("area__path", "name")
        self.fields["unit"].label_from_instance = lambda u: f"{u.name} ({u.area.name})"


class DemocracyActivityForm(ScopedModelForm):
    """An activity of grassroots democracy, on a commune in force on its day."""

    class Meta:
        model = DemocracyActivity
        fields = ["area", "kind", "subject", "held_on", "village", "method", "supervisor"]
        fields += ["participants", "counted_as", "outcome"]
        widgets = {"held_on": DATE_WIDGET, "outcome": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "participants": {"min_value": _("Số tham gia không được là số âm.")},
        }


class VillageConventionForm(ScopedModelForm):
    """A village convention as it was recognised."""

    class Meta:
        model = VillageConvention
        fields = ["area", "village", "kind", "name", "decision_number", "recognised_on"]
        fields += ["recognised_by", "notes"]
        widgets = {"recognised_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}


class DocumentForm(CheckedFileMixin, ScopedModelForm):
    class Meta:
        model = Document
        fields = ["area", "kind", "number", "issued_on", "issuer", "summary", "file"]
        widgets = {"issued_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 3})}


class CommitteeForm(ScopedModelForm):
    """A committee's own details; its members change only by a decision."""

    class Meta:
        model = SteeringCommittee
        fields = ["name", "standing_body", "regulation", "is_active"]


class PlanForm(ScopedModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["area", "year", "number", "title", "issued_on", "notes"]
        widgets = {"issued_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}


class TaskForm(ScopedModelForm):
    class Meta:
        model = PlanTask
        fields = ["plan", "title", "responsible", "deadline", "status", "completed_on"]
        fields += ["progress_note"]
        widgets = {
            "deadline": DATE_WIDGET,
            "completed_on": DATE_WIDGET,
            "progress_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plans = AnnualPlan.objects.editable_by(self.user).select_related("area")
        self.fields["plan"].queryset = plans.order_by("-year", "area__path", "number")


class TypicalModelForm(ScopedModelForm):
    class Meta:
        model = TypicalModel
        fields = ["area", "name", "field", "recognised_on", "recognised_by", "description"]
        fields += ["units"]
        widgets = {
            "recognised_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "units": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The units one sees, as in the API: the model's own rule (its units are units of
        # its area, ``TypicalModel.check_units``) is what narrows them, on both.
        units = MemberUnit.objects.visible_to(self.user).select_related("area")
        self.fields["units"].queryset = units.order_by("area__path", "name")
        self.fields["units"].label_from_instance = lambda u: f"{u.name} ({u.area.name})"
        self.fields["units"].help_text = _("Giữ Ctrl (⌘ trên máy Mac) để chọn nhiều đơn vị.")

    def clean(self):
        cleaned = super().clean()
        try:
            TypicalModel.check_units(cleaned.get("area"), cleaned.get("units") or [])
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


class CommendationForm(ScopedModelForm):
    class Meta:
        model = Commendation
        fields = ["area", "recipient", "recipient_kind", "award", "decision_number"]
        fields += ["awarded_on", "awarded_by", "achievement", "typical_model"]
        widgets = {"awarded_on": DATE_WIDGET, "achievement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        models_ = TypicalModel.objects.visible_to(self.user).order_by("name")
        self.fields["typical_model"].queryset = models_


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Các cột như tệp “Xuất Excel” của danh sách; tối đa 5 MB, 5.000 dòng."),
    )


class DecisionForm(CheckedFileMixin, forms.ModelForm):
    class Meta:
        model = CommitteeDecision
        fields = ["number", "signed_on", "summary", "file"]
        widgets = {"signed_on": DATE_WIDGET}

    def _post_clean(self) -> None:
        # The committee is not known yet: the services validate the whole decision.
        opts = self._meta
        self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)


class SeatForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    position = forms.CharField(label=_("Chức vụ"), max_length=255)
    organisation = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=255, required=False)
    committee_role = forms.ChoiceField(
        label=_("Chức danh trong BCĐ"), choices=CommitteeRole.choices
    )

    def seat(self) -> Seat:
        return Seat(**self.cleaned_data)


class NewSeatForm(SeatForm):
    """A row of the "new members" table: an empty row is simply not a member."""

    committee_role = forms.ChoiceField(
        label=_("Chức danh trong BCĐ"),
        choices=[("", "—"), *CommitteeRole.choices],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


NewSeatFormSet = forms.formset_factory(NewSeatForm, extra=3)


class CurrentSeatForm(SeatForm):
    """A sitting member in a consolidation: stays, changes role or position, or leaves."""

    membership = forms.IntegerField(widget=forms.HiddenInput)
    leaves = forms.BooleanField(label=_("Thôi tham gia"), required=False)
    full_name = None  # a person's name is not changed by a decision (see membership_update)


CurrentSeatFormSet = forms.formset_factory(CurrentSeatForm, extra=0)


class EstablishForm(forms.ModelForm):
    class Meta:
        model = SteeringCommittee
        fields = ["area", "name", "standing_body", "regulation"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoiceField(queryset=area_choices(user), label=_("Địa bàn"))

    def _post_clean(self) -> None:
        pass  # committee_establish validates the committee with its decision


class CarryOverForm(forms.Form):
    """Where a committee of an abolished unit goes on today's map, and under which name.
    The members come from the seat tables; the decision from ``DecisionForm``."""

    area = forms.ModelChoiceField(
        label=_("Đơn vị kế thừa"),
        queryset=Area.objects.none(),
        empty_label=None,
        help_text=_(
            "Đơn vị của bản đồ hiện hành đã tiếp nhận địa bàn này (với cấp huyện cũ: tỉnh, hoặc "
            "một xã, phường kế thừa)."
        ),
    )
    name = forms.CharField(
        label=_("Tên ban chỉ đạo"),
        max_length=255,
        required=False,
        help_text=_("Để trống: “Ban Chỉ đạo thực hiện dân chủ ở cơ sở” và tên đơn vị kế thừa."),
    )
    standing_body = forms.CharField(label=_("Cơ quan thường trực"), max_length=255, required=False)
    regulation = forms.CharField(
        label=_("Quy chế hoạt động"),
        max_length=255,
        required=False,
        help_text=_("Số, ngày ban hành"),
    )

    def __init__(self, *args, targets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = targets
        self.fields["area"].label_from_instance = lambda area: area.label


class MembershipForm(forms.ModelForm):
    """Correcting a member's details (a typo, a term's end); not a consolidation."""

    class Meta:
        model = Membership
        fields = ["full_name", "position", "organisation", "term_start", "term_end"]
        widgets = {"term_start": DATE_WIDGET, "term_end": DATE_WIDGET}


# --- the 2025 reorganisation, in the Area admin ------------------------------------------


def _area_choices(areas, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(a.pk), f"{a.label} — {a.code}") for a in areas)]


class MoveToHeirsForm(forms.Form):
    """The Area admin's move to successors: a target for each abolished unit selected
    (empty: the one its links imply, if any) and the reason the history keeps."""

    reason = forms.CharField(
        label=_("Lý do (ghi vào lịch sử thay đổi)"),
        max_length=REASON_MAX_LENGTH,
        initial=_("Sắp xếp đơn vị hành chính 2025: sang đơn vị kế thừa"),
        widget=forms.TextInput(attrs={"class": "vTextField", "size": 70}),
    )
    # The targets the listing shown was computed for: a changed choice is shown again
    # before anything moves, so what is confirmed is what was listed.
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)
    # The fingerprint of that listing (``MovePlan.digest``): a record added or moved since
    # is listed again, never moved unseen.
    listed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas: list[Area], heirs: dict[int, list[Area]], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.options: dict[int, dict[str, Area]] = {}
        for area in areas:
            allowed = move_choices(area, heirs[area.pk])
            self.options[area.pk] = {str(a.pk): a for a in allowed}
            self.fields[f"to_{area.pk}"] = forms.ChoiceField(
                label=area.label,
                choices=_area_choices(allowed, self._implied(area, heirs[area.pk])),
                required=False,
            )

    @staticmethod
    def _implied(area: Area, heirs: list[Area]) -> str:
        """What the empty choice does: what the links imply, or nothing."""
        records_to, units_to = implied_targets(area, heirs)
        if units_to is not None:
            return _("— theo liên kết kế thừa: %(area)s —") % {"area": units_to.name}
        if records_to is not None:
            return _("— bản ghi về %(area)s; đơn vị, phân quyền chờ chọn —") % {
                "area": records_to.name
            }
        return _("— chưa chọn: không chuyển —")

    def target_field(self, area: Area):
        return self[f"to_{area.pk}"]

    def chosen(self) -> dict[Area, Area | None]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            area: self.options[area.pk].get(data.get(f"to_{area.pk}") or "") for area in self.areas
        }

    def signature(self) -> str:
        return ",".join(f"{a.pk}:{to.pk if to else ''}" for a, to in self.chosen().items())

    @property
    def confirmed_as_listed(self) -> bool:
        return self.cleaned_data.get("previewed") == self.signature()


class SplitCommuneAttributionForm(forms.Form):
    """Where a split commune's records of before the reform count: all to one successor,
    and record by record (empty: as the whole commune)."""

    to = forms.ChoiceField(label=_("Cả xã tính cho"), required=False)
    reason = forms.CharField(
        label=_("Lý do (ghi vào lịch sử thay đổi)"),
        max_length=REASON_MAX_LENGTH,
        initial=_("Phân bổ số liệu của xã chia tách"),
        widget=forms.TextInput(attrs={"class": "vTextField", "size": 70}),
    )

    def __init__(self, *args, area: Area, heirs: list[Area], groups: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.heirs = {str(a.pk): a for a in heirs}
        self.fields["to"].choices = _area_choices(heirs, _("— chưa phân bổ —"))
        self.fields["to"].initial = area.attributed_to_id
        self.groups = groups
        for _model, rows in groups:
            for row in rows:
                self.fields[self._name(row)] = forms.ChoiceField(
                    label=str(row),
                    choices=_area_choices(heirs, _("— theo cả xã —")),
                    required=False,
                    initial=row.attributed_to_id,
                )

    @staticmethod
    def _name(row) -> str:
        return f"{row._meta.model_name}_{row.pk}"

    def rows(self) -> list[tuple[str, list[dict]]]:
        """By kind: each record, its date, where it counts now, and its field."""
        return [
            (
                model._meta.verbose_name_plural,
                [
                    {
                        "record": row,
                        "day": getattr(row, model.area_dates[0]),
                        "counts_for": row.attributed_to or self.area.attributed_to,
                        "field": self[self._name(row)],
                    }
                    for row in rows
                ],
            )
            for model, rows in self.groups
            if rows
        ]

    def target(self) -> Area | None:
        return self.heirs.get(self.cleaned_data["to"] or "")

    def records(self) -> dict:
        return {
            row: self.heirs.get(self.cleaned_data[self._name(row)] or "")
            for _model, rows in self.groups
            for row in rows
        }
