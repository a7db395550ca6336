"""What the base layout needs on every page: the user's roles, for the navigation."""

from django.http import HttpRequest

from .models import EDITOR_ROLES, Role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignments = user.role_assignments()
    roles = {a.role for a in assignments}
    return {
        "nav_assignments": assignments,
        "nav_can_edit": user.is_superuser or bool(roles & EDITOR_ROLES),
        "nav_is_petition_officer": Role.PETITION_OFFICER in roles,
    }
