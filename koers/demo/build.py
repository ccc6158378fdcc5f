"""Turn ``koers.demo.stories`` into records: what ``koers demo`` runs.

Persons and care teams are made with the people services (so the access log has their
rows); content whose owning app has no service yet is written with the ORM, and after
each batch of plan changes the plan's version is recorded with
``careplans.services.care_plan_record_change`` in the same transaction, so the version
history is real. Versions are then dated back to when the story says they happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from koers import access
from koers.accounts.models import Organisation, Team, User
from koers.audit import context as audit_context
from koers.audit import log as audit_log
from koers.careplans import kept as careplan_kept
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.careplans.services import care_plan_record_change
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.decisions.models import DecisionOption, SharedDecision
from koers.demo import aids as demo_aids
from koers.demo import crisis as demo_crisis
from koers.demo import monitoring as demo_monitoring
from koers.demo import network as demo_network
from koers.demo import questionnaires as demo_questionnaires
from koers.demo import screening as demo_screening
from koers.demo import socialmap as demo_socialmap
from koers.demo import stories, workdays
from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview, GoalStatusChange
from koers.indicators import covers as indicator_covers
from koers.monitoring.models import Observation
from koers.network import invitations as network_invitations
from koers.network import services as network_services
from koers.network.models import RelativeLink
from koers.people import services as people_services
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision
from koers.population import kept as population_kept
from koers.workspace.emergency_notices import TOPIC_WORDS

try:  # the support-level suggestion (people app); stored reasons then match what its pages show
    from koers.people import support as people_support
except ImportError:  # pragma: no cover - older tree without the module
    people_support = None

ROLE_LABELS = {
    "person": "cliënt",
    "relative": "naaste",
    "professional": "zorgverlener",
    "manager": "manager",
    "administrator": "beheerder",
}


class DemoConflict(Exception):
    """Some demo accounts exist but the demo is not complete: refuse rather than guess."""


@dataclass
class Result:
    created: bool
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, role, name, organisation
    counts: dict[str, int] = field(default_factory=dict)


def demo_usernames() -> list[str]:
    names = [row[0] for row in stories.STAFF]
    names += [p["account"] for p in stories.PEOPLE if p.get("account")]
    names += [row[0] for row in stories.RELATIVES]
    return names


def account_table() -> list[tuple[str, str, str, str]]:
    """(username, role, name, organisation) of every demo account, in a useful order."""
    users = {u.username: u for u in User.objects.filter(username__in=demo_usernames()).select_related("organisation")}
    what = {row[0]: row[7] for row in stories.STAFF}
    shares = {row[0]: row[6] for row in stories.RELATIVES}
    rows = []
    for username in demo_usernames():
        user = users.get(username)
        if user is None:
            continue
        role = what.get(username) or ROLE_LABELS.get(user.role, user.role)
        if user.role == User.Role.RELATIVE:
            link = RelativeLink.objects.filter(user=user).select_related("person").first()
            if link:
                shared = ", ".join(str(TOPIC_WORDS[access.Topic(t)]) for t in shares.get(username, ()))
                role = f"naaste ({link.relationship} van {link.person.given_name}; ziet: {shared})"
        rows.append((username, role, user.get_full_name(), user.organisation.name if user.organisation else "—"))
    return rows


def load_demo(*, today: dt.date | None = None) -> Result:
    """Load the demo once. A second call changes nothing and returns ``created=False``."""
    usernames = demo_usernames()
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if existing == set(usernames):
        return Result(created=False, accounts=account_table(), counts=_counts())
    if existing:
        raise DemoConflict(sorted(existing))
    with audit_context.acting_context(channel="system"), transaction.atomic():
        _Builder(today or timezone.localdate()).run()
        demo_questionnaires.load(today or timezone.localdate())
        demo_screening.load(today or timezone.localdate())
        demo_monitoring.load(today or timezone.localdate())
        demo_socialmap.load(User.objects.get(username="wendy"))
    return Result(created=True, accounts=account_table(), counts=_counts())


def _counts() -> dict[str, int]:
    staff = [row[0] for row in stories.STAFF]
    ids = set(Person.objects.filter(care_team__professional__username__in=staff).values_list("pk", flat=True))
    return {
        "cliënten": len(ids),
        "doelen": Goal.objects.filter(person_id__in=ids).count(),
        "acties": Action.objects.filter(person_id__in=ids).count(),
        "consulten": Consult.objects.filter(person_id__in=ids).count(),
        "gedeelde besluiten": SharedDecision.objects.filter(person_id__in=ids).count(),
        "zorgplanversies": CarePlanVersion.objects.filter(care_plan__person_id__in=ids).count(),
        "zelfmetingen": Observation.objects.filter(person_id__in=ids).count(),
    }


class _Builder:
    def __init__(self, today: dt.date):
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.password = make_password(stories.DEMO_PASSWORD)  # hashed once, shared by all demo accounts
        self.orgs: dict[str, Organisation] = {}
        self.teams: dict[tuple[str, str], Team] = {}
        self.users: dict[str, User] = {}

    # -- helpers -------------------------------------------------------------------------
    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def at(self, offset: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(self.day(offset), dt.time(hour, minute), tzinfo=self.tz)

    def consult_day(self, offset: int) -> int:
        """The offset of a consult's day, on a day the practice is open (the stories count days
        from today, so some fell on a Sunday or on Christmas Day): a coming one on the first open
        day after, a past one on the last open day before (``workdays``)."""
        day = workdays.nearest_open(self.day(offset), later=offset > 0)
        return (day - self.today).days

    def _user(self, username, first, last, role, *, discipline="", organisation=None, team=None, **extra) -> User:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            discipline=discipline,
            organisation=organisation,
            team=team,
            email=f"{username}@demo.koers.example",
            **extra,
        )
        validate_password(stories.DEMO_PASSWORD, user)
        user.password = self.password
        user.save()
        self.users[username] = user
        return user

    # -- the whole demo ------------------------------------------------------------------
    def run(self) -> None:
        for spec in stories.ORGANISATIONS:
            org, _ = Organisation.objects.get_or_create(
                name=spec["name"],
                kind=spec["kind"],
                defaults={"city": spec.get("city", ""), "agb_code": spec.get("agb_code", "")},
            )
            self.orgs[spec["key"]] = org
            for name in spec["teams"]:
                self.teams[(spec["key"], name)], _ = Team.objects.get_or_create(organisation=org, name=name)
        for username, first, last, role, discipline, org_key, team_name, _what in stories.STAFF:
            admin = role == User.Role.ADMINISTRATOR
            self._user(
                username,
                first,
                last,
                role,
                discipline=discipline,
                organisation=self.orgs.get(org_key),
                team=self.teams.get((org_key, team_name)),
                is_staff=admin,
                is_superuser=admin,
            )
        self.aids = demo_aids.build_catalogues(self.orgs, {"linde": self.users["mia"], "oost": self.users["beheer"]})
        for story in stories.PEOPLE:
            _PersonBuilder(self, story).run()
        for username, first, last, person_key, relationship, first_contact, topics in stories.RELATIVES:
            user = self._user(username, first, last, User.Role.RELATIVE)
            demo_network.relative_link(
                user=user, person_key=person_key, relationship=relationship, first_contact=first_contact, topics=topics
            )
        demo_network.relatives_in_the_triad()
        spec = stories.EMERGENCY
        demo_network.emergency_access(
            spec=spec, professional=self.users[spec["professional"]], started_at=self.at(spec["days"], spec["hour"])
        )


class _PersonBuilder:
    def __init__(self, demo: _Builder, story: dict):
        self.demo = demo
        self.s = story
        self.responsible = demo.users[story["responsible"]]
        self.consults: dict[int, Consult] = {}
        self.decisions: dict[str, SharedDecision] = {}
        self.goals: list[tuple[dict, Goal]] = []
        self.actions: list[tuple[dict, Action]] = []

    def run(self) -> None:
        s, demo = self.s, self.demo
        account = None
        if s.get("account"):
            account = demo._user(s["account"], s["given"], s["family"], User.Role.PERSON)
        self.person = people_services.person_create(
            actor=self.responsible,
            given_name=s["given"],
            family_name=s["family"],
            birth_date=s["birth"],
            gender=s["gender"],
            user=account,
            phone=s.get("phone", ""),
            email=s.get("email", ""),
        )
        self.author = account or self.responsible  # who writes the person's own words
        self._team()
        self._profile()
        self._consults()
        self._preparation()
        self._agenda()
        self._stages()
        if s.get("crisis_plan"):
            spec = s["crisis_plan"]
            demo_crisis.build_crisis_plan(
                person=self.person,
                spec=spec,
                actor=demo.users[spec["by"]],
                at=demo.at(demo.consult_day(spec["days"]), 15),
            )
        # The plan versions were dated and agreed by ``update`` (no signals): their kept spans again
        indicator_covers.refresh([self.person.pk])
        for offset, username in s.get("looked", []):
            audit_log.record(
                user=demo.users[username],
                action=audit_log.Action.READ,
                person=self.person,
                object_type="overview",
                when=demo.at(offset, 9, 30),
            )

    def _team(self) -> None:
        for username in self.s.get("team", []) + self.s.get("other_teams", []):
            member = self.demo.users[username]
            if member.organisation_id == self.responsible.organisation_id:
                network_services.care_team_assign(actor=self.responsible, person=self.person, professional=member)
            else:
                # A professional of another organisation joins by the coordinator's invitation,
                # with the person's consent recorded on it, and accepts it themself.
                invitation, _secret = network_invitations.invitation_create(
                    actor=self.responsible,
                    person=self.person,
                    kind="professional",
                    delivery="code",
                    invitee=member,
                    consent_given=True,
                )
                network_invitations.invitation_accept(actor=member, invitation=invitation)

    def _profile(self) -> None:
        s, demo = self.s, self.demo
        values = dict(s["profile"])
        if values.get("sleep_hours_per_night") is not None:
            values["sleep_hours_per_night"] = Decimal(values["sleep_hours_per_night"])
        known = {f.name for f in Profile._meta.get_fields()}
        Profile.objects.filter(person=self.person).update(**{k: v for k, v in values.items() if k in known})
        statuses = s.get("condition_status", {})
        Condition.objects.bulk_create(
            Condition(
                person=self.person,
                display=display,
                code=code,
                code_system=Condition.CodeSystem.ICPC if code else "",
                category=category,
                clinical_status=statuses.get(display, Condition.ClinicalStatus.ACTIVE),
                onset_date=onset,
                note=note,
            )
            for display, code, category, onset, note in s["conditions"]
        )
        # ``update`` and ``bulk_create`` send no signals: the population page's kept row again
        population_kept.refresh([self.person.pk])
        Medication.objects.bulk_create(
            Medication(person=self.person, name=name, dosage=dosage, reason=reason)
            for name, dosage, reason in s["medication"]
        )
        careplan_kept.rows_written([self.person.pk])  # the plan's what matters and health situation
        support = s["support"]
        suggested, reasons = support["suggested"], support["reasons"]
        if people_support is not None:
            profile = Profile.objects.get(person=self.person)
            suggested, found = people_support.suggest_support_level(
                people_support.facts_from(profile, self.person.conditions.all())
            )
            reasons = [r.as_json() for r in found]
        SupportLevelDecision.objects.create(
            person=self.person,
            level=support["level"],
            suggested_level=suggested,
            suggestion_reasons=reasons,
            agreed_with_person=support["agreed"],
            note=support.get("note", ""),
            decided_by=demo.users[support["by"]],
            decided_at=demo.at(support["days"], 11),
        )

    def _consults(self) -> None:
        for i, (offset, username, kind, minutes, status, summary) in enumerate(self.s.get("consults", [])):
            professional = self.demo.users[username]
            consult = Consult.objects.create(
                person=self.person,
                professional=professional,
                scheduled_at=self.demo.at(
                    self.demo.consult_day(offset), 9 + (i * 3 + len(self.s["given"])) % 8, (i * 15) % 60
                ),
                kind=kind,
                planned_minutes=minutes,
                status=status,
                summary=summary,
                created_by=professional,
            )
            self.consults.setdefault(offset, consult)

    def _preparation(self) -> None:
        spec = self.s.get("preparation")
        self.preparation = None
        if not spec:
            return
        submitted = spec["status"] == Preparation.Status.SUBMITTED
        consult = self.consults[spec["consult"]]
        self.preparation = Preparation.objects.create(
            person=self.person,
            consult=consult,
            status=spec["status"],
            how_are_you=spec.get("how_are_you"),
            most_important=spec.get("most_important", ""),
            # two evenings before the consult, but never ahead of today: at the latest last evening
            submitted_at=min(self.demo.at(spec["consult"] - 2, 20), self.demo.at(-1, 20)) if submitted else None,
        )
        if submitted:  # begun half an hour before it was sent, not when the demo was loaded
            started = self.preparation.submitted_at - dt.timedelta(minutes=30)
            Preparation.objects.filter(pk=self.preparation.pk).update(created_at=started)
        prompts = spec.get("prompts", {})
        SphereAnswer.objects.bulk_create(
            SphereAnswer(
                preparation=self.preparation,
                sphere=sphere,
                current_situation=now,
                desired_situation=wish,
                prompt_answers=prompts.get(sphere, {}),
            )
            for sphere, (now, wish) in spec.get("spheres", {}).items()
        )

    def _agenda(self) -> None:
        for i, (offset, title, domain, source, status, detail) in enumerate(self.s.get("agenda", [])):
            consult = self.consults[offset]
            from_person = source == AgendaItem.Source.PERSON
            AgendaItem.objects.create(
                person=self.person,
                consult=consult,
                preparation=self.preparation if (from_person and self.preparation and offset > 0) else None,
                title=title,
                detail=detail,
                domain=domain,
                source=source,
                priority=(i + 1) * 10,
                status=status,
                discussion_notes="Besproken; zie de samenvatting van het gesprek." if status == "discussed" else "",
                created_by=self.author if from_person else consult.professional,
            )

    # -- the care plan, stage by stage ----------------------------------------------------
    def _stage_days(self, last_stage: int) -> dict[int, int]:
        past = sorted(c[0] for c in self.s.get("consults", []) if c[0] < 0) or [-30]
        defaults = {1: past[0], 2: past[-1]}
        days, previous = {}, -10_000
        for stage in range(1, last_stage + 1):
            offset = self.s.get("versions", {}).get(stage, (defaults.get(stage, -3), ""))[0]
            previous = max(previous, offset)
            days[stage] = self.demo.consult_day(previous)  # each stage is a consult's: on its day
        return days

    def _stages(self) -> None:
        s = self.s
        goals = s.get("goals", [])
        stages = {1}
        stages |= {g["stage"] for g in goals} | {d["stage"] for d in s.get("decisions", [])}
        stages |= {f["stage"] for f in s.get("follow_ups", [])}
        for g in goals:
            stages |= {g["completed_at"]} if g["completed_at"] else set()
            for a in g["actions"]:
                stages |= {a["stage"] or g["stage"]} | ({a["done_at"]} if a["done_at"] else set()) | set(a["changes"])
        last = max(stages)
        days = self._stage_days(last)
        summaries = {1: "Doelen en acties samen opgesteld", 2: "Besluiten en vervolgafspraken vastgelegd"}
        for stage in range(1, last + 1):
            offset = days[stage]
            with transaction.atomic():
                for spec in s.get("decisions", []):
                    if spec["stage"] == stage:
                        self._decision(spec, offset)
                for spec in goals:
                    if spec["stage"] == stage:
                        self._goal(spec, offset)
                for gspec, goal in self.goals:
                    for aspec in gspec["actions"]:
                        if (aspec["stage"] or gspec["stage"]) == stage:
                            self._action(aspec, goal)
                for spec in s.get("follow_ups", []):
                    if spec["stage"] == stage:
                        self._follow_up(spec)
                self._changes(stage, offset)
                summary = s.get("versions", {}).get(stage, (0, summaries.get(stage, "Voortgang bijgewerkt")))[1]
                version = care_plan_record_change(actor=self.responsible, person=self.person, summary=summary)
                if version is not None:
                    # Each stage is one consult: its version is dated then and agreed then.
                    at = self.demo.at(offset, 16, stage)
                    CarePlanVersion.objects.filter(pk=version.pk).update(
                        created_at=at, updated_at=at, agreed_at=at, agreed_by=self.responsible
                    )

    def _decision(self, spec: dict, offset: int) -> None:
        demo = self.demo
        consult = self.consults.get(spec["consult"])
        decided = spec["status"] == SharedDecision.Status.DECIDED
        leaves_it = spec["participation"] == SharedDecision.Participation.PROFESSIONAL
        author = consult.professional if consult else self.responsible
        aid = demo_aids.aid_fields(demo.aids, author.organisation_id, spec["aid"][0], decided=decided)
        decision = SharedDecision.objects.create(
            person=self.person,
            consult=consult,
            question=spec["question"],
            status=SharedDecision.Status.OPTION_TALK if decided else spec["status"],
            wants_to_participate=not leaves_it,
            participation=spec["participation"],
            what_matters=spec["what_matters"],
            think_until=demo.day(spec["think_days"]) if spec["think_days"] is not None else None,
            decision_aid_name=spec["aid"][0],
            decision_aid_url=spec["aid"][1],
            aid_use_recorded_at=demo.at(offset, 15) if aid else None,
            created_by=author,
            **aid,
        )
        options = [DecisionOption(decision=decision, order=i, **opt) for i, opt in enumerate(spec["options"])]
        for opt in options:
            opt.save()  # one by one: save() may copy the decision's person onto the option
        if decided:
            when = demo.at(offset, 15)
            decision.status = SharedDecision.Status.DECIDED
            decision.chosen_option = options[spec["chosen"]]
            decision.rationale = spec["rationale"]
            decision.person_agreed = not leaves_it
            decision.agreed_at = None if leaves_it else when
            decision.decided_at = when
            decision.decided_by = consult.professional if consult else self.responsible
            if hasattr(decision, "left_to_professional"):
                decision.left_to_professional = leaves_it
            decision.save()
        # Started on the day it was discussed ("Begonnen op" on the person's page), not on the
        # day the demo was loaded; never ahead of now.
        started = min(demo.at(offset, 14), timezone.now())
        SharedDecision.objects.filter(pk=decision.pk).update(created_at=started)
        if spec["key"]:
            self.decisions[spec["key"]] = decision

    def _goal(self, spec: dict, offset: int) -> None:
        demo = self.demo
        active = spec["status"] == Goal.LifecycleStatus.ACTIVE
        by_person = spec["status"] == Goal.LifecycleStatus.PROPOSED
        goal = Goal.objects.create(
            person=self.person,
            decision=self.decisions.get(spec["decision"]),
            description=spec["description"],
            life_domain=spec["domain"],
            why_it_matters=spec["why"],
            owner=spec["owner"],
            lifecycle_status=spec["status"],
            achievement_status=Goal.AchievementStatus.IN_PROGRESS if active else "",
            start_date=demo.day(offset) if active else None,
            target_date=demo.day(spec["target_in"]) if spec["target_in"] else None,
            uses_gas=spec["gas"] is not None,
            gas_weight=spec["weight"],
            gas_baseline=-1 if spec["gas"] else None,  # where people usually start: one step below expected
            created_by=self.author if by_person else self.responsible,
        )
        GoalStatusChange.objects.create(
            goal=goal,
            lifecycle_status=goal.lifecycle_status,
            achievement_status=goal.achievement_status,
            changed_by=goal.created_by,
            changed_at=demo.at(offset, 14),
        )
        if spec["gas"]:
            GasLevel.objects.bulk_create(GasLevel(goal=goal, level=lv, description=d) for lv, d in spec["gas"].items())
            careplan_kept.rows_written([goal.person_id])
        for when, level, note, username in spec["reviews"]:
            GoalReview.objects.create(
                goal=goal, reviewed_at=demo.at(when, 14), gas_level=level, note=note, reviewed_by=demo.users[username]
            )
        self.goals.append((spec, goal))

    def _action(self, spec: dict, goal: Goal) -> None:
        demo = self.demo
        action = Action.objects.create(
            person=self.person,
            goal=goal,
            what=spec["what"],
            when=spec["when"],
            how_often=spec["how_often"],
            where=spec["where"],
            with_whom=spec["with_whom"],
            obstacles=spec["obstacles"],
            obstacle_plan=spec["plan"],
            confidence=spec["confidence"],
            responsible=spec["responsible"],
            responsible_name=spec["name"],
            review_date=demo.day(spec["review_in"]) if spec["review_in"] is not None else None,
            created_by=self.responsible,
        )
        ActionProgress.objects.bulk_create(
            ActionProgress(
                action=action,
                recorded_at=demo.at(when, 20),
                recorded_by=self.author,
                done=done,
                note=note,
                confidence=confidence,
            )
            for when, done, note, confidence in spec["progress"]
        )
        self.actions.append((spec, action))

    def _follow_up(self, spec: dict) -> None:
        FollowUpAgreement.objects.create(
            person=self.person,
            what=spec["what"],
            who=spec["who"],
            method=spec["method"],
            frequency=spec["frequency"],
            next_date=self.demo.day(spec["next_in"]) if spec["next_in"] is not None else None,
            created_by=self.responsible,
        )

    def _changes(self, stage: int, offset: int) -> None:
        for spec, action in self.actions:
            fields = dict(spec["changes"].get(stage, {}))
            if spec["done_at"] == stage:
                fields["status"] = Action.Status.DONE
            if fields:
                for name, value in fields.items():
                    setattr(action, name, value)
                action.save()
        for spec, goal in self.goals:
            if spec["completed_at"] == stage:
                goal.lifecycle_status = Goal.LifecycleStatus.COMPLETED
                goal.achievement_status = Goal.AchievementStatus.ACHIEVED
                goal.save()
                GoalStatusChange.objects.create(
                    goal=goal,
                    lifecycle_status=goal.lifecycle_status,
                    achievement_status=goal.achievement_status,
                    note="Doel bereikt.",
                    changed_by=self.responsible,
                    changed_at=self.demo.at(offset, 14),
                )
