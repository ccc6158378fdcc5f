"""The signals that keep the indicators' cohorts (``koers.indicators.cohorts``), the
trajectories' series (``koers.indicators.trajectories``), the follow-up rhythm's spans
(``koers.indicators.rhythm``), the goals' decisions and GAS reviews
(``koers.indicators.goalpoints``) and the spans of agreed plans, evaluations and screenings
(``koers.indicators.covers``) current, connected from ``IndicatorsConfig.ready``: indicators
sits above network, accounts, questionnaires, careplans, goals, followup and screening, so it follows their writes;
they know nothing of it. Each handler computes the persons' kept rows again in the writer's transaction."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from koers.accounts.models import Team, User
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement
from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal, GoalReview, GoalStatusChange
from koers.indicators import cohorts, covers, goalpoints, rhythm, trajectories
from koers.network.models import CareTeamMember
from koers.people import exports
from koers.questionnaires.models import Score
from koers.screening.models import SomaticScreening


def _membership_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: ``koers indicator_cohorts refresh`` afterwards
        cohorts.refresh([instance.person_id])


def _score_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: ``koers indicator_cohorts refresh`` afterwards
        trajectories.refresh([instance.person_id])


def _agreement_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: ``koers indicator_cohorts refresh`` afterwards
        rhythm.refresh([instance.person_id])


def _goal_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A goal saved: its GAS use and weight are in its person's reviews' rows (a save that names
    its fields without them, such as a status change's, cannot change those)."""
    if raw or (update_fields is not None and not {"uses_gas", "gas_weight", "person"} & set(update_fields)):
        return  # raw: loaddata, ``koers indicator_cohorts refresh`` afterwards
    goalpoints.REVIEWS.refresh([instance.person_id])


def _goal_deleted(sender, instance, **kwargs) -> None:
    goalpoints.refresh([instance.person_id])


def _goal_row_written(sender, instance, raw=False, **kwargs) -> None:
    """A status change or review saved or deleted. When its goal is gone too (a goal's or a
    person's delete cascading), the goal's own signal refreshes the person."""
    if raw:  # loaddata: ``koers indicator_cohorts refresh`` afterwards
        return
    goal = instance._state.fields_cache.get("goal")
    person_id = goal.person_id if goal is not None else None
    if person_id is None:
        person_id = Goal.objects.filter(pk=instance.goal_id).values_list("person_id", flat=True).first()
    if person_id is not None:  # a status change is in the decisions' rows only, a review in the reviews'
        (goalpoints.DECISIONS if sender is GoalStatusChange else goalpoints.REVIEWS).refresh([person_id])


# Per model whose rows hold a span's fact: the fields a save must name to change it (a save that
# names its fields without them, such as a draft plan version's new snapshot, cannot), and the
# field that is empty while the row holds no fact yet (a draft, a screening still to be done).
_FACT_FIELDS = {
    CarePlanVersion: ({"agreed_at", "care_plan"}, "agreed_at"),
    YearlyEvaluation: ({"date", "person"}, None),
    SomaticScreening: ({"done_on", "person"}, "done_on"),
}


def _holds_nothing_new(sender, instance, created: bool, update_fields) -> bool:
    fields, pending = _FACT_FIELDS[sender]
    if update_fields is not None and not fields & set(update_fields):
        return True
    return created and pending is not None and getattr(instance, pending) is None


def _fact_written(sender, instance, raw=False, created=False, update_fields=None, **kwargs) -> None:
    """A yearly evaluation or a screening saved or deleted."""
    if raw or _holds_nothing_new(sender, instance, created, update_fields):
        return  # raw: loaddata, ``koers indicator_cohorts refresh`` afterwards
    covers.refresh([instance.person_id])


def _version_written(sender, instance, raw=False, created=False, update_fields=None, **kwargs) -> None:
    """A care plan version saved or deleted: its agreement is a fact. When its plan is gone too (a
    plan's or a person's delete cascading), the plan's own signal refreshes the person."""
    if raw or _holds_nothing_new(sender, instance, created, update_fields):
        return  # raw: loaddata, ``koers indicator_cohorts refresh`` afterwards
    plan = instance._state.fields_cache.get("care_plan")
    person_id = plan.person_id if plan is not None else None
    if person_id is None:
        person_id = CarePlan.objects.filter(pk=instance.care_plan_id).values_list("person_id", flat=True).first()
    if person_id is not None:
        covers.refresh([person_id])


