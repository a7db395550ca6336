"""The indicators of the 2022 law's democracy in the communes (activities of each kind,
and those taking part as households and as people), the units that held a workplace
dialogue, and the village conventions recognised counted from their records instead of
typed by hand (reports/catalogue.py).

A figure of village conventions a report holds is kept as it was typed. A report that
is still being written (draft, returned) gets the reason that says where the figure came
from: once its figures are read from the records again, it reads as any corrected
figure, the records' count beside the typed one, and it can be saved and submitted as it
is. A submitted or accepted report is frozen and keeps its figure untouched. Each row
changed gets its history row."""

from django.db import migrations
from django.utils import timezone

REASON = "Số nhập tay trước khi chỉ tiêu được tính từ hồ sơ hương ước, quy ước"
EDITABLE = ("draft", "returned")


def install(apps, schema_editor):
    from reports.catalogue import install_default_catalogue

    install_default_catalogue(apps.get_model("reports", "Indicator"))


def keep_typed_conventions(apps, schema_editor):
    values = apps.get_model("reports", "ReportValue")
    history = apps.get_model("reports", "HistoricalReportValue")
    typed = list(
        values.objects.filter(
            indicator__code="village_conventions",
            value__isnull=False,
            correction_reason="",
            report__status__in=EDITABLE,
        )
    )
    for row in typed:
        row.correction_reason = REASON
    values.objects.bulk_update(typed, ["correction_reason"], batch_size=1000)
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                id=row.pk,
                report_id=row.report_id,
                indicator_id=row.indicator_id,
                computed=row.computed,
                value=row.value,
                text=row.text,
                correction_reason=row.correction_reason,
                history_date=now,
                history_type="~",
                history_change_reason="Chỉ tiêu hương ước, quy ước tính từ hồ sơ",
            )
            for row in typed
        ],
        batch_size=1000,
    )


def typed_again(apps, schema_editor):
    """Reversed: village conventions typed by hand again (the new indicators stay, as
    ``install_default_catalogue`` never deletes)."""
    indicators = apps.get_model("reports", "Indicator")
    indicators.objects.filter(code="village_conventions").update(source="manual")
    values = apps.get_model("reports", "ReportValue")
    values.objects.filter(
        indicator__code="village_conventions", correction_reason=REASON
    ).update(correction_reason="")


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_document_sections_and_signer")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop),
                  migrations.RunPython(keep_typed_conventions, typed_again)]
