"""The portal's form renderer writes a select exactly as Django's widget templates do."""

import datetime

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
