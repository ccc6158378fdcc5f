"""What a notification says and where it leads, built when shown (so it is in the reader's language).

The words and the link of each reason come from its source (``sources.ReminderSource``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from koers.notifications import sources


def headline(reason: str) -> str:
    source = sources.source_for(reason)
    return str(source.headline) if source is not None else _("Bericht")


def url(name: str, **kwargs) -> str:
    """``reverse`` that answers "" for a page that does not exist (an app left out)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def person_page(notification) -> str:
    """The professional's page about the person: where a notification leads by default."""
    return url("workspace:person", person_id=notification.person_id)


def prepare(notifications) -> None:
    """Look up, for a page of notifications at once, what their links need (one query per
    reason that needs one, not one per row)."""
    by_reason: dict[str, list] = {}
    for n in notifications:
        by_reason.setdefault(n.reason, []).append(n)
    for reason, group in by_reason.items():
        source = sources.source_for(reason)
        if source is not None and source.prepare is not None:
            source.prepare(group)


def link(notification) -> str:
    """Where the notification leads: the person's own page, or the professional's page about the person."""
    source = sources.source_for(notification.reason)
    if source is None or source.link is None:
        return person_page(notification)
    return source.link(notification)
