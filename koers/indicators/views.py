"""The indicators page for managers and quality staff (issue #16). Thin: parse, select, render.

Aggregates only: no person is named or linked, every count is suppressed as in
``koers.indicators.report``, and each page view is one aggregate row in the access log. Users who
may not see aggregates get the same 404 as a missing page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.access.decorators import no_person_data
from koers.accounts.models import Team
from koers.indicators import page, selectors
from koers.indicators.forms import IndicatorFilterForm
from koers.indicators.periods import default_range
from koers.indicators.report import INDICATORS

OBJECT_TYPE = "indicators"


def _names() -> dict[str, str]:
    return {code: _(name) for code, name in INDICATORS}


@no_person_data
@login_required
def indicators(request):
    user = request.user
    if request.method not in ("GET", "HEAD") or not access.may_see_aggregates(user):
        raise Http404
    organisation = user.organisation
    teams = list(Team.objects.filter(organisation=organisation).order_by("name", "id"))
    form = IndicatorFilterForm(request.GET or None, teams=teams)
    context = {"form": form, "organisation": organisation, "minimum": selectors.minimum_cell()}
    if request.GET and not form.is_valid():
        return render(request, "indicators/indicators.html", context, status=400)
    data = form.cleaned_data if request.GET else {}
    today = timezone.localdate()
    first, last = default_range(today)
    start, end = data.get("van") or first, min(data.get("tot") or last, today)
    team_id = data.get("team")
    try:
        rows = selectors.indicator_table(organisation, team_id=None, start=start, end=end, today=today)
    except ValueError as error:
        form.add_error(None, _("Kies een kortere periode (hoogstens 10 jaar).") if "quarters" in str(error) else
                       _("De einddatum ligt voor de begindatum."))  # fmt: skip
        return render(request, "indicators/indicators.html", context, status=400)
    access.record_aggregate(
        user,
        object_type=OBJECT_TYPE,
        cohort=f"organisatie {organisation.pk}{f' · team {team_id}' if team_id else ''} · {start}..{end}",
    )
    units = selectors.units(organisation)
    chosen = next((u for u in units if u.kind == "team" and u.id == team_id), units[0])
    names = _names()
    latest = rows[-1].period.label if rows else ""
    context |= {
        "units": units,
        "chosen": chosen,
        "latest": latest,
        "start": start,
        "end": end,
        "overview": page.overview(rows, units, latest, names),
        "trends": page.trends(rows, chosen.key, names),
    }
    return render(request, "indicators/indicators.html", context)
