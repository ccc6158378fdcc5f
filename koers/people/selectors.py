"""Reads of a person's profile, for an already access-checked person. A fixed number of queries."""

from __future__ import annotations

from koers import access
from koers.lib.compiled import compiled, compiled_first
from koers.people import support
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision

HISTORY_SHOWN = 20


def profile_of(person: Person) -> Profile:
    """The stored profile, or an empty unsaved one (nothing is written on a read)."""
    return Profile.objects.filter(person=person).first() or Profile(person=person)


def support_facts(person: Person) -> support.Facts:
    profile = Profile.objects.filter(person=person).first()
    conditions = Condition.objects.recorded().filter(person=person, clinical_status=Condition.ClinicalStatus.ACTIVE)
    return support.facts_from(profile, conditions.only("clinical_status"))


def stored_reasons(decision: SupportLevelDecision) -> list[support.Reason]:
    reasons = (support.Reason.from_json(item) for item in decision.suggestion_reasons or [])
    return [r for r in reasons if r is not None]


def profile_page(person: Person, *, categories) -> dict:
    """Everything the profile pages show, limited to the categories the viewer may read.

    Queries: profile, conditions, medication, support-level history (with who decided) —
    four at most, whatever the number of rows.
    """
    C = access.Category
    context: dict = {
        "profile": None,
        "conditions": None,
        "medications": None,
        "support_history": None,
        "support_current": None,
        "suggestion": None,
    }
    if C.PROFILE in categories:
        context["profile"] = profile_of(person)
    conditions = None
    if C.CLINICAL in categories:
        stored = Condition.objects.filter(person=person).select_related("ended_by")
        stored = list(stored.order_by("clinical_status", "display", "id"))
        # Entered in error: out of every list and count, only in the care team's history (issue #12).
        mistaken = Condition.VerificationStatus.ENTERED_IN_ERROR
        conditions = [c for c in stored if c.verification_status != mistaken]
        context["conditions"] = conditions
        context["active_conditions"] = [c for c in conditions if c.clinical_status != Condition.ClinicalStatus.RESOLVED]
        context["past_conditions"] = [c for c in conditions if c.clinical_status == Condition.ClinicalStatus.RESOLVED]
        context["mistaken_conditions"] = [c for c in stored if c.verification_status == mistaken]
        medications = list(Medication.objects.filter(person=person).select_related("ended_by"))
        context["medications"] = medications
        context["active_medications"] = [m for m in medications if m.active]
        context["past_medications"] = [m for m in medications if not m.active]
    if C.SUPPORT_LEVEL in categories:
        history = list(SupportLevelDecision.objects.filter(person=person).select_related("decided_by")[:HISTORY_SHOWN])
        for decision in history:
            decision.reasons = stored_reasons(decision)
        context["support_history"] = history
        context["support_current"] = history[0] if history else None
        if context["profile"] is not None and conditions is not None:
            facts = support.facts_from(context["profile"], conditions)
            level, reasons = support.suggest_support_level(facts)
            context["suggestion"] = {"level": level, "reasons": reasons}
    return context


def health_situation(person: Person) -> dict:
    """The health situation as the care plan shows it (issue #13): the conditions that are not
    over (without mistakes), the medication used now and the current support level. Three queries."""
    # Each compiled once per process (koers.lib.compiled).
    conditions = compiled(
        lambda p: (
            Condition.objects.recorded()
            .filter(person_id=p.person_id)
            .exclude(clinical_status=Condition.ClinicalStatus.RESOLVED)
            .order_by("display", "id")
        ),
        person_id=person.pk,
    )
    medications = compiled(
        lambda p: Medication.objects.filter(person_id=p.person_id, active=True).order_by("name", "id"),
        person_id=person.pk,
    )
    support_level = compiled_first(  # ordered newest first
        lambda p: SupportLevelDecision.objects.filter(person_id=p.person_id)[:1], person_id=person.pk
    )
    return {"conditions": list(conditions), "medications": list(medications), "support_level": support_level}
