"""The crisis plan on paper: one A4 page, and the pocket crisis card (crisiskaart, A7, front and
back: the essentials — early signs, what helps, whom to call). Both through
``koers.lib.pdf.sheet_pdf`` (fpdf2), which shrinks the type until the sheet fits.

``filed_document``: "Vastleggen als document" (issue #17): the plan as it is now, as the next
version of the person's "Crisisplan" document (``koers.people.hooks.document_made``), in the
person's language, with who changed it last and who filed it. The same plan filed twice is one
version (``version_origin`` carries a fingerprint of its words).
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.crisisplans.models import Phase
from koers.crisisplans.selectors import PlanView
from koers.lib.pdf import sheet_pdf
from koers.people.hooks import MadeDocument, document_language

NBSP = "\u00a0"
CARD_PAGE = (74, 105)  # A7: fits a wallet or a phone case


def _contacts(phase) -> list[str]:
    """Whom to call; the number's spaces are non-breaking, so a number never splits over two
    lines of the small pocket card (where someone in crisis has to read it)."""
    return [
        f"{c['name']}{' (' + c['relation'] + ')' if c['relation'] else ''}: {c['phone'].replace(' ', NBSP)}"
        for c in phase.contacts
    ]


def _labelled(label: str, items) -> list[str]:
    return [f"{label} {'; '.join(items)}"] if items else []


def phase_lines(phase) -> list[str]:
    return [
        *_labelled(_("Signalen:"), [s.text for s in phase.signs]),
        *_labelled(_("Dit kan het uitlokken:"), phase.triggers),
        *_labelled(_("Dit doe ik zelf:"), phase.self_care),
        *_labelled(_("Dit mogen anderen doen:"), phase.others_do),
        *_labelled(_("Dit liever niet doen:"), phase.others_avoid),
        *_labelled(_("Bellen:"), _contacts(phase)),
    ]


def agreement_lines(view: PlanView) -> list[str]:
    labels = (
        ("takeover", _("Wie mag wat overnemen:")),
        ("medication_wishes", _("Medicijnen:")),
        ("where_to_go", _("Waar naartoe:")),
        ("care_for_others", _("Kinderen of huisdieren:")),
    )
    return [f"{label} {view.agreements[f]}" for f, label in labels if view.agreements[f]]


def plan_sections(view: PlanView) -> list[tuple[str, list[str]]]:
    sections = [(p.label, phase_lines(p) or [_("Nog niets ingevuld.")]) for p in view.phases]
    return [*sections, (_("Afspraken vooraf"), agreement_lines(view) or [_("Nog niets ingevuld.")])]


def card_sections(view: PlanView) -> list[tuple[str, list[str]]]:
    """The essentials: early signs and what helps, then in a crisis whom to call."""
    early, crisis = view.phase(Phase.EARLY_SIGNS), view.phase(Phase.CRISIS)
    sections = [
        (_("Vroege signalen"), [s.text for s in early.signs]),
        (_("Wat helpt"), [*early.self_care, *early.others_do]),
        (_("Liever niet"), [*early.others_avoid, *crisis.others_avoid]),
        (_("Bij een crisis: bel"), _contacts(crisis) + _contacts(early)),
    ]
    return [(heading, [f"\u2022 {line}" for line in lines]) for heading, lines in sections if lines]


def _response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "crisisplan"}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _footer() -> str:
    return _("Gemaakt op %(date)s met Koers.") % {"date": date_format(timezone.localtime(), "j F Y")}


def plan_pdf_response(person, view: PlanView) -> HttpResponse:
    title = _("Crisisplan van %(name)s") % {"name": person.full_name}
    content = sheet_pdf(title=title, sections=plan_sections(view), footer=_footer())
    return _response(content, _("crisisplan"))


def card_pdf_response(person, view: PlanView) -> HttpResponse:
    title = _("Crisiskaart van %(name)s") % {"name": person.full_name}
    content = sheet_pdf(title=title, sections=card_sections(view), footer=_footer(), page=CARD_PAGE, margin=5, pages=2)
    return _response(content, _("crisiskaart"))


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


def filed_document(person, view: PlanView, *, actor) -> MadeDocument:
    """The plan as it is now as the next version of the person's "Crisisplan" document, shared
    with the person; a reader needs the crisis plan's category."""
    language = document_language(person)
    with translation.override(language):
        title = _("Crisisplan van %(name)s") % {"name": person.full_name}
        sections = plan_sections(view)
        words = "\n".join([title, *(f"{h}\n" + "\n".join(lines) for h, lines in sections)])
        document_title = _("Crisisplan, vastgelegd op %(date)s") % {"date": date_format(timezone.localtime(), "j F Y")}

    def render(number: int) -> bytes:
        with translation.override(language):
            changed = ""
            if view.plan is not None:
                changed = _("Laatst veranderd op %(date)s door %(who)s.") % {
                    "date": date_format(timezone.localtime(view.plan.updated_at), "j F Y"),
                    "who": _name(view.plan.updated_by),
                }
            footer = _("Versie %(number)s, vastgelegd op %(date)s door %(who)s. Gemaakt met Koers.") % {
                "number": number,
                "date": date_format(timezone.localtime(), "j F Y"),
                "who": _name(actor),
            }
            return sheet_pdf(title=title, sections=sections, footer=f"{changed} {footer}".strip(), pages=2)

    plan_id = view.plan.pk if view.plan is not None else 0
    return MadeDocument(
        origin=f"crisisplans.CrisisPlan:{plan_id}",
        version_origin=f"crisisplans.CrisisPlan:{plan_id}:{hashlib.sha256(words.encode()).hexdigest()[:16]}",
        kind="crisis_plan",
        title=document_title,
        document_date=timezone.localdate(),
        source=_name(actor),
        categories=("crisis_plan",),
        shared_with_person=True,
        render=lambda: render(1),
        render_numbered=render,
    )
