"""``koers research-extract``: the pseudonymised research extract of one project (issue #16).

    koers research-extract --project NAME --user USERNAME --out DIR

Writes CSV files and a codebook (docs/research.md) into DIR, for the people in the care of the
user's organisation who said yes to research use. The project's key comes from the setting
``KOERS_RESEARCH_KEYS`` or the environment variable ``KOERS_RESEARCH_KEY_<NAME>``. Only a
manager or administrator of an organisation may run it; every extract is one aggregate row and
one row per included person in the access log (docs/decisions.md). Bad input: one line on
stderr, a non-zero exit, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.lib.commands import OneLineErrorCommand
from koers.research import extract
from koers.research import pseudonym as ps

OBJECT_TYPE = "research.extract"
ROLES = frozenset({User.Role.MANAGER, User.Role.ADMINISTRATOR})


class Command(OneLineErrorCommand):
    help = "Write the pseudonymised research extract of one project (CSV files and a codebook)."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="project name, e.g. herstel-2027")
        parser.add_argument("--user", required=True, help="username of the manager who hands out the extract")
        parser.add_argument("--out", required=True, help="a new or empty directory for the files")

    def handle(self, *args, project, user, out, **options):
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError("onbekende gebruiker / unknown user")
        if not (access.may_see_aggregates(actor) and actor.role in ROLES):
            access.record_aggregate(
                actor,
                object_type=OBJECT_TYPE,
                cohort=f"project {project}"[:200],
                outcome=AccessLogEntry.Outcome.REFUSED,
            )
            raise CommandError("deze gebruiker mag geen onderzoeksbestand maken / this user may not make an extract")
        try:
            key = ps.project_key(project, getattr(settings, "KOERS_RESEARCH_KEYS", None))
        except ValueError as error:  # a bad name, or KeyMissing
            raise CommandError(str(error)) from None
        directory = Path(out)
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise CommandError(f"{out} bestaat al en is niet leeg / exists and is not empty")
        ids = extract.cohort(actor.organisation_id)
        try:
            result = extract.write(project, key, ids, directory)
        except OSError as error:
            raise CommandError(f"kan niet schrijven in / cannot write to {out}: {error.strerror}") from None
        self._log(actor, project, ids)
        self.stdout.write(f"{result.people} mensen / people, {len(result.files)} bestanden / files in {directory}")

    def _log(self, actor, project: str, ids: list[int]) -> None:
        """One aggregate row for the extract, and one row per person whose data went into it (no
        pseudonym in the log: the log must not become the key between person and pseudonym)."""
        with transaction.atomic():
            access.record_aggregate(
                actor,
                object_type=OBJECT_TYPE,
                cohort=f"organisatie {actor.organisation_id} · project {project} · {len(ids)} mensen",
                action=AccessLogEntry.Action.EXECUTE,
            )
            audit_log.record_many(
                audit_log.build_entry(
                    user=actor,
                    action=AccessLogEntry.Action.READ,
                    person_id=person_id,
                    object_type=OBJECT_TYPE,
                    detail=f"project {project} (gepseudonimiseerd, met toestemming)",
                    purpose=AccessLogEntry.Purpose.RESEARCH,
                )
                for person_id in ids
            )
