"""The petition statistics as an inspectorate reports them (reports/catalogue.py, from
inspections/statistics.py): carried over, accepted, forwarded, not accepted, to resolve,
resolved on time, by kind and round, outstanding; "Đơn thư đã giải quyết" counts the
petitions resolved in the period (no longer those received in it and resolved today), and
the resolution rate divides it by the petitions to resolve (carried over and accepted). The
default validation rules over these codes come with them (reports/rules.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.catalogue import install_default_catalogue
    from reports.rules import install_default_rules

    indicators = apps.get_model("reports", "Indicator")
    install_default_catalogue(indicators)
    install_default_rules(apps.get_model("reports", "ValidationRule"), indicators)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0013_period_window_required"),
        ("inspections", "0007_petition_round_and_settled"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
