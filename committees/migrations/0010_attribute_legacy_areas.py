"""Databases loaded before the attribution existed: say where each legacy unit's records
count on today's map, as ``services.areas._attribute_implied`` does for new loads (the
rule is repeated here, frozen as of this migration)."""

from django.db import migrations


def attribute(apps, schema_editor):
    Area = apps.get_model("committees", "Area")
    through = Area.successors.through
    successors = {}
    for old, new in through.objects.values_list("from_area_id", "to_area_id"):
        successors.setdefault(old, []).append(new)
    legacy = Area.objects.filter(structure="legacy", attributed_to__isnull=True)
    province_heirs = {
        pk: (successors.get(pk) or [None])[0]
        for pk in Area.objects.filter(structure="legacy", level="province").values_list(
            "pk", flat=True
        )
    }
    targets = {}
    for pk, level, parent in legacy.values_list("pk", "level", "parent_id"):
        heirs = successors.get(pk, [])
        if len(heirs) == 1:
            targets[pk] = heirs[0]
        elif level == "district" and not heirs and province_heirs.get(parent):
            targets[pk] = province_heirs[parent]
    by_target = {}
    for pk, target in targets.items():
        by_target.setdefault(target, []).append(pk)
    for target, pks in by_target.items():
        Area.objects.filter(pk__in=pks).update(attributed_to_id=target)


class Migration(migrations.Migration):
    dependencies = [("committees", "0009_map_of_today")]

    operations = [migrations.RunPython(attribute, migrations.RunPython.noop)]
