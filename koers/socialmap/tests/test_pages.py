"""The social map's pages: who may open them, what they log, what they write.

Staff pages answer anyone who is not staff of an organisation like a missing page (404 and a
refused row); the person's pages go through the access layer (READ rows for the goals and the
profile they read); the aggregates leave one aggregate row (purpose quality, no person)."""

import re

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.demo import socialmap as demo
from koers.goals.models import Action, Goal
from koers.people.models import Profile
from koers.socialmap import hsds, hsds_import
from koers.socialmap.models import Provider, Referral, Service

STAFF_URLS = (
    "socialmap:list",
    "socialmap:service_create",
    "socialmap:provider_create",
    "socialmap:import",
    "socialmap:hsds_csv",
    "socialmap:hsds_json",
)


@pytest.fixture
def world(cast):
    demo.grant_maintainer_role(cast.noor)
    hsds_import.import_tables(actor=cast.noor, tables=demo.tables())
    cast.anna.postcode_area = "3532"
    cast.anna.save(update_fields=["postcode_area"])
    Profile.objects.update_or_create(person=cast.anna, defaults={"prefers_group": True, "digital_skills": "high"})
    goal = Goal.objects.create(
        person=cast.anna,
        description="Ik wil weer elke week wandelen",
        life_domain="health",
        lifecycle_status="active",
        created_by=cast.noor,
    )
    return cast, goal


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


@pytest.mark.django_db
def test_staff_pages_open_for_staff_and_refuse_everyone_else(world, client):
    cast, _goal = world
    for name in STAFF_URLS:
        client.force_login(cast.noor)
        assert client.get(reverse(name)).status_code == 200, name
        for outsider in (cast.anna_user, cast.rob):
            client.force_login(outsider)
            before = refused(outsider)
            assert client.get(reverse(name)).status_code == 404, name
            assert refused(outsider) == before + 1


