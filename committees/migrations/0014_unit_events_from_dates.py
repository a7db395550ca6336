"""Every day a unit's conference or dialogue was recorded on becomes an event of its own.

A unit kept one date of each (the latest), which a new one overwrote. The days are read
from the unit and from every version of it in its change history, so that a conference
a later date overwrote comes back as an event too; each event gets a "+" history row that
says where it came from. Reversed, each unit gets back its latest event of each kind."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

FIELDS = {"conference": "conference_held_on", "dialogue": "dialogue_held_on"}
REASON = "Chuyển từ ngày hội nghị, đối thoại ghi trên đơn vị"


def recorded_days(apps) -> set[tuple[int, str, object]]:
    """(unit, kind, day) of every date a unit that still exists held, now or before."""
    units = apps.get_model("committees", "MemberUnit")
    versions = apps.get_model("committees", "HistoricalMemberUnit")
    living = set(units.objects.values_list("pk", flat=True))
    days = set()
    for kind, field in FIELDS.items():
        for rows in (units.objects, versions.objects):
            dated = rows.filter(**{f"{field}__isnull": False}).values_list("id", field)
            days |= {(unit, kind, day) for unit, day in dated if unit in living}
    return days


def events_from_dates(apps, schema_editor):
    events = apps.get_model("committees", "UnitEvent")
    history = apps.get_model("committees", "HistoricalUnitEvent")
    known = set(events.objects.values_list("unit_id", "kind", "held_on"))
    created = events.objects.bulk_create(
        [
            events(unit_id=unit, kind=kind, held_on=day)
            for unit, kind, day in sorted(recorded_days(apps) - known)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                id=event.pk,
                unit_id=event.unit_id,
                kind=event.kind,
                held_on=event.held_on,
                participants=None,
                notes="",
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for event in created
        ],
        batch_size=1000,
    )


def dates_from_events(apps, schema_editor):
    units = apps.get_model("committees", "MemberUnit")
    events = apps.get_model("committees", "UnitEvent")
    for kind, field in FIELDS.items():
        latest = events.objects.filter(kind=kind).values("unit_id").annotate(day=Max("held_on"))
        by_day = {}
        for row in latest:
            by_day.setdefault(row["day"], []).append(row["unit_id"])
        for day, unit_ids in by_day.items():
            units.objects.filter(pk__in=unit_ids).update(**{field: day})


class Migration(migrations.Migration):
    dependencies = [("committees", "0013_unit_events")]

    operations = [migrations.RunPython(events_from_dates, dates_from_events)]
