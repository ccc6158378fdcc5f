"""``koers gas --levels=-1,0,2 [--weights=1,1,2] [--rho 0.3] [--format text|json]``.

Prints the Goal Attainment Scaling T-score (Kiresuk & Sherman 1968) of the given levels.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from koers.goals import gas


def _numbers(raw: str, name: str, convert):
    parts = [part.strip() for part in (raw or "").split(",")]
    if not raw or not raw.strip() or any(part == "" for part in parts):
        raise CommandError(f"--{name} is empty or has an empty item: give numbers separated by commas, e.g. -1,0,2.")
    values = []
    for part in parts:
        try:
            values.append(convert(part))
        except ValueError:
            kind = "whole numbers" if convert is int else "numbers"
            raise CommandError(f"--{name}: {part!r} is not a number; give {kind} separated by commas.") from None
    return values


class Command(BaseCommand):
    help = "Compute the Goal Attainment Scaling T-score (Kiresuk & Sherman 1968) of goal levels -2..+2."

    def add_arguments(self, parser):
        parser.add_argument("--levels", required=True, help="Levels reached, comma separated, e.g. -1,0,2.")
        parser.add_argument("--weights", help="Weights (> 0), one per level, comma separated. Default: all 1.")
        parser.add_argument("--rho", default=str(gas.DEFAULT_RHO), help="Correlation between goals (default 0.3).")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")

    def handle(self, *args, **options):
        levels = _numbers(options["levels"], "levels", int)
        weights = _numbers(options["weights"], "weights", float) if options.get("weights") is not None else None
        if weights is not None:
            weights = [int(w) if float(w).is_integer() else w for w in weights]
        try:
            rho = float(options["rho"])
        except (TypeError, ValueError):
            raise CommandError(f"--rho: {options['rho']!r} is not a number.") from None
        try:
            weights = gas.validate(levels, weights, rho)
            score = gas.t_score(levels, weights, rho)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["output_format"] == "json":
            payload = {"t_score": score, "levels": levels, "weights": weights, "rho": rho}
            self.stdout.write(json.dumps(payload))
        else:
            self.stdout.write(f"GAS T-score: {score:.1f}")
