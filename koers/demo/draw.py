"""Drawing one generated person for ``koers generate``: who they are, their conditions and
medication, their profile, care team and support level, consults and the preparation of the
next one, shared decisions, goals with GAS and actions, and follow-up agreements.

Everything follows the support level (the risk pyramid) and one ``random.Random``: the draws
happen in a fixed order, so the same seed gives the same population. Nothing is written here;
``koers.demo.generator`` inserts what is drawn.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from koers.careplans.models import FollowUpAgreement
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.decisions.models import DecisionOption, SharedDecision
from koers.demo import catalogue as cat
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview
from koers.network.models import CareTeamMember
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision

try:
    from koers.people import support as people_support
except ImportError:  # pragma: no cover - older tree without the module
    people_support = None

SELF, CHAIN, CASE = "self_management", "chain_care", "case_management"
PYRAMID = ((SELF, 76), (CHAIN, 19), (CASE, 5))
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


def _pick(rng: random.Random, options):
    """rng.choices for ((value, weight), …) pairs."""
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


class PersonDraw:
    """The drawing half of ``Generator``: it needs ``rng``, ``today``, ``days_ago`` and the staff
    the generator made (``practices``, ``pohs``, ``gps``, ``ggz``, ``psychiatrists``,
    ``psychologists``, ``peers``, ``wijk``, ``social``)."""

    def _draw(self, index: int) -> dict:
        rng = self.rng
        level = _pick(rng, PYRAMID)
        p = rng.randrange(len(self.practices))
        person, age = self._draw_person(level)
        direct, conditions, smi = self._draw_conditions(level)
        mental = any(c.category == "mental" for c in conditions)
        profile, money = self._draw_profile(level, age, smi)
        suggested, reasons = self._support_suggestion(level, profile, conditions)
        responsible, members, team = self._draw_team(level, p, smi=smi, mental=mental, money=money)
        direct += team
        direct.append(self._draw_support_level(level, suggested, reasons, responsible))
        consults, upcoming, preparation, spheres, agenda = self._draw_consults(level, members, responsible)
        direct += consults
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
            "decisions": self._draw_decisions(level, responsible),
            "goals": self._draw_goals(level, responsible),
            "follow_ups": self._draw_follow_ups(level, responsible),
        }

    def _draw_person(self, level: str) -> tuple[Person, int]:
        rng, today = self.rng, self.today
        gender = _pick(rng, (("female", 52), ("male", 47), ("other", 1)))
        names = cat.GIVEN_FEMALE if gender == "female" else cat.GIVEN_MALE
        if gender == "other":
            names = cat.GIVEN_FEMALE + cat.GIVEN_MALE
        low, mode = {SELF: (18, 55), CHAIN: (35, 68), CASE: (20, 75)}[level]
        age = int(rng.triangular(low, 97, mode))
        birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        phone_digits = rng.randrange(10**7, 10**8)
        person = Person(
            given_name=rng.choice(names),
            family_name=rng.choice(cat.FAMILY),
            birth_date=birth,
            gender=gender,
            phone=f"06-{phone_digits}",
            # A neighbourhood of Utrecht (3500-3589), from the number already drawn so that the
            # random stream, and so every seed's data, stays as it was.
            postcode_area=str(3500 + phone_digits % 90),
        )
        person.set_name_keys()  # bulk_create skips save(): Dutch sort and search keys
        return person, age

    def _draw_conditions(self, level: str) -> tuple[list, list, bool]:
        """Conditions (one of them a severe mental illness, sometimes) and their medication."""
        rng, today = self.rng, self.today
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
        return direct, conditions, smi

    def _draw_profile(self, level: str, age: int, smi: bool) -> tuple[Profile, bool]:
        rng = self.rng
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
        return profile, money

    def _support_suggestion(self, level: str, profile, conditions) -> tuple[str, list]:
        """The support level as the people app would suggest it (no draws)."""
        suggested, reasons = level, []
        if people_support is not None:
            suggested, found = people_support.suggest_support_level(people_support.facts_from(profile, conditions))
            reasons = [r.as_json() for r in found]
        return suggested, reasons

    def _draw_team(self, level: str, p: int, *, smi: bool, mental: bool, money: bool):
        rng = self.rng
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
        return responsible, members, team

    def _draw_support_level(self, level, suggested, reasons, responsible) -> SupportLevelDecision:
        rng = self.rng
        return SupportLevelDecision(
            level=level,
            suggested_level=suggested,
            suggestion_reasons=reasons,
            agreed_with_person=rng.random() < 0.85,
            decided_by=responsible,
            decided_at=self.days_ago(rng.randrange(10, 400), 11),
        )

    def _draw_consults(self, level: str, members, responsible):
        """Consults held in the past, maybe one planned, its preparation and its agenda."""
        rng = self.rng
        direct: list = []
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
        return direct, upcoming, preparation, spheres, agenda

    def _draw_decisions(self, level: str, responsible) -> list:
        rng, today = self.rng, self.today
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
        return decisions

    def _draw_goals(self, level: str, responsible) -> list:
        """Goals, some measured with GAS (levels and reviews), each with actions and progress."""
        rng = self.rng
        n_goals = _pick(rng, {SELF: ((0, 30), (1, 35), (2, 25), (3, 10)),
                              CHAIN: ((1, 20), (2, 35), (3, 30), (4, 15)),
                              CASE: ((2, 25), (3, 35), (4, 25), (5, 15))}[level])  # fmt: skip
        goals = []
        for description, domain, why in rng.sample(cat.GOALS, n_goals):
            goal, levels, reviews = self._draw_goal(description, domain, why, responsible)
            proposed = goal.lifecycle_status == "proposed"
            actions = [self._draw_action(responsible) for _ in range(0 if proposed else rng.randint(1, 3))]
            goals.append((goal, levels, reviews, actions))
        return goals

    def _draw_goal(self, description: str, domain: str, why: str, responsible):
        rng, today = self.rng, self.today
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
        return goal, levels, reviews

    def _draw_action(self, responsible) -> tuple[Action, list]:
        rng, today = self.rng, self.today
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
        return action, progress

    def _draw_follow_ups(self, level: str, responsible) -> list:
        rng, today = self.rng, self.today
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
        return follow_ups
