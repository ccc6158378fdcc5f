"""Every monitoring page read as HTML, with data in it and with its forms sent wrong.

The same checks as tests/test_aria_references.py (which walks these pages too once
``make_full_record`` knows ``code`` and ``batch_id``): every aria-describedby / aria-labelledby /
label[for] points to an element, ids are unique, wide tables scroll in a named region the
keyboard reaches, every field message is tied to its field, and the error summary's links land
on a field. Plus: one h1 per page, every chart (``svg[role=img]``) has a title and description
it is labelled by, and each chart is followed by its numbers in a table.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.monitoring import services
from koers.monitoring.models import ImportBatch, MeasurementType
from koers.monitoring.tests.test_views_professional import diary_days, monitoring_record, monitoring_urls
from tests.test_aria_references import region_problems, unlinked_messages
from tests.test_shared_templates import Tree, reference_problems

pytestmark = pytest.mark.django_db


def problems(html: str) -> list[str]:
    found = reference_problems(html) + unlinked_messages(html) + region_problems(html)
    tree = Tree(html)
    if len(tree.all("h1")) != 1:
        found.append(f"{len(tree.all('h1'))} h1 elements")
    for svg in tree.all("svg"):
        if svg.attrs.get("role") != "img":
            continue
        refs = svg.attrs.get("aria-labelledby", "").split()
        kinds = [child.tag for child in svg.children if child.attrs.get("id") in refs]
        if kinds != ["title", "desc"] or not all(svg_child.all_text().strip() for svg_child in svg.children[:2]):
            found.append(f"chart {refs} without a title and description it is labelled by")
    return found


@pytest.fixture
def filled(cast):
    record = monitoring_record(cast.anna, cast.noor)
    diary_days(cast.anna, cast.anna_user, days=40, shift_at=20)
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=timezone.localdate() - dt.timedelta(days=20), label="Start"
    )
    services.target_set(
        actor=cast.noor, person=cast.anna, type=MeasurementType.objects.get(code="mood", person=None), low=4
    )
    return record


def test_every_page_with_data_has_sound_references_headings_and_charts(cast, filled, client):
    found = {}
    # The diary pages are tested with views.diary; "discuss" is an action (POST only), no page.
    mine = lambda name: "diary" not in name and not name.endswith("discuss")  # noqa: E731
    pages = [(cast.noor, name, url) for name, url in monitoring_urls(filled, "person") if mine(name)]
    pages += [(cast.anna_user, name, url) for name, url in monitoring_urls(filled, "portal") if mine(name)]
    pages += [
        (cast.noor, "detail mood", reverse("monitoring:detail", args=[cast.anna.pk, "mood"])),
        (cast.anna_user, "portal detail mood", reverse("monitoring:portal_detail", args=["mood"])),
        (cast.noor, "analysis all", reverse("monitoring:analysis", args=[cast.anna.pk]) + "?periode=alles"),
    ]
    charts = 0
    for user, name, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        charts += html.count('role="img"')
        found[name] = problems(html)
    assert charts > 10
    assert not any(found.values()), found


def test_forms_sent_wrong_tie_every_message_to_its_field(cast, filled, client):
    anna = cast.anna.pk
    batch = ImportBatch.objects.create(
        person=cast.anna,
        kind=ImportBatch.Kind.CSV,
        filename="x.csv",
        content="Datum;Systolisch\n01-11-2026 08:00;128\n",
        mapping={"header": ["Datum", "Systolisch"], "proposed": {"timestamp": 0, "time": None, "columns": []}},
        total_rows=1,
        created_by=cast.anna_user,
    )
    posts = [
        (cast.anna_user, reverse("monitoring:portal_entry"), {"effective_at": "morgen", "v_mood": "12"}),
        (cast.anna_user, reverse("monitoring:portal_entry"), {"effective_at": "", "v_weight": "7000"}),
        (cast.noor, reverse("monitoring:entry", args=[anna]), {"v_systolic_bp": "abc", "u_weight": "stone"}),
        (cast.anna_user, reverse("monitoring:portal_custom"), {"scale": "x"}),
        (cast.noor, reverse("monitoring:target", args=[anna, "mood"]), {"low": "x", "high": "12"}),
        (cast.noor, reverse("monitoring:phases", args=[anna]), {"starts_on": "1-13-2026"}),
        (cast.noor, reverse("monitoring:import", args=[anna]), {"kind": "xml"}),
        (cast.anna_user, reverse("monitoring:portal_import_mapping", args=[batch.pk]), {"timestamp": "9"}),
        (cast.anna_user, reverse("monitoring:portal_import_mapping", args=[batch.pk]), {"timestamp": "0"}),
    ]
    found = {}
    for user, url, data in posts:
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code == 200, (url, data)
        html = response.content.decode()
        assert 'id="error-summary"' in html, (url, data)
        found[f"{url} {data}"] = problems(html)
    assert not any(found.values()), found
    upload = SimpleUploadedFile("x.csv", b"")
    client.force_login(cast.anna_user)
    html = client.post(reverse("monitoring:portal_import"), {"file": upload}).content.decode()
    assert problems(html) == []
