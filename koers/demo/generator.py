"""``koers generate``: a synthetic population of any size, for benchmarks and load tests.

Organisations and professionals grow with the population (about one practice nurse per
400 people, one GP per 1,000, one GP practice per 2,000; a GGZ team and a neighbourhood
team per 10,000). Support levels follow the risk pyramid (about 76% self-management, 19%
chain care, 5% case management) and everything else follows the level: people in case
management have more conditions, goals, consults and professionals around them.

Everything is written with ``bulk_create`` per batch of people, in one transaction per
batch; questionnaire results and self-monitoring (``koers.demo.generator_records``) too, the
observations with ``COPY`` on PostgreSQL. Rows and seconds are counted per table (the command
prints rows/s). The same seed gives the same population (names, conditions, goals, teams …; row
ids and "created at" times differ). Care-plan versions are built here as the snapshots
``koers.careplans.snapshot.build_snapshot`` would store (the tests check the newest one
is equal to it), because calling it per person would cost seven queries each.

Nobody can log in to a generated account (unusable password); benchmarks use
``force_login``. Drawing one person (the random part) is ``koers.demo.draw``; this module
writes: staff, batches of people and their records, care-plan versions.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from koers.accounts.models import Organisation, Team, User
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.decisions.models import DecisionOption, SharedDecision
from koers.demo import catalogue as cat
from koers.demo import generator_outer
from koers.demo.draw import PersonDraw
from koers.demo.generator_records import RecordsDraw, RecordsWriter
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange
from koers.indicators import cohorts, covers, goalpoints, rhythm, trajectories
from koers.indicators.models import (
    CareSpell,
    FollowUpSpan,
    GasReviewPoint,
    GoalDecisionPoint,
    TrajectoryPoint,
    YearCover,
)
from koers.network.models import CareTeamMember
from koers.people import attention
from koers.people.models import AttentionSummary, Condition, Medication, Person, Profile, SupportLevelDecision
from koers.population import kept as population_kept
from koers.population.models import PersonFacts

UTC = dt.UTC
OPTION_HAS_PERSON = any(f.name == "person" for f in DecisionOption._meta.concrete_fields)
UNUSABLE_PASSWORD = "!generated"  # nosec B105  # not a password: starts with "!": Django never accepts a password for it
INSERT_ROWS = 1000  # rows per INSERT statement (PostgreSQL allows 65,535 parameters)

TREES = "De Meidoorn|De Eik|De Beuk|De Es|De Wilg|De Berk|De Iep|De Kastanje|De Plataan|De Hazelaar".split("|")
# (No "De Linde": that is the demo's practice, and `koers demo` may share the database.)
CITIES = ("Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "Woerden", "IJsselstein", "Veenendaal")


@dataclass
class Stats:
    people: int = 0
    professionals: int = 0
    rows: Counter = field(default_factory=Counter)
    table_seconds: Counter = field(default_factory=Counter)  # seconds spent writing each table
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class PopulationExists(Exception):
    pass


class Generator(PersonDraw):
    """Makes the population: organisations and staff first, then people in batches (drawn by
    ``PersonDraw``, written here with ``bulk_create``)."""

    def __init__(self, *, people: int, seed: int = 1, batch_size: int = 2000, progress=None):
        if people < 1:
            raise ValueError("people must be at least 1")
        self.people = people
        self.seed = seed
        self.batch_size = max(1, batch_size)
        self.progress = progress  # a tqdm-like object with update(n), or None
        self.rng = random.Random(seed)  # nosec B311  # reproducible made-up data, no secret
        self.prefix = f"gen{seed}-"
        self.today = timezone.localdate()
        self.base = dt.datetime.combine(self.today, dt.time(8, 0), tzinfo=UTC)
        self.stats = Stats(people=people)
        # Values up to the last full hour: two runs a few seconds apart draw the same records.
        self.records = RecordsDraw(seed=seed, now=timezone.now().replace(minute=0, second=0, microsecond=0))
        self.outer = generator_outer.OuterDraw(seed=seed, today=self.today, records=self.records)

    # -- entry point -----------------------------------------------------------------------
    def run(self) -> Stats:
        if User.objects.filter(username__startswith=self.prefix).exists():
            raise PopulationExists(self.prefix)
        started = time.perf_counter()
        with transaction.atomic():
            self._staff()
        self.writer = RecordsWriter(insert=self._insert, count=self._count)
        done = 0
        while done < self.people:
            size = min(self.batch_size, self.people - done)
            with transaction.atomic():
                self._batch(done, size)
            done += size
            if self.progress is not None:
                self.progress.update(size)
        self.stats.seconds = time.perf_counter() - started
        return self.stats

    # -- helpers ---------------------------------------------------------------------------
    def _insert(self, model, objects: list) -> list:
        if objects:
            started = time.perf_counter()
            model.objects.bulk_create(objects, batch_size=INSERT_ROWS)
            self._count(model._meta.label, len(objects), time.perf_counter() - started)
        return objects

    def _count(self, label: str, rows: int, seconds: float) -> None:
        self.stats.rows[label] += rows
        self.stats.table_seconds[label] += seconds

    def _log(self, entries: list) -> None:
        """Access-log rows go through the log's own append, which chains them (issue #11)."""
        started = time.perf_counter()
        audit_log.record_many(entries)
        self._count(AccessLogEntry._meta.label, len(entries), time.perf_counter() - started)

    def days_ago(self, days: int, hour: int = 0) -> dt.datetime:
        return self.base - dt.timedelta(days=days) + dt.timedelta(hours=hour)

    # -- organisations and professionals ---------------------------------------------------
    def _staff(self) -> None:
        n, rng = self.people, self.rng
        practices = max(1, math.ceil(n / 2000))
        ggz_teams = max(1, math.ceil(n / 10000))
        wijk_teams = max(1, math.ceil(n / 10000))
        orgs = []
        for i in range(practices):
            tree = TREES[i % len(TREES)] + (f" {i // len(TREES) + 1}" if i >= len(TREES) else "")
            orgs.append(Organisation(name=f"Huisartsenpraktijk {tree}", kind="gp_practice", city=CITIES[i % 8]))
        for i in range(ggz_teams):
            orgs.append(Organisation(name=f"GGZ-team {CITIES[i % 8]} {i + 1}", kind="ggz_team", city=CITIES[i % 8]))
        for i in range(wijk_teams):
            orgs.append(
                Organisation(name=f"Wijkteam {CITIES[i % 8]} {i + 1}", kind="neighbourhood_team", city=CITIES[i % 8])
            )
        self._insert(Organisation, orgs)
        self.practices = orgs[:practices]
        self.ggz = orgs[practices : practices + ggz_teams]
        self.wijk = orgs[practices + ggz_teams :]
        self._insert(Team, [Team(organisation=o, name="Chronische zorg") for o in self.practices])

        counter = iter(range(1, 10**9))
        users: list[User] = []

        def staff(orgs, count, discipline, role="professional"):
            per_org: list[list[User]] = [[] for _ in orgs]
            for i in range(count):
                female = rng.random() < 0.7
                user = User(
                    username=f"{self.prefix}{discipline or role}-{next(counter)}",
                    first_name=rng.choice(cat.GIVEN_FEMALE if female else cat.GIVEN_MALE),
                    last_name=rng.choice(cat.FAMILY),
                    role=role,
                    discipline=discipline,
                    organisation=orgs[i % len(orgs)],
                    password=UNUSABLE_PASSWORD,
                )
                users.append(user)
                per_org[i % len(orgs)].append(user)
            return per_org

        self.pohs = staff(self.practices, max(1, math.ceil(n / 400)), "practice_nurse")
        self.gps = staff(self.practices, max(1, math.ceil(n / 1000)), "gp")
        self.psychiatrists = staff(self.ggz, max(1, math.ceil(n / 5000)), "psychiatrist")
        self.psychologists = staff(self.ggz, max(1, math.ceil(n / 2500)), "psychologist")
        self.peers = staff(self.ggz, max(1, math.ceil(n / 10000)), "peer_expert")
        self.social = staff(self.wijk, max(1, math.ceil(n / 3000)), "social_worker")
        staff(self.practices, practices, "", role="manager")
        self._insert(User, users)
        self.stats.professionals = sum(1 for u in users if u.role == "professional")

    # -- one batch of people ---------------------------------------------------------------
    def _batch(self, start: int, size: int) -> None:
        specs = [self._draw(start + i) for i in range(size)]
        for i, spec in enumerate(specs):  # before the goals and plans are written: it sets goals' verdicts
            spec["outer"] = self.outer.draw(start + i, spec)
        persons = self._insert(Person, [s["person"] for s in specs])
        for spec, person in zip(specs, persons, strict=True):
            spec["profile"].person = person
            for obj in spec["direct"]:
                obj.person = person
        self._insert(Profile, [s["profile"] for s in specs])
        for model in (Condition, Medication, SupportLevelDecision, CareTeamMember, Consult):
            self._insert(model, [o for s in specs for o in s["direct"] if type(o) is model])
        self._log(
            [
                audit_log.build_entry(
                    user=s["responsible"],
                    action=audit_log.Action.CREATE,
                    person=s["person"],
                    object_type="people.Person",
                    object_id=s["person"].pk,
                    when=s["team"][0].started_at,
                )
                for s in specs
            ],
        )
        self._consult_children(specs)
        self._decisions(specs)
        self._goals(specs)
        follow_ups = []
        for s in specs:
            for f in s["follow_ups"]:
                f.person = s["person"]
                follow_ups.append(f)
        self._insert(FollowUpAgreement, follow_ups)
        self._plans(specs)
        generator_outer.write(specs, self._insert)
        self._records(specs, start)
        self._attention([s["person"].pk for s in specs])
        self._population([s["person"].pk for s in specs])
        self._cohorts([s["person"].pk for s in specs])

    def _attention(self, person_ids: list[int]) -> None:
        """The caseload's "needs attention" summary: bulk inserts send no model signals, so the
        batch's summaries are computed once its rows are in (``koers.people.attention``)."""
        started = time.perf_counter()
        attention.refresh(person_ids)
        self._count(AttentionSummary._meta.label, len(person_ids), time.perf_counter() - started)

    def _population(self, person_ids: list[int]) -> None:
        """The population page's kept per-person rows (``koers.population.kept``), computed once
        the batch's people, profiles, conditions and decisions are in (no signals here either)."""
        started = time.perf_counter()
        population_kept.refresh(person_ids)
        self._count(PersonFacts._meta.label, len(person_ids), time.perf_counter() - started)

    def _cohorts(self, person_ids: list[int]) -> None:
        """The indicators' kept cohorts, trajectories' points, follow-up spans and goal rows, for
        the same reason (``koers.indicators.cohorts``, ``trajectories``, ``rhythm``, ``goalpoints``,
        ``covers``)."""
        started = time.perf_counter()
        written = cohorts.refresh(person_ids)
        self._count(CareSpell._meta.label, written, time.perf_counter() - started)
        started = time.perf_counter()
        written = trajectories.refresh(person_ids)  # after ``_records``: the scores are in
        self._count(TrajectoryPoint._meta.label, written, time.perf_counter() - started)
        started = time.perf_counter()
        written = rhythm.refresh(person_ids)
        self._count(FollowUpSpan._meta.label, written, time.perf_counter() - started)
        kept_per_person = (
            (GoalDecisionPoint, goalpoints.DECISIONS),  # after the goals' status changes and reviews
            (GasReviewPoint, goalpoints.REVIEWS),
            (YearCover, covers.COVERS),  # after the outer records: agreed plans, evaluations, screenings
        )
        for model, kept in kept_per_person:
            started = time.perf_counter()
            written = kept.refresh(person_ids)
            self._count(model._meta.label, written, time.perf_counter() - started)

    def _records(self, specs, start: int) -> None:
        """Questionnaire results and self-monitoring (``koers.demo.generator_records``)."""
        people = []
        for i, s in enumerate(specs):
            level = next(d.level for d in s["direct"] if type(d) is SupportLevelDecision)
            conditions = [c for c in s["direct"] if type(c) is Condition]
            drawn = self.records.draw(
                start + i, level=level, conditions=conditions, responsible=s["responsible"], user=s["person"].user
            )
            drawn.responses += s["outer"].prem
            people.append((s["person"], s["responsible"], drawn))
        self.writer.write(people)

    def _consult_children(self, specs) -> None:
        preparations = []
        for s in specs:
            if s["preparation"] is not None:
                prep = s["preparation"]
                prep.person, prep.consult = s["person"], s["upcoming"]
                preparations.append(prep)
        self._insert(Preparation, preparations)
        spheres, items = [], []
        for s in specs:
            for sphere in s["spheres"]:
                sphere.preparation = s["preparation"]
                spheres.append(sphere)
            for item in s["agenda"]:
                item.person, item.consult = s["person"], s["upcoming"]
                if item.source == AgendaItem.Source.PERSON:
                    item.preparation = s["preparation"]
                items.append(item)
        self._insert(SphereAnswer, spheres)
        self._insert(AgendaItem, items)

    def _decisions(self, specs) -> None:
        decisions, options = [], []
        for s in specs:
            for decision, _opts, _chosen in s["decisions"]:
                decision.person = s["person"]
                decisions.append(decision)
        self._insert(SharedDecision, decisions)
        for s in specs:
            for decision, opts, _chosen in s["decisions"]:
                for option in opts:
                    option.decision = decision
                    if OPTION_HAS_PERSON:  # newer schema: the option carries its person too
                        option.person = s["person"]
                    options.append(option)
        self._insert(DecisionOption, options)
        decided = []
        for s in specs:
            for decision, opts, chosen in s["decisions"]:
                if chosen is not None:
                    decision.chosen_option = opts[chosen]
                    decision.status = SharedDecision.Status.DECIDED
                    decided.append(decision)
        if decided:
            SharedDecision.objects.bulk_update(decided, ["chosen_option", "status"], batch_size=INSERT_ROWS)

    def _goals(self, specs) -> None:
        goals = []
        for s in specs:
            for goal, *_rest in s["goals"]:
                goal.person = s["person"]
                goals.append(goal)
        self._insert(Goal, goals)
        changes, levels, reviews, actions = [], [], [], []
        for s in specs:
            for (goal, gas_levels, goal_reviews, goal_actions), days in zip(
                s["goals"], s["outer"].goal_days, strict=True
            ):
                changes.append(
                    GoalStatusChange(
                        goal=goal,
                        lifecycle_status=goal.lifecycle_status,
                        achievement_status=goal.achievement_status,
                        changed_by=goal.created_by,
                        changed_at=self.days_ago(days, 10),
                    )
                )
                for obj in gas_levels:
                    obj.goal = goal
                levels += gas_levels
                for obj in goal_reviews:
                    obj.goal = goal
                reviews += goal_reviews
                for action, _progress in goal_actions:
                    action.person, action.goal = s["person"], goal
                    actions.append(action)
        self._insert(GoalStatusChange, changes)
        self._insert(GasLevel, levels)
        self._insert(GoalReview, reviews)
        self._insert(Action, actions)
        progress = []
        for s in specs:
            for _goal, _levels, _reviews, goal_actions in s["goals"]:
                for action, entries in goal_actions:
                    for entry in entries:
                        entry.action = action
                    progress += entries
        self._insert(ActionProgress, progress)

    def _plans(self, specs) -> None:
        plans, versions = [], []
        for s in specs:
            stages = self._snapshots(s)
            # The newest version is the plan as it is now (the tests check it against
            # build_snapshot), so it is the kept current plan too (``careplans.kept``).
            current = stages[-1][1] if stages else None
            plan = CarePlan(person=s["person"], current_version=len(stages), current_snapshot=current)
            plans.append(plan)
            s["plan"] = (plan, stages)
        self._insert(CarePlan, plans)
        for s in specs:
            plan, stages = s["plan"]
            agreed = {(k % len(stages)): days for k, days in s["outer"].agreed_after.items()}
            for number, (summary, snapshot, days) in enumerate(stages, start=1):
                version = CarePlanVersion(
                    care_plan=plan,
                    number=number,
                    created_at=self.days_ago(days, 15),
                    created_by=s["responsible"],
                    summary=summary,
                    snapshot=snapshot,
                )
                if number - 1 in agreed:  # agreed with the person a few days later
                    version.agreed_at = generator_outer.agreed_at(
                        version.created_at, agreed[number - 1], timezone.now()
                    )
                    version.agreed_by = s["responsible"]
                versions.append(version)
        self._insert(CarePlanVersion, versions)

    # -- the snapshot, as build_snapshot makes it --------------------------------------------
    def _snapshots(self, s) -> list[tuple[str, dict, int]]:
        profile = s["profile"]
        goals = []
        for goal, gas_levels, reviews, goal_actions in s["goals"]:
            if goal.lifecycle_status == Goal.LifecycleStatus.CANCELLED:
                continue
            goals.append(_goal_snapshot(goal, gas_levels, reviews, goal_actions))
        decided = sorted((d for d, _o, c in s["decisions"] if c is not None), key=lambda d: (d.decided_at, d.pk))
        decisions = [
            {
                "id": d.pk,
                "question": d.question,
                "chosen_option": d.chosen_option.title,
                "rationale": d.rationale,
                "participation": d.participation,
                "decided_at": d.decided_at.isoformat(),
                "decision_aid": None,
            }
            for d in decided
        ]
        follow_ups = [
            {
                "id": f.pk,
                "what": f.what,
                "who": f.who,
                "method": f.method,
                "frequency": f.frequency,
                "next_date": f.next_date.isoformat() if f.next_date else None,
            }
            for f in sorted(s["follow_ups"], key=lambda f: (f.next_date, f.pk))
        ]
        team, health, network = _team_snapshot(s), _health_snapshot(s), _network_snapshot(s)

        def snapshot(goals, decisions, follow_ups):
            return {
                "schema": 2,
                "person": {"what_matters": profile.what_matters, "values": profile.values},
                "goals": goals,
                "decisions": decisions,
                "follow_ups": follow_ups,
                "care_team": team,
                "crisis_plan": {"phases": [], "agreements": None},  # generated people have none yet
                "health": health,
                "network": network,
            }

        stages = []
        if goals:
            stages.append(("Doelen en acties samen opgesteld", snapshot(goals, [], []), 150))
        if decisions:
            stages.append(("Besluit vastgelegd", snapshot(goals, decisions, []), 90))
        stages.append(("Vervolgafspraken gemaakt", snapshot(goals, decisions, follow_ups), 30))
        return stages


