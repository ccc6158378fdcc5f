from __future__ import annotations


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_area": "anonymous"}
    if user.is_person:
        return {"nav_area": "portal"}
    # A relative's pages (issue #12): laypeople on a phone, the portal's large touch targets.
    return {"nav_area": "relative" if user.role == user.Role.RELATIVE else "workspace"}
