from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from committees.context_processors import NAVIGATION, NavItem
        from committees.demo import DEMO_EXTENSIONS
        from committees.platform.worklist import register

        from . import worklist
        from .demo import seed
        from .drilldown import register as register_figures

        register_figures()  # each computed indicator, to the record lists (its records)

        if seed not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(seed)  # after the inspections' demo (INSTALLED_APPS order)
        register(worklist.work)

        NAVIGATION.append(
            (
                None,
                "",
                [
                    NavItem(
                        pgettext_lazy("menu", "Báo cáo năm"),
                        "journal-text",
                        "reports:period_list",
                        ("period_", "report_"),
                    )
                ],
            )
        )
