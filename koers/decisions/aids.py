"""Decision aids (keuzehulpen): the organisation's catalogue, and per decision which aid was
offered and whether it was used.

The catalogue holds no person data: its manager (or an administrator) keeps it, without the
person-level access layer — like an organisation's own questionnaires. Offering an aid for a
decision and recording its use are writes about a person: access.require outside the
transaction, access.record inside, and a new care-plan version when the decision is already
in the plan (the plan shows which aid helped).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.careplans.services import care_plan_record_change
from koers.decisions.models import AidUse, DecisionAid, SharedDecision
from koers.decisions.services import DECISION_RECORDS, _short, _text, _too_long, clean_decision_aid_url
from koers.lib.problems import problems_of

Action = access.Action
DECISIONS = access.Category.DECISIONS
Status = SharedDecision.Status
LIMITS = {
    name: DecisionAid._meta.get_field(name).max_length for name in ("name", "url", "topic", "audience", "summary")
}


# --- the catalogue (no person data) -----------------------------------------------------------


def may_manage(user, organisation) -> bool:
    """The organisation's manager, or an administrator (of that organisation, or of all)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == User.Role.ADMINISTRATOR:
        return user.organisation_id is None or user.organisation_id == organisation.pk
    return user.role == User.Role.MANAGER and user.organisation_id == organisation.pk


def _clean_aid(*, name, url, topic, audience, summary) -> dict:
    data = {"name": _text(name), "topic": _text(topic), "audience": _text(audience), "summary": _text(summary)}
    errors: dict[str, list[str]] = {}
    if not data["name"]:
        errors["name"] = [_("Geef de keuzehulp een naam.")]
    if not data["topic"]:
        errors["topic"] = [_("Schrijf op waarover de keuzehulp gaat, bijvoorbeeld: slecht slapen.")]
    for field in ("name", "topic", "audience", "summary"):
        if len(data[field]) > LIMITS[field] and field not in errors:
            errors[field] = [_too_long(LIMITS[field])]
    if not _text(url):
        errors["url"] = [_("Vul het webadres van de keuzehulp in.")]
    else:
        try:
            data["url"] = clean_decision_aid_url(url)
            if len(data["url"]) > LIMITS["url"]:
                raise ValidationError(_too_long(LIMITS["url"]))
        except ValidationError as error:
            errors["url"] = error.messages
    if errors:
        raise ValidationError(errors)
    return data


def _unique_name(organisation, name: str, exclude_pk=None) -> None:
    same = DecisionAid.objects.filter(organisation=organisation, name__iexact=name).exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"name": [_("Er is al een keuzehulp met deze naam.")]})


def decision_aid_problems(
    *, organisation, aid: DecisionAid | None = None, name="", url="", topic="", audience="", summary="", **_active
) -> dict[str, list[str]]:
    """What ``decision_aid_create`` (or, given the ``aid``, ``decision_aid_update``) would refuse in
    these values, found without writing (a form that found problems of its own shows these beside
    them: ``lib.forms.add_problems_beside``): the fields, and a name the catalogue already has."""
    problems = problems_of(_clean_aid, name=name, url=url, topic=topic, audience=audience, summary=summary)
    if "name" not in problems and _text(name):
        exclude = aid.pk if aid is not None else None
        problems |= problems_of(_unique_name, organisation=organisation, name=_text(name), exclude_pk=exclude)
    return problems


def decision_aid_create(
    *, actor, organisation, name: str, url: str, topic: str, audience: str = "", summary: str = "", active=True
) -> DecisionAid:
    """Add a decision aid to the organisation's catalogue."""
    if not may_manage(actor, organisation):
        raise PermissionDenied
    data = _clean_aid(name=name, url=url, topic=topic, audience=audience, summary=summary)
    with transaction.atomic():
        _unique_name(organisation, data["name"])
        return DecisionAid.objects.create(organisation=organisation, created_by=actor, active=bool(active), **data)


