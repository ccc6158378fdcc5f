"""Ask before an action on care data that one click must not do on its own.

The one pattern (docs/conventions.md, "No irreversible one-click actions"): the action's URL
answers a GET — and a POST without ``bevestigd=ja`` — with a confirmation page that says what
will happen and what stays. Its form posts to the same URL again with ``bevestigd=ja``; only
then does the view call the service. It works without JavaScript, and an old one-click form
that forgets the field lands on the question, never on the change.

Removing an agenda item uses the other half of the rule, "ongedaan maken" (undo): see
``koers.consults.services.agenda_item_restore``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render

FIELD = "bevestigd"
YES = "ja"
REASON = "reden"


def asks_first(view):
    """Mark a view that asks first (the registry ``tests/test_one_click_guard.py`` reads).

    The mark alone proves nothing: the guard test also posts to every marked URL without the
    answer and checks that the question comes back and nothing was written.
    """
    view.koers_asks_first = True
    return view


def is_confirmed(request) -> bool:
    """True only for a POST that carries the confirmation page's answer."""
    return request.method == "POST" and request.POST.get(FIELD) == YES


@dataclass(frozen=True)
class Question:
    """What the confirmation page asks. All texts are already translated."""

    title: str  # "Consult afzeggen?"
    consequence: str  # what happens, and what stays
    confirm_label: str  # "Ja, afzeggen"
    back_url: str
    hidden: dict = field(default_factory=dict)  # extra fields the action needs, posted again
    refusal: str = ""  # when the action cannot be done at all: said instead of the button
    # A required typed reason (field ``REASON``) on the page itself, e.g. ending a condition:
    # its label, help, and after a try without one the error and what was typed.
    reason_label: str = ""
    reason_help: str = ""
    reason_error: str = ""
    reason: str = ""
    reason_optional: bool = False  # the reason field may stay empty


def confirm_page(request, *, person, question: Question, active_tab: str = "", portal: bool = False):
    """The confirmation page on a professional's page about a person, under the person's tabs,
    or (``portal=True``) on the person's own page, without them (status 200, so the page
    decorator logs the READ row)."""
    context = {
        "person": person,
        "portal": portal,
        "question": question,
        "active_tab": active_tab,
        "action_url": request.path,
        "confirm_field": FIELD,
        "confirm_value": YES,
        "reason_field": REASON,
    }
    return render(request, "confirm.html", context)
