"""Keeping the map up to date in the UI (issue #16): providers, places, opening times and
contacts are added, changed and archived or removed by who may keep the map, with a message per
field for bad input, nothing half-written, a confirmation before archiving or removing, a log row
per change that names what changed, and an HSDS export that still round-trips afterwards."""

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.demo import socialmap as demo
from koers.goals.models import Goal
from koers.socialmap import hsds, hsds_import, selectors
from koers.socialmap.models import Contact, Location, Provider, Referral, Schedule, Service
from koers.socialmap.services import referral_create
from koers.socialmap.tests.test_hsds import _canonical, _wipe


@pytest.fixture
def mapped(cast):
    demo.grant_maintainer_role(cast.noor)
    hsds_import.import_tables(actor=cast.noor, tables=demo.tables())
    service = Service.objects.get(name="Wandelgroep Maximapark")
    return cast, service.provider, service


def _urls(provider, service):
    location = provider.locations.first()
    schedule, contact = service.schedules.first(), service.contacts.first()
    return {
        "socialmap:provider_edit": [provider.pk],
        "socialmap:provider_archive": [provider.pk],
        "socialmap:location_create": [provider.pk],
        "socialmap:location_edit": [location.pk],
        "socialmap:location_archive": [location.pk],
        "socialmap:schedule_create": [service.pk],
        "socialmap:schedule_edit": [schedule.pk],
        "socialmap:schedule_delete": [schedule.pk],
        "socialmap:contact_create": [service.pk],
        "socialmap:contact_edit": [contact.pk],
        "socialmap:contact_delete": [contact.pk],
        "socialmap:service_create": [],
        "socialmap:provider_create": [],
        "socialmap:import": [],
    }


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


@pytest.mark.django_db
def test_only_who_keeps_the_map_opens_the_forms(mapped, client):
    cast, provider, service = mapped
    urls = _urls(provider, service)
    # gert: a professional of the same organisation without the map-maintainer role; pieter:
    # staff of another organisation. Both read the map; neither opens a form (404, refused row).
    for outsider in (cast.gert, cast.pieter):
        client.force_login(outsider)
        assert client.get(reverse("socialmap:provider", args=[provider.pk])).status_code == 200
        assert client.get(reverse("socialmap:service", args=[service.pk])).status_code == 200
        for name, args in urls.items():
            before = refused(outsider)
            assert client.get(reverse(name, args=args)).status_code == 404, (outsider, name)
            assert client.post(reverse(name, args=args), {"bevestigd": "ja", "name": "X"}).status_code == 404
            assert refused(outsider) == before + 2, name
    assert Provider.objects.get(pk=provider.pk).status == "active" and service.schedules.exists()
    assert not Provider.objects.filter(name="X").exists()
    # the organisation's manager and the professional with the role open every form
    for keeper in (cast.mia, cast.noor):
        client.force_login(keeper)
        for name, args in urls.items():
            assert client.get(reverse(name, args=args)).status_code == 200, (keeper, name)


@pytest.mark.django_db
def test_provider_edit_says_which_field_is_wrong_and_logs_what_changed(mapped, client):
    cast, provider, _service = mapped
    client.force_login(cast.noor)
    url = reverse("socialmap:provider_edit", args=[provider.pk])
    response = client.post(url, {"name": "", "email": "geen-adres"})
    page = response.content.decode()
    assert response.status_code == 200 and 'href="#id_name"' in page and 'href="#id_email"' in page
    assert Provider.objects.get(pk=provider.pk).name == provider.name
    assert client.post(url, {"name": "Sportief Utrecht", "email": "info@example.org"}).status_code == 302
    assert Provider.objects.get(pk=provider.pk).email == "info@example.org"
    row = AccessLogEntry.objects.filter(user=cast.noor, object_type="socialmap.Provider", action="U").latest("pk")
    assert row.detail == "velden:name,description,email"


@pytest.mark.django_db
def test_places_are_added_with_their_postcode_area_and_bad_postcodes_refused(mapped, client):
    cast, provider, _service = mapped
    client.force_login(cast.noor)
    url = reverse("socialmap:location_create", args=[provider.pk])
    response = client.post(url, {"name": "Park Oost", "postal_code": "ABCD", "latitude": "200"})
    page = response.content.decode()
    assert 'href="#id_latitude"' in page
    response = client.post(url, {"name": "Park Oost", "postal_code": "ABCD"})
    assert 'href="#id_postal_code"' in response.content.decode()
    assert not Location.objects.filter(name="Park Oost").exists()
    assert client.post(url, {"name": "Park Oost", "postal_code": "3581 ab", "city": "Utrecht"}).status_code == 302
    location = Location.objects.get(name="Park Oost")
    assert (location.postal_code, location.postcode_area, location.status) == ("3581 AB", "3581", "active")


@pytest.mark.django_db
def test_opening_times_and_contacts_are_checked_added_changed_and_removed_after_asking(mapped, client):
    cast, _provider, service = mapped
    client.force_login(cast.noor)
    url = reverse("socialmap:schedule_create", args=[service.pk])
    response = client.post(url, {"byday": ["MO"], "opens_at": "11:00", "closes_at": "10:00"})
    page = response.content.decode()
    assert 'href="#id_freq"' in page and 'href="#id_closes_at"' in page
    assert service.schedules.count() == 1
    data = {"freq": "WEEKLY", "byday": ["MO", "TH"], "opens_at": "10:00", "closes_at": "11:00", "description": "Ma"}
    assert client.post(url, data).status_code == 302
    schedule = service.schedules.get(description="Ma")
    assert (schedule.byday, schedule.opens_at.hour) == ("MO,TH", 10)
    response = client.post(reverse("socialmap:contact_create", args=[service.pk]), {"name": "", "phone": ""})
    assert 'href="#id_name"' in response.content.decode() and service.contacts.count() == 1
    contact = service.contacts.get()
    edit = reverse("socialmap:contact_edit", args=[contact.pk])
    assert client.post(edit, {"name": "Karin", "phone": "030 000 0199"}).status_code == 302
    assert Contact.objects.get(pk=contact.pk).phone == "030 000 0199"
    delete = reverse("socialmap:schedule_delete", args=[schedule.pk])
    assert "verwijderen?" in client.get(delete).content.decode()
    client.post(delete)  # without the confirmation nothing happens
    assert Schedule.objects.filter(pk=schedule.pk).exists()
    assert client.post(delete, {"bevestigd": "ja"}).status_code == 302
    assert not Schedule.objects.filter(pk=schedule.pk).exists()
    assert AccessLogEntry.objects.filter(user=cast.noor, object_type="socialmap.Schedule", action="D").exists()


