"""Services of koers.consults: access first, validation with plain messages, one log row per write."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.access import NotFound
from koers.consults import agenda, services
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.consults.tests.conftest import begin, log_rows, soon

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- consults -------------------------------------------------------------------------------


def test_consult_plan_writes_the_consult_and_its_log_row(cast):
    when = soon(days=5)
    consult = services.consult_plan(
        actor=cast.noor,
        person=cast.anna,
        scheduled_at=when,
        professional=cast.gert,
        kind=Consult.Kind.PHONE,
        planned_minutes=45,
    )
    consult.refresh_from_db()
    assert (consult.person, consult.professional, consult.created_by) == (cast.anna, cast.gert, cast.noor)
    assert (consult.kind, consult.planned_minutes, consult.status) == ("phone", 45, "planned")
    assert (
        log_rows(
            user=cast.noor, person=cast.anna, action="C", object_type="consults.Consult", object_id=str(consult.pk)
        )
        == 1
    )


@pytest.mark.parametrize("minutes", [0, 4, 241, 999, "30", None, True])
def test_consult_plan_refuses_minutes_outside_5_to_240(cast, minutes):
    with pytest.raises(ValidationError) as excinfo:
        services.consult_plan(
            actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor, planned_minutes=minutes
        )
    assert "planned_minutes" in excinfo.value.error_dict
    assert not Consult.objects.exists()


@pytest.mark.parametrize("minutes", [5, 240])
def test_consult_plan_accepts_short_and_long_consults(cast, minutes):
    consult = services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor, planned_minutes=minutes
    )
    assert consult.planned_minutes == minutes


def test_consult_plan_professional_must_be_in_the_care_team(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.cor)
    assert "zorgteam" in messages_of(excinfo)
    assert not Consult.objects.exists()


def test_consult_plan_refuses_the_past_and_unknown_kinds(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.consult_plan(
            actor=cast.noor,
            person=cast.anna,
            scheduled_at=timezone.now() - dt.timedelta(hours=1),
            professional=cast.noor,
            kind="tarot",
        )
    assert set(excinfo.value.error_dict) == {"scheduled_at", "kind"}
    assert not Consult.objects.exists()


def test_a_consult_that_already_took_place_can_be_recorded(cast):
    when = timezone.now() - dt.timedelta(days=14)
    consult = services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=when, professional=cast.noor, allow_past=True
    )
    services.consult_set_status(actor=cast.noor, consult=begin(consult), status="held")
    assert Consult.objects.get(pk=consult.pk).status == "held"


def test_consult_plan_by_a_stranger_is_refused_and_logged(cast):
    with pytest.raises(NotFound):
        services.consult_plan(actor=cast.sam, person=cast.anna, scheduled_at=soon(), professional=cast.noor)
    assert log_rows(user=cast.sam, person_id=cast.anna.pk, outcome="refused") == 1
    assert not Consult.objects.exists()


def test_the_person_does_not_plan_consults_themself(cast):
    with pytest.raises(NotFound):
        services.consult_plan(actor=cast.anna_user, person=cast.anna, scheduled_at=soon(), professional=cast.noor)
    assert not Consult.objects.exists()
    assert log_rows(user=cast.anna_user, outcome="refused", object_type="consults.Consult") == 1


def test_planning_the_next_consult_picks_up_what_the_person_prepared_without_one(cast):
    preparation = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    assert preparation.consult is None
    loose = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=None, title="Slapen")
    consult = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor)
    preparation.refresh_from_db()
    loose.refresh_from_db()
    assert preparation.consult == consult
    assert loose.consult == consult and loose.priority == 1


def test_consult_update_and_its_limits(cast, consult):
    later = soon(days=10, hour=14)
    services.consult_update(
        actor=cast.noor, consult=consult, scheduled_at=later, professional=cast.gert, kind="video", planned_minutes=60
    )
    consult.refresh_from_db()
    assert (consult.scheduled_at, consult.professional, consult.kind, consult.planned_minutes) == (
        later,
        cast.gert,
        "video",
        60,
    )
    assert log_rows(user=cast.noor, action="U", object_type="consults.Consult", object_id=str(consult.pk)) == 1
    with pytest.raises(ValidationError):
        services.consult_update(
            actor=cast.noor,
            consult=consult,
            scheduled_at=later,
            professional=cast.noor,
            kind="video",
            planned_minutes=999,
        )
    consult.refresh_from_db()
    assert consult.planned_minutes == 60


def test_a_planned_consult_running_late_can_still_be_changed(cast):
    started = timezone.now() - dt.timedelta(minutes=10, seconds=17)
    consult = services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=started, professional=cast.noor, allow_past=True
    )
    same_minute = started.replace(second=0, microsecond=0)
    services.consult_update(
        actor=cast.noor,
        consult=consult,
        scheduled_at=same_minute,
        professional=cast.noor,
        kind="in_person",
        planned_minutes=40,
    )
    assert Consult.objects.get(pk=consult.pk).planned_minutes == 40
    with pytest.raises(ValidationError) as excinfo:
        services.consult_update(
            actor=cast.noor,
            consult=consult,
            scheduled_at=started - dt.timedelta(days=1),
            professional=cast.noor,
            kind="in_person",
            planned_minutes=40,
        )
    assert "scheduled_at" in excinfo.value.error_dict


def test_consult_status_goes_from_planned_to_held_or_cancelled_only(cast, consult):
    with pytest.raises(ValidationError):
        services.consult_set_status(actor=cast.noor, consult=consult, status="planned")
    services.consult_set_status(actor=cast.noor, consult=begin(consult), status="held")
    assert Consult.objects.get(pk=consult.pk).status == "held"
    with pytest.raises(ValidationError) as excinfo:
        services.consult_set_status(actor=cast.noor, consult=consult, status="cancelled")
    assert "gepland" in messages_of(excinfo)
    assert Consult.objects.get(pk=consult.pk).status == "held"
    with pytest.raises(ValidationError):
        services.consult_update(
            actor=cast.noor,
            consult=consult,
            scheduled_at=soon(9),
            professional=cast.noor,
            kind="phone",
            planned_minutes=20,
        )


def test_consult_summary_is_stored_and_limited(cast, consult):
    services.consult_record_summary(actor=cast.noor, consult=consult, summary="  Slaap besproken.  ")
    assert Consult.objects.get(pk=consult.pk).summary == "Slaap besproken."
    with pytest.raises(ValidationError) as excinfo:
        services.consult_record_summary(actor=cast.noor, consult=consult, summary="x" * 10001)
    assert "te lang" in messages_of(excinfo)
    assert Consult.objects.get(pk=consult.pk).summary == "Slaap besproken."
    with pytest.raises(NotFound):
        services.consult_record_summary(actor=cast.pieter, consult=consult, summary="Nee")


# --- preparation ----------------------------------------------------------------------------


def test_one_open_draft_per_person_linked_to_the_next_consult(cast, consult):
    first = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    again = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    assert first == again and first.consult == consult
    assert Preparation.objects.filter(person=cast.anna, status="draft").count() == 1
    assert log_rows(user=cast.anna_user, action="C", object_type="consults.Preparation", purpose="self") == 1


def test_how_are_you_is_a_number_from_0_to_10(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    for bad in ("abc", 11, -1, 5.5, True):
        with pytest.raises(ValidationError) as excinfo:
            services.preparation_save_step(
                actor=cast.anna_user, preparation=draft, step="how_are_you", values={"how_are_you": bad}
            )
        assert "0 tot en met 10" in messages_of(excinfo)
    draft.refresh_from_db()
    assert draft.how_are_you is None
    services.preparation_save_step(
        actor=cast.anna_user,
        preparation=draft,
        step="how_are_you",
        values={"how_are_you": "7", "most_important": " Mijn slaap "},
    )
    draft.refresh_from_db()
    assert (draft.how_are_you, draft.most_important) == (7, "Mijn slaap")


def test_a_sphere_step_saves_situations_and_known_prompts_once(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    values = {
        "current_situation": "Ik slaap slecht",
        "desired_situation": "Uitgerust wakker worden",
        "prompt_answers": {"bothered_by": "'s nachts", "want_to_change": ""},
    }
    services.preparation_save_step(actor=cast.anna_user, preparation=draft, step="health", values=values)
    values["current_situation"] = "Ik slaap iets beter"
    services.preparation_save_step(actor=cast.anna_user, preparation=draft, step="health", values=values)
    answer = SphereAnswer.objects.get(preparation=draft)
    assert answer.current_situation == "Ik slaap iets beter"
    assert answer.prompt_answers == {"bothered_by": "'s nachts"}
    assert log_rows(user=cast.anna_user, action="U", object_type="consults.SphereAnswer") == 2


def test_unknown_spheres_and_prompts_are_refused(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    with pytest.raises(ValidationError) as excinfo:
        services.preparation_save_step(actor=cast.anna_user, preparation=draft, step="work", values={})
    assert "bestaat niet" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.preparation_save_step(
            actor=cast.anna_user,
            preparation=draft,
            step="health",
            values={"prompt_answers": {"like_to_do": "fietsen"}},  # a prompt of another sphere
        )
    assert "hoort niet bij dit onderdeel" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        services.preparation_save_step(
            actor=cast.anna_user, preparation=draft, step="health", values={"current_situation": "x" * 4001}
        )
    assert not SphereAnswer.objects.exists()


def test_topics_are_validated_as_a_whole(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    for topics in ([{"title": ""}], [{"title": "x" * 201}], [{"title": "Ok", "domain": "xx"}], "nope"):
        with pytest.raises(ValidationError):
            services.preparation_save_step(
                actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": topics}
            )
    with pytest.raises(ValidationError):
        services.preparation_save_step(
            actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": [{"title": "a"}] * 21}
        )
    draft.refresh_from_db()
    assert draft.own_topics == []


def test_submit_puts_the_persons_topics_on_the_consult_agenda_after_what_is_there(cast, consult):
    services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="HbA1c", domain="zz")
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    topics = [
        {"title": "Slapen", "detail": "Elke nacht wakker", "domain": "gg"},
        {"title": "Medicijnen", "domain": "zz"},
    ]
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": topics}
    )
    with time_machine.travel(timezone.now(), tick=False):
        services.preparation_submit(actor=cast.anna_user, preparation=draft)
        draft.refresh_from_db()
        assert draft.status == "submitted" and draft.submitted_at == timezone.now()
    items = list(AgendaItem.objects.filter(consult=consult))
    assert [(i.title, i.source, i.priority, i.domain) for i in items] == [
        ("HbA1c", "professional", 1, "zz"),
        ("Slapen", "person", 2, "gg"),
        ("Medicijnen", "person", 3, "zz"),
    ]
    assert all(i.preparation == draft for i in items[1:])
    assert log_rows(user=cast.anna_user, action="C", object_type="consults.AgendaItem") == 2
    with pytest.raises(ValidationError) as excinfo:
        services.preparation_submit(actor=cast.anna_user, preparation=draft)
    assert "al verstuurd" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        services.preparation_save_step(
            actor=cast.anna_user, preparation=draft, step="how_are_you", values={"how_are_you": 3}
        )


def test_a_preparation_for_a_cancelled_consult_waits_for_the_next_one(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": [{"title": "Slapen"}]}
    )
    services.consult_set_status(actor=cast.noor, consult=consult, status="cancelled")
    services.preparation_submit(actor=cast.anna_user, preparation=draft)
    draft.refresh_from_db()
    assert draft.consult is None and AgendaItem.objects.get().consult is None
    later = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(8), professional=cast.noor)
    draft.refresh_from_db()
    assert draft.consult == later and AgendaItem.objects.get().consult == later


def test_a_stale_copy_cannot_submit_twice(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": [{"title": "Slapen"}]}
    )
    stale = Preparation.objects.get(pk=draft.pk)
    services.preparation_submit(actor=cast.anna_user, preparation=draft)
    with pytest.raises(ValidationError):
        services.preparation_submit(actor=cast.anna_user, preparation=stale)
    assert AgendaItem.objects.count() == 1


def test_an_empty_preparation_cannot_be_submitted(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    with pytest.raises(ValidationError) as excinfo:
        services.preparation_submit(actor=cast.anna_user, preparation=draft)
    assert "minstens één vraag" in messages_of(excinfo)
    assert Preparation.objects.get(pk=draft.pk).status == "draft"


def test_after_submitting_a_new_draft_does_not_take_over_the_prepared_consult(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="how_are_you", values={"how_are_you": 5}
    )
    services.preparation_submit(actor=cast.anna_user, preparation=draft)
    second = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    assert second != draft and second.consult is None


def test_nobody_outside_the_team_touches_a_preparation(cast, consult):
    with pytest.raises(NotFound):
        services.preparation_start_or_continue(actor=cast.bas_user, person=cast.anna)
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    with pytest.raises(NotFound):
        services.preparation_save_step(actor=cast.rob, preparation=draft, step="how_are_you", values={"how_are_you": 1})
    assert log_rows(user=cast.rob, outcome="refused") == 1
    assert log_rows(user=cast.bas_user, outcome="refused") == 1


# --- agenda ---------------------------------------------------------------------------------


def _titles(consult):
    return list(AgendaItem.objects.filter(consult=consult).order_by("priority").values_list("title", "priority"))


def test_agenda_item_add_by_person_and_professional_at_the_end(cast, consult):
    a = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk", domain="zz")
    b = services.agenda_item_add(
        actor=cast.anna_user, person=cast.anna, consult=consult, title="Werk", detail="Te druk"
    )
    assert (a.source, a.priority, b.source, b.priority) == ("professional", 1, "person", 2)
    assert log_rows(user=cast.anna_user, action="C", object_type="consults.AgendaItem", object_id=str(b.pk)) == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Ok", "domain": "ab"}, "domain"),
        ({"title": "Ok", "detail": "x" * 4001}, "detail"),
    ],
)
def test_agenda_item_add_bad_input(cast, consult, values, field):
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, **values)
    assert field in excinfo.value.error_dict
    assert not AgendaItem.objects.exists()


def test_agenda_item_add_to_another_persons_consult_is_refused(cast, consult, bas_consult):
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=bas_consult, title="Verkeerd")
    assert not AgendaItem.objects.exists()


def test_agenda_item_move_renumbers_the_consults_agenda(cast, consult):
    items = [services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=t) for t in "ABC"]
    AgendaItem.objects.filter(pk=items[0].pk).update(priority=10)  # gaps are closed on the next move
    # Order now B (2), C (3), A (10).
    services.agenda_item_move(actor=cast.noor, item=items[2], direction="up")
    assert _titles(consult) == [("C", 1), ("B", 2), ("A", 3)]
    services.agenda_item_move(actor=cast.anna_user, item=items[0], direction="down")  # already last: no change
    assert _titles(consult) == [("C", 1), ("B", 2), ("A", 3)]
    services.agenda_item_move(actor=cast.noor, item=items[1], direction="down")
    assert _titles(consult) == [("C", 1), ("A", 2), ("B", 3)]
    with pytest.raises(ValidationError):
        services.agenda_item_move(actor=cast.noor, item=items[1], direction="sideways")
    assert log_rows(action="U", object_type="consults.AgendaItem", detail__startswith="move=") == 3


def test_agenda_item_update_status_and_notes(cast, consult):
    item = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Slapen")
    services.agenda_item_update(actor=cast.noor, item=item, status="discussed", discussion_notes="Slaaphygiëne")
    item.refresh_from_db()
    assert (item.status, item.discussion_notes) == ("discussed", "Slaaphygiëne")
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=cast.noor, item=item, status="forgotten")
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=cast.noor, item=item, discussion_notes="x" * 10001)
    item.refresh_from_db()
    assert item.status == "discussed"


def test_the_person_rewords_only_their_own_items_and_does_not_write_notes(cast, consult):
    own = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Slapen")
    theirs = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    services.agenda_item_update(actor=cast.anna_user, item=own, title="Slecht slapen")
    assert AgendaItem.objects.get(pk=own.pk).title == "Slecht slapen"
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=cast.anna_user, item=theirs, title="Niet doen")
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=cast.anna_user, item=own, status="discussed")
    assert AgendaItem.objects.get(pk=theirs.pk).title == "Bloeddruk"


def test_the_person_may_remove_only_their_own_items_before_the_consult(cast, consult):
    own = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Slapen")
    theirs = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    with pytest.raises(ValidationError) as excinfo:
        agenda.agenda_item_remove(actor=cast.anna_user, item=theirs)
    assert "eigen onderwerpen" in messages_of(excinfo)
    assert AgendaItem.objects.filter(pk=theirs.pk).exists()
    services.consult_set_status(actor=cast.noor, consult=begin(consult), status="held")
    own.refresh_from_db()
    with pytest.raises(ValidationError):
        agenda.agenda_item_remove(actor=cast.anna_user, item=own)
    assert AgendaItem.objects.filter(pk=own.pk).exists()


def test_remove_renumbers_and_logs_a_delete_row(cast, consult):
    items = [services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title=t) for t in "ABC"]
    removed_pk = items[0].pk
    agenda.agenda_item_remove(actor=cast.anna_user, item=items[0])
    assert _titles(consult) == [("B", 1), ("C", 2)]
    assert log_rows(user=cast.anna_user, action="D", object_type="consults.AgendaItem", object_id=str(removed_pk)) == 1
    agenda.agenda_item_remove(actor=cast.noor, item=items[2])
    assert _titles(consult) == [("B", 1)]


def test_a_stranger_cannot_change_the_agenda(cast, consult):
    item = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    for call in (
        lambda: services.agenda_item_add(actor=cast.sam, person=cast.anna, consult=consult, title="x"),
        lambda: services.agenda_item_move(actor=cast.sam, item=item, direction="up"),
        lambda: services.agenda_item_update(actor=cast.sam, item=item, status="discussed"),
        lambda: agenda.agenda_item_remove(actor=cast.sam, item=item),
    ):
        with pytest.raises(NotFound):
            call()
    assert log_rows(user=cast.sam, outcome="refused") == 4
    assert AgendaItem.objects.get(pk=item.pk).status == "open"


def test_a_deferred_item_is_carried_to_a_later_consult_once_and_stays_the_persons(cast, consult):
    item = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Werk")
    services.agenda_item_update(actor=cast.noor, item=item, status="deferred", discussion_notes="Volgende keer")
    services.consult_set_status(actor=cast.noor, consult=begin(consult), status="held")
    later = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(30), professional=cast.noor)
    with pytest.raises(ValidationError):
        services.agenda_item_carry_over(actor=cast.noor, item=item, consult=consult)  # its own consult
    copy = services.agenda_item_carry_over(actor=cast.noor, item=item, consult=later)
    assert (copy.consult, copy.source, copy.title, copy.status, copy.carried_from) == (
        later,
        "person",
        "Werk",
        "open",
        item,
    )
    assert AgendaItem.objects.get(pk=item.pk).consult == consult  # the earlier record stays
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_carry_over(actor=cast.noor, item=item, consult=later)
    assert "al op een latere agenda" in messages_of(excinfo)
    with pytest.raises(NotFound):
        services.agenda_item_carry_over(actor=cast.sam, item=item, consult=later)


def test_only_deferred_items_are_carried(cast, consult):
    item = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    later = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(30), professional=cast.noor)
    with pytest.raises(ValidationError) as excinfo:
        services.agenda_item_carry_over(actor=cast.noor, item=item, consult=later)
    assert "uitgesteld" in messages_of(excinfo)
    assert AgendaItem.objects.count() == 1
