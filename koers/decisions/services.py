"""Writes of shared decisions (samen beslissen), following the three talks.

1. Choice talk (keuzegesprek): there is a choice; does the person want to take part, and how?
2. Option talk (optiegesprek): the options — also ones outside the guideline — with pros, cons
   and consequences in the short, mid and long term; a decision aid (keuzehulp) may help; the
   person may think it over at home (status "thinking", until a date).
3. Decision talk (besluitgesprek): what the person chooses and why, with their explicit
   agreement — or recorded that they left the decision to the professional.

Every service checks access *before* its transaction (so a refusal's log row is kept),
validates (``ValidationError`` with a plain-language message; nothing written), then writes
and logs in one transaction. Deciding and withdrawing change the care plan, so those also
record a new plan version in the same transaction.

The person (SELF: read and update) writes down what matters to them and how they want to
take part; everything else is recorded by their care team.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans import kept as careplan_kept
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.decisions.models import OPEN_STATUSES, AidUse, DecisionOption, SharedDecision
from koers.lib.problems import problems_of

Action = access.Action
DECISIONS = access.Category.DECISIONS
# The question, the options and the decision: the person reads them, the care team records them.
DECISION_RECORDS = access.Category.DECISION_RECORDS
DECISION = "decisions.SharedDecision"
OPTION = "decisions.DecisionOption"
Status = SharedDecision.Status
Participation = SharedDecision.Participation


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


QUESTION_MAX = _max(SharedDecision, "question")
WHAT_MATTERS_MAX = _max(SharedDecision, "what_matters")
AID_NAME_MAX = _max(SharedDecision, "decision_aid_name")
AID_URL_MAX = _max(SharedDecision, "decision_aid_url")
RATIONALE_MAX = _max(SharedDecision, "rationale")
WITHDRAWAL_MAX = _max(SharedDecision, "withdrawal_reason")
TITLE_MAX = _max(DecisionOption, "title")
OPTION_TEXT_MAX = {
    "description": _max(DecisionOption, "description"),
    "pros": _max(DecisionOption, "pros"),
    "cons": _max(DecisionOption, "cons"),
    "consequences_short": _max(DecisionOption, "consequences_short"),
    "consequences_mid": _max(DecisionOption, "consequences_mid"),
    "consequences_long": _max(DecisionOption, "consequences_long"),
}
ORDER_MAX = 32767  # PositiveSmallIntegerField
MAX_OPTIONS = 10
THINK_MAX_DAYS = 366


# --- helpers -------------------------------------------------------------------------------


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _closed_message(status: str) -> str:
    if status == Status.DECIDED:
        return _("Over deze vraag is al besloten. U kunt hier niets meer aan veranderen.")
    return _("Deze beslissing is vervallen. U kunt hier niets meer aan veranderen.")


def _require_open(decision: SharedDecision) -> None:
    if decision.status not in OPEN_STATUSES:
        raise ValidationError(_closed_message(decision.status))


def _locked(decision: SharedDecision) -> SharedDecision:
    """The decision row, locked for this transaction, still open (someone else may have just
    decided or withdrawn it)."""
    locked = SharedDecision.objects.select_for_update().get(pk=decision.pk)
    _require_open(locked)
    return locked


def _copy(target, source, fields) -> None:
    for field in fields:
        setattr(target, field, getattr(source, field))


# --- the decision and the choice talk ------------------------------------------------------


def decision_create(*, actor, person, question: str, consult=None, agenda_item=None) -> SharedDecision:
    """There is something to decide: write down the question. The choice talk starts here.

    Started from an agenda item (``agenda_item``), the decision points back to it and, if no
    consult is given, belongs to the item's consult."""
    access.require(actor, person, DECISION_RECORDS, Action.CREATE, object_type=DECISION)
    question = _text(question)
    errors: dict[str, list[str]] = {}
    if not question:
        errors["question"] = [_("Schrijf op waarover u samen gaat beslissen.")]
    elif len(question) > QUESTION_MAX:
        errors["question"] = [_too_long(QUESTION_MAX)]
    if consult is not None and consult.person_id != person.pk:
        errors["consult"] = [_("Kies een consult van deze cliënt.")]
    if agenda_item is not None and agenda_item.person_id != person.pk:
        errors["agenda_item"] = [_("Dit agendapunt hoort niet bij deze cliënt.")]
    if errors:
        raise ValidationError(errors)
    if consult is None and agenda_item is not None:
        consult = agenda_item.consult
    with transaction.atomic():
        decision = SharedDecision.objects.create(
            person=person,
            consult=consult,
            agenda_item=agenda_item,
            question=question,
            created_by=actor,
            status=Status.CHOICE_TALK,
        )
        access.record(actor, person, Action.CREATE, decision)
    return decision


