"""A reporting period's data window (Nghị định 09/2019/NĐ-CP, Điều 12): the days whose
records its figures count. Every existing period (and its history rows) gets the default,
15/12 of the previous year to 14/12 of the year reported; 0013 then requires it.

A report already submitted or accepted keeps the figures it was frozen with; a draft or
returned report reads its computed figures over the window when it is next opened."""

import datetime

from django.db import migrations, models


def fill(apps, schema_editor):
    for name in ("ReportingPeriod", "HistoricalReportingPeriod"):
        model = apps.get_model("reports", name)
        for row in model.objects.filter(window_start__isnull=True).only("pk", "year"):
            row.window_start = datetime.date(row.year - 1, 12, 15)
            row.window_end = datetime.date(row.year, 12, 14)
            row.save(update_fields=["window_start", "window_end"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_democracy_indicators")]

    operations = [
        migrations.AddField(
            model_name=model,
            name=name,
            field=models.DateField(null=True, blank=True, verbose_name=label, help_text=help_text),
        )
        for model in ("reportingperiod", "historicalreportingperiod")
        for name, label, help_text in (
            (
                "window_start",
                "số liệu tính từ ngày",
                "Để trống: ngày 15/12 năm trước năm báo cáo.",
            ),
            ("window_end", "số liệu tính đến ngày", "Để trống: ngày 14/12 năm báo cáo."),
        )
    ] + [migrations.RunPython(fill, migrations.RunPython.noop)]
