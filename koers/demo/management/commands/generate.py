"""``koers generate --people N``: a synthetic population for benchmarks (see ``koers.demo.generator``)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from koers.audit import context as audit_context
from koers.demo.generator import Generator, PopulationExists


class Command(BaseCommand):
    help = (
        "Maak een synthetische populatie van N cliënten met organisaties, zorgverleners, profielen, consulten, "
        "doelen, acties, besluiten, zorgplannen, vragenlijsten en zelfmetingen (voor benchmarks). "
        "Dezelfde seed geeft dezelfde populatie. Aan het eind: rijen per seconde per tabel."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, required=True, help="aantal cliënten (minstens 1)")
        parser.add_argument("--seed", type=int, default=1, help="seed voor de toevalsgenerator (standaard 1)")
        parser.add_argument("--batch-size", type=int, default=2000, help="cliënten per transactie (standaard 2000)")
        parser.add_argument("--no-progress", action="store_true", help="geen voortgangsbalk")

    def handle(self, *args, people: int, seed: int, batch_size: int, no_progress: bool = False, **options):
        if people < 1:
            raise CommandError("--people moet minstens 1 zijn.")
        if batch_size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn.")
        # With DEBUG on, Django formats and keeps every statement (huge bulk INSERTs): ~40% slower
        # and memory grows. This process only writes, so switch query logging off while it runs.
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            self._generate(people, seed, batch_size, no_progress)
        finally:
            settings.DEBUG = debug

    def _generate(self, people, seed, batch_size, no_progress):
        bar = tqdm(total=people, unit=" cliënten", disable=no_progress, file=self.stderr._out, smoothing=0.1)
        try:
            with audit_context.acting_context(channel="system"), bar:
                stats = Generator(people=people, seed=seed, batch_size=batch_size, progress=bar).run()
        except PopulationExists:
            raise CommandError(
                f"Er is al een gegenereerde populatie met seed {seed} in deze database. "
                "Kies een andere --seed of gebruik een lege database."
            ) from None
        rate = people / stats.seconds if stats.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{people:,} cliënten en {stats.professionals:,} zorgverleners gemaakt in {stats.seconds:.1f} s "
                f"op {connection.vendor} ({rate:,.0f} cliënten/s, {stats.total_rows:,} rijen, "
                f"{stats.total_rows / stats.seconds if stats.seconds else 0:,.0f} rijen/s)."
            )
        )
        self.stdout.write(f"  {'tabel':<40} {'rijen':>12} {'s':>8} {'rijen/s':>10}")
        for label, count in sorted(stats.rows.items()):
            seconds = stats.table_seconds.get(label, 0.0)
            rate = f"{count / seconds:,.0f}" if seconds and count else "-"
            self.stdout.write(f"  {label:<40} {count:>12,} {seconds:>8.2f} {rate:>10}")
