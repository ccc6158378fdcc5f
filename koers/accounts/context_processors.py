from __future__ import annotations


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_area": "anonymous"}
    return {"nav_area": "portal" if user.is_person else "workspace"}
