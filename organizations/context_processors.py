from typing import Any

from django.http import HttpRequest

from organizations.access import primary_role, sees_all_units


def role(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_role": primary_role(user), "user_sees_all_units": sees_all_units(user)}