@pytest.mark.django_db
def test_a_new_provider_with_a_bad_first_place_is_not_half_written(mapped, client):
    cast, _provider, _service = mapped
    client.force_login(cast.noor)
    before = Provider.objects.count(), Location.objects.count()
    response = client.post(reverse("socialmap:provider_create"), {"name": "Nieuw", "postal_code": "ABCD"})
    assert response.status_code == 200 and 'href="#id_postal_code"' in response.content.decode()
    assert (Provider.objects.count(), Location.objects.count()) == before


@pytest.mark.django_db
def test_archiving_a_provider_asks_first_stops_suggestions_and_keeps_referrals(mapped, client):
    cast, provider, service = mapped
    goal = Goal.objects.create(
        person=cast.anna, description="Wandelen", life_domain="health", lifecycle_status="active", created_by=cast.noor
    )
    referral = referral_create(actor=cast.noor, goal=goal, service=service)
    client.force_login(cast.noor)
    url = reverse("socialmap:provider_archive", args=[provider.pk])
    assert "archiveren?" in client.get(url).content.decode()
    assert client.post(url, {"bevestigd": "ja"}).status_code == 302
    assert Provider.objects.get(pk=provider.pk).status == "inactive"
    assert service.pk not in {s.pk for s in selectors.services()}
    assert Referral.objects.get(pk=referral.pk).service.name == "Wandelgroep Maximapark"
    page = client.get(reverse("socialmap:person", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Wandelgroep Maximapark" in page  # the referral is still shown
    assert client.post(url, {"bevestigd": "ja"}).status_code == 302  # bring it back
    assert service.pk in {s.pk for s in selectors.services()}


@pytest.mark.django_db
def test_an_archived_place_is_not_used_for_nearby(mapped, client):
    cast, _provider, service = mapped
    location = service.locations.get()
    client.force_login(cast.noor)
    client.post(reverse("socialmap:location_archive", args=[location.pk]), {"bevestigd": "ja"})
    info = next(i for i in selectors.service_infos() if i.id == service.pk)
    assert info.postcode_areas == ()


@pytest.mark.django_db
def test_edited_data_still_round_trips_through_hsds(mapped, client):
    cast, provider, service = mapped
    client.force_login(cast.noor)
    client.post(reverse("socialmap:provider_edit", args=[provider.pk]), {"name": "Sportief", "website": "x.nl"})
    client.post(reverse("socialmap:location_create", args=[provider.pk]), {"name": "Plek 2", "postal_code": "3512"})
    client.post(
        reverse("socialmap:schedule_create", args=[service.pk]),
        {"freq": "MONTHLY", "byday": ["SA"], "opens_at": "09:30", "description": "Eerste zaterdag"},
    )
    client.post(reverse("socialmap:contact_create", args=[service.pk]), {"name": "Piet", "email": "p@example.org"})
    client.post(reverse("socialmap:provider_archive", args=[provider.pk]), {"bevestigd": "ja"})
    other = Location.objects.exclude(provider=provider).first()
    client.post(reverse("socialmap:location_archive", args=[other.pk]), {"bevestigd": "ja"})
    before = _canonical(hsds.export_tables(Provider.objects.all()))
    assert any(t["taxonomy"] == hsds.STATUS_TAXONOMY for t in before["taxonomy_term"])
    for fmt in ("zip", "json"):
        tables = hsds.export_tables(Provider.objects.all())
        data = hsds.to_zip(tables) if fmt == "zip" else hsds.to_json(tables).encode()
        _wipe()
        hsds_import.import_tables(actor=cast.noor, tables=hsds.read_package(data, f"kaart.{fmt}"))
        assert _canonical(hsds.export_tables(Provider.objects.all())) == before, fmt
    assert Provider.objects.get(name="Sportief").status == "inactive"
    assert Location.objects.get(hsds_id=other.hsds_id).status == "inactive"


@pytest.mark.django_db
def test_a_service_change_names_the_changed_fields_and_keeps_times_and_contacts(mapped, client):
    cast, provider, service = mapped
    client.force_login(cast.noor)
    data = {
        "provider": provider.pk,
        "name": "Wandelgroep Maximapark Noord",
        "description": service.description,
        "life_domains": service.life_domains,
        "taxonomy_terms": [t.pk for t in service.taxonomy_terms.all()],
        "eligibility_description": service.eligibility_description,
        "fees_description": service.fees_description,
        "is_group": "on",
        "locations": [loc.pk for loc in service.locations.all()],
    }
    assert client.post(reverse("socialmap:service_edit", args=[service.pk]), data).status_code == 302
    row = AccessLogEntry.objects.filter(user=cast.noor, object_type="socialmap.Service", action="U").latest("pk")
    assert row.detail == "velden:name"
    assert service.schedules.count() == 1 and service.contacts.count() == 1  # not wiped by the service form
