"""``koers change --instrument ID --before X --after Y [--format text|json] [--sd SD] [--reliability R]``.

Prints the reliable change index (Jacobson & Truax 1991), whether the change is reliable, the
clinical cut-off used, whether the change is clinically significant, and the direction.
``--sd`` and ``--reliability`` override the instrument's norms; ``--score`` picks a subscale.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.questionnaires import change
from koers.questionnaires.management.commands._common import (
    add_instrument_arguments,
    load_instrument,
    parse_number,
    write_output,
)
from koers.questionnaires.scoring import format_number


class Command(BaseCommand):
    help = "Reliable change index and clinical significance (Jacobson & Truax 1991) between two scores."

    def add_arguments(self, parser):
        add_instrument_arguments(parser)
        parser.add_argument("--before", required=True, help="The earlier score.")
        parser.add_argument("--after", required=True, help="The later score.")
        parser.add_argument("--score", help="Which score (a subscale's name); default: the main score.")
        parser.add_argument("--sd", help="Standard deviation of the reference group (overrides the norms).")
        parser.add_argument("--reliability", help="Reliability, 0 up to 1 (overrides the norms).")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--output", metavar="FILE", help="Write here (atomically) instead of standard output.")

    def handle(self, *args, **options):
        if options.get("lang"):
            with override(options["lang"]):
                return self._handle(options)
        return self._handle(options)

    def _handle(self, options):
        inst = load_instrument(options)
        definition = inst.main if not options.get("score") else inst.score_def(options["score"])
        if definition is None:
            names = ", ".join(score.name for score in inst.scores)
            raise CommandError(
                _("Vragenlijst %(instrument)s heeft geen score %(score)s (wel: %(names)s).")
                % {"instrument": inst.id, "score": repr(options["score"]), "names": names}
            )
        before = parse_number(options["before"], "--before")
        after = parse_number(options["after"], "--after")
        for name, value in (("--before", before), ("--after", after)):
            low, high = definition.minimum, definition.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                raise CommandError(
                    _("%(name)s: %(value)s ligt buiten de scores van %(instrument)s (%(low)s tot en met %(high)s).")
                    % {"name": name, "value": value, "instrument": inst.id, "low": low, "high": high}
                )
        sd = parse_number(options["sd"], "--sd") if options.get("sd") is not None else None
        reliability = (
            parse_number(options["reliability"], "--reliability") if options.get("reliability") is not None else None
        )
        if sd is not None and sd <= 0:
            raise CommandError(_("--sd moet groter dan 0 zijn."))
        if reliability is not None and not 0 <= reliability < 1:
            raise CommandError(_("--reliability moet 0 of meer en kleiner dan 1 zijn."))
        try:
            result = change.for_instrument(inst, before, after, score=definition.name, sd=sd, reliability=reliability)
        except change.NormsMissing as exc:
            raise CommandError(str(exc) + " " + _("Gebruik --sd en --reliability.")) from None
        explanation = change.explain(result, inst if definition is inst.main else None, decimals=definition.decimals)
        if options["output_format"] == "json":
            payload = {"instrument": inst.id, "version": inst.version, "score": definition.name}
            payload |= result.to_dict()
            payload["explanation"] = explanation
            output = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
        else:
            output = self._text(inst, definition, result, explanation)
        write_output(output, options.get("output"), self.stdout)

    def _text(self, inst, definition, result, explanation) -> str:
        def number(value, decimals=2):
            return format_number(value, decimals)

        yes, no = _("ja"), _("nee")
        lines = [
            _("%(title)s, %(score)s: van %(before)s naar %(after)s")
            % {
                "title": inst.title(),
                "score": definition.label().lower(),
                "before": number(result.before, definition.decimals),
                "after": number(result.after, definition.decimals),
            },
            _(
                "RCI: %(rci)s (betrouwbaar als de RCI verder dan 1,96 van 0 ligt; dat is een verschil van meer dan "
                "%(threshold)s punten)"
            )
            % {"rci": number(result.rci), "threshold": number(result.threshold)},
            _("Betrouwbare verandering: %(answer)s (%(direction)s)")
            % {"answer": yes if result.reliable else no, "direction": change.direction_label(result.direction)},
        ]
        if result.cutoff is None:
            lines.append(_("Afkappunt: geen bekend; klinische significantie is niet te bepalen."))
        else:
            kinds = {
                "a": _("a: 2 SD van het klinische gemiddelde"),
                "b": _("b: 2 SD van het gemiddelde van de algemene bevolking"),
                "c": _("c: tussen de twee gemiddelden"),
                "published": _("gepubliceerd afkappunt"),
            }
            lines.append(
                _("Afkappunt: %(cutoff)s (%(kind)s)")
                % {"cutoff": number(result.cutoff), "kind": kinds[result.cutoff_kind]}
            )
            lines.append(
                _("Klinisch significant: %(significant)s; hersteld: %(recovered)s")
                % {
                    "significant": yes if result.clinically_significant else no,
                    "recovered": yes if result.recovered else no,
                }
            )
        lines.append(
            _("Normen: SD %(sd)s, betrouwbaarheid %(reliability)s")
            % {"sd": number(result.sd), "reliability": number(result.reliability)}
            + (" " + _("(voorlopige Koers-waarden; zie docs/instruments.md)") if result.provisional else "")
        )
        lines.append(_("Uitleg voor de cliënt: %(explanation)s") % {"explanation": explanation})
        return "\n".join(lines) + "\n"
