"""Importing a device export through the pages: upload, choose the columns, watch the progress.

Tests run the import task with django-tasks' ImmediateBackend (settings for tests), so the
progress page already shows the result after the redirect; the htmx partial that the page polls
every second is tested on a batch that is still running. A file with a bad row stores nothing
and lists the problem per row.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.monitoring.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Datum;Tijd;Systolisch;Diastolisch;Pols\n"
    "01-11-2026;08:00;128;82;64\n02-11-2026;08:10;131;84;66\n03-11-2026;07:55;126;80;61\n"
)
BAD_CSV = (
    "Datum;Tijd;Systolisch;Diastolisch\n01-11-2026;08:00;128;82\n31-02-2026;08:10;131;84\n03-11-2026;07:55;1260;80\n"
)


def upload(client, url, text: str, name: str = "export.csv", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8")), **extra})


def portal(name: str, **kwargs) -> str:
    return reverse(f"monitoring:portal_{name}", kwargs=kwargs)


def pro(name: str, person, **kwargs) -> str:
    return reverse(f"monitoring:{name}", kwargs={"person_id": person.pk, **kwargs})


def test_person_uploads_a_csv_checks_the_proposed_columns_and_it_is_imported(cast, login):
    client = login(cast.anna_user)
    assert "FHIR" not in client.get(portal("import")).content.decode()  # the portal takes CSV exports
    response = upload(client, portal("import"), GOOD_CSV)
    batch = ImportBatch.objects.get(person=cast.anna)
    assert response.status_code == 302 and response["Location"] == portal("import_mapping", batch_id=batch.pk)

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "De eerste regels van export.csv" in html and "128" in html  # a preview of the file
    form = page.context["form"]
    # The proposal from the column names: date and time in two columns, three measurements.
    assert form["timestamp"].value() == "0" and form["time"].value() == "1"
    assert [form[f"type_{i}"].value() for i in (2, 3, 4)] == ["systolic_bp", "diastolic_bp", "heart_rate"]

    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(portal("import_mapping", batch_id=batch.pk), data)
    assert response.status_code == 302 and response["Location"] == portal("import_progress", batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 9
    assert Observation.objects.filter(person=cast.anna, source=Observation.Source.CSV).count() == 9

    html = client.get(response["Location"]).content.decode()
    assert "Klaar." in html and "9 waarden ingelezen" in html
    assert "hx-get" not in html  # finished: the page stops polling


def test_a_file_with_bad_rows_stores_nothing_and_lists_the_problems_per_row(cast, login):
    client = login(cast.noor)
    response = upload(client, pro("import", cast.anna), BAD_CSV, kind="csv")
    batch = ImportBatch.objects.get(person=cast.anna)
    form = client.get(response["Location"]).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(pro("import_mapping", cast.anna, batch_id=batch.pk), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Observation.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Er is niets ingelezen." in html
    assert "<caption>Fouten per regel</caption>" in html
    assert '<tr><th scope="row">3</th>' in html and '<tr><th scope="row">4</th>' in html  # rows as in a spreadsheet


def test_choosing_the_same_type_for_two_columns_is_refused(cast, login):
    client = login(cast.anna_user)
    response = upload(client, portal("import"), GOOD_CSV)
    batch = ImportBatch.objects.get()
    form = client.get(response["Location"]).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"type_3": "systolic_bp"}
    response = client.post(portal("import_mapping", batch_id=batch.pk), data)
    assert response.status_code == 200
    assert "Twee kolommen meten hetzelfde." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED and not Observation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Het bestand is leeg."),
        ("Datum;Systolisch\n", "Onder de kopregel staan geen rijen met metingen."),
        ("\x00\x01binary", "geen tekstbestand"),
    ],
)
def test_unreadable_uploads_are_refused_at_the_field(cast, login, content, message):
    client = login(cast.anna_user)
    response = upload(client, portal("import"), content)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_file_error"' in html
    assert message in html
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_asks_for_one(cast, login):
    response = login(cast.anna_user).post(portal("import"), {})
    assert response.status_code == 200
    assert "Kies een bestand." in response.content.decode()


def test_a_fhir_bundle_is_imported_without_a_mapping_step(cast, login):
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "w1",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
                    "effectiveDateTime": "2026-11-01T08:00:00+01:00",
                    "valueQuantity": {"value": 81.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
                }
            }
        ],
    }
    client = login(cast.noor)
    response = upload(client, pro("import", cast.anna), json.dumps(bundle), name="bundle.json", kind="fhir")
    batch = ImportBatch.objects.get(person=cast.anna)
    assert response.status_code == 302 and response["Location"] == pro("import_progress", cast.anna, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Observation.objects.get(person=cast.anna).value == 81.5


def test_progress_is_polled_with_htmx_while_the_import_runs(cast, login):
    batch = ImportBatch.objects.create(
        person=cast.anna,
        kind=ImportBatch.Kind.CSV,
        status=ImportBatch.Status.RUNNING,
        filename="groot.csv",
        total_rows=2000,
        processed_rows=500,
        created_by=cast.anna_user,
    )
    client = login(cast.anna_user)
    page_url = portal("import_progress", batch_id=batch.pk)
    html = client.get(page_url).content.decode()
    assert f'hx-get="{page_url}"' in html and 'hx-trigger="every 1s"' in html
    assert '<progress max="2000" value="500"' in html
    assert "500 van 2000 regels" in html and "(25%)" in html
    partial = client.get(page_url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"')  # only the block is swapped
    assert "<html" not in partial
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.DONE, processed_rows=2000, imported=2000)
    partial = client.get(page_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in partial and "Klaar." in partial


def test_mapping_page_of_a_started_import_points_to_its_progress(cast, login):
    batch = ImportBatch.objects.create(
        person=cast.anna, kind=ImportBatch.Kind.CSV, status=ImportBatch.Status.DONE, created_by=cast.anna_user
    )
    client = login(cast.anna_user)
    response = client.get(portal("import_mapping", batch_id=batch.pk))
    assert response.status_code == 200
    assert portal("import_progress", batch_id=batch.pk) in response.content.decode()
    response = client.post(portal("import_mapping", batch_id=batch.pk), {"timestamp": "0"})
    assert response.status_code == 302


def test_another_persons_import_is_not_found(cast, login):
    batch = ImportBatch.objects.create(person=cast.bas, kind=ImportBatch.Kind.CSV, created_by=cast.bas_user)
    client = login(cast.anna_user)
    for name in ("import_mapping", "import_progress"):
        assert client.get(portal(name, batch_id=batch.pk)).status_code == 404


def test_markup_in_a_file_stays_text_on_the_column_page(cast, login):
    client = login(cast.anna_user)
    text = "Datum;<script>alert(1)</script>\n01-11-2026 08:00;<b>128</b>\n"
    response = upload(client, portal("import"), text, name="<i>x</i>.csv")
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>128</b>" not in html and "&lt;b&gt;128&lt;/b&gt;" in html
    assert "<i>x</i>" not in html
