"""Choice labels read from a table made once per field.

Django's ``get_FOO_display()`` builds the table of a field's choices at every call,
hashing each label — a lazy translation, so a translation each time. Lists, the period's
completeness and the menu ask it for every row; ``install`` replaces it, on the portal's
models, by the same lookup over a table made on first use (the labels stay lazy: each call
answers in the active language).
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _display(field: models.Field):
    labels: dict | None = None

    def display(self: models.Model):
        nonlocal labels
        if labels is None:
            labels = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        # force_str() to coerce lazy strings, as Django's does.
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display


def install(app_labels: tuple[str, ...]) -> None:
    """Each ``get_FOO_display`` Django made for a model of these apps, by ``_display``."""
    for model in apps.get_models():
        if model._meta.app_label not in app_labels:
            continue
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if (
                field.choices is None
                or isinstance(field.choices, CallableChoiceIterator)
                or not isinstance(method, partialmethod)
                or method.func is not models.Model._get_FIELD_display
                or method.keywords.get("field") is not field
            ):
                continue
            setattr(model, name, _display(field))
