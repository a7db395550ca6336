"""The portal's form renderer: Django's, with its <select>, <input> and <textarea> written
in Python.

Django renders a select by including a template for every option (``select_option.html``,
which includes ``attrs.html``): an administrator's area select has some 700 options, and
rendering them was most of a record form's time. A report's form has some 115 inputs and
text areas, each a template that includes ``attrs.html`` and loops over the attributes:
45 % of the form's time (67 ms on national data). Here the templates
``django/forms/widgets/select.html``, ``input.html`` (which ``number.html``, ``text.html``,
``date.html``… include) and ``textarea.html`` — rendered by this renderer or included by
another widget template (the area picker's) — write the same bytes from Python: the same
escaping, localisation and attribute rules as the templates. A select whose options use
another template, or a context without autoescaping, is rendered by the templates as
before.
"""

from __future__ import annotations

from pathlib import Path

from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.template.base import Template
from django.template.loaders import cached
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
INPUT_TEMPLATE = "django/forms/widgets/input.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _value(value) -> str:
    """``{{ value }}``: as ``render_value_in_context`` writes it with autoescaping."""
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: as text, kept unescaped only if it was safe."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = str(value)  # "%s" % value
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_value(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    """``django/forms/widgets/select.html`` of a widget's context, byte for byte."""
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return SafeString("".join(parts))


def render_input(widget: dict) -> str:
    """``django/forms/widgets/input.html`` of a widget's context, byte for byte."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return SafeString(
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def render_textarea(widget: dict) -> str:
    """``django/forms/widgets/textarea.html`` of a widget's context, byte for byte."""
    value = widget["value"]
    text = _value(value) if value else ""
    return SafeString(
        f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>\n'
    )


def _plain(widget) -> bool:
    """Whether every option of the widget uses Django's option template."""
    try:
        return all(
            option["template_name"] == OPTION_TEMPLATE
            for _name, group, _index in widget["optgroups"]
            for option in group
        )
    except (KeyError, TypeError, ValueError):
        return False


class WidgetTemplate(Template):
    """A widget template written by a function of the widget's context (``write``), where
    the context is a widget's that the function can write (``writes``) and escapes as the
    templates do; otherwise rendered by the template."""

    write: staticmethod

    @staticmethod
    def writes(widget: dict) -> bool:
        return True

    def render(self, context):
        widget = context.get("widget")
        if context.autoescape and isinstance(widget, dict) and self.writes(widget):
            try:
                return self.write(widget)
            except KeyError:  # not the context these templates are written for
                pass
        return super().render(context)


class SelectTemplate(WidgetTemplate):
    write = staticmethod(render_select)
    writes = staticmethod(_plain)


class InputTemplate(WidgetTemplate):
    write = staticmethod(render_input)


class TextareaTemplate(WidgetTemplate):
    write = staticmethod(render_textarea)


WRITTEN = {
    SELECT_TEMPLATE: SelectTemplate,
    INPUT_TEMPLATE: InputTemplate,
    TEXTAREA_TEMPLATE: TextareaTemplate,
}


class Loader(cached.Loader):
    """The cached loader, handing out the templates of ``WRITTEN`` as their classes."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if template_name in WRITTEN and type(template) is Template:
            # The cached instance itself, so that it is changed once.
            template.__class__ = WRITTEN[template_name]
        return template


class PortalFormRenderer(DjangoTemplates):
    """Django's default form renderer (``DjangoTemplates``: Django's widget templates and
    the apps' templates), its selects written by ``render_select``."""

    backend = DjangoTemplatesBackend

    @cached_property
    def engine(self):
        import django.forms

        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {
                    "loaders": [
                        (
                            "qcdc_portal.renderers.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ]
                },
            }
        )
