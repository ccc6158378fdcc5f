"""What a notification says and where it leads, built when shown (so it is in the reader's language)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from koers.notifications.models import Reason


def headline(reason: str) -> str:
    return {
        Reason.ACTION_DUE: _("Tijd om te kijken hoe het gaat met uw actie"),
        Reason.QUESTIONNAIRE_WAITING: _("Er staat een vragenlijst voor u klaar"),
        Reason.APPOINTMENT_COMING: _("U heeft binnenkort een afspraak"),
        Reason.ALARMING_RESULT: _("Zorgelijke uitslag van een vragenlijst"),
        Reason.FOLLOW_UP_DUE: _("Vervolgafspraak nodig"),
        Reason.EVALUATION_DUE: _("Jaarlijkse evaluatie van het zorgplan nodig"),
        Reason.SCREENING_DUE: _("Jaarlijkse lichamelijke controle nodig"),
        Reason.DIARY_PROMPT: _("Tijd voor uw dagboekvragen"),
        Reason.MONITORING_SIGNAL: _("Een meting valt buiten de afspraak"),
    }.get(reason, _("Bericht"))


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def prepare(notifications) -> None:
    """Look up, for a page of notifications at once, what their links need (one query, not one
    per row): the questions of a diary prompt."""
    diary = {n.subject_id for n in notifications if n.reason == Reason.DIARY_PROMPT}
    if diary:
        from koers.monitoring.diary import entry_links

        links = entry_links(diary)
        for n in notifications:
            if n.reason == Reason.DIARY_PROMPT:
                n.diary_link = links.get(n.subject_id, "")


def link(notification) -> str:
    """Where the notification leads: the person's own page, or the professional's page about the person."""
    reason = notification.reason
    if reason == Reason.DIARY_PROMPT:
        if not hasattr(notification, "diary_link"):
            prepare([notification])
        return getattr(notification, "diary_link", "")
    if reason == Reason.MONITORING_SIGNAL:
        return _url("monitoring:overview", person_id=notification.person_id) or _url(
            "workspace:person", person_id=notification.person_id
        )
    if reason == Reason.SCREENING_DUE:
        return _url("screening:overview", person_id=notification.person_id)
    if reason == Reason.ACTION_DUE:
        return _url("goals:portal_goals")
    if reason == Reason.QUESTIONNAIRE_WAITING:
        return _url("questionnaires:portal_list")
    if reason == Reason.APPOINTMENT_COMING:
        return _url("consults:portal_prepare")
    return _url("workspace:person", person_id=notification.person_id)
