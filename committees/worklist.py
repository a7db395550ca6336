"""The committees' share of the home page's work list: plan tasks past their deadline
and committee seats whose term ends soon, in the areas the user keeps."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Membership, PlanTask
from .platform.worklist import WorkGroup, WorkItem, first_and_count

TERM_NOTICE = datetime.timedelta(days=60)  # how far ahead an ending term is shown


def overdue_tasks(user, today: datetime.date) -> list[WorkGroup]:
    tasks = (
        PlanTask.objects.editable_by(user)
        .overdue(today)
        .select_related("plan__area")
        .order_by("deadline", "id")
    )
    rows, count = first_and_count(tasks)
    items = [
        WorkItem(
            title=task.title,
            url=task.get_absolute_url(),
            detail=f"{task.plan.area.name} · {task.responsible}",
            due=task.deadline,
            today=today,
        )
        for task in rows
    ]
    more = reverse("committees:task_list") + "?" + urlencode({"overdue": "true"})
    return [
        WorkGroup(
            "tasks", _("Nhiệm vụ kế hoạch quá hạn"), "list-check", count, items, more, order=40
        )
    ]


def ending_terms(user, today: datetime.date) -> list[WorkGroup]:
    seats = (
        Membership.objects.editable_by(user)
        .filter(committee__is_active=True, term_end__gte=today, term_end__lte=today + TERM_NOTICE)
        .select_related("committee")
        .order_by("term_end", "id")
    )
    rows, count = first_and_count(seats)
    items = [
        WorkItem(
            title=_("%(name)s, %(role)s: hết nhiệm kỳ ngày %(day)s")
            % {
                "name": seat.full_name,
                "role": seat.get_committee_role_display(),
                "day": date_format(seat.term_end, "SHORT_DATE_FORMAT"),
            },
            url=seat.committee.get_absolute_url(),
            detail=seat.committee.name,
            due=seat.term_end,
            today=today,
        )
        for seat in rows
    ]
    more = reverse("committees:committee_list")
    return [
        WorkGroup(
            "terms", _("Thành viên ban chỉ đạo sắp hết nhiệm kỳ"), "people", count, items, more, 50
        )
    ]


def work(user, today: datetime.date) -> list[WorkGroup]:
    return [*overdue_tasks(user, today), *ending_terms(user, today)]
