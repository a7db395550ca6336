"""Every model in the admin opens for the administrator: its list, and the page of one
record where there is one (the indicator catalogue is edited there)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_record_opens(login, administrator, accepted_period):
    client = login(administrator)
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        first = model.objects.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


def test_the_indicator_catalogue_is_edited_in_the_admin(login, administrator, quang_ninh):
    from reports.models import Indicator

    client = login(administrator)
    indicator = Indicator.objects.get(code="village_conventions")
    page = client.get(reverse("admin:reports_indicator_change", args=[indicator.pk]))
    assert "Hương ước, quy ước được công nhận" in page.text
