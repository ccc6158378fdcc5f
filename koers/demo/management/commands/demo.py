"""``koers demo``: load a small, realistic demo (three organisations, twenty people).

Demo accounts share one known password, so the command refuses to run unless DEBUG is on
or ``--force`` is given. Running it again changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from koers.demo import build, stories


class Command(BaseCommand):
    help = "Laad demogegevens: De Linde, GGZ-team Oost, Wijkteam Centrum en twintig cliënten met een zorgplan."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook laden als DEBUG uit staat. Alleen voor een demo- of testomgeving: "
            "alle demo-accounts hebben hetzelfde bekende wachtwoord.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "Geweigerd: 'koers demo' maakt accounts met een bekend wachtwoord. Zet KOERS_DEBUG=true voor een "
                "lokale demo, of gebruik --force in een afgeschermde demo-omgeving (nooit in productie)."
            )
        try:
            result = build.load_demo()
        except build.DemoConflict as exc:
            raise CommandError(
                "Een deel van de demo-accounts bestaat al ({}), maar de demo is niet compleet. "
                "Gebruik een lege database.".format(", ".join(exc.args[0]))
            ) from None
        if result.created:
            self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
        else:
            self.stdout.write(self.style.WARNING("De demogegevens staan er al; er is niets veranderd."))
        self.stdout.write(", ".join(f"{n} {label}" for label, n in result.counts.items()))
        self.stdout.write("")
        self._table(result.accounts)

    def _table(self, accounts):
        header = ("gebruikersnaam", "rol", "naam", "organisatie", "wachtwoord")
        rows = [(*row, stories.DEMO_PASSWORD) for row in accounts]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "-+-".join("-" * w for w in widths)
        self.stdout.write("Demo-accounts (één gedeeld wachtwoord, alleen voor de demo):")
        self.stdout.write(line)
        self.stdout.write(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write(line)