def _team_snapshot(s) -> list[dict]:
    """The care team as ``careplans.plan_section.gather_care_team`` stores it."""
    return [
        {
            "id": m.professional_id,
            "name": m.professional.get_full_name() or m.professional.username,
            "discipline": m.professional.discipline,
            "organisation": m.professional.organisation.name,
            "role": m.role,
        }
        for m in sorted(s["team"], key=lambda m: (m.started_at, m.pk))
    ]


def _health_snapshot(s) -> dict:
    """The health situation as ``careplans.plan_section_reference.gather_health`` stores it."""
    direct = s["direct"]
    conditions = sorted(
        (
            c
            for c in direct
            if type(c) is Condition
            and c.verification_status != Condition.VerificationStatus.ENTERED_IN_ERROR
            and c.clinical_status != Condition.ClinicalStatus.RESOLVED
        ),
        key=lambda c: (c.display, c.pk),
    )
    medications = sorted((m for m in direct if type(m) is Medication and m.active), key=lambda m: (m.name, m.pk))
    levels = sorted((d for d in direct if type(d) is SupportLevelDecision), key=lambda d: (d.decided_at, d.pk))
    level = levels[-1] if levels else None
    return {
        "conditions": [
            {
                "id": c.pk,
                "condition": c.display,
                "condition_kind": c.category,
                "clinical_status": c.clinical_status,
                "onset_date": c.onset_date.isoformat() if c.onset_date else None,
            }
            for c in conditions
        ],
        "medications": [
            {"id": m.pk, "medicine": m.name, "dosage": m.dosage, "medication_reason": m.reason} for m in medications
        ],
        "support_level": {
            "support_level": level.level,
            "support_decided_at": timezone.localdate(level.decided_at).isoformat(),
        }
        if level
        else None,
    }