@pytest.mark.django_db
def test_person_page_suggests_with_reasons_and_logs_goals_and_profile(world, client):
    cast, goal = world
    client.force_login(cast.noor)
    response = client.get(reverse("socialmap:person", kwargs={"person_id": cast.anna.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wandelgroep Maximapark" in page and "Waarom deze?" in page
    assert "in uw eigen buurt (postcode 3532)" in page
    rows = AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success")
    assert set(rows.values_list("object_type", flat=True)) >= {"socialmap.suggestions", "people.Profile"}
    client.force_login(cast.sam)
    assert client.get(reverse("socialmap:person", kwargs={"person_id": cast.anna.pk})).status_code == 404


@pytest.mark.django_db
def test_portal_page_for_the_person(world, client):
    cast, _goal = world
    client.force_login(cast.anna_user)
    response = client.get(reverse("socialmap:portal"))
    assert response.status_code == 200
    assert "Wandelgroep Maximapark" in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, object_type="socialmap.suggestions"
    ).exists()


@pytest.mark.django_db
def test_referral_is_an_action_in_the_care_plan_and_its_outcome_follows_it(world, client):
    cast, goal = world
    service = Service.objects.get(name="Wandelgroep Maximapark")
    client.force_login(cast.noor)
    url = reverse("socialmap:referral_create", kwargs={"person_id": cast.anna.pk})
    response = client.post(
        url, {"goal": goal.pk, "service": service.pk, "what": "Meelopen met de wandelgroep", "when": "dinsdag"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    action = referral.action
    assert (action.goal, action.what, action.when) == (goal, "Meelopen met de wandelgroep", "dinsdag")
    assert "Wandelgroep Maximapark" in action.with_whom and action.responsible == "community"
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="socialmap.Referral"
    ).exists()
    out = reverse("socialmap:referral_outcome", kwargs={"person_id": cast.anna.pk})
    assert client.post(out, {"referral": referral.pk, "outcome": "went"}).status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == "went" and Action.objects.get(pk=action.pk).status == "done"
    # Another professional's organisation: refused like a missing record, nothing written.
    client.force_login(cast.sam)
    assert client.post(out, {"referral": referral.pk, "outcome": "stopped"}).status_code == 404
    referral.refresh_from_db()
    assert referral.outcome == "went"


@pytest.mark.django_db
def test_referral_to_an_archived_service_writes_nothing(world, client):
    cast, goal = world
    service = Service.objects.get(name="Wandelgroep Maximapark")
    Service.objects.filter(pk=service.pk).update(status="inactive")
    client.force_login(cast.noor)
    client.post(
        reverse("socialmap:referral_create", kwargs={"person_id": cast.anna.pk}),
        {"goal": goal.pk, "service": service.pk},
    )
    assert not Referral.objects.exists() and not Action.objects.filter(goal=goal).exists()


@pytest.mark.django_db
def test_referral_counts_are_suppressed_and_logged_as_aggregate(world, client):
    cast, goal = world
    client.force_login(cast.noor)
    service = Service.objects.get(name="Wandelgroep Maximapark")
    client.post(
        reverse("socialmap:referral_create", kwargs={"person_id": cast.anna.pk}),
        {"goal": goal.pk, "service": service.pk},
    )
    client.force_login(cast.mia)
    response = client.get(reverse("socialmap:referral_counts"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wandelgroep Maximapark" in page and "&lt;10" in page
    row = AccessLogEntry.objects.filter(user=cast.mia, object_type="socialmap.referral_outcomes").get()
    assert row.person_id is None and row.purpose == "quality"
    client.force_login(cast.anna_user)
    assert client.get(reverse("socialmap:referral_counts")).status_code == 404


@pytest.mark.django_db
def test_gaps_count_people_per_area_and_domain_suppressed(world, client):
    from koers.socialmap import selectors
    from tests.support.testing import make_person

    cast, _goal = world
    people = [make_person(actor=cast.noor, given_name=f"P{i}", family_name="Test") for i in range(12)]
    for i, person in enumerate(people):
        person.postcode_area = "1011" if i < 10 else "9711"
        person.save(update_fields=["postcode_area"])
        Goal.objects.create(
            person=person,
            description="Iets met muziek",
            life_domain="meaning",
            lifecycle_status="active",
            created_by=cast.noor,
        )
    raw = selectors.gap_counts(cast.noor.organisation_id)
    assert raw["1011"]["meaning"] == 10 and raw["9711"]["meaning"] == 2
    assert "3532" not in raw  # Anna's walking goal finds the walking group
    table = selectors.gaps(cast.noor.organisation_id)
    assert table.cells["9711"]["meaning"] is None
    assert table.column_totals["meaning"] is None or table.cells["1011"]["meaning"] is None  # no recovery by difference
    client.force_login(cast.mia)
    response = client.get(reverse("socialmap:gaps"))
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(user=cast.mia, object_type="socialmap.gaps", person=None).count() == 1


@pytest.mark.django_db
def test_import_page_says_what_is_wrong_and_writes_nothing(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tables = demo.tables()
    tables["service"][0]["name"] = ""
    demo.grant_maintainer_role(cast.noor)
    client.force_login(cast.noor)
    upload = SimpleUploadedFile("kaart.json", hsds.to_json(tables).encode(), content_type="application/json")
    response = client.post(reverse("socialmap:import"), {"file": upload})
    assert response.status_code == 400
    assert "service, rij 2" in response.content.decode()
    assert not Provider.objects.exists()
    upload = SimpleUploadedFile("kaart.zip", hsds.to_zip(demo.tables()), content_type="application/zip")
    assert client.post(reverse("socialmap:import"), {"file": upload}).status_code == 302
    assert Service.objects.count() == 21


@pytest.mark.django_db
def test_archive_asks_first_and_only_the_maintainer_may(world, client):
    cast, _goal = world
    service = Service.objects.get(name="Wandelgroep Maximapark")
    url = reverse("socialmap:service_archive", kwargs={"service_id": service.pk})
    client.force_login(cast.sam)
    assert client.post(url, {"bevestigd": "ja"}).status_code == 404
    client.force_login(cast.noor)
    assert "archiveren?" in client.get(url).content.decode()
    client.post(url)
    assert Service.objects.get(pk=service.pk).status == "active"
    assert client.post(url, {"bevestigd": "ja"}).status_code == 302
    assert Service.objects.get(pk=service.pk).status == "inactive"
    assert AccessLogEntry.objects.filter(
        user=cast.noor, object_type="socialmap.Service", detail="status:inactive"
    ).exists()


@pytest.mark.django_db
def test_staff_create_and_edit_a_service(world, client):
    cast, _goal = world
    provider = Provider.objects.first()
    client.force_login(cast.noor)
    data = {
        "provider": provider.pk,
        "name": "Tuinieren in de wijk",
        "life_domains": ["daily", "social"],
        "is_group": "on",
        "schedule_text": "Zaterdag",
        "contact_name": "Joke",
        "contact_phone": "030 123",
    }
    assert client.post(reverse("socialmap:service_create"), data).status_code == 302
    service = Service.objects.get(name="Tuinieren in de wijk")
    assert service.life_domains == ["daily", "social"] and service.schedules.get().description == "Zaterdag"
    bad = data | {"is_group": ""}
    response = client.post(reverse("socialmap:service_edit", kwargs={"service_id": service.pk}), bad)
    assert response.status_code == 200 and "minstens één vorm" in response.content.decode()
    assert Service.objects.get(pk=service.pk).is_group
    client.force_login(cast.pieter)  # staff of another organisation
    assert client.get(reverse("socialmap:service_edit", kwargs={"service_id": service.pk})).status_code == 404


@pytest.mark.django_db
def test_a_service_form_says_every_problem_at_once(world, client):
    """Noor left the name empty and chose no form (group, individual, online): she heard about the
    name, wrote it, and only then about the form. Both in one answer."""
    cast, _goal = world
    client.force_login(cast.noor)
    before = Service.objects.count()
    data = {"provider": Provider.objects.first().pk, "name": "", "life_domains": ["daily"]}
    response = client.post(reverse("socialmap:service_create"), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "is_group"}
    assert Service.objects.count() == before
    service = Service.objects.get(name="Wandelgroep Maximapark")  # changing one: the same answer
    edit = reverse("socialmap:service_edit", kwargs={"service_id": service.pk})
    response = client.post(edit, data | {"provider": service.provider_id})
    assert set(response.context["form"].errors) == {"name", "is_group"}
    assert Service.objects.get(pk=service.pk).name == "Wandelgroep Maximapark"


def test_what_an_import_read_in_is_counted_in_plain_words():
    from koers.socialmap.views_staff import imported_text

    assert imported_text({"organization": 1, "service": 1}) == "Ingelezen: 1 aanbieder en 1 soort aanbod."
    assert imported_text({"organization": 3, "service": 21}) == "Ingelezen: 3 aanbieders en 21 soorten aanbod."


@pytest.mark.django_db
def test_the_list_names_life_domains_in_words_not_codes(world, client):
    """The staff list showed the stored codes ('health', 'social, daily') in the Levensgebieden
    column, in English on a Dutch page (seen browsing the demo as pieter)."""
    cast, _goal = world
    client.force_login(cast.noor)
    page = client.get(reverse("socialmap:list")).content.decode()
    cells = re.findall(r'<td class="life-domains">([^<]*)</td>', page)
    assert cells and all(cells)
    words = {word.strip() for cell in cells for word in cell.split(",")}
    assert "Gezondheid" in words
    assert not words & {"health", "living", "work", "learning", "social", "daily", "meaning"}


@pytest.mark.django_db
def test_gaps_name_the_people_without_a_postcode_in_words(world, client):
    """Mia's gaps page had a row headed "?": the people whose postcode is not known. It says
    so in words, in the page's language, after the areas."""
    from tests.support.testing import make_person

    cast, _goal = world
    for i, area in enumerate(["", "1011"]):
        person = make_person(actor=cast.noor, given_name=f"P{i}", family_name="Test")
        person.postcode_area = area
        person.save(update_fields=["postcode_area"])
        Goal.objects.create(
            person=person, description="Iets met muziek", life_domain="meaning", lifecycle_status="active",
            created_by=cast.noor,
        )  # fmt: skip
    client.force_login(cast.mia)
    page = client.get(reverse("socialmap:gaps")).content.decode()
    rows = re.findall(r'<th scope="row">(.*?)</th>', page)
    assert rows == ["1011", "Postcode niet bekend", "Totaal"], rows
    english = client.get(reverse("socialmap:gaps"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Postcode not known" in english and '<th scope="row">?</th>' not in english


@pytest.mark.django_db
def test_a_service_of_more_than_one_form_lists_them_apart(world, client):
    """The staff list and the person's card said "groep online" for a group that meets online:
    two forms run together. They are listed apart, as the life domains are."""
    cast, _goal = world
    service = Service.objects.get(name="Online herstelgroep")
    assert service.is_group and service.is_online
    assert service.form_labels == ["groep", "online"]
    client.force_login(cast.noor)
    staff = client.get(reverse("socialmap:list")).content.decode()
    row = staff[staff.index(">Online herstelgroep<") :]
    assert "<td>groep, online</td>" in row[: row.index("</tr>")]
    client.force_login(cast.anna_user)
    assert "groep online" not in client.get(reverse("socialmap:portal")).content.decode()
