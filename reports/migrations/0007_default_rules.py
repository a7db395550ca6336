"""Install the default validation rules (reports/rules.py) whose codes the catalogue has."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.rules import install_default_rules

    install_default_rules(
        apps.get_model("reports", "ValidationRule"), apps.get_model("reports", "Indicator")
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_validation_rules")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
