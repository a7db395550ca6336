"""Install the default indicator catalogue (reports/catalogue.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from reports.catalogue import install_default_catalogue

    install_default_catalogue(apps.get_model("reports", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
