"""Named personas and small builders for tests and benchmarks.

The cast (see ``tests/conftest.py``): Anna is the person; Noor the practice nurse in her
care team (responsible); Gert her GP (in the team); Cor a colleague at the same practice who
is not in her team; Pieter a psychiatrist at a GGZ team; Sam a stranger at another
organisation; Rob Anna's relative (no consent yet); Mia a manager; Ada the administrator;
Bas another person (in Noor's care, to prove persons never see each other).
"""

from __future__ import annotations

import datetime as dt
import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.models import Organisation, User
from koers.people import services as people_services

_counter = itertools.count(1)


def make_org(name: str | None = None, kind: str = Organisation.Kind.GP_PRACTICE) -> Organisation:
    return Organisation.objects.create(name=name or f"Organisatie {next(_counter)}", kind=kind)


def make_user(
    username: str | None = None,
    *,
    role: str = User.Role.PROFESSIONAL,
    organisation=None,
    discipline: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str = "test-wachtwoord-123",  # noqa: S107 - test personas only
    **extra,
) -> User:
    username = username or f"user{next(_counter)}"
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        discipline=discipline,
        first_name=first_name or username.capitalize(),
        last_name=last_name,
        **extra,
    )
    user.set_password(password)
    user.save()
    return user


def make_person(
    *,
    actor: User,
    given_name: str | None = None,
    family_name: str = "Jansen",
    birth_date: dt.date = dt.date(1970, 5, 17),
    with_account: bool = False,
    username: str | None = None,
):
    given_name = given_name or f"Persoon{next(_counter)}"
    account = None
    if with_account:
        account = make_user(
            username or given_name.lower(), role=User.Role.PERSON, first_name=given_name, last_name=family_name
        )
    return people_services.person_create(
        actor=actor, given_name=given_name, family_name=family_name, birth_date=birth_date, user=account
    )


def make_action(person, *, professional: User, what: str = "Elke ochtend een rondje"):
    """An active goal of ``person`` with one action, made through the goals services as a
    professional would (for tests of the action's own pages, not of those services)."""
    from koers.goals import services as goal_services

    goal = goal_services.goal_create(
        actor=professional, person=person, description="Weer wandelen", life_domain="health", lifecycle_status="active"
    )
    return goal_services.action_create(actor=professional, goal=goal, what=what)