def _plan_deleted(sender, instance, **kwargs) -> None:
    covers.refresh([instance.person_id])


def _team_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Note whether a professional's team changes (a save that names its fields without ``team``,
    such as the login's ``last_login``, cannot change it)."""
    instance._indicators_moved = False
    if raw or instance.pk is None or (update_fields is not None and "team" not in update_fields):
        return
    before = User.objects.filter(pk=instance.pk).values_list("team_id", flat=True).first()
    instance._indicators_moved = before != instance.team_id


def _team_after(sender, instance, raw=False, **kwargs) -> None:
    if getattr(instance, "_indicators_moved", False):
        cohorts.professional_moved(instance.pk)
        instance._indicators_moved = False


def _team_deleted(sender, instance, **kwargs) -> None:
    cohorts.team_deleted(instance.pk)


def connect() -> None:
    exports.exclude(
        "indicators.CareSpell",
        "derived: the indicators' cohorts, recomputed from the care-team memberships exported in their own section",
    )
    exports.exclude(
        "indicators.TrajectoryPoint",
        "derived: the questionnaire trajectories' series, recomputed from the scores exported in their own section",
    )
    exports.exclude(
        "indicators.FollowUpSpan",
        "derived: the follow-up rhythm's spans, recomputed from the follow-up agreements exported in their own section",
    )
    exports.exclude(
        "indicators.GoalDecisionPoint",
        "derived: goal attainment's decisions per goal, recomputed from the status changes exported with the goals",
    )
    exports.exclude(
        "indicators.GasReviewPoint",
        "derived: the GAS reviews per goal, recomputed from the goals and reviews exported with the goals",
    )
    exports.exclude(
        "indicators.YearCover",
        "derived: the spans of agreed care plans, yearly evaluations and screenings, recomputed from those rows",
    )
    post_save.connect(_version_written, sender=CarePlanVersion, dispatch_uid="indicators-covers-version-save")
    post_delete.connect(_version_written, sender=CarePlanVersion, dispatch_uid="indicators-covers-version-delete")
    post_delete.connect(_plan_deleted, sender=CarePlan, dispatch_uid="indicators-covers-plan-delete")
    for model, name in ((YearlyEvaluation, "evaluation"), (SomaticScreening, "screening")):
        post_save.connect(_fact_written, sender=model, dispatch_uid=f"indicators-covers-{name}-save")
        post_delete.connect(_fact_written, sender=model, dispatch_uid=f"indicators-covers-{name}-delete")
    for model, name in ((GoalStatusChange, "decision"), (GoalReview, "review")):
        post_save.connect(_goal_row_written, sender=model, dispatch_uid=f"indicators-goals-{name}-save")
        post_delete.connect(_goal_row_written, sender=model, dispatch_uid=f"indicators-goals-{name}-delete")
    post_save.connect(_goal_saved, sender=Goal, dispatch_uid="indicators-goals-goal-save")
    post_delete.connect(_goal_deleted, sender=Goal, dispatch_uid="indicators-goals-goal-delete")
    post_save.connect(_agreement_written, sender=FollowUpAgreement, dispatch_uid="indicators-rhythm-agreement-save")
    post_delete.connect(_agreement_written, sender=FollowUpAgreement, dispatch_uid="indicators-rhythm-agreement-delete")
    post_save.connect(_score_written, sender=Score, dispatch_uid="indicators-trajectories-score-save")
    post_delete.connect(_score_written, sender=Score, dispatch_uid="indicators-trajectories-score-delete")
    post_save.connect(_membership_written, sender=CareTeamMember, dispatch_uid="indicators-cohorts-member-save")
    post_delete.connect(_membership_written, sender=CareTeamMember, dispatch_uid="indicators-cohorts-member-delete")
    pre_save.connect(_team_before, sender=User, dispatch_uid="indicators-cohorts-user-before")
    post_save.connect(_team_after, sender=User, dispatch_uid="indicators-cohorts-user-after")
    post_delete.connect(_team_deleted, sender=Team, dispatch_uid="indicators-cohorts-team-delete")
