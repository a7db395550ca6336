"""The portal's form renderer writes a select exactly as Django's widget templates do."""

import datetime
import decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from qcdc_portal.renderers import PortalFormRenderer

CHOICES = [
    ("", "---------"),
    ("Miền Bắc", [("22", "Quảng Ninh <&>"), ("25", 'Phú "Thọ"')]),
    ("x", mark_safe("<b>đã an toàn</b>")),
    (7, 1234567),
    (datetime.date(2024, 12, 19), datetime.date(2024, 12, 19)),
    ("lazy", gettext_lazy("Tập huấn, tuyên truyền")),
    ("Trống", []),
]


class Disabling(forms.Select):
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"] == "25":
            option["attrs"]["disabled"] = True
        option["attrs"]["data-note"] = mark_safe("&amp;") if option["value"] == "x" else 'a"b'
        return option


WIDGETS = [
    (forms.Select(choices=CHOICES), "22"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True}), None),
    (forms.Select(choices=CHOICES, attrs={"hidden": False, "data-x": 0}), 7),
    (forms.SelectMultiple(choices=CHOICES), ["22", "x", "7"]),
    (forms.NullBooleanSelect(), True),
    (Disabling(choices=CHOICES), "25"),
    (forms.Select(choices=[]), ""),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_a_select_is_written_as_djangos_templates_write_it(widget, value, language):
    with translation.override(language):
        expected = widget.render("area", value, {"id": "id_area"}, renderer=DjangoTemplates())
        written = widget.render("area", value, {"id": "id_area"}, renderer=PortalFormRenderer())
    assert written == expected
    assert "<option" in expected or not widget.choices


def test_a_select_in_another_widget_template_is_written_the_same(db):
    """The area picker includes select.html in its own template."""
    from committees.platform.area_picker import AreaPicker

    widget = AreaPicker(choices=CHOICES)
    expected = widget.render("area", "22", renderer=DjangoTemplates())
    assert widget.render("area", "22", renderer=PortalFormRenderer()) == expected
    assert 'data-area-picker="form"' in expected


def test_options_of_another_template_are_left_to_the_templates():
    widget = forms.RadioSelect(choices=CHOICES)
    expected = widget.render("kind", "22", renderer=DjangoTemplates())
    assert widget.render("kind", "22", renderer=PortalFormRenderer()) == expected


SAFE = mark_safe("<b>an toàn</b> &amp;")
INPUTS = [
    (forms.TextInput(), 'Hạ Long <&> "x"'),
    (forms.TextInput(attrs={"class": "form-control", "required": True, "hidden": False}), ""),
    (forms.TextInput(attrs={"placeholder": gettext_lazy("Tìm kiếm"), "data-x": SAFE}), None),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), decimal.Decimal("1234.50")),
    (forms.NumberInput(), 0),
    (forms.NumberInput(), None),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2024, 12, 19)),
    (forms.EmailInput(), "a@b.vn"),
    (forms.PasswordInput(), "bí mật"),
    (forms.PasswordInput(render_value=True), "bí mật"),
    (forms.HiddenInput(), 7),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(), 'Kết quả <&> "năm"\nDòng hai'),
    (forms.Textarea(attrs={"rows": 3, "readonly": True}), ""),
    (forms.Textarea(), None),
    (forms.Textarea(), SAFE),
    (forms.Textarea(), 1234567),
    (forms.Textarea(), gettext_lazy("Tập huấn, tuyên truyền")),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("widget", "value"), INPUTS)
def test_an_input_or_text_area_is_written_as_djangos_templates_write_it(widget, value, language):
    with translation.override(language):
        expected = widget.render("figure", value, {"id": "id_f"}, renderer=DjangoTemplates())
        written = widget.render("figure", value, {"id": "id_f"}, renderer=PortalFormRenderer())
    assert written == expected
    assert "<input" in expected or "<textarea" in expected


def test_inputs_and_text_areas_are_written_in_python_not_by_the_templates(monkeypatch):
    """Not a template render that happens to match: the writers are the ones called, also
    for ``number.html`` and its kind, which include ``input.html``."""
    from qcdc_portal import renderers

    monkeypatch.setattr(renderers.InputTemplate, "write", staticmethod(lambda w: "INPUT"))
    monkeypatch.setattr(renderers.TextareaTemplate, "write", staticmethod(lambda w: "AREA"))
    renderer = PortalFormRenderer()
    assert forms.NumberInput().render("n", 1, renderer=renderer).startswith("INPUT")
    assert forms.TextInput().render("t", "x", renderer=renderer).startswith("INPUT")
    assert forms.Textarea().render("a", "x", renderer=renderer) == "AREA"
