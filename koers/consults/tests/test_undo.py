"""Taking an item off the agenda can be undone for a while ("ongedaan maken"), through a
logged service; after the window it is gone for good."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.consults import agenda, selectors, services
from koers.consults.models import AgendaItem
from koers.consults.tests.conftest import begin, log_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cast, consult):
    return [
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=title)
        for title in ("Een", "Twee", "Drie")
    ]


def titles(person, consult):
    return [(i.title, i.priority) for i in selectors.agenda(person, consult)]


def test_remove_then_undo_puts_the_item_back_in_its_place_and_logs_both(cast, consult, items):
    agenda.agenda_item_remove(actor=cast.noor, item=items[1])
    assert titles(cast.anna, consult) == [("Een", 1), ("Drie", 2)]
    assert [i.pk for i in agenda.recently_removed(cast.anna, consult)] == [items[1].pk]
    agenda.agenda_item_restore(actor=cast.noor, item=AgendaItem.all_objects.get(pk=items[1].pk))
    assert titles(cast.anna, consult) == [("Een", 1), ("Twee", 2), ("Drie", 3)]
    assert agenda.recently_removed(cast.anna, consult) == []
    assert log_rows(user=cast.noor, action="D", object_type="consults.AgendaItem", object_id=str(items[1].pk)) == 1
    assert log_rows(user=cast.noor, action="U", object_id=str(items[1].pk), detail="restored") == 1


def test_undo_is_possible_only_for_a_while_then_the_item_is_gone_for_good(cast, consult, items):
    agenda.agenda_item_remove(actor=cast.noor, item=items[0])
    later = timezone.now() + dt.timedelta(minutes=agenda.UNDO_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert agenda.recently_removed(cast.anna, consult) == []
        with pytest.raises(ValidationError) as excinfo:
            agenda.agenda_item_restore(actor=cast.noor, item=AgendaItem.all_objects.get(pk=items[0].pk))
        assert "15 minuten" in " ".join(excinfo.value.messages)
        agenda.agenda_item_remove(actor=cast.noor, item=items[1])  # the next change clears the old one
    assert not AgendaItem.all_objects.filter(pk=items[0].pk).exists()
    assert AgendaItem.all_objects.filter(pk=items[1].pk).exists()


def test_the_person_undoes_only_their_own_removal_before_the_consult(cast, consult):
    own = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Slapen")
    agenda.agenda_item_remove(actor=cast.anna_user, item=own)
    agenda.agenda_item_restore(actor=cast.anna_user, item=AgendaItem.all_objects.get(pk=own.pk))
    theirs = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    agenda.agenda_item_remove(actor=cast.noor, item=theirs)
    with pytest.raises(ValidationError):
        agenda.agenda_item_restore(actor=cast.anna_user, item=AgendaItem.all_objects.get(pk=theirs.pk))
    agenda.agenda_item_remove(actor=cast.anna_user, item=AgendaItem.objects.get(pk=own.pk))
    begin(consult)
    with pytest.raises(ValidationError):
        agenda.agenda_item_restore(actor=cast.anna_user, item=AgendaItem.all_objects.get(pk=own.pk))
    assert not AgendaItem.objects.filter(pk__in=[own.pk, theirs.pk]).exists()


def test_a_removed_item_is_not_counted_or_shown(cast, consult, items):
    agenda.agenda_item_remove(actor=cast.noor, item=items[0])
    upcoming, _earlier = selectors.consults_for(cast.anna)
    assert (upcoming[0].item_count, upcoming[0].open_count) == (2, 2)
    assert AgendaItem.objects.filter(person=cast.anna).count() == 2


def test_save_all_writes_every_changed_item_or_none(cast, consult, items):
    changes = {
        items[0].pk: {"status": "discussed", "discussion_notes": "Metformine blijft"},
        items[1].pk: {"status": "deferred", "discussion_notes": "Volgende keer"},
        items[2].pk: {"status": "open", "discussion_notes": ""},  # unchanged: not written, not logged
    }
    changed = agenda.agenda_save(actor=cast.noor, consult=consult, changes=changes)
    assert {i.pk for i in changed} == {items[0].pk, items[1].pk}
    assert log_rows(user=cast.noor, action="U", object_type="consults.AgendaItem") == 2
    bad = {items[0].pk: {"status": "open", "discussion_notes": "Anders"}, items[1].pk: {"status": "lost"}}
    with pytest.raises(ValidationError):
        agenda.agenda_save(actor=cast.noor, consult=consult, changes=bad)
    assert AgendaItem.objects.get(pk=items[0].pk).discussion_notes == "Metformine blijft"
    with pytest.raises(ValidationError):
        agenda.agenda_save(actor=cast.anna_user, consult=consult, changes={})
