"""Two of Koers's own PDFs for the person's record (issue #17): the report of a consult and the
yearly evaluation. They live here, not in their own apps, because the consult's report prints
what was decided and set as goals and actions in it: koers.decisions and koers.goals sit above
koers.consults, and followup sits above all three (.importlinter).

Both are announced with ``koers.people.hooks.document_made``; koers.documents files them
(docs/documents.md, "Koers's own documents"). Made in the person's language, with one font for
every name (``koers.lib.pdf``, DejaVu Sans).

- The consult report: the person's name, the consult's date and kind, who was there, the
  agenda (status and what was discussed), the summary, the decisions of that consult (what was
  chosen, why, and who agreed) and the goals and actions made from them or on that day. One
  document per consult; filing it again files a new version only when the content changed
  (``version_origin`` carries a fingerprint of the text).
- The yearly evaluation: its date, who took part, what went well, what should change, the
  person's own words and who recorded it. One document per evaluation, filed when it is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from koers import access
from koers.consults.models import AgendaItem, Consult
from koers.decisions.models import SharedDecision
from koers.goals.models import Action as GoalAction
from koers.goals.models import Goal
from koers.lib.pdf import report_pdf
from koers.people.hooks import MadeDocument, document_language

Section = tuple[str, list[str]]


def name_of(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def fingerprint(title: str, intro: str, sections: list[Section]) -> str:
    """A short digest of the words (not the PDF bytes, which hold the time they were made)."""
    text = "\n".join([title, intro, *(f"{h}\n" + "\n".join(lines) for h, lines in sections)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _numbered_footer(number: int, filed_by) -> str:
    return _("Versie %(number)s, vastgelegd op %(date)s door %(who)s. Gemaakt met Koers.") % {
        "number": number,
        "date": date_format(timezone.localtime(), "j F Y"),
        "who": name_of(filed_by),
    }


# --- the consult's report ---------------------------------------------------------------------


def _agenda_lines(consult: Consult) -> list[str]:
    lines = []
    for item in AgendaItem.objects.filter(consult=consult).order_by("priority", "id"):
        line = f"\u2022 {item.title} ({item.get_status_display()})"
        lines.append(f"{line}: {item.discussion_notes}" if item.discussion_notes else line)
    return lines


def _decision_line(decision: SharedDecision, person) -> str:
    line = f"\u2022 {decision.question} ({decision.get_status_display()})"
    if decision.chosen_option_id:
        line += " " + _("Gekozen: %(option)s.") % {"option": decision.chosen_option.title}
    if decision.rationale:
        line += " " + _("Waarom: %(why)s") % {"why": decision.rationale}
    if decision.person_agreed:
        line += " " + _("%(name)s stemde hiermee in.") % {"name": person.full_name}
    elif decision.left_to_professional:
        line += " " + _("%(name)s liet de keuze over aan de zorgverlener.") % {"name": person.full_name}
    if decision.decided_by_id:
        line += " " + _("Besloten door %(who)s.") % {"who": name_of(decision.decided_by)}
    return line


def _goal_lines(person, decisions: list[SharedDecision], day: dt.date) -> list[str]:
    """The goals made from the consult's decisions or set on the consult's day, each with its
    actions (only those of that day for a goal set earlier)."""
    goals = Goal.objects.filter(person=person).exclude(lifecycle_status=Goal.LifecycleStatus.CANCELLED)
    from_consult = [g for g in goals if g.decision_id in {d.pk for d in decisions}]
    actions = list(GoalAction.objects.filter(person=person).select_related("goal").order_by("created_at", "id"))
    on_day = {a.goal_id for a in actions if timezone.localdate(a.created_at) == day}
    chosen = [g for g in goals if g in from_consult or timezone.localdate(g.created_at) == day or g.pk in on_day]
    lines = []
    for goal in chosen:
        lines.append(f"\u2022 {goal.description} ({goal.get_lifecycle_status_display()})")
        for action in actions:
            if action.goal_id == goal.pk and (goal in from_consult or timezone.localdate(action.created_at) == day):
                who = action.responsible_name or action.get_responsible_display()
                when = f", {action.when}" if action.when else ""
                lines.append(f"   {_('Actie')}: {action.what} ({who}{when})")
    return lines


def consult_content(consult: Consult, *, categories) -> tuple[str, str, list[Section], set[str]]:
    """Title, introduction, sections and the categories they print, for a reader of ``categories``
    (decisions and goals only when that reader may read them)."""
    person = consult.person
    when = date_format(timezone.localtime(consult.scheduled_at), "j F Y, H:i")
    title = _("Verslag van het consult van %(name)s") % {"name": person.full_name}
    intro = "\n".join(
        [
            _("Datum: %(when)s (%(kind)s).") % {"when": when, "kind": consult.get_kind_display()},
            _("Aanwezig: %(name)s en %(who)s (zorgverlener).")
            % {"name": person.full_name, "who": name_of(consult.professional)},
        ]
    )
    used = {str(access.Category.CONSULTS), str(access.Category.CONSULT_RECORDS)}
    nothing = [_("Niets vastgelegd.")]
    sections: list[Section] = [
        (_("Agenda"), _agenda_lines(consult) or nothing),
        (_("Samenvatting"), [consult.summary] if consult.summary else nothing),
    ]
    decisions: list[SharedDecision] = []
    if access.Category.DECISION_RECORDS in categories and access.Category.DECISIONS in categories:
        decisions = list(
            SharedDecision.objects.filter(person=person, consult=consult)
            .select_related("chosen_option", "decided_by")
            .order_by("created_at", "id")
        )
        sections.append((_("Besluiten"), [_decision_line(d, person) for d in decisions] or nothing))
        used |= {str(access.Category.DECISIONS), str(access.Category.DECISION_RECORDS)}
    if access.Category.GOALS in categories:
        day = timezone.localdate(consult.scheduled_at)
        sections.append((_("Doelen en acties"), _goal_lines(person, decisions, day) or nothing))
        used.add(str(access.Category.GOALS))
    return title, intro, sections, used


def consult_document(consult: Consult, *, actor) -> MadeDocument:
    """The consult's report as the next version of its document (a new version only when the
    words changed). Prints what ``actor`` may read; a reader needs the same categories."""
    person = consult.person
    language = document_language(person)
    categories = access.categories_for(actor, person)
    with translation.override(language):
        title, intro, sections, used = consult_content(consult, categories=categories)
        short_title = _("Verslag van het consult van %(date)s") % {
            "date": date_format(timezone.localtime(consult.scheduled_at), "j F Y")
        }

    def render(number: int) -> bytes:
        with translation.override(language):
            return report_pdf(title=title, intro=intro, sections=sections, footer=_numbered_footer(number, actor))

    return MadeDocument(
        origin=f"consults.Consult:{consult.pk}",
        version_origin=f"consults.Consult:{consult.pk}:{fingerprint(title, intro, sections)}",
        kind="consult",
        title=short_title,
        document_date=timezone.localdate(consult.scheduled_at),
        source=name_of(actor),
        categories=tuple(sorted(used)),
        shared_with_person=True,
        render=lambda: render(1),
        render_numbered=render,
    )


# --- the yearly evaluation --------------------------------------------------------------------


def evaluation_content(evaluation) -> tuple[str, str, list[Section]]:
    person = evaluation.person
    title = _("Jaarlijkse evaluatie van het zorgplan van %(name)s") % {"name": person.full_name}
    intro = "\n".join(
        [
            _("Datum: %(date)s.") % {"date": date_format(evaluation.date, "j F Y")},
            _("Wie deden mee: %(who)s.") % {"who": evaluation.participants},
            _("Vastgelegd door %(who)s.") % {"who": name_of(evaluation.recorded_by)},
        ]
    )
    nothing = [_("Niets vastgelegd.")]
    sections: list[Section] = [
        (_("Wat ging goed?"), [evaluation.went_well]),
        (_("Wat moet anders?"), [evaluation.should_change] if evaluation.should_change else nothing),
        (
            _("Wat zegt %(name)s zelf?") % {"name": person.given_name or person.full_name},
            [evaluation.persons_words] if evaluation.persons_words else nothing,
        ),
    ]
    return title, intro, sections


def evaluation_document(evaluation) -> MadeDocument:
    """A recorded yearly evaluation as a document of its own, shared with the person; a reader
    needs the care plan's category (as for the evaluation page)."""
    person = evaluation.person
    language = document_language(person)
    with translation.override(language):
        title, intro, sections = evaluation_content(evaluation)
        short_title = _("Jaarlijkse evaluatie van %(date)s") % {"date": date_format(evaluation.date, "j F Y")}

    def render(number: int) -> bytes:
        with translation.override(language):
            footer = _numbered_footer(number, evaluation.recorded_by)
            return report_pdf(title=title, intro=intro, sections=sections, footer=footer)

    return MadeDocument(
        origin=f"followup.YearlyEvaluation:{evaluation.pk}",
        version_origin=f"followup.YearlyEvaluation:{evaluation.pk}",
        kind="evaluation",
        title=short_title,
        document_date=evaluation.date,
        source=name_of(evaluation.recorded_by),
        categories=(str(access.Category.CAREPLAN),),
        shared_with_person=True,
        render=lambda: render(1),
        render_numbered=render,
    )
