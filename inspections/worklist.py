"""The petitions' share of the home page's work list: open petitions whose legal deadline
is within three working days or past, most urgent first."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from committees.platform.worklist import SHOWN, WorkGroup, WorkItem, first_and_count

from .models import Petition, step_due_on


def work(user, today: datetime.date) -> list[WorkGroup]:
    due = Petition.objects.editable_by(user).due_soon(today)
    # The first ones are chosen by their ids from the index alone, then read with their
    # areas: a province has thousands due, and only these few rows are read in full.
    first = (
        Petition.objects.filter(pk__in=due.values("pk")[: SHOWN + 1])
        .select_related("area")
        .order_by(step_due_on().asc(), "id")
    )
    rows, count = first_and_count(first, count=due)
    items = [
        WorkItem(
            # The subject, not the petitioner: a denouncer's name stays on the petition.
            title=_("%(kind)s nhận ngày %(day)s: %(subject)s")
            % {
                "kind": petition.get_kind_display(),
                "day": date_format(petition.received_on, "SHORT_DATE_FORMAT"),
                "subject": Truncator(petition.subject).chars(90),
            },
            url=petition.get_absolute_url(),
            detail=f"{petition.area.name} · {petition.get_status_display()}",
            due=petition.due_on,
            today=today,
        )
        for petition in rows
    ]
    more = reverse("inspections:petition_list") + "?" + urlencode({"state": "due_soon"})
    title = _("Đơn thư đến hạn trong 3 ngày làm việc hoặc quá hạn")
    return [WorkGroup("petitions", title, "envelope-exclamation", count, items, more, order=30)]
