"""“Bespreek dit” from a questionnaire trajectory: the person's results on one instrument, from
the first to the latest, go onto the agenda of the next consult (koers.consults.discussion).
POST only; thin: call the service, redirect to the agenda item (or back, saying why)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from koers import access
from koers.access.decorators import person_view
from koers.consults import discussion
from koers.consults.models import AgendaItem
from koers.questionnaires import discuss as discuss_source


@person_view(access.Category.QUESTIONNAIRES, object_type="questionnaires.trajectory", object_kwarg="instrument")
@require_POST
def discuss(request, person, instrument):
    back = reverse("questionnaires:trajectory", kwargs={"person_id": person.pk, "instrument": instrument})
    first, latest = discuss_source.period(person, instrument)
    try:
        item, created = discussion.agenda_item_discuss(
            actor=request.user,
            person=person,
            kind=AgendaItem.About.QUESTIONNAIRE,
            key=instrument,
            period_from=first,
            period_until=latest,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("questionnaires:list", kwargs={"person_id": person.pk}))
    return discussion.redirect_to_item(request, person, item, created, back=back)