def make_full_record(person, *, professional: User) -> dict:
    """One of every kind of a person's data, for tests that walk all pages.

    Written with the ORM directly on purpose: it must not depend on the services under test.
    Returns the objects by the URL keyword that names them (``goal_id`` …).
    """
    from django.utils import timezone

    from koers.careplans.models import FollowUpAgreement
    from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
    from koers.decisions.models import DecisionOption, SharedDecision
    from koers.goals.models import Action, ActionProgress, GasLevel, Goal, GoalReview
    from koers.people.models import Condition, Medication, SupportLevelDecision

    now = timezone.now()
    consult = Consult.objects.create(
        person=person,
        professional=professional,
        created_by=professional,
        scheduled_at=now + dt.timedelta(days=3),
        planned_minutes=30,
    )
    preparation = Preparation.objects.create(person=person, consult=consult, how_are_you=6, most_important="Mijn slaap")
    SphereAnswer.objects.create(
        preparation=preparation, sphere="health", current_situation="Moe", desired_situation="Uitgerust"
    )
    agenda_item = AgendaItem.objects.create(
        person=person,
        consult=consult,
        preparation=preparation,
        title="Slecht slapen",
        source="person",
        domain="gg",
        created_by=person.user or professional,
    )
    decision = SharedDecision.objects.create(
        person=person,
        consult=consult,
        agenda_item=agenda_item,
        question="Slaapmiddel of slaaptraining?",
        created_by=professional,
        status="option_talk",
    )
    option = DecisionOption.objects.create(decision=decision, title="Slaaptraining", pros="Geen bijwerkingen")
    goal = Goal.objects.create(
        person=person,
        decision=decision,
        description="Ik wil weer uitgerust wakker worden",
        life_domain="health",
        lifecycle_status="active",
        created_by=professional,
        uses_gas=True,
    )
    for level in range(-2, 3):
        GasLevel.objects.create(goal=goal, level=level, description=f"Niveau {level}")
    review = GoalReview.objects.create(goal=goal, reviewed_at=now, gas_level=0, reviewed_by=professional)
    action = Action.objects.create(
        person=person, goal=goal, what="Elke avond om 23 uur naar bed", created_by=professional, confidence=7
    )
    progress = ActionProgress.objects.create(action=action, recorded_at=now, recorded_by=professional, done=True)
    follow_up = FollowUpAgreement.objects.create(
        person=person, what="Slaap bespreken", who="Noor", created_by=professional
    )
    condition = Condition.objects.create(
        person=person, display="Diabetes mellitus type 2", code_system=Condition.CodeSystem.ICPC, code="T90"
    )
    medication = Medication.objects.create(person=person, name="Metformine", dosage="2x daags 500 mg")
    support = SupportLevelDecision.objects.create(
        person=person, level="chain_care", suggested_level="chain_care", decided_by=professional, decided_at=now
    )
    from types import SimpleNamespace

    from koers.questionnaires.models import Assignment, AttentionItem, Response, Score

    assignment = Assignment.objects.create(
        person=person,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9",
        due_date=now.date() + dt.timedelta(days=7),
        assigned_by=professional,
        assigned_at=now,
    )
    response = Response.objects.create(
        person=person,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9",
        status=Response.Status.COMPLETED,
        mode=Response.Mode.PORTAL,
        answers={str(n): "1" for n in range(1, 10)},
        filled_by=person.user or professional,
        started_at=now,
        authored_at=now,
    )
    Score.objects.create(
        response=response,
        person=person,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        authored_at=now,
        total=9,
        band="mild",
        flags=["phq9_item9"],
    )
    AttentionItem.objects.create(
        person=person, response=response, kind="flag", code="phq9_item9", responsible=professional, created_at=now
    )
    from koers.careplans.services import care_plan_for

    plan = care_plan_for(person)
    from koers.careplans.models import CarePlanVersion
    from koers.careplans.snapshot import build_snapshot

    plan.current_version += 1
    plan.save()
    version = CarePlanVersion.objects.create(
        care_plan=plan,
        number=plan.current_version,
        created_at=now,
        created_by=professional,
        summary="Versie voor de test",
        snapshot=build_snapshot(person),
    )
    from koers.notifications.models import Delivery, Notification

    recipient = person.user or professional
    delivery = Delivery.objects.create(
        recipient=recipient,
        person=person,
        channel="in_app",
        reason="action_due",
        subject_type="goals.Action",
        subject_id=action.pk,
        due_at=now,
        send_after=now,
        created_at=now,
        state="sent",
        sent_at=now,
    )
    notification = Notification.objects.create(
        recipient=recipient,
        person=person,
        delivery=delivery,
        reason="action_due",
        subject_type="goals.Action",
        subject_id=action.pk,
        due_at=now,
        about=action.what,
        created_at=now,
    )
    from koers.screening.models import LabLetter, Measurement, SomaticScreening

    screening = SomaticScreening.objects.create(person=person, due_date=now.date(), created_by=professional)
    measurement = Measurement.objects.create(
        person=person,
        measure="ldl",
        value=3.4,
        unit="mmol/L",
        taken_at=now,
        screening=screening,
        entered_by=professional,
    )
    letter = LabLetter.objects.create(
        person=person, status="sent", title="Uw uitslagen", body="Beste", created_by=professional, sent_at=now
    )
    letter.measurements.add(measurement)
    from koers.monitoring.models import ImportBatch, MeasurementType, Observation, Phase, Target

    own = MeasurementType.objects.create(
        code="custom-new",
        kind="custom",
        scale="rating",
        unit="{score}",
        plausible_low=0,
        plausible_high=10,
        person=person,
        name="Rust in mijn hoofd",
        anchor_low="helemaal geen rust",
        anchor_high="heel rustig",
        created_by=professional,
    )
    own.code = f"custom-{own.pk}"
    own.save(update_fields=["code"])
    observation = Observation.objects.create(
        person=person, type=own, value=4, effective_at=now, source="portal", recorded_by=professional
    )
    Target.objects.create(person=person, type=own, high=6, signal_target=True, set_by=professional)
    Phase.objects.create(person=person, starts_on=now.date(), label="Start nieuwe medicatie", created_by=professional)
    batch = ImportBatch.objects.create(
        person=person,
        kind="csv",
        status="failed",
        filename="meter.csv",
        total_rows=1,
        processed_rows=1,
        errors=[{"row": 2, "column": "Datum", "message": "Deze datum kan Koers niet lezen."}],
        created_by=professional,
    )
    from koers.crisisplans.models import CrisisPhase, CrisisPlan, CrisisSign

    # One crisis plan per person: a second full record of the same person keeps the first plan.
    crisis_plan, new_plan = CrisisPlan.objects.get_or_create(
        person=person, defaults={"takeover": "Mijn zus regelt de post"}
    )
    if new_plan:
        CrisisPhase.objects.create(
            plan=crisis_plan,
            phase="early_signs",
            self_care=["Rust nemen"],
            contacts=[{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 12345678"}],
        )
        CrisisSign.objects.create(plan=crisis_plan, phase="early_signs", text="Slecht slapen")
    from koers.exports.models import ExportRequest

    export = ExportRequest.objects.create(
        person=person, requested_by=person.user or professional, status=ExportRequest.Status.EXPIRED
    )
    from koers.network.models import EmergencyAccess

    # An emergency access that is over, by a professional of a crisis service: reviewable only by
    # that service's colleagues or the person's coordinator (no outsider of the walks).
    crisis_worker = make_user(organisation=make_org("Crisisdienst"), first_name="Eva")
    emergency = EmergencyAccess.objects.create(
        person=person,
        professional=crisis_worker,
        organisation=crisis_worker.organisation,
        reason="Crisis in de nacht",
        scope="crisis_plan,clinical",
        started_at=now - dt.timedelta(hours=5),
        expires_at=now - dt.timedelta(hours=1),
    )
    from koers.meetings.models import Decision as MeetingDecision
    from koers.meetings.models import Meeting, Participant
    from koers.network.models import RelativeLink

    # A network meeting: the person, every relative linked so far (Rob in the walks) and the professional.
    meeting = Meeting.objects.create(
        person=person, starts_at=now + dt.timedelta(days=5), place="Kamer 2", agenda="Slaap", created_by=professional
    )
    Participant.objects.create(meeting=meeting, kind="person", user=person.user, name=person.full_name)
    for link in RelativeLink.objects.filter(person=person):
        Participant.objects.create(meeting=meeting, kind="relative", user=link.user, relative=link, name="Naaste")
    Participant.objects.create(meeting=meeting, kind="professional", user=professional, name="Zorgverlener")
    MeetingDecision.objects.create(
        meeting=meeting, text="Slaaptraining starten", action=action, recorded_by=professional, recorded_at=now
    )
    from koers.handover.models import HandoverDelivery, HandoverSummary

    # A summary of an information moment (intake: about the care team, so the page answers by the
    # documents row of the table alone), sent by the professional to a colleague elsewhere.
    summary = HandoverSummary.objects.create(
        person=person,
        kind="intake",
        category="demographics",
        content={"changed": {"msgid": "Nieuw in het zorgteam: %(name)s", "params": {"name": "Eva"}}, "goals": []},
        sender=professional,
        sender_organisation=professional.organisation,
        created_at=now,
    )
    HandoverDelivery.objects.create(
        summary=summary, recipient=crisis_worker, recipient_organisation=crisis_worker.organisation, delivered_at=now
    )
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from koers.documents.models import Document, DocumentVersion

    # A letter shared with the person, with its file in the private storage (the walks download it).
    document = Document.objects.create(
        person=person,
        title="Ontslagbrief ziekenhuis",
        kind="discharge",
        document_date=now.date(),
        source="Ziekenhuis Rivierenland",
        shared_with_person=True,
        created_by=professional,
        created_at=now,
    )
    file_name = storages["documents"].save(f"{person.pk}/walk.txt", ContentFile(b"Ontslagbrief: slaap is beter."))
    document_version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file_name=file_name,
        content_type="text/plain",
        size=29,
        sha256="0" * 64,
        text="Ontslagbrief: slaap is beter.",
        uploaded_by=professional,
        uploaded_at=now,
    )
    return {
        "person_id": person,
        "meeting_id": meeting,  # a meeting about the person (MDO / netwerkberaad)
        "consult_id": consult,
        "preparation_id": preparation,
        "agenda_item_id": agenda_item,
        "item_id": agenda_item,
        "decision_id": decision,
        "option_id": option,
        "goal_id": goal,
        "review_id": review,
        "action_id": action,
        "progress_id": progress,
        "follow_up_id": follow_up,
        "condition_id": condition,
        "medication_id": medication,
        "support_level_id": support,
        "version_id": version,
        "number": version,
        "version": version,
        "assignment_id": assignment,
        "response_id": response,
        "notification_id": notification,
        "instrument": SimpleNamespace(pk="phq-9"),  # a trajectory's instrument id in the URL
        "screening_id": screening,
        "letter_id": letter,
        "code": SimpleNamespace(pk=own.code),  # a self-monitoring item's code in the URL
        "batch_id": batch,
        "observation_id": observation,  # a self-monitoring value (correct / remove it)
        "export_id": export,  # a download of the person's own data (expired: its file is gone)
        "emergency_id": emergency,  # emergency access (break the glass)
        "summary_id": summary,  # a summary of an information moment (overdrachtsbericht)
        "document_id": document,  # a document in the record (koers.documents)
        "document_version_id": document_version,  # one uploaded file of it
    }


def empty_access_log_for_flush() -> None:
    """Empty the access log so that a transactional test's flush can run on SQLite.

    After a transactional test (``transaction=True``, ``live_server``) Django flushes the test
    database: on SQLite with DELETEs, which the access log's append-only trigger refuses (audit
    migration 0002). This empties the log inside the purge window and closes the window again, so
    the flush finds nothing to refuse and no later test sees an open window. PostgreSQL flushes
    with TRUNCATE, which the trigger does not see: nothing to do there.
    """
    from django.db import connection, transaction

    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT OR IGNORE INTO audit_purge_window (id) VALUES (1)")
        cursor.execute("DELETE FROM audit_accesslogentry")
        cursor.execute("DELETE FROM audit_purge_window")


def verified(client, user):
    """``client`` signed in as ``user`` with a confirmed authenticator app, verified (as
    ``django_otp.login`` leaves the session after the code page)."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
