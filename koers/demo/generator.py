"""``koers generate``: a synthetic population of any size, for benchmarks and load tests.

Organisations and professionals grow with the population (about one practice nurse per
400 people, one GP per 1,000, one GP practice per 2,000; a GGZ team and a neighbourhood
team per 10,000). Support levels follow the risk pyramid (about 76% self-management, 19%
chain care, 5% case management) and everything else follows the level: people in case
management have more conditions, goals, consults and professionals around them.

Everything is written with ``bulk_create`` per batch of people, in one transaction per
batch. The same seed gives the same population (names, conditions, goals, teams …; row
ids and "created at" times differ). Care-plan versions are built here as the snapshots
``koers.careplans.snapshot.build_snapshot`` would store (the tests check the newest one
is equal to it), because calling it per person would cost seven queries each.

Nobody can log in to a generated account (unusable password); benchmarks use
``force_login``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koers.accounts.models import Organisation, Team, User
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.decisions.models import DecisionOption, SharedDecision
from koers.demo import catalogue as cat
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange
from koers.network.models import CareTeamMember
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision

try:
    from koers.people import support as people_support
except ImportError:  # pragma: no cover - older tree without the module
    people_support = None

UTC = dt.UTC
OPTION_HAS_PERSON = any(f.name == "person" for f in DecisionOption._meta.concrete_fields)
UNUSABLE_PASSWORD = "!generated"  # starts with "!": Django never accepts a password for it
INSERT_ROWS = 1000  # rows per INSERT statement (PostgreSQL allows 65,535 parameters)

SELF, CHAIN, CASE = "self_management", "chain_care", "case_management"
PYRAMID = ((SELF, 76), (CHAIN, 19), (CASE, 5))
TREES = "De Meidoorn|De Eik|De Beuk|De Es|De Wilg|De Berk|De Iep|De Kastanje|De Plataan|De Hazelaar".split("|")
# (No "De Linde": that is the demo's practice, and `koers demo` may share the database.)
CITIES = ("Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "Woerden", "IJsselstein", "Veenendaal")
DISCIPLINE_LABEL = {
    "practice_nurse": "POH",
    "gp": "huisarts",
    "psychiatrist": "psychiater",
    "psychologist": "psycholoog",
    "peer_expert": "ervaringsdeskundige",
    "social_worker": "maatschappelijk werker",
}
WHAT_MATTERS = (
    "Zelfstandig blijven en mijn eigen boodschappen doen.",
    "Tijd met mijn kleinkinderen.",
    "Weer aan het werk kunnen.",
    "Minder pijn, zodat ik weer kan wandelen.",
    "Rust in mijn hoofd.",
    "Samen met mijn partner oud worden in ons eigen huis.",
    "Mijn vrienden blijven zien.",
    "Niet te veel medicijnen.",
    "Meedoen in de buurt en mijn vrijwilligerswerk.",
    "",
)
VALUES = ("Eerlijk zijn en zelf meebeslissen.", "Niet betuttelen.", "Gezelligheid.", "", "")


@dataclass
class Stats:
    people: int = 0
    professionals: int = 0
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class PopulationExists(Exception):
    pass


def _pick(rng: random.Random, options):
    """rng.choices for ((value, weight), …) pairs."""
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


class Generator:
    def __init__(self, *, people: int, seed: int = 1, batch_size: int = 2000, progress=None):
        if people < 1:
            raise ValueError("people must be at least 1")
        self.people = people
        self.seed = seed
        self.batch_size = max(1, batch_size)
        self.progress = progress  # a tqdm-like object with update(n), or None
        self.rng = random.Random(seed)
        self.prefix = f"gen{seed}-"
        self.today = timezone.localdate()
        self.base = dt.datetime.combine(self.today, dt.time(8, 0), tzinfo=UTC)
        self.stats = Stats(people=people)

    # -- entry point -----------------------------------------------------------------------
    def run(self) -> Stats:
        if User.objects.filter(username__startswith=self.prefix).exists():
            raise PopulationExists(self.prefix)
        started = time.perf_counter()
        with transaction.atomic():
            self._staff()
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
            model.objects.bulk_create(objects, batch_size=INSERT_ROWS)
            self.stats.rows[model._meta.label] += len(objects)
        return objects

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
        persons = self._insert(Person, [s["person"] for s in specs])
        for spec, person in zip(specs, persons, strict=True):
            spec["profile"].person = person
            for obj in spec["direct"]:
                obj.person = person
        self._insert(Profile, [s["profile"] for s in specs])
        for model in (Condition, Medication, SupportLevelDecision, CareTeamMember, Consult):
            self._insert(model, [o for s in specs for o in s["direct"] if type(o) is model])
        self._insert(
            AccessLogEntry,
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
            for goal, gas_levels, goal_reviews, goal_actions in s["goals"]:
                changes.append(
                    GoalStatusChange(
                        goal=goal,
                        lifecycle_status=goal.lifecycle_status,
                        achievement_status=goal.achievement_status,
                        changed_by=goal.created_by,
                        changed_at=self.days_ago(120),
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
            plan = CarePlan(person=s["person"], current_version=len(stages))
            plans.append(plan)
            s["plan"] = (plan, stages)
        self._insert(CarePlan, plans)
        for s in specs:
            plan, stages = s["plan"]
            for number, (summary, snapshot, days) in enumerate(stages, start=1):
                versions.append(
                    CarePlanVersion(
                        care_plan=plan,
                        number=number,
                        created_at=self.days_ago(days, 15),
                        created_by=s["responsible"],
                        summary=summary,
                        snapshot=snapshot,
                    )
                )
        self._insert(CarePlanVersion, versions)

    # -- the snapshot, as build_snapshot makes it --------------------------------------------
    def _snapshots(self, s) -> list[tuple[str, dict, int]]:
        profile = s["profile"]
        goals = []
        for goal, gas_levels, reviews, goal_actions in s["goals"]:
            if goal.lifecycle_status == Goal.LifecycleStatus.CANCELLED:
                continue
            gas_reviews = [r for r in reviews if r.gas_level is not None]
            latest = max(gas_reviews, key=lambda r: (r.reviewed_at, r.pk), default=None)
            goals.append(
                {
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
            )
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
        team = [
            {
                "id": m.professional_id,
                "name": m.professional.get_full_name() or m.professional.username,
                "discipline": m.professional.discipline,
                "organisation": m.professional.organisation.name,
                "role": m.role,
            }
            for m in sorted(s["team"], key=lambda m: (m.started_at, m.pk))
        ]

        def snapshot(goals, decisions, follow_ups):
            return {
                "schema": 2,
                "person": {"what_matters": profile.what_matters, "values": profile.values},
                "goals": goals,
                "decisions": decisions,
                "follow_ups": follow_ups,
                "care_team": team,
            }

        stages = []
        if goals:
            stages.append(("Doelen en acties samen opgesteld", snapshot(goals, [], []), 150))
        if decisions:
            stages.append(("Besluit vastgelegd", snapshot(goals, decisions, []), 90))
        stages.append(("Vervolgafspraken gemaakt", snapshot(goals, decisions, follow_ups), 30))
        return stages

    # -- drawing one person ------------------------------------------------------------------
    def _draw(self, index: int) -> dict:
        rng, today = self.rng, self.today
        level = _pick(rng, PYRAMID)
        p = rng.randrange(len(self.practices))
        gender = _pick(rng, (("female", 52), ("male", 47), ("other", 1)))
        names = cat.GIVEN_FEMALE if gender == "female" else cat.GIVEN_MALE
        if gender == "other":
            names = cat.GIVEN_FEMALE + cat.GIVEN_MALE
        low, mode = {SELF: (18, 55), CHAIN: (35, 68), CASE: (20, 75)}[level]
        age = int(rng.triangular(low, 97, mode))
        birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        person = Person(
            given_name=rng.choice(names),
            family_name=rng.choice(cat.FAMILY),
            birth_date=birth,
            gender=gender,
            phone=f"06-{rng.randrange(10**7, 10**8)}",
        )
        person.set_name_keys()  # bulk_create skips save(): Dutch sort and search keys

        # Conditions and medication
        count = _pick(rng, {SELF: ((0, 25), (1, 55), (2, 20)), CHAIN: ((1, 30), (2, 45), (3, 25)),
                            CASE: ((2, 30), (3, 40), (4, 30))}[level])  # fmt: skip
        smi = (level == CASE and rng.random() < 0.35) or (level == CHAIN and rng.random() < 0.04)
        chosen = []
        if smi:
            chosen.append(rng.choice(cat.SMI_CONDITIONS))
        while len(chosen) < count:
            c = rng.choices(cat.CONDITIONS, weights=[c[3] for c in cat.CONDITIONS])[0]
            if c not in chosen:
                chosen.append(c)
        direct: list = []
        conditions = []
        medication_names = set()
        for display, code, category, _w, meds in chosen:
            condition = Condition(
                display=display,
                code=code,
                code_system=Condition.CodeSystem.ICPC if code else "",
                category=category,
                clinical_status="active" if rng.random() < 0.93 else "remission",
                onset_date=today - dt.timedelta(days=rng.randrange(180, 9000)),
            )
            conditions.append(condition)
            for name, dosage, reason in meds:
                if name not in medication_names and rng.random() < 0.85:
                    medication_names.add(name)
                    direct.append(Medication(name=name, dosage=dosage, reason=reason))
        direct += conditions
        mental = any(c.category == "mental" for c in conditions)

        # Profile
        capacity = _pick(rng, {SELF: (("high", 60), ("moderate", 35), ("low", 5)),
                               CHAIN: (("high", 20), ("moderate", 55), ("low", 25)),
                               CASE: (("high", 5), ("moderate", 35), ("low", 60))}[level])  # fmt: skip
        money = rng.random() < {SELF: 0.1, CHAIN: 0.2, CASE: 0.4}[level]
        profile = Profile(
            smoking=_pick(rng, (("never", 50), ("former", 30), ("current", 17), ("", 3))),
            alcohol_units_per_week=rng.choice((0, 0, 1, 2, 4, 7, 10, 14, 21)),
            exercise_minutes_per_week=rng.choice((0, 30, 60, 90, 150, 200, 300)),
            sleep_hours_per_night=Decimal(rng.choice(("5.0", "5.5", "6.0", "6.5", "7.0", "7.5", "8.0", "9.0"))),
            living_situation=_pick(rng, (("alone", 30), ("partner", 40), ("family", 22), ("supported", 3),
                                         ("homeless", 1), ("", 4))),
            daytime_activity=("retired" if age >= 67 else _pick(rng, (("paid_work", 55), ("volunteer", 10),
                                                                      ("study", 5), ("none", 20), ("daycare", 3),
                                                                      ("", 7)))),
            money_worries=money,
            social_network=_pick(rng, (("high", 35), ("moderate", 40), ("low", 20), ("", 5))),
            health_literacy=_pick(rng, (("high", 45), ("moderate", 35), ("low", 15), ("", 5))),
            digital_skills=_pick(rng, (("high", 40), ("moderate", 35), ("low", 20), ("", 5))),
            prefers_individual=rng.random() < 0.6,
            prefers_group=rng.random() < 0.2,
            prefers_online=rng.random() < (0.5 if age < 50 else 0.15),
            what_matters=rng.choice(WHAT_MATTERS),
            values=rng.choice(VALUES),
            self_management_capacity=capacity,
        )  # fmt: skip
        if hasattr(Profile, "severe_mental_illness"):
            profile.severe_mental_illness = smi

        # Support level (the suggestion as the people app would make it)
        suggested, reasons = level, []
        if people_support is not None:
            suggested, found = people_support.suggest_support_level(people_support.facts_from(profile, conditions))
            reasons = [r.as_json() for r in found]

        # Care team
        responsible = rng.choice(self.pohs[p])
        started = self.days_ago(rng.randrange(200, 2500))
        members = [(responsible, "responsible")]
        if rng.random() < {SELF: 0.5, CHAIN: 0.8, CASE: 1.0}[level]:
            members.append((rng.choice(self.gps[p]), "member"))
        g = p % len(self.ggz)
        if smi:
            members.append((rng.choice(self.psychiatrists[g]), "member"))
            if rng.random() < 0.5:
                members.append((rng.choice(self.peers[g]), "member"))
        elif mental and rng.random() < 0.6:
            members.append((rng.choice(self.psychologists[g]), "member"))
        if money and level != SELF and rng.random() < 0.6:
            members.append((rng.choice(self.social[p % len(self.wijk)]), "member"))
        team = [
            CareTeamMember(
                professional=user,
                organisation=user.organisation,
                role=role,
                assigned_by=responsible,
                started_at=started + dt.timedelta(days=i * rng.randrange(1, 60)),
            )
            for i, (user, role) in enumerate(members)
        ]
        direct += team
        direct.append(
            SupportLevelDecision(
                level=level,
                suggested_level=suggested,
                suggestion_reasons=reasons,
                agreed_with_person=rng.random() < 0.85,
                decided_by=responsible,
                decided_at=self.days_ago(rng.randrange(10, 400), 11),
            )
        )

        # Consults: held in the past, maybe one planned
        held = {SELF: (1, 1), CHAIN: (2, 3), CASE: (3, 4)}[level]
        for _ in range(rng.randint(*held)):
            who = rng.choice(members)[0]
            cancelled = rng.random() < 0.05
            direct.append(
                Consult(
                    professional=who,
                    created_by=who,
                    scheduled_at=self.days_ago(rng.randrange(1, 365), rng.randrange(1, 9)),
                    kind=_pick(rng, (("in_person", 60), ("phone", 20), ("video", 10), ("home", 5), ("group", 5))),
                    planned_minutes=rng.choice((10, 15, 20, 30, 45)),
                    status="cancelled" if cancelled else "held",
                    summary="" if cancelled else rng.choice(cat.CONSULT_SUMMARIES),
                )
            )
        upcoming = None
        if rng.random() < {SELF: 0.4, CHAIN: 0.8, CASE: 1.0}[level]:
            upcoming = Consult(
                professional=responsible,
                created_by=responsible,
                scheduled_at=self.days_ago(-rng.randrange(1, 90), rng.randrange(1, 9)),
                kind=_pick(rng, (("in_person", 60), ("phone", 20), ("video", 15), ("home", 5))),
                planned_minutes=rng.choice((15, 20, 30)),
            )
            direct.append(upcoming)
        preparation, spheres, agenda = None, [], []
        if upcoming is not None:
            if rng.random() < 0.35:
                submitted = rng.random() < 0.6
                topic = rng.choice(cat.AGENDA)[0]
                preparation = Preparation(
                    status="submitted" if submitted else "draft",
                    how_are_you=rng.randrange(2, 10),
                    most_important=topic,
                    submitted_at=self.days_ago(rng.randrange(0, 5)) if submitted else None,
                )
                for sphere in ("health", "own_way", "activities", "environment")[: 4 if submitted else 1]:
                    spheres.append(
                        SphereAnswer(
                            sphere=sphere,
                            current_situation="Het gaat wisselend.",
                            desired_situation="Dat het weer wat beter gaat.",
                        )
                    )
            for priority, (title, domain) in enumerate(rng.sample(cat.AGENDA, rng.randrange(0, 3)), start=1):
                from_person = preparation is not None and rng.random() < 0.6
                agenda.append(
                    AgendaItem(
                        title=title,
                        domain=domain,
                        source="person" if from_person else "professional",
                        priority=priority * 10,
                        created_by=responsible,
                    )
                )

        # Shared decisions
        decisions = []
        if rng.random() < {SELF: 0.15, CHAIN: 0.35, CASE: 0.5}[level]:
            question, option_specs = rng.choice(cat.DECISIONS)
            status = _pick(rng, (("decided", 62), ("thinking", 10), ("option_talk", 17), ("choice_talk", 11)))
            participation = _pick(rng, (("together", 85), ("self", 8), ("professional", 7)))
            options = [
                DecisionOption(title=t, pros=pros, cons=cons, order=i) for i, (t, pros, cons) in enumerate(option_specs)
            ]
            decided_at = self.days_ago(rng.randrange(20, 200), 14) if status == "decided" else None
            decision = SharedDecision(
                question=question,
                status="option_talk" if status == "decided" else status,
                wants_to_participate=participation != "professional",
                participation=participation if status != "choice_talk" else "",
                what_matters="Wat voor mij telt: zo min mogelijk gedoe in het dagelijks leven.",
                think_until=today + dt.timedelta(days=rng.randrange(-5, 14)) if status == "thinking" else None,
                rationale="Past het best bij wat de cliënt belangrijk vindt." if decided_at else "",
                person_agreed=bool(decided_at) and participation != "professional",
                agreed_at=decided_at if participation != "professional" else None,
                decided_at=decided_at,
                decided_by=responsible if decided_at else None,
                created_by=responsible,
            )
            if decided_at and hasattr(SharedDecision, "left_to_professional"):
                decision.left_to_professional = participation == "professional"
            decisions.append((decision, options, rng.randrange(len(options)) if decided_at else None))

        # Goals, GAS, actions and progress
        n_goals = _pick(rng, {SELF: ((0, 30), (1, 35), (2, 25), (3, 10)),
                              CHAIN: ((1, 20), (2, 35), (3, 30), (4, 15)),
                              CASE: ((2, 25), (3, 35), (4, 25), (5, 15))}[level])  # fmt: skip
        goals = []
        for description, domain, why in rng.sample(cat.GOALS, n_goals):
            status = _pick(rng, (("active", 75), ("proposed", 8), ("completed", 10), ("on-hold", 4), ("cancelled", 3)))
            uses_gas = status != "proposed" and rng.random() < 0.2
            goal = Goal(
                description=description,
                life_domain=domain,
                why_it_matters=why,
                owner="person",
                lifecycle_status=status,
                achievement_status={"active": "in-progress", "completed": "achieved"}.get(status, ""),
                start_date=today - dt.timedelta(days=rng.randrange(10, 300)) if status != "proposed" else None,
                target_date=today + dt.timedelta(days=rng.randrange(30, 180)) if rng.random() < 0.5 else None,
                uses_gas=uses_gas,
                gas_weight=rng.choice((1, 1, 1, 2, 3)),
                created_by=responsible,
            )
            levels, reviews = [], []
            if uses_gas:
                levels = [
                    GasLevel(level=lv, description=text)
                    for lv, text in (
                        (-2, "Veel slechter dan nu."),
                        (-1, "Zoals het nu gaat."),
                        (0, "Het verwachte resultaat."),
                        (1, "Beter dan verwacht."),
                        (2, "Veel beter dan verwacht."),
                    )
                ]
                for r in range(rng.randrange(0, 3)):
                    reviews.append(
                        GoalReview(
                            reviewed_at=self.days_ago(120 - r * 40, 14),
                            gas_level=rng.randint(-2, 2),
                            note="Samen bekeken.",
                            reviewed_by=responsible,
                        )
                    )
            actions = []
            for _ in range(0 if status == "proposed" else rng.randint(1, 3)):
                what, when, how_often, obstacles, plan = rng.choice(cat.ACTIONS)
                who = _pick(rng, (("person", 70), ("professional", 15), ("relative", 8), ("community", 7)))
                action_status = _pick(rng, (("active", 80), ("done", 15), ("stopped", 5)))
                action = Action(
                    what=what,
                    when=when,
                    how_often=how_often,
                    obstacles=obstacles,
                    obstacle_plan=plan,
                    confidence=rng.randint(3, 10),
                    responsible=who,
                    responsible_name=responsible.get_full_name() if who == "professional" else "",
                    review_date=(
                        today + dt.timedelta(days=rng.randrange(-20, 60))
                        if action_status == "active" and rng.random() < 0.6
                        else None
                    ),
                    status=action_status,
                    created_by=responsible,
                )
                progress = [
                    ActionProgress(
                        recorded_at=self.days_ago(rng.randrange(1, 100), 20),
                        recorded_by=responsible,
                        done=rng.random() < 0.7,
                        note=rng.choice(("Gelukt.", "Twee keer gelukt.", "Deze week niet.", "")),
                        confidence=rng.randint(3, 10),
                    )
                    for _ in range(rng.choice((0, 0, 1, 2)))
                ]
                actions.append((action, progress))
            goals.append((goal, levels, reviews, actions))

        # Follow-up agreements
        follow_ups = []
        for what, method, frequency in rng.sample(cat.FOLLOW_UPS, {SELF: 1, CHAIN: 2, CASE: 3}[level]):
            follow_ups.append(
                FollowUpAgreement(
                    what=what,
                    who=f"{responsible.get_full_name()} ({DISCIPLINE_LABEL[responsible.discipline]})",
                    method=method,
                    frequency=frequency,
                    next_date=today + dt.timedelta(days=rng.randrange(3, 180)),
                    created_by=responsible,
                )
            )

        return {
            "person": person,
            "profile": profile,
            "direct": direct,
            "team": team,
            "responsible": responsible,
            "upcoming": upcoming,
            "preparation": preparation,
            "spheres": spheres,
            "agenda": agenda,
            "decisions": decisions,
            "goals": goals,
            "follow_ups": follow_ups,
        }
