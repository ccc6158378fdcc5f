"""``koers indicators``: every outcome indicator per unit and quarter (issue #16; docs/indicators.md).

    koers indicators --user USERNAME [--organisation ID] [--team ID] [--from DATE] [--to DATE]
                     [--format csv|json]

Prints numerator, denominator and value of each indicator for the organisation and each of its
teams (or one team), per calendar quarter, small cells suppressed exactly as on the page
(a count marked "<10", a value made from it "x", never a number). The CSV and the JSON are the
regional/benchmark data set (docs/indicators-export.schema.json). The user must be staff who may see aggregates of that
organisation; every run is one aggregate row in the access log. Bad input: one line on stderr
and a non-zero exit, nothing printed on stdout.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from koers import access
from koers.accounts.models import Organisation, User
from koers.audit.models import AccessLogEntry
from koers.indicators import export, selectors
from koers.indicators.periods import default_range
from koers.lib.commands import OneLineErrorCommand

OBJECT_TYPE = "indicators"


def _date(text: str | None, name: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{name} {text!r} is geen datum; gebruik JJJJ-MM-DD / is not a date (YYYY-MM-DD)") from None


class Command(OneLineErrorCommand):
    help = "Print every outcome indicator per team/organisation and quarter, small cells suppressed."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username of the manager or quality officer asking")
        parser.add_argument("--organisation", type=int, help="organisation id (default: the user's own)")
        parser.add_argument("--team", type=int, help="only this team of the organisation")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: 4 quarters back)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")

    def handle(self, *args, user, organisation, team, start, end, format, **options):  # noqa: A002 - the option's name
        actor = User.objects.filter(username=user).first()
        today = timezone.localdate()
        first, last = default_range(today)
        start, end = _date(start, "--from") or first, _date(end, "--to") or min(last, today)
        if end < start:
            raise CommandError("--to ligt voor --from / --to lies before --from")
        org = self._organisation(actor, organisation)
        cohort = f"organisatie {org.pk}{f' · team {team}' if team else ''} · {start}..{end}"
        try:
            rows = selectors.indicator_table(org, team_id=team, start=start, end=end, today=today)
        except LookupError:
            raise CommandError(f"team {team} hoort niet bij organisatie {org.pk} / is not a team of it") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        access.record_aggregate(actor, object_type=OBJECT_TYPE, cohort=cohort)
        if format == "json":
            self.stdout.write(
                export.to_json(rows, minimum_cell=selectors.minimum_cell(), generated=timezone.now()), ending="\n"
            )
        else:
            self.stdout.write(export.to_csv(rows), ending="")

    def _organisation(self, actor, organisation_id: int | None) -> Organisation:
        """The user's own organisation; another one (or an unknown user, or one who may not see
        aggregates) is refused — logged when the user is known."""
        if actor is None:
            raise CommandError("onbekende gebruiker / unknown user")
        wanted = organisation_id or actor.organisation_id
        if not access.may_see_aggregates(actor) or wanted != actor.organisation_id:
            access.record_aggregate(
                actor,
                object_type=OBJECT_TYPE,
                cohort=f"organisatie {wanted}",
                outcome=AccessLogEntry.Outcome.REFUSED,
            )
            raise CommandError("deze gebruiker mag deze cijfers niet zien / this user may not see these figures")
        return Organisation.objects.get(pk=wanted)
