"""Areas get a search key: the short name without accents, in lower case, indexed for a
prefix search ("cao xanh" finds Phường Cao Xanh)."""

import unicodedata

from django.db import migrations, models


def _key(text):
    # As committees.models.areas.search_key at the time of this migration.
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def fill_search_names(apps, schema_editor):
    Area = apps.get_model("committees", "Area")
    areas = list(Area.objects.only("pk", "short_name"))
    for area in areas:
        area.search_name = _key(area.short_name)
    Area.objects.bulk_update(areas, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0011_committee_carried_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="area",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="area",
            index=models.Index(
                fields=["search_name"],
                name="area_search_name_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]
