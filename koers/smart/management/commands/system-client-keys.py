"""``koers system-client-keys``: a system client's public keys for ``private_key_jwt`` (issue #15).

    koers system-client-keys CLIENT_ID                  # show the registered kids
    koers system-client-keys CLIENT_ID --jwks jwks.json # register or rotate (the whole set)
    koers system-client-keys CLIENT_ID --jwks -         # the same, the JWKS on stdin
    koers system-client-keys CLIENT_ID --clear          # no keys: back to the client secret

The JWKS holds public keys only (RSA of at least 2048 bits for RS384, EC P-384 for ES384), each
with its own ``kid``. To rotate: register the old and the new key together, switch the client to
the new one, then register the new one alone. A refusal is one line on stderr and exit code 2.
See docs/smart.md.
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from koers.smart import services
from koers.smart.models import SystemClient

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = "Show, register or rotate the public keys (JWKS) of a SMART system client."

    def add_arguments(self, parser):
        parser.add_argument("client_id", help="the client id of the system client's application")
        parser.add_argument("--jwks", help="a file with the JWK Set (public keys), or - for stdin")
        parser.add_argument("--clear", action="store_true", help="remove all keys: the client uses its secret")

    def handle(self, *args, client_id, jwks=None, clear=False, **options):
        system = SystemClient.objects.select_related("application").filter(application__client_id=client_id).first()
        if system is None:
            raise CommandError(f"no system client with client id {client_id!r}")
        if jwks is not None or clear:
            self._set(system, None if clear else self._read(jwks))
        for key in system.jwks.get("keys", []) if system.has_keys else []:
            self.stdout.write(f"{key['kid']}\t{key.get('kty')}")
        if not system.has_keys:
            self.stdout.write("no keys: this client authenticates with its secret")

    def _read(self, source: str) -> dict:
        try:
            if source == "-":
                return json.load(sys.stdin)
            with open(source, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError) as error:
            self._refuse(f"cannot read the JWKS: {error}")

    def _set(self, system, jwks) -> None:
        try:
            services.system_client_keys_set(actor=None, system=system, jwks=jwks or {})
        except ValidationError as error:
            self._refuse("; ".join(error.messages))

    def _refuse(self, message: str):
        self.stderr.write(message)
        sys.exit(EXIT_REFUSED)
