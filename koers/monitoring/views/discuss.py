"""“Bespreek dit” from the N=1 analysis: one item over the period shown goes onto the agenda
of the next consult (koers.consults.discussion). POST only; thin: parse, call the service,
redirect to the agenda item (or back, saying why)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.consults import discussion
from koers.consults.models import AgendaItem

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365, "alles": None}


class DiscussForm(forms.Form):
    item = forms.SlugField(max_length=40)
    periode = forms.ChoiceField(choices=[(key, key) for key in PERIOD_DAYS])


@person_view(access.Category.MEASUREMENTS, object_type="monitoring.analysis")
@require_POST
def discuss(request, person):
    """From the professional's N=1 analysis."""
    back = reverse("monitoring:analysis", kwargs={"person_id": person.pk})
    return _discuss(
        request,
        person,
        back=back,
        to_page=lambda code, period: f"{back}?{urlencode({'item': code, 'periode': period})}",
    )


@portal_view(access.Category.MEASUREMENTS, object_type="monitoring.Observation")
@require_POST
def portal_discuss(request, person):
    """From the person's own page of one item: "Bespreek dit met mijn zorgverlener"."""
    return _discuss(
        request,
        person,
        back=reverse("monitoring:portal_overview"),
        to_page=lambda code, period: reverse("monitoring:portal_detail", kwargs={"code": code}) + f"?periode={period}",
    )


def _discuss(request, person, *, back: str, to_page):
    form = DiscussForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een onderwerp om te bespreken."))
        return redirect(back)
    code, period = form.cleaned_data["item"], form.cleaned_data["periode"]
    today = timezone.localdate()
    days = PERIOD_DAYS[period]
    try:
        item, created = discussion.agenda_item_discuss(
            actor=request.user,
            person=person,
            kind=AgendaItem.About.MONITORING,
            key=code,
            period_from=today - dt.timedelta(days=days) if days else None,
            period_until=today,
        )
    except ValidationError as error:  # e.g. no such item here: back to the list, not to its page
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return discussion.redirect_to_item(request, person, item, created, back=to_page(code, period))
