"""A relative's own page about a person (issue #13, "relatives in the triad").

What the person shares with them in plain words, whom to contact (only while something is
shared), their own question or concern to the coordinator (through the notifications outbox and
onto the coordinator's worklist) and where to find support for themselves. Nothing the person did
not share; the note is the relative's own: the care team reads it, the person does not.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.followup import worklist
from koers.followup.models import RelativeNote
from koers.followup.relatives import relative_note_send
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from koers.notifications.models import Delivery, Reason
from koers.people.exports import excluded, sections
from koers.workspace.relative_views import TOPIC_PAGES
from tests.support.testing import make_full_record, make_user

pytestmark = pytest.mark.django_db

Topic = access.Topic


def share(cast, *topics, member=None):
    for topic in topics:
        consent_set(actor=cast.anna_user, person=cast.anna, member=member or cast.rob, topic=topic, granted=True)


def page_url(cast):
    return reverse("workspace:relative_person", kwargs={"person_id": cast.anna.pk})


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


def test_the_page_says_what_is_shared_whom_to_contact_and_where_to_find_support(cast, client):
    record = make_full_record(cast.anna, professional=cast.noor)
    share(cast, Topic.CAREPLAN)
    client.force_login(cast.rob)
    response = client.get(page_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna deelt met u" in html
    assert "Zorgplan" in html
    assert reverse("workspace:relative_plan", kwargs={"person_id": cast.anna.pk}) in html
    assert "Noor Bakker" in html and "Huisartsenpraktijk De Linde" in html  # the coordinator
    assert "naastenondersteuner" in html and "familievertrouwenspersoon" in html
    assert 'id="crisisplan"' in html and "Anna deelt geen crisisplan met u" in html  # not shared with Rob
    assert record["goal_id"].description not in html  # goals are not shared
    assert "Een vraag of zorg van uzelf" in html
    assert AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, outcome="success", action="R").exists()


@pytest.mark.parametrize("who", ["rob_unshared", "ria", "noor", "anna_user", "sam"])
def test_nobody_else_gets_the_page_not_even_rob_while_nothing_is_shared(cast, client, who):
    users = {
        "rob_unshared": cast.rob,
        "ria": make_user("ria", role="relative"),
        "noor": cast.noor,
        "anna_user": cast.anna_user,
        "sam": cast.sam,
    }
    user = users[who]
    client.force_login(user)
    before = refused(user)
    assert client.get(page_url(cast)).status_code == 404
    assert client.post(page_url(cast), {"text": "Ik maak me zorgen"}).status_code == 404
    assert refused(user) == before + 2
    assert not RelativeNote.objects.exists()


def test_a_note_reaches_the_coordinator_and_their_worklist_and_not_the_person(cast, client):
    share(cast, Topic.GOALS)
    client.force_login(cast.rob)
    response = client.post(page_url(cast), {"text": "Ik slaap slecht sinds Anna weer opgenomen was."}, follow=True)
    assert response.status_code == 200
    assert "Uw bericht is verstuurd naar Noor Bakker" in response.content.decode()
    note = RelativeNote.objects.get()
    assert (note.person, note.relative, note.coordinator) == (cast.anna, cast.rob, cast.noor)
    assert AccessLogEntry.objects.filter(
        user=cast.rob, person=cast.anna, action="C", object_type="followup.RelativeNote", outcome="success"
    ).exists()
    # Through the notifications outbox, to the coordinator only.
    deliveries = Delivery.objects.filter(reason=Reason.RELATIVE_NOTE)
    assert set(deliveries.values_list("recipient_id", flat=True)) == {cast.noor.pk}
    # On the coordinator's own worklist.
    items, _persons = worklist.build(cast.noor)
    assert [i.kind for i in items if i.kind == worklist.KIND_RELATIVE_NOTE] == [worklist.KIND_RELATIVE_NOTE]
    notes_url = reverse("followup:relative_notes", kwargs={"person_id": cast.anna.pk})
    client.force_login(cast.noor)
    assert "Ik slaap slecht" in client.get(notes_url).content.decode()
    # The person reads none of it: the policy gives them nothing of a relative's notes.
    assert not access.can(cast.anna_user, cast.anna, access.Category.RELATIVE_NOTES)
    assert "followup.RelativeNote" in excluded()
    assert all(s.model is not RelativeNote for s in sections())


def test_an_empty_or_too_long_note_is_refused_with_a_message_and_nothing_is_saved(cast, client):
    share(cast, Topic.GOALS)
    client.force_login(cast.rob)
    response = client.post(page_url(cast), {"text": "   "})
    assert response.status_code == 200
    assert "Schrijf uw vraag of zorg op" in response.content.decode()
    response = client.post(page_url(cast), {"text": "x" * 2001})
    assert "te lang" in response.content.decode()
    assert not RelativeNote.objects.exists()


def test_the_service_refuses_a_relative_of_someone_else_like_a_missing_record(cast):
    ria = make_user("ria", role="relative")
    RelativeLink.objects.create(person=cast.bas, user=ria, relationship="sister")
    consent_set(actor=cast.bas_user, person=cast.bas, member=ria, topic=Topic.GOALS, granted=True)
    with pytest.raises(access.NotFound):
        relative_note_send(actor=ria, person=cast.anna, text="Hallo")
    with pytest.raises(access.NotFound):  # not a relative: the care team writes no relative's notes
        relative_note_send(actor=cast.noor, person=cast.anna, text="Hallo")
    assert not RelativeNote.objects.exists()


def test_no_coordinator_no_contact_named(cast, client):
    share(cast, Topic.GOALS)
    from koers.network.models import CareTeamMember

    CareTeamMember.objects.filter(person=cast.anna).update(role=CareTeamMember.Role.MEMBER)
    client.force_login(cast.rob)
    html = client.get(page_url(cast)).content.decode()
    assert "Noor Bakker" not in html
    assert "Er is nu geen vaste contactpersoon" in html


def test_the_coordinator_gets_the_message_in_koers_without_the_words_of_the_note(cast, client):
    from koers.notifications.delivery import deliver_all
    from koers.notifications.models import Notification

    share(cast, Topic.GOALS)
    relative_note_send(actor=cast.rob, person=cast.anna, text="Ik maak me zorgen om mezelf")
    deliver_all()
    notification = Notification.objects.get(recipient=cast.noor)
    assert notification.reason == Reason.RELATIVE_NOTE
    assert "zorgen om mezelf" not in (notification.about or "")
    client.force_login(cast.noor)
    inbox = client.get(reverse("notifications:workspace_inbox")).content.decode()
    assert "Een naaste heeft een vraag of zorg" in inbox
    assert reverse("followup:relative_notes", kwargs={"person_id": cast.anna.pk}) in inbox


def test_the_coordinator_marks_the_note_handled_and_it_leaves_the_worklist(cast):
    from koers.followup.services import worklist_mark

    share(cast, Topic.GOALS)
    relative_note_send(actor=cast.rob, person=cast.anna, text="Kunnen we bellen?")
    items, _persons = worklist.build(cast.noor)
    (item,) = [i for i in items if i.kind == worklist.KIND_RELATIVE_NOTE]
    assert item.what == "Rob de Boer"  # the list names the relative; the words stay on the notes page
    worklist_mark(actor=cast.noor, person=cast.anna, key=item.key)
    items, _persons = worklist.build(cast.noor)
    assert not [i for i in items if i.kind == worklist.KIND_RELATIVE_NOTE]
    with pytest.raises(access.NotFound):  # the person cannot mark (or read) it
        worklist_mark(actor=cast.anna_user, person=cast.anna, key=item.key)


def test_the_crisis_plan_section_links_to_a_shared_plan_and_promises_nothing(cast, client):
    """Ingrid's page about Daan said "Does Daan have a crisis plan, and does Daan share it with
    you? Then you will find it here later" — while Daan shared it with her, one link above. The
    section links to the plan while it is shared; unshared, it says nothing of whether one exists."""
    make_full_record(cast.anna, professional=cast.noor)
    share(cast, Topic.CAREPLAN)
    client.force_login(cast.rob)
    plan_url = reverse(TOPIC_PAGES[Topic.CRISIS_PLAN], kwargs={"person_id": cast.anna.pk})
    section = crisis_section(client.get(page_url(cast)).content.decode())
    assert "later" not in section and plan_url not in section
    assert "Anna deelt geen crisisplan met u" in section
    share(cast, Topic.CRISIS_PLAN)
    section = crisis_section(client.get(page_url(cast)).content.decode())
    assert "later" not in section and "deelt geen" not in section
    assert f'href="{plan_url}"' in section and "Naar het crisisplan van Anna" in section


def crisis_section(html: str) -> str:
    start = html.index('id="crisisplan"')
    return html[start : html.index("</section>", start)]
