"""Reads of what relatives write (issue #13): their notes to the coordinator and their input to
the yearly evaluation. Each takes a person the access layer already admitted; what the reader may
see of it is decided here once (docs/decisions.md, "Wat een naaste zelf schrijft")."""

from __future__ import annotations

from dataclasses import dataclass

from koers import access
from koers.followup.models import RelativeEvaluationInput, RelativeNote
from koers.network.models import RelativeLink


def notes_for_person(person) -> list[RelativeNote]:
    """Every relative's note about this person, newest first (the care team's page)."""
    return list(RelativeNote.objects.filter(person=person).select_related("relative", "coordinator")[:200])


def own_notes(person, relative) -> list[RelativeNote]:
    """The notes this relative wrote about this person (their own page), newest first."""
    return list(RelativeNote.objects.filter(person=person, relative=relative).select_related("coordinator")[:50])


def open_inputs(person) -> list[RelativeEvaluationInput]:
    """Invitations and answers for the coming evaluation (the care team's evaluation page)."""
    rows = RelativeEvaluationInput.objects.filter(person=person, evaluation__isnull=True)
    return list(rows.select_related("relative"))


def own_open_input(person, relative) -> RelativeEvaluationInput | None:
    return RelativeEvaluationInput.objects.filter(person=person, relative=relative, evaluation__isnull=True).first()


@dataclass(frozen=True)
class InputForPerson:
    """What the person sees of a relative's input: that it was asked and given; the answers about
    the year only when the relative chose so; never the relative's own load."""

    name: str
    answered_at: object
    how_it_went: str = ""
    what_helped: str = ""


def inputs_for_the_person(person) -> list[InputForPerson]:
    rows = []
    for row in open_inputs(person):
        shared = row.answered_at is not None and row.share_with_person
        rows.append(
            InputForPerson(
                name=row.relative.display_name(),
                answered_at=row.answered_at,
                how_it_went=row.how_it_went if shared else "",
                what_helped=row.what_helped if shared else "",
            )
        )
    return rows


@dataclass(frozen=True)
class Invitable:
    link_id: int
    name: str
    relationship: str
    can_open: bool  # the person shares something with them, so they can open the invitation
    invited: bool


def invitable_relatives(person) -> list[Invitable]:
    """The person's relatives, for "Een naaste vragen mee te denken" (a few rows; one consent
    check each)."""
    invited = {row.relative_id for row in open_inputs(person)}
    links = (
        RelativeLink.objects.filter(person=person, ended_at__isnull=True)
        .select_related("user")
        .order_by("user__first_name", "pk")
    )
    return [
        Invitable(
            link_id=link.pk,
            name=link.user.display_name(),
            relationship=link.relationship,
            can_open=access.can(link.user, person, access.Category.RELATIVE_EVALUATION, access.Action.UPDATE),
            invited=link.user_id in invited,
        )
        for link in links
    ]
