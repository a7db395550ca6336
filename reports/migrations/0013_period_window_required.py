"""Every period has its window (filled by 0012), its start no later than its end."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0012_period_window"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalreportingperiod",
            name="window_end",
            field=models.DateField(
                blank=True,
                help_text="Để trống: ngày 14/12 năm báo cáo.",
                verbose_name="số liệu tính đến ngày",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreportingperiod",
            name="window_start",
            field=models.DateField(
                blank=True,
                help_text="Để trống: ngày 15/12 năm trước năm báo cáo.",
                verbose_name="số liệu tính từ ngày",
            ),
        ),
        migrations.AlterField(
            model_name="reportingperiod",
            name="window_end",
            field=models.DateField(
                blank=True,
                help_text="Để trống: ngày 14/12 năm báo cáo.",
                verbose_name="số liệu tính đến ngày",
            ),
        ),
        migrations.AlterField(
            model_name="reportingperiod",
            name="window_start",
            field=models.DateField(
                blank=True,
                help_text="Để trống: ngày 15/12 năm trước năm báo cáo.",
                verbose_name="số liệu tính từ ngày",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(("window_start__lte", models.F("window_end"))),
                name="period_window_start_before_end",
                violation_error_message="Ngày bắt đầu tính số liệu không được sau ngày kết thúc.",
            ),
        ),
    ]
