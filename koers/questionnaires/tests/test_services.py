"""Services of questionnaires: assignments, responses, scores, attention items and imports.

Each write: the happy path, bad input (clear message, nothing saved), another person's objects,
refusals logged, and the access-log row of a success.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember
from koers.questionnaires import own_instruments, services
from koers.questionnaires.models import Assignment, AttentionItem, ImportedInstrument, Response, Score
from koers.questionnaires.tests.own_questionnaire import own_questionnaire

pytestmark = pytest.mark.django_db

PHQ9_MILD = {str(n): "1" for n in range(1, 9)} | {"9": "0"}  # total 8: mild, no worrying answer
PHQ9_SEVERE = {str(n): "3" for n in range(1, 9)} | {"9": "0"}  # total 24: severe band


def counts():
    return (
        Assignment.objects.count(),
        Response.objects.count(),
        Score.objects.count(),
        AttentionItem.objects.count(),
        ImportedInstrument.objects.count(),
    )


@pytest.fixture
def assign(cast):
    def _assign(person=None, actor=None, instrument_id="phq-9", **extra):
        return services.assignment_create(
            actor=actor or cast.noor, person=person or cast.anna, instrument_id=instrument_id, **extra
        )

    return _assign


@pytest.fixture
def portal_response(cast, assign):
    def _start(instrument_id="phq-9", **extra):
        assignment = assign(instrument_id=instrument_id, **extra)
        return services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)

    return _start


# --- assignments ------------------------------------------------------------------------------


def test_assignment_create_once_with_due_date_and_log_row(cast, assign):
    due = timezone.localdate() + dt.timedelta(days=10)
    assignment = assign(due_date=due, note="Zo zien we samen hoe het gaat.")
    assert assignment.instrument_id == "phq-9"
    assert assignment.instrument_version == "1.0.0"
    assert assignment.schedule == Assignment.Schedule.ONCE
    assert assignment.due_date == due
    assert assignment.status == Assignment.Status.ACTIVE
    assert assignment.organisation == cast.noor.organisation
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="questionnaires.Assignment"
    ).exists()


def test_assignment_without_due_date_is_due_today_and_before_consult_has_none(cast, assign):
    assert assign().due_date == timezone.localdate()
    before = assign(instrument_id="gad-7", schedule="before_consult", due_date=timezone.localdate())
    assert before.due_date is None and before.interval_days is None


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"instrument_id": "no-such-thing"}, "instrument_id"),
        ({"instrument_id": ""}, "instrument_id"),
        ({"schedule": "weekly"}, "schedule"),
        ({"schedule": "interval"}, "interval_days"),
        ({"schedule": "interval", "interval_days": 0}, "interval_days"),
        ({"schedule": "interval", "interval_days": 731}, "interval_days"),
        ({"schedule": "interval", "interval_days": "91"}, "interval_days"),
        ({"due_date": dt.date(2020, 1, 1)}, "due_date"),
        ({"due_date": "morgen"}, "due_date"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_assignment_bad_input_says_what_and_saves_nothing(cast, assign, extra, field):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        assign(**extra)
    assert field in exc.value.message_dict
    assert counts() == before


def test_one_active_assignment_per_instrument(cast, assign):
    assign()
    with pytest.raises(ValidationError) as exc:
        assign()
    assert "staat al klaar" in exc.value.message_dict["instrument_id"][0]
    assert Assignment.objects.filter(person=cast.anna).count() == 1


def test_strangers_cannot_assign_and_the_refusal_is_logged(cast, assign):
    for outsider in (cast.sam, cast.cor, cast.pieter, cast.mia, cast.rob, cast.bas_user):
        with pytest.raises(NotFound):
            assign(actor=outsider)
        assert AccessLogEntry.objects.filter(user=outsider, outcome="refused").exists()
    assert not Assignment.objects.exists()


def test_the_person_cannot_assign_themself_and_is_refused_like_a_stranger(cast, assign):
    """Only a professional assigns: the person's own attempt goes through the access layer (404, a
    refused row), not a form error that would tell them the page exists."""
    with pytest.raises(NotFound):
        assign(actor=cast.anna_user)
    assert not Assignment.objects.exists()
    refused = AccessLogEntry.objects.get(user=cast.anna_user, outcome="refused")
    assert (refused.person_id, refused.action, refused.object_type) == (cast.anna.pk, "C", "questionnaires.Assignment")


def test_assignment_cancel(cast, assign):
    assignment = assign()
    cancelled = services.assignment_cancel(actor=cast.gert, assignment=assignment)
    assert cancelled.status == Assignment.Status.CANCELLED and cancelled.ended_by == cast.gert
    with pytest.raises(ValidationError):
        services.assignment_cancel(actor=cast.gert, assignment=cancelled)
    assert AccessLogEntry.objects.filter(user=cast.gert, action="U", detail="cancelled").count() == 1


def test_assignment_cancel_refused_to_stranger_and_to_the_person(cast, assign):
    assignment = assign()
    with pytest.raises(NotFound):
        services.assignment_cancel(actor=cast.sam, assignment=assignment)
    with pytest.raises(ValidationError):
        services.assignment_cancel(actor=cast.anna_user, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ACTIVE


# --- responses --------------------------------------------------------------------------------


def test_person_starts_from_assignment_and_continues_the_same_response(cast, assign):
    assignment = assign()
    first = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    again = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    assert first.pk == again.pk
    assert first.mode == Response.Mode.PORTAL and first.status == Response.Status.IN_PROGRESS
    assert first.organisation == cast.noor.organisation
    assert Response.objects.count() == 1


def test_person_cannot_start_without_assignment_or_with_someone_elses(cast, assign):
    with pytest.raises(ValidationError):
        services.response_start(actor=cast.anna_user, person=cast.anna, instrument_id="phq-9")
    bas_assignment = assign(person=cast.bas)
    with pytest.raises(ValidationError):
        services.response_start(actor=cast.anna_user, person=cast.anna, assignment=bas_assignment)
    with pytest.raises(NotFound):
        services.response_start(actor=cast.anna_user, person=cast.bas, assignment=bas_assignment)
    assert not Response.objects.exists()


def test_professional_starts_together_without_assignment(cast):
    response = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    assert response.mode == Response.Mode.CONSULT and response.assignment is None
    with pytest.raises(ValidationError):
        services.response_start(actor=cast.noor, person=cast.anna, instrument_id="nope")


def test_save_merges_partial_answers_and_clears_with_empty(cast, portal_response):
    response = portal_response()
    services.response_save(actor=cast.anna_user, response=response, answers={"1": "2", "2": "1"})
    response = services.response_save(actor=cast.anna_user, response=response, answers={"2": "", "3": "0"})
    assert response.answers == {"1": "2", "3": "0"}
    assert response.status == Response.Status.IN_PROGRESS
    assert AccessLogEntry.objects.filter(user=cast.anna_user, action="U", detail="answers").count() == 2


@pytest.mark.parametrize(
    "answers, key",
    [
        ({"1": "4"}, "1"),  # not one of the options
        ({"1": "nooit"}, "1"),
        ({"total": "3"}, "__all__"),  # the calculated score is not answered
        ({"99": "1"}, "__all__"),  # no such question
    ],
)
def test_save_bad_answer_names_the_question_and_saves_nothing(cast, portal_response, answers, key):
    response = portal_response()
    services.response_save(actor=cast.anna_user, response=response, answers={"2": "1"})
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=cast.anna_user, response=response, answers={"3": "1", **answers})
    assert key in exc.value.message_dict
    response.refresh_from_db()
    assert response.answers == {"2": "1"}


def test_save_rejects_text_that_is_too_long_and_keeps_text_as_written(cast, portal_response):
    response = portal_response("koers-prem")
    with pytest.raises(ValidationError) as exc:
        services.response_save(actor=cast.anna_user, response=response, answers={"6": "x" * 2001})
    assert "te lang" in exc.value.message_dict["6"][0]
    script = "<script>alert('x')</script>"
    response = services.response_save(actor=cast.anna_user, response=response, answers={"6": script})
    assert response.answers["6"] == script  # stored as written; templates escape it


def test_worrying_answer_raises_attention_at_once_even_before_completion(cast, portal_response):
    response = portal_response()
    services.response_save(actor=cast.anna_user, response=response, answers={"9": "1"})
    item = AttentionItem.objects.get(response=response)
    assert (item.kind, item.code) == ("flag", "phq9_item9")
    assert item.responsible == cast.noor  # Noor is Anna's responsible professional
    assert item.handled_at is None
    services.response_save(actor=cast.anna_user, response=response, answers={"9": "2"})
    assert AttentionItem.objects.filter(response=response).count() == 1  # once per response


def test_complete_needs_every_required_question_and_changes_nothing_otherwise(cast, portal_response):
    response = portal_response()
    services.response_save(actor=cast.anna_user, response=response, answers={"1": "1"})
    with pytest.raises(ValidationError) as exc:
        services.response_complete(actor=cast.anna_user, response=response)
    assert set(exc.value.message_dict) == {str(n) for n in range(2, 10)}  # 10 is not required
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS
    assert not Score.objects.exists()


def test_complete_scores_keeps_the_fhir_response_and_finishes_a_one_off_assignment(cast, portal_response):
    response = portal_response()
    response = services.response_complete(actor=cast.anna_user, response=response, answers=PHQ9_MILD)
    assert response.status == Response.Status.COMPLETED
    assert response.authored_at is not None
    score = Score.objects.get(response=response)
    assert (score.total, score.band, score.missing, score.scorable, score.flags) == (8, "mild", 0, True, [])
    assert score.instrument_version == "1.0.0"
    resource = response.resource
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{cast.anna.pk}"}
    total = next(i for i in resource["item"] if i["linkId"] == "total")
    assert total["answer"][0]["valueInteger"] == 8
    assignment = response.assignment
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED
    assert not AttentionItem.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.anna_user, action="U", detail="completed").count() == 1
    with pytest.raises(ValidationError):
        services.response_complete(actor=cast.anna_user, response=response)


def test_severe_band_raises_attention_on_completion(cast, portal_response):
    response = services.response_complete(actor=cast.anna_user, response=portal_response(), answers=PHQ9_SEVERE)
    assert response.score.band == "severe"
    assert list(AttentionItem.objects.values_list("kind", "code")) == [("band", "severe")]


def test_recurring_assignment_is_due_again_after_its_interval(cast, portal_response):
    response = portal_response(schedule="interval", interval_days=91)
    services.response_complete(actor=cast.anna_user, response=response, answers=PHQ9_MILD)
    assignment = Assignment.objects.get()
    assert assignment.status == Assignment.Status.ACTIVE
    assert assignment.due_date == timezone.localdate() + dt.timedelta(days=91)
    assert assignment.last_completed_at is not None


def test_portal_and_consult_responses_are_filled_by_their_own_side(cast, portal_response):
    portal = portal_response()
    with pytest.raises(ValidationError):
        services.response_save(actor=cast.noor, response=portal, answers={"1": "1"})
    together = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    with pytest.raises(ValidationError):
        services.response_save(actor=cast.anna_user, response=together, answers={"1": "1"})
    with pytest.raises(NotFound):
        services.response_save(actor=cast.sam, response=together, answers={"1": "1"})
    with pytest.raises(NotFound):
        services.response_save(actor=cast.bas_user, response=portal, answers={"1": "1"})
    portal.refresh_from_db()
    together.refresh_from_db()
    assert portal.answers == {} and together.answers == {}


def test_professional_may_enter_a_paper_questionnaire_with_its_date(cast):
    response = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    when = timezone.now() - dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.response_complete(
            actor=cast.noor, response=response, answers=PHQ9_MILD, authored_at=timezone.now() + dt.timedelta(days=1)
        )
    response = services.response_complete(actor=cast.noor, response=response, answers=PHQ9_MILD, authored_at=when)
    assert response.authored_at == when and response.score.authored_at == when


def test_the_person_cannot_backdate(cast, portal_response):
    response = portal_response()
    with pytest.raises(ValidationError):
        services.response_complete(
            actor=cast.anna_user,
            response=response,
            answers=PHQ9_MILD,
            authored_at=timezone.now() - dt.timedelta(days=3),
        )
    assert not Score.objects.exists()


# --- attention items --------------------------------------------------------------------------


def test_attention_handled_with_a_note(cast, portal_response):
    response = portal_response()
    services.response_save(actor=cast.anna_user, response=response, answers={"9": "2"})
    item = AttentionItem.objects.get()
    for bad in ("", "   ", "x" * 2001):
        with pytest.raises(ValidationError):
            services.attention_handle(actor=cast.noor, item=item, note=bad)
    with pytest.raises(NotFound):
        services.attention_handle(actor=cast.anna_user, item=item, note="Gezien")
    refused = AccessLogEntry.objects.get(user=cast.anna_user, outcome="refused")
    assert (refused.person_id, refused.action, refused.object_type, refused.object_id) == (
        cast.anna.pk,
        "U",
        "questionnaires.AttentionItem",
        str(item.pk),
    )
    with pytest.raises(NotFound):
        services.attention_handle(actor=cast.sam, item=item, note="Gezien")
    item.refresh_from_db()
    assert item.handled_at is None
    handled = services.attention_handle(actor=cast.gert, item=item, note="Gebeld, veiligheid besproken.")
    assert handled.handled_by == cast.gert and handled.handled_note == "Gebeld, veiligheid besproken."
    with pytest.raises(ValidationError):
        services.attention_handle(actor=cast.noor, item=handled, note="Nog eens")


# --- an organisation's own instruments --------------------------------------------------------


def test_manager_imports_own_questionnaire_and_professionals_of_that_organisation_use_it(cast, assign):
    imported = own_instruments.instrument_import(
        actor=cast.mia,
        organisation=cast.gp_practice,
        questionnaire=json.dumps(own_questionnaire()).encode(),
        licence="Licentie van de uitgever, 2026-2028, voor behandeling.",
    )
    assert (imported.instrument_id, imported.version, imported.title) == ("own-3", "2.1", "Eigen vragenlijst")
    assert imported.imported_by == cast.mia
    assignment = assign(instrument_id="own-3")
    assert assignment.imported == imported
    response = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    response = services.response_complete(
        actor=cast.anna_user, response=response, answers={"a": "1", "b": "1", "c": "1"}
    )
    assert response.score.scorable
    CareTeamMember.objects.create(  # Pieter's GGZ team joins Anna's care; it did not import own-3
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.pieter,
        started_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=cast.pieter, person=cast.anna, instrument_id="own-3")
    assert "instrument_id" in exc.value.message_dict


@pytest.mark.parametrize(
    "questionnaire, message",
    [
        (b"{not json", "geen geldige JSON"),
        (b"\xff\xfe", "UTF-8"),
        (b"[1, 2]", "JSON-object"),
        (json.dumps({"resourceType": "Patient"}).encode(), "Questionnaire"),
        (json.dumps(own_questionnaire(id="phq-9")).encode(), "al mee"),
        (json.dumps(own_questionnaire(copyright="")).encode(), "licentie"),
        (b" " * (own_instruments.IMPORT_MAX_BYTES + 1), "te groot"),
    ],
)
def test_import_bad_file_says_what_and_saves_nothing(cast, questionnaire, message):
    with pytest.raises(ValidationError) as exc:
        own_instruments.instrument_import(
            actor=cast.mia, organisation=cast.gp_practice, questionnaire=questionnaire, licence="Licentie X"
        )
    assert message in " ".join(exc.value.message_dict["questionnaire"])
    assert not ImportedInstrument.objects.exists()


def test_import_needs_a_licence_statement_and_a_new_version(cast):
    data = json.dumps(own_questionnaire())
    with pytest.raises(ValidationError) as exc:
        own_instruments.instrument_import(
            actor=cast.mia, organisation=cast.gp_practice, questionnaire=data, licence=" "
        )
    assert "licence" in exc.value.message_dict
    own_instruments.instrument_import(actor=cast.mia, organisation=cast.gp_practice, questionnaire=data, licence="L")
    with pytest.raises(ValidationError) as exc:
        own_instruments.instrument_import(
            actor=cast.mia, organisation=cast.gp_practice, questionnaire=data, licence="L"
        )
    assert "al ingelezen" in exc.value.message_dict["questionnaire"][0]
    newer = json.dumps(own_questionnaire(version="2.2"))
    own_instruments.instrument_import(actor=cast.mia, organisation=cast.gp_practice, questionnaire=newer, licence="L")
    assert ImportedInstrument.objects.count() == 2


def test_only_managers_of_the_organisation_and_administrators_import(cast):
    data = json.dumps(own_questionnaire())
    for actor, organisation in (
        (cast.noor, cast.gp_practice),
        (cast.mia, cast.ggz),
        (cast.anna_user, cast.gp_practice),
    ):
        with pytest.raises(PermissionDenied):
            own_instruments.instrument_import(actor=actor, organisation=organisation, questionnaire=data, licence="L")
    assert not ImportedInstrument.objects.exists()
    own_instruments.instrument_import(actor=cast.ada, organisation=cast.ggz, questionnaire=data, licence="L")
    assert ImportedInstrument.objects.get().organisation == cast.ggz