def _network_snapshot(s) -> dict:
    """The network as ``gather_network`` stores it: generated people have no relatives."""
    coordinator = next((m for m in s["team"] if m.role == CareTeamMember.Role.RESPONSIBLE), None)
    return {
        "coordinator": {
            "id": coordinator.professional_id,
            "name": coordinator.professional.get_full_name() or coordinator.professional.username,
            "organisation": coordinator.organisation.name,
        }
        if coordinator
        else None,
        "first_contact": None,
        "relatives": [],
    }


def _goal_snapshot(goal, gas_levels, reviews, goal_actions) -> dict:
    """One goal as ``build_snapshot`` stores it."""
    gas_reviews = [r for r in reviews if r.gas_level is not None]
    latest = max(gas_reviews, key=lambda r: (r.reviewed_at, r.pk), default=None)
    return {
        "id": goal.pk,
        "description": goal.description,
        "life_domain": goal.life_domain,
        "why_it_matters": goal.why_it_matters,
        "owner": goal.owner,
        "lifecycle_status": goal.lifecycle_status,
        "achievement_status": goal.achievement_status,
        "target_date": goal.target_date.isoformat() if goal.target_date else None,
        "gas_levels": {str(lv.level): lv.description for lv in gas_levels} if goal.uses_gas else {},
        "gas_baseline": goal.gas_baseline if goal.uses_gas else None,
        "gas_level": latest.gas_level if goal.uses_gas and latest else None,
        "decision_aid": None,  # generated decisions have no decision aid
        "actions": [
            {
                "id": a.pk,
                "what": a.what,
                "when": a.when,
                "how_often": a.how_often,
                "where": a.where,
                "with_whom": a.with_whom,
                "obstacles": a.obstacles,
                "obstacle_plan": a.obstacle_plan,
                "confidence": a.confidence,
                "responsible": a.responsible,
                "responsible_name": a.responsible_name,
                "review_date": a.review_date.isoformat() if a.review_date else None,
                "status": a.status,
            }
            for a, _progress in goal_actions
            if a.status != Action.Status.STOPPED
        ],
    }
