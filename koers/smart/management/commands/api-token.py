"""``koers api-token``: a short-lived bearer token for scripts and tests (issue #15; docs/smart.md).

    koers api-token --user noor --scope "user/*.read" [--minutes 10] [--patient 12]
    koers api-token --revoke TOKEN

Prints the token (and nothing else) on stdout. A refusal (unknown or inactive user, a person's
or relative's account, an invalid scope, a patient the user may not read) is one line on stderr
and exit code 2. Issued, refused and revoked tokens are security events in the access log.
"""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from koers.smart import services

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = "Print a short-lived bearer token for a staff user (or revoke one with --revoke)."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username of a care professional, manager or administrator")
        parser.add_argument("--scope", help='SMART scopes, e.g. "user/*.read" or "launch/patient patient/*.read"')
        parser.add_argument("--minutes", type=int, default=services.DEFAULT_MINUTES)
        parser.add_argument("--patient", type=int, help="person id (FHIR Patient id) for patient/ scopes")
        parser.add_argument("--revoke", metavar="TOKEN", help="revoke this token instead")

    def handle(self, *args, user, scope, minutes, patient, revoke, **options):
        if revoke:
            if not services.api_token_revoke(raw=revoke):
                raise CommandError("Onbekende sleutel / unknown token", returncode=EXIT_REFUSED)
            self.stdout.write("OK")
            return
        if not user or not scope:
            raise CommandError(
                "--user en --scope zijn nodig / --user and --scope are required", returncode=EXIT_REFUSED
            )
        try:
            token = services.api_token_issue(username=user, scope=scope, minutes=minutes, patient_id=patient)
        except ValidationError as error:
            self.stderr.write(f"api-token: {' '.join(error.messages)}")
            sys.exit(EXIT_REFUSED)
        self.stdout.write(token)
