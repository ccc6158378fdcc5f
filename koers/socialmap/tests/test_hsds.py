"""HSDS import and export: the demo map round-trips (export → import → the same tables), in
both formats, and a bad file changes nothing and says which row is wrong."""

import io
import json
import zipfile

import pytest

from koers.demo import socialmap as demo
from koers.socialmap import hsds, hsds_import
from koers.socialmap.models import Contact, Location, Provider, Schedule, Service, TaxonomyTerm
from tests.support.testing import make_user

MODELS = (Provider, Service, Location, Schedule, Contact, TaxonomyTerm)


def _canonical(tables):
    return {name: sorted(rows, key=lambda r: r["id"]) for name, rows in tables.items()}


def _wipe():
    for model in (Service, Provider, TaxonomyTerm):
        model.objects.all().delete()


@pytest.fixture
def staff(cast):
    demo.grant_maintainer_role(cast.noor)
    return cast.noor


@pytest.mark.django_db
def test_demo_tables_import_and_export_the_same_data(staff):
    counts = hsds_import.import_tables(actor=staff, tables=demo.tables())
    assert counts["service"] == 21 and counts["organization"] == 6
    exported = hsds.export_tables(Provider.objects.all())
    assert _canonical(exported) == _canonical(demo.tables())


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["zip", "json"])
def test_round_trip_through_the_file_formats(staff, fmt):
    hsds_import.import_tables(actor=staff, tables=demo.tables())
    before = _canonical(hsds.export_tables(Provider.objects.all()))
    data = (
        hsds.to_zip(hsds.export_tables(Provider.objects.all()))
        if fmt == "zip"
        else hsds.to_json(hsds.export_tables(Provider.objects.all())).encode()
    )
    _wipe()
    assert not Service.objects.exists()
    hsds_import.import_tables(actor=staff, tables=hsds.read_package(data, f"kaart.{fmt}"))
    assert _canonical(hsds.export_tables(Provider.objects.all())) == before
    # importing the same file again changes nothing (rows are matched on their HSDS id)
    hsds_import.import_tables(actor=staff, tables=hsds.read_package(data, f"kaart.{fmt}"))
    assert _canonical(hsds.export_tables(Provider.objects.all())) == before


@pytest.mark.django_db
def test_the_zip_is_a_tabular_data_package():
    archive = zipfile.ZipFile(io.BytesIO(hsds.to_zip({name: [] for name in hsds.TABLES})))
    package = json.loads(archive.read("datapackage.json"))
    assert {r["path"] for r in package["resources"]} == {f"{t}.csv" for t in hsds.TABLES}
    assert archive.read("service.csv").decode().startswith("id,organization_id,name,")


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_names_each_bad_row(staff):
    tables = demo.tables()
    tables["service"][2]["name"] = ""
    tables["schedule"][0]["opens_at"] = "tien uur"
    tables["address"][1]["postal_code"] = "ABCD"
    tables["service_at_location"][0]["location_id"] = "bestaat-niet"
    with pytest.raises(hsds_import.ImportErrors) as error:
        hsds_import.import_tables(actor=staff, tables=tables)
    messages = error.value.messages
    assert any(m.startswith("service, rij 4:") and "naam" in m for m in messages)
    assert any(m.startswith("schedule, rij 2:") for m in messages)
    assert any(m.startswith("address, rij 3:") for m in messages)
    assert any("bestaat-niet" in m for m in messages)
    assert all(not model.objects.exists() for model in MODELS)


@pytest.mark.django_db
def test_unreadable_files_get_a_clear_message():
    with pytest.raises(hsds.FormatError, match="zip"):
        hsds.read_package(b"not a zip", "kaart.zip")
    with pytest.raises(hsds.FormatError, match="JSON"):
        hsds.read_package(b"{", "kaart.json")
    with pytest.raises(hsds.FormatError, match="onbekende kolommen"):
        hsds.read_package(json.dumps({"service": [{"id": "1", "kleur": "rood"}]}).encode(), "kaart.json")


@pytest.mark.django_db
def test_another_organisations_provider_is_never_overwritten(cast, staff):
    hsds_import.import_tables(actor=staff, tables=demo.tables())
    other = make_user("other", organisation=cast.ggz)
    demo.grant_maintainer_role(other)
    tables = demo.tables()
    tables["organization"][0]["name"] = "Overgenomen"
    with pytest.raises(hsds_import.ImportErrors, match="andere organisatie"):
        hsds_import.import_tables(actor=other, tables=tables)
    assert not Provider.objects.filter(name="Overgenomen").exists()


@pytest.mark.django_db
def test_only_staff_may_import(cast):
    with pytest.raises(hsds_import.ImportErrors):
        hsds_import.import_tables(actor=cast.anna_user, tables=demo.tables())
    assert not Provider.objects.exists()
