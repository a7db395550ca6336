from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "committees"
    verbose_name = _("Ban chỉ đạo và địa bàn")

    def ready(self) -> None:
        from qcdc_portal import checks  # noqa: F401 - registers the deployment checks

        from . import worklist
        from .platform import choices
        from .platform.history import record_cleared_links
        from .platform.worklist import register

        record_cleared_links()
        register(worklist.work)
        choices.install(("committees", "inspections", "reports"))
