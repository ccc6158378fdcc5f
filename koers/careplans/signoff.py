"""The person signs off a version of their care plan (issue #13), in the portal.

Builds on the versions ``care_plan_agree`` closes: the professional records "vastleggen als
afgesproken versie"; the person says on their own plan page "Ik ben het hiermee eens" or writes
a comment, for the current version. Each answer is a ``CarePlanSignOff`` row on that version
(the newest is the person's current word; ``taken_back`` is the undo). A version the person
answered on is never changed afterwards (``services._still_open``), so the professional's next
change starts a new version, which shows "nog niet ondertekend".

Which version: the latest one. The portal page shows the plan as it is *now*; changes that are
not in a version yet (e.g. a goal review) are first recorded as a new version — as
``care_plan_agree`` does — so the person signs exactly what they saw. If a newer version appeared
after the page was shown (``number`` is the version the page showed), nothing is signed and the
person is asked to look again.

A comment tells the person's coordinator (notification and worklist item, ``reminders.py``).

Only the person writes it (category ``CAREPLAN_SIGNOFF``: SELF create and read; the care team and
a relative with the care-plan topic read).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans import reminders
from koers.careplans.changes import plan_change
from koers.careplans.models import CarePlan, CarePlanSignOff, CarePlanVersion
from koers.careplans.services import care_plan_for, care_plan_record_change
from koers.lib.compiled import compiled

Action = access.Action
CAREPLAN_SIGNOFF = access.Category.CAREPLAN_SIGNOFF
SIGNOFF = "careplans.CarePlanSignOff"
Answer = CarePlanSignOff.Answer
COMMENT_MAX = CarePlanSignOff._meta.get_field("comment").max_length


def current(rows: list[CarePlanSignOff]) -> CarePlanSignOff | None:
    """The person's current word among one version's rows (newest first), or None. Pure."""
    if not rows or rows[0].answer == Answer.TAKEN_BACK:
        return None
    return rows[0]


def history_for(version: CarePlanVersion) -> list[CarePlanSignOff]:
    return compiled(
        lambda p: CarePlanSignOff.objects.filter(version_id=p.version_id).select_related("given_by"),
        version_id=version.pk,
    )


def current_for(version: CarePlanVersion) -> CarePlanSignOff | None:
    return current(history_for(version))


def current_by_version(versions) -> dict[int, CarePlanSignOff | None]:
    """Version id -> the person's current word, for a page of versions, in one query."""
    ids = [v.pk for v in versions]
    rows: dict[int, list[CarePlanSignOff]] = {pk: [] for pk in ids}
    for row in CarePlanSignOff.objects.filter(version_id__in=ids).select_related("given_by"):
        rows[row.version_id].append(row)
    return {pk: current(found) for pk, found in rows.items()}


def _clean(answer, comment) -> str:
    comment = "" if comment is None else str(comment).strip()
    if answer not in Answer.values:
        raise ValidationError({"answer": [_("Kies een van de mogelijkheden.")]})
    if answer == Answer.COMMENT and not comment:
        raise ValidationError({"comment": [_("Schrijf uw opmerking op.")]})
    if len(comment) > COMMENT_MAX:
        too_long = _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": COMMENT_MAX}
        raise ValidationError({"comment": [too_long]})
    return comment if answer == Answer.COMMENT else ""


def _latest(person) -> CarePlanVersion | None:
    return CarePlanVersion.objects.filter(care_plan__person=person).order_by("-number").first()


def care_plan_sign_off(*, actor, person, number, answer: str, comment: str = "") -> CarePlanSignOff:
    """The person agrees with the current version (``agree``), comments on it (``comment``, words
    required) or takes back their earlier answer on it (``taken_back``). ``number``: the version
    the page showed. Appends one row and logs it; returns it."""
    access.require(actor, person, CAREPLAN_SIGNOFF, Action.CREATE, object_type=SIGNOFF)
    comment = _clean(answer, comment)
    stale = _("Uw zorgplan is net veranderd. Bekijk het plan opnieuw en kies dan.")
    with transaction.atomic():
        care_plan_for(person)
        CarePlan.objects.select_for_update().get(person=person)
        latest = _latest(person)
        if latest is None or str(latest.number) != str(number):
            raise ValidationError(stale if latest is not None else _("Er is nog geen versie van uw zorgplan."))
        if answer == Answer.TAKEN_BACK:
            if current_for(latest) is None:
                raise ValidationError(_("Er is geen antwoord om in te trekken."))
        else:
            summary = plan_change(gettext_noop("Zorgplan bijgewerkt voor uw akkoord"))
            latest = care_plan_record_change(actor=actor, person=person, summary=summary) or latest
        given = CarePlanSignOff.objects.create(
            version=latest, person=person, answer=answer, comment=comment, given_by=actor, given_at=timezone.now()
        )
        access.record(actor, person, Action.CREATE, given, detail=f"{answer} v{latest.number}")
        # A comment is the person's "nog niet eens": the coordinator is told at once (once).
        reminders.tell_coordinator(person, given)
    return given
