from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Kiểm tra, giám sát và đơn thư")

    def ready(self) -> None:
        from committees.context_processors import NAVIGATION, NavItem
        from committees.demo import DEMO_EXTENSIONS
        from committees.platform.worklist import register

        from . import worklist
        from .demo import seed

        if seed not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(seed)
        register(worklist.work)

        NAVIGATION.append(
            (
                _("Đơn thư"),
                "envelope-paper",
                [
                    NavItem(
                        _("Tình hình đơn thư"),
                        "speedometer2",
                        "inspections:petition_dashboard",
                        ("petition_dashboard",),
                    ),
                    NavItem(
                        _("Đơn thư"),
                        "envelope",
                        "inspections:petition_list",
                        (
                            "petition_list",
                            "petition_detail",
                            "petition_create",
                            "petition_update",
                            "petition_delete",
                        ),
                    ),
                    NavItem(
                        _("Tiếp công dân"),
                        "person-lines-fill",
                        "inspections:reception_list",
                        ("reception_",),
                    ),
                    NavItem(
                        _("Đối thoại"),
                        "chat-square-text",
                        "inspections:dialogue_list",
                        ("dialogue_",),
                    ),
                    NavItem(
                        _("Kiểm tra, giám sát"),
                        "search",
                        "inspections:inspection_list",
                        ("inspection_",),
                    ),
                ],
            )
        )
