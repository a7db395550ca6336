"""A choice's label read from the table made once answers as Django's get_FOO_display."""

from functools import partialmethod

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from committees.models import Training
from inspections.models import Petition
from reports.models import AnnualReport

MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in ("committees", "inspections", "reports")
]


def _django_display(obj: models.Model, field: models.Field):
    return models.Model._get_FIELD_display(obj, field)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_choice_of_every_field_has_djangos_label(language):
    seen = 0
    with translation.override(language):
        for model in MODELS:
            for field in model._meta.fields:
                if field.choices is None:
                    continue
                for value in [v for v, _label in field.flatchoices] + ["not-a-choice", None]:
                    obj = model(**{field.attname: value})
                    shown = getattr(obj, f"get_{field.name}_display")()
                    assert shown == _django_display(obj, field)
                    assert type(shown) is type(_django_display(obj, field))
                    seen += 1
    assert seen > 100


def test_the_label_follows_the_active_language():
    training = Training(kind=Training._meta.get_field("kind").flatchoices[0][0])
    with translation.override("vi"):
        vi = training.get_kind_display()
    with translation.override("en"):
        en = training.get_kind_display()
    assert vi != en
    # Django's own (a partialmethod building the table at each call) was replaced.
    assert not isinstance(Training.__dict__["get_kind_display"], partialmethod)
    assert Petition.get_status_display is not AnnualReport.get_status_display