def decision_update_choice_talk(
    *, actor, decision: SharedDecision, wants_to_participate: bool, participation: str
) -> SharedDecision:
    """Record whether the person wants to take part in the choice, and how.

    Someone who does not want to take part leaves the decision to the professional. After the
    choice talk the option talk begins. The person may also answer this in the portal.
    """
    person = decision.person
    access.require(actor, person, DECISIONS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    _require_open(decision)
    errors: dict[str, list[str]] = {}
    if not isinstance(wants_to_participate, bool):
        errors["wants_to_participate"] = [_("Kies ja of nee.")]
    if participation not in Participation.values:
        errors["participation"] = [_("Kies hoe de cliënt wil meebeslissen.")]
    elif wants_to_participate is False and participation != Participation.PROFESSIONAL:
        errors["participation"] = [
            _("Wie niet wil meebeslissen, laat de beslissing over aan de zorgverlener. Kies dat dan.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(decision)
        locked.wants_to_participate = wants_to_participate
        locked.participation = participation
        fields = ["wants_to_participate", "participation", "updated_at"]
        if locked.status == Status.CHOICE_TALK:
            locked.status = Status.OPTION_TALK
            fields.append("status")
        locked.save(update_fields=fields)
        access.record(actor, person, Action.UPDATE, locked, detail="choice_talk")
    _copy(decision, locked, ["wants_to_participate", "participation", "status", "updated_at"])
    return decision


def decision_set_what_matters(*, actor, decision: SharedDecision, what_matters: str) -> SharedDecision:
    """What matters to the person in this choice, in their own words (empty clears it)."""
    person = decision.person
    access.require(actor, person, DECISIONS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    _require_open(decision)
    what_matters = _text(what_matters)
    if len(what_matters) > WHAT_MATTERS_MAX:
        raise ValidationError({"what_matters": [_too_long(WHAT_MATTERS_MAX)]})
    with transaction.atomic():
        locked = _locked(decision)
        locked.what_matters = what_matters
        locked.save(update_fields=["what_matters", "updated_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="what_matters")
    _copy(decision, locked, ["what_matters", "updated_at"])
    return decision


def clean_decision_aid_url(url) -> str:
    """An http(s) address or ValidationError. Other schemes (javascript:, data:, file:) never get in."""
    url = _text(url)
    if len(url) > AID_URL_MAX:
        raise ValidationError(_too_long(AID_URL_MAX))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Vul een volledig webadres in dat begint met https:// of http://, bijvoorbeeld https://www.thuisarts.nl.")
        ) from None
    return url


def decision_set_decision_aid(*, actor, decision: SharedDecision, name: str, url: str) -> SharedDecision:
    """A decision aid (keuzehulp) that helps the person weigh the options. Both empty removes it."""
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    _require_open(decision)
    name, url = _text(name), _text(url)
    errors: dict[str, list[str]] = {}
    if url and not name:
        errors["decision_aid_name"] = [_("Schrijf op hoe de keuzehulp heet.")]
    elif len(name) > AID_NAME_MAX:
        errors["decision_aid_name"] = [_too_long(AID_NAME_MAX)]
    if name and not url:
        errors["decision_aid_url"] = [_("Vul het webadres van de keuzehulp in.")]
    elif url:
        try:
            url = clean_decision_aid_url(url)
        except ValidationError as error:
            errors["decision_aid_url"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(decision)
        changed = (locked.decision_aid_name, locked.decision_aid_url) != (name, url)
        locked.decision_aid_name, locked.decision_aid_url = name, url
        fields = ["decision_aid_name", "decision_aid_url", "updated_at"]
        if changed:  # another aid than the one chosen from the catalogue (or none): start again
            locked.aid, locked.aid_use = None, AidUse.OFFERED if name else ""
            locked.aid_use_recorded_at = timezone.now() if name else None
            fields += ["aid", "aid_use", "aid_use_recorded_at"]
        locked.save(update_fields=fields)
        access.record(actor, person, Action.UPDATE, locked, detail="decision_aid")
    _copy(decision, locked, fields)
    return decision


# --- the options ----------------------------------------------------------------------------


def _clean_option(*, title, description, within_guideline, pros, cons, short, mid, long, order) -> dict:
    data = {
        "title": _text(title),
        "description": _text(description),
        "pros": _text(pros),
        "cons": _text(cons),
        "consequences_short": _text(short),
        "consequences_mid": _text(mid),
        "consequences_long": _text(long),
    }
    errors: dict[str, list[str]] = {}
    if not data["title"]:
        errors["title"] = [_("Geef de optie een korte naam.")]
    elif len(data["title"]) > TITLE_MAX:
        errors["title"] = [_too_long(TITLE_MAX)]
    for field, limit in OPTION_TEXT_MAX.items():
        if len(data[field]) > limit:
            errors[field] = [_too_long(limit)]
    if not isinstance(within_guideline, bool):
        errors["within_guideline"] = [_("Kies of deze optie in de richtlijn staat.")]
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= ORDER_MAX):
        errors["order"] = [_("Vul een heel getal in van 0 tot en met %(max)d.") % {"max": ORDER_MAX}]
    if errors:
        raise ValidationError(errors)
    data["within_guideline"] = within_guideline
    return data


def option_add(
    *,
    actor,
    decision: SharedDecision,
    title: str,
    description: str = "",
    within_guideline: bool = True,
    pros: str = "",
    cons: str = "",
    consequences_short: str = "",
    consequences_mid: str = "",
    consequences_long: str = "",
    order: int | None = None,
) -> DecisionOption:
    """Add an option to weigh. Options outside the guideline are allowed: say so, don't hide them.
    Without an order the option goes last."""
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.CREATE, object_type=OPTION)
    _require_open(decision)
    data = _clean_option(
        title=title,
        description=description,
        within_guideline=within_guideline,
        pros=pros,
        cons=cons,
        short=consequences_short,
        mid=consequences_mid,
        long=consequences_long,
        order=order,
    )
    with transaction.atomic():
        _locked(decision)
        existing = DecisionOption.objects.filter(decision=decision)
        if existing.count() >= MAX_OPTIONS:
            raise ValidationError(
                _("Er zijn al %(max)d opties. Haal eerst een optie weg als u een andere wilt toevoegen.")
                % {"max": MAX_OPTIONS}
            )
        if order is None:
            highest = existing.aggregate(m=Max("order"))["m"]
            order = 0 if highest is None else min(highest + 1, ORDER_MAX)
        option = DecisionOption.objects.create(decision=decision, order=order, **data)
        access.record(actor, person, Action.CREATE, option)
    return option


def option_update(
    *,
    actor,
    option: DecisionOption,
    title: str,
    description: str = "",
    within_guideline: bool = True,
    pros: str = "",
    cons: str = "",
    consequences_short: str = "",
    consequences_mid: str = "",
    consequences_long: str = "",
    order: int | None = None,
) -> DecisionOption:
    """Change an option while the decision is still being talked about."""
    decision = option.decision
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.UPDATE, object_type=OPTION, object_id=option.pk)
    _require_open(decision)
    data = _clean_option(
        title=title,
        description=description,
        within_guideline=within_guideline,
        pros=pros,
        cons=cons,
        short=consequences_short,
        mid=consequences_mid,
        long=consequences_long,
        order=order,
    )
    if order is not None:
        data["order"] = order
    with transaction.atomic():
        _locked(decision)
        DecisionOption.objects.filter(pk=option.pk).update(**data)
        careplan_kept.rows_written([option.person_id])  # a chosen option's title is in the plan
        for field, value in data.items():
            setattr(option, field, value)
        access.record(actor, person, Action.UPDATE, option)
    return option


def option_remove(*, actor, option: DecisionOption) -> None:
    """Take an option off the list while the decision is still being talked about."""
    decision = option.decision
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.DELETE, object_type=OPTION, object_id=option.pk)
    _require_open(decision)
    with transaction.atomic():
        _locked(decision)
        option_id = option.pk
        DecisionOption.objects.filter(pk=option_id).delete()
        access.record(actor, person, Action.DELETE, object_type=OPTION, object_id=option_id)


# --- time to think, the decision, withdrawing ----------------------------------------------


def decision_take_time(*, actor, decision: SharedDecision, think_until: dt.date) -> SharedDecision:
    """The person thinks the options over at home until ``think_until``; then we talk again.
    Also used to give more time while already thinking."""
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    _require_open(decision)
    if decision.status == Status.CHOICE_TALK:
        raise ValidationError(_("Bespreek eerst of en hoe de cliënt wil meebeslissen (het keuzegesprek)."))
    today = timezone.localdate()
    if not isinstance(think_until, dt.date) or isinstance(think_until, dt.datetime):
        raise ValidationError({"think_until": [_("Vul een geldige datum in.")]})
    if think_until < today:
        raise ValidationError({"think_until": [_("Deze datum ligt in het verleden. Kies vandaag of later.")]})
    if think_until > today + dt.timedelta(days=THINK_MAX_DAYS):
        raise ValidationError({"think_until": [_("Kies een datum binnen een jaar.")]})
    with transaction.atomic():
        locked = _locked(decision)
        if not locked.options.exists():
            raise ValidationError(_("Voeg eerst de opties toe waarover de cliënt kan nadenken."))
        locked.status = Status.THINKING
        locked.think_until = think_until
        locked.save(update_fields=["status", "think_until", "updated_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="thinking")
    _copy(decision, locked, ["status", "think_until", "updated_at"])
    return decision


def decision_decide(
    *, actor, decision: SharedDecision, chosen_option: DecisionOption, rationale: str, person_agreed: bool = False
) -> SharedDecision:
    """The decision talk: record what was chosen and why.

    Treatment only with the person's explicit agreement (``person_agreed``). If the person
    chose to leave the decision to the professional (participation "professional"), that is
    recorded instead (``left_to_professional``). The decision enters the care plan.
    """
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    _require_open(decision)
    _require_choice_talk(decision)
    rationale = _clean_decide(decision, chosen_option=chosen_option, rationale=rationale, person_agreed=person_agreed)
    with transaction.atomic():
        locked = _locked(decision)
        _require_choice_talk(locked)
        if locked.participation != decision.participation:
            raise ValidationError(_("Hoe de cliënt wil meebeslissen is net veranderd. Kijk het opnieuw na."))
        if not DecisionOption.objects.filter(pk=chosen_option.pk, decision=locked).exists():
            raise ValidationError({"chosen_option": [_("Kies een van de opties van deze beslissing.")]})
        fields = _mark_decided(
            locked, actor=actor, chosen_option=chosen_option, rationale=rationale, person_agreed=person_agreed
        )
        access.record(actor, person, Action.UPDATE, locked, detail="decided")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Samen besloten: %(question)s — %(choice)s"),
                question=_short(locked.question, 80),
                choice=_short(chosen_option.title, 80),
            ),
        )
    _copy(decision, locked, fields)
    return decision


def decision_decide_problems(
    *, decision: SharedDecision, chosen_option=None, rationale: str = "", person_agreed: bool = False
) -> dict[str, list[str]]:
    """What ``decision_decide`` would refuse in these values, found without writing (a form that
    found problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _clean_decide, decision=decision, chosen_option=chosen_option, rationale=rationale, person_agreed=person_agreed
    )


def _require_choice_talk(decision: SharedDecision) -> None:
    """Deciding comes after the choice talk: how the person wants to take part is known."""
    if decision.status == Status.CHOICE_TALK or not decision.participation:
        raise ValidationError(_("Bespreek eerst of en hoe de cliënt wil meebeslissen (het keuzegesprek)."))


def _clean_decide(decision: SharedDecision, *, chosen_option, rationale, person_agreed) -> str:
    """One of this decision's options, a reason, and the person's explicit agreement (unless they
    left the decision to the professional); all problems at once. Returns the cleaned rationale."""
    rationale = _text(rationale)
    errors: dict[str, list[str]] = {}
    if not isinstance(chosen_option, DecisionOption) or chosen_option.decision_id != decision.pk:
        errors["chosen_option"] = [_("Kies een van de opties van deze beslissing.")]
    if not rationale:
        errors["rationale"] = [_("Schrijf op waarom voor deze optie is gekozen.")]
    elif len(rationale) > RATIONALE_MAX:
        errors["rationale"] = [_too_long(RATIONALE_MAX)]
    if not isinstance(person_agreed, bool):
        errors["person_agreed"] = [_("Kies ja of nee.")]
    left_to_professional = decision.participation == Participation.PROFESSIONAL
    if person_agreed is not True and not left_to_professional:
        errors["person_agreed"] = [
            _("Leg vast dat de cliënt uitdrukkelijk instemt. Zonder instemming wordt er niet besloten.")
        ]
    if errors:
        raise ValidationError(errors)
    return rationale


def _mark_decided(locked: SharedDecision, *, actor, chosen_option, rationale: str, person_agreed: bool) -> list[str]:
    """Set the decided fields on the locked row and save them; returns the fields saved."""
    now = timezone.now()
    locked.status = Status.DECIDED
    locked.chosen_option = chosen_option
    locked.rationale = rationale
    locked.person_agreed = person_agreed
    locked.agreed_at = now if person_agreed else None
    locked.left_to_professional = locked.participation == Participation.PROFESSIONAL
    locked.decided_at = now
    locked.decided_by = actor
    fields = [
        "status",
        "chosen_option",
        "rationale",
        "person_agreed",
        "agreed_at",
        "left_to_professional",
        "decided_at",
        "decided_by",
        "updated_at",
    ]
    locked.save(update_fields=fields)
    return fields


def decision_withdraw(*, actor, decision: SharedDecision, reason: str = "") -> SharedDecision:
    """The question is no longer current, or the person reconsidered a decision taken earlier.
    A decided decision leaves the care plan (earlier versions keep it)."""
    person = decision.person
    access.require(actor, person, DECISION_RECORDS, Action.UPDATE, object_type=DECISION, object_id=decision.pk)
    if decision.status == Status.WITHDRAWN:
        raise ValidationError(_("Deze beslissing was al vervallen."))
    reason = _text(reason)
    if len(reason) > WITHDRAWAL_MAX:
        raise ValidationError({"reason": [_too_long(WITHDRAWAL_MAX)]})
    with transaction.atomic():
        locked = SharedDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.status == Status.WITHDRAWN:
            raise ValidationError(_("Deze beslissing was al vervallen."))
        locked.status = Status.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason
        fields = ["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
        locked.save(update_fields=fields)
        access.record(actor, person, Action.UPDATE, locked, detail="withdrawn")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Beslissing vervallen: %(question)s"), question=_short(locked.question, 100)
            ),
        )
    _copy(decision, locked, fields)
    return decision