def decision_aid_update(
    *, actor, aid: DecisionAid, name: str, url: str, topic: str, audience: str = "", summary: str = "", active=True
) -> DecisionAid:
    """Change a catalogue entry, or take it out of use (``active=False``). Decisions keep the
    name and link they were given."""
    if not may_manage(actor, aid.organisation):
        raise PermissionDenied
    data = _clean_aid(name=name, url=url, topic=topic, audience=audience, summary=summary)
    with transaction.atomic():
        _unique_name(aid.organisation, data["name"], exclude_pk=aid.pk)
        DecisionAid.objects.filter(pk=aid.pk).update(active=bool(active), updated_at=timezone.now(), **data)
    aid.refresh_from_db()
    return aid


# --- per decision ---------------------------------------------------------------------------


def _locked_not_withdrawn(decision: SharedDecision) -> SharedDecision:
    locked = SharedDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == Status.WITHDRAWN:
        raise ValidationError(_("Deze beslissing is vervallen. U kunt hier niets meer aan veranderen."))
    return locked


def _plan_changed(actor, decision: SharedDecision, summary: str) -> None:
    if decision.status == Status.DECIDED:
        care_plan_record_change(actor=actor, person=decision.person, summary=summary)


def decision_offer_aid(*, actor, decision: SharedDecision, aid) -> SharedDecision:
    """Offer an aid from the catalogue of the professional's organisation for this decision:
    its name and link are copied onto the decision, which records it as offered."""
    person = decision.person
    access.require(
        actor, person, DECISION_RECORDS, Action.UPDATE, object_type="decisions.SharedDecision", object_id=decision.pk
    )
    if (
        not isinstance(aid, DecisionAid)
        or not aid.active
        or aid.organisation_id != getattr(actor, "organisation_id", None)
    ):
        raise ValidationError({"aid": [_("Kies een keuzehulp uit de lijst van uw organisatie.")]})
    with transaction.atomic():
        locked = _locked_not_withdrawn(decision)
        locked.aid = aid
        locked.decision_aid_name, locked.decision_aid_url = aid.name, aid.url
        locked.aid_use, locked.aid_use_recorded_at = AidUse.OFFERED, timezone.now()
        fields = ["aid", "decision_aid_name", "decision_aid_url", "aid_use", "aid_use_recorded_at", "updated_at"]
        locked.save(update_fields=fields)
        access.record(actor, person, Action.UPDATE, locked, detail="aid_offered")
        _plan_changed(actor, locked, _("Keuzehulp aangeboden: %(name)s") % {"name": _short(aid.name, 100)})
    for field in fields:
        setattr(decision, field, getattr(locked, field))
    return decision


def decision_record_aid_use(*, actor, decision: SharedDecision, use: str) -> SharedDecision:
    """Record whether the decision's aid was offered, used, or offered but not used. Also after
    the decision is taken; then the care plan gets a new version."""
    person = decision.person
    access.require(
        actor, person, DECISION_RECORDS, Action.UPDATE, object_type="decisions.SharedDecision", object_id=decision.pk
    )
    if use not in AidUse.values:
        raise ValidationError({"aid_use": [_("Kies of de keuzehulp is aangeboden of gebruikt.")]})
    if not decision.decision_aid_name:
        raise ValidationError(_("Kies eerst een keuzehulp voor deze beslissing."))
    with transaction.atomic():
        locked = _locked_not_withdrawn(decision)
        locked.aid_use, locked.aid_use_recorded_at = use, timezone.now()
        locked.save(update_fields=["aid_use", "aid_use_recorded_at", "updated_at"])
        access.record(actor, person, Action.UPDATE, locked, detail=f"aid_use:{use}")
        _plan_changed(
            actor,
            locked,
            _("Keuzehulp %(use)s: %(name)s")
            % {"use": AidUse(use).label, "name": _short(locked.decision_aid_name, 100)},
        )
    decision.aid_use, decision.aid_use_recorded_at = locked.aid_use, locked.aid_use_recorded_at
    return decision
