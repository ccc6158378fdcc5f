"""The unread count in a relative's menu (issue #13).

Only for a relative: their menu has few entries and the inbox is where meeting messages arrive.
The count is filtered exactly like the inbox (``selectors.unread_count``, through the access
layer), so it never counts a message the inbox would hide. It shows a number, no person's data,
so it writes no log row; opening the inbox does (one READ row per person shown).
"""

from __future__ import annotations

from koers.notifications import selectors


def relative_unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_relative:
        return {}
    return {"relative_unread": selectors.unread_count(user)}
