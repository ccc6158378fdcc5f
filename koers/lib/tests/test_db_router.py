"""The replica router (docs/scaling.md): reads labelled for analytics go to 'replica', writes
never do, and nothing is routed when no replica is configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from koers.lib.db_router import ReplicaRouter, routed
from koers.people.models import Person

REPLICA_DB = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": REPLICA_DB}
    return ReplicaRouter()


def test_analytics_reads_go_to_the_replica_and_writes_never_do(with_replica):
    router = with_replica
    assert router.db_for_read(Person) == "default"  # care pages: read your own writes
    assert router.db_for_write(Person) == "default"
    with routed("analytics"):
        assert router.db_for_read(Person) == "replica"
        assert router.db_for_write(Person) == "default"
    with routed("population"):
        assert router.db_for_read(Person) == "replica"
    with routed("care"):
        assert router.db_for_read(Person) == "default"
    assert router.db_for_read(Person) == "default"  # the label ends with its block
    assert router.allow_migrate("default", "people") and not router.allow_migrate("replica", "people")


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica):
    with routed("analytics"), transaction.atomic():
        assert with_replica.db_for_read(Person) == "default"


def test_nothing_is_routed_without_a_replica(settings):
    settings.DATABASES = {k: v for k, v in settings.DATABASES.items() if k != "replica"}
    with routed("analytics"):
        assert ReplicaRouter().db_for_read(Person) == "default"


def test_settings_add_the_replica_and_the_router_only_when_asked(tmp_path):
    code = "import koers.settings as s; print(s.DATABASE_ROUTERS, sorted(s.DATABASES))"
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env.update(KOERS_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}")
    plain = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True)  # noqa: S603
    assert plain.stdout.strip() == "[] ['default']", plain.stderr
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    both = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True)  # noqa: S603
    assert both.stdout.strip() == "['koers.lib.db_router.ReplicaRouter'] ['default', 'replica']", both.stderr
