"""Deployment checks of the portal's own configuration (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def broker_configured(app_configs, **kwargs) -> list[Warning]:
    """Without a broker, exports would render inside web workers and reminders never run."""
    if settings.CELERY_BROKER_URL:
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set: background tasks would run inside the web process "
            "and scheduled reminders would not run.",
            hint="Set CELERY_BROKER_URL (for example redis://redis:6379/0) in production.",
            id="qcdc.W001",
        )
    ]
