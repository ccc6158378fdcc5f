"""Reads of the crisis plan. The caller has passed the access layer for the person (a view's
decorator, or ``access.require``); these functions only read that person's rows.

``crisis_plan_of`` gives the whole plan in a fixed three queries, in the shape every page, the
PDFs and the care plan's snapshot use: the three phases in order, each with its signs (with
their stable ids), lists and people to call (with a ``tel:`` link).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from koers.crisisplans import phones
from koers.crisisplans.models import CrisisPhase, CrisisPlan, CrisisSign, Phase, SignReport
from koers.lib.compiled import compiled, compiled_first

LISTS = ("triggers", "self_care", "others_do", "others_avoid")
AGREEMENTS = ("takeover", "medication_wishes", "where_to_go", "care_for_others")


@dataclass
class PhaseView:
    code: str
    label: str
    signs: list = field(default_factory=list)  # CrisisSign rows, active only
    triggers: list = field(default_factory=list)
    self_care: list = field(default_factory=list)
    others_do: list = field(default_factory=list)
    others_avoid: list = field(default_factory=list)
    contacts: list = field(default_factory=list)  # {"name", "relation", "phone", "tel"}
    edit_url: str = ""  # set by a page that may change the plan

    @property
    def is_empty(self) -> bool:
        return not (self.signs or self.contacts or any(getattr(self, f) for f in LISTS))


@dataclass
class PlanView:
    plan: CrisisPlan | None
    phases: list[PhaseView]

    @property
    def agreements(self) -> dict:
        return {f: getattr(self.plan, f) if self.plan else "" for f in AGREEMENTS}

    @property
    def has_agreements(self) -> bool:
        return any(self.agreements.values())

    @property
    def is_empty(self) -> bool:
        return not self.has_agreements and all(p.is_empty for p in self.phases)

    def phase(self, code: str) -> PhaseView:
        return next(p for p in self.phases if p.code == code)


def _contact(contact: dict) -> dict:
    return {**contact, "tel": phones.tel_link(contact.get("phone", ""))}


def crisis_plan_of(person) -> PlanView:
    """The person's crisis plan as it is now (empty phases when there is none). Three queries."""
    plan = compiled_first(
        lambda p: CrisisPlan.objects.filter(person_id=p.person_id).order_by("pk")[:1], person_id=person.pk
    )
    phases = {p.code: p for p in (PhaseView(code=c, label=str(label)) for c, label in Phase.choices)}
    if plan is None:
        return PlanView(plan=None, phases=list(phases.values()))
    for row in compiled(lambda p: CrisisPhase.objects.filter(plan_id=p.plan_id), plan_id=plan.pk):
        view = phases[row.phase]
        for name in LISTS:
            setattr(view, name, list(getattr(row, name)))
        view.contacts = [_contact(c) for c in row.contacts]
    signs = compiled(
        lambda p: CrisisSign.objects.filter(plan_id=p.plan_id, retired_at__isnull=True).order_by("position", "id"),
        plan_id=plan.pk,
    )
    for sign in signs:
        phases[sign.phase].signs.append(sign)
    return PlanView(plan=plan, phases=list(phases.values()))


def active_signs(person, phase: str | None = None):
    """The signs now in the person's plan (optionally of one phase), by phase and position: what
    a report of signs chooses from."""
    signs = CrisisSign.objects.filter(plan__person=person, retired_at__isnull=True)
    return signs.filter(phase=phase) if phase else signs.order_by("phase", "position", "id")


@dataclass
class ReportView:
    """A report of signs as pages show it: who, when, which phase, the signs by their words."""

    report: object
    reporter: str
    by_person: bool
    phase: str
    phase_label: str
    signs: list[str]
    text: str
    created_at: object
    by_professional: bool = False


def reports_of(person, *, reporter=None, limit: int | None = None) -> list[ReportView]:
    """The person's reports of signs, newest first (only ``reporter``'s when given), each with the
    words of the signs chosen — also of signs since taken out of the plan."""
    rows = SignReport.objects.filter(person=person).select_related("reporter")
    if reporter is not None:
        rows = rows.filter(reporter=reporter)
    rows = list(rows[:limit] if limit else rows)
    wanted = {i for r in rows for i in r.sign_ids}
    words = dict(CrisisSign.objects.filter(plan__person=person, pk__in=wanted).values_list("pk", "text"))
    labels = dict(Phase.choices)
    return [
        ReportView(
            report=r,
            reporter=r.reporter.display_name() if r.reporter else "—",
            by_person=r.by_person,
            phase=r.phase,
            phase_label=str(labels.get(r.phase, r.phase)),
            signs=[words[i] for i in r.sign_ids if i in words],
            text=r.text,
            created_at=r.created_at,
            by_professional=r.by_professional,
        )
        for r in rows
    ]


def current_phase(person):
    """The phase the person last said they are in (a ``SignReport`` by the person), or None."""
    return SignReport.objects.filter(person=person, by_person=True).order_by("-created_at", "-id").first()


def reports_signalled(person_ids):
    """The reports that signal the coordinator, of these persons, oldest first: every relative's,
    and the person's own in early signs or crisis; never what a professional recorded (their own
    judgement). (Which are handled is the worklist's to know.)"""
    rows = SignReport.objects.filter(person_id__in=person_ids, by_professional=False).exclude(
        by_person=True, phase=Phase.GOING_WELL
    )
    return rows.select_related("reporter").order_by("created_at", "id")
