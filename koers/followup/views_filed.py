"""The consult's "Vastleggen als document" (issue #17): the consult's report — agenda, summary,
its decisions, goals and actions — filed as a PDF in the person's record. Here, not in
koers.consults, because the report prints decisions and goals (apps above consults; see
``filed_pdfs``). Asks first (``koers.lib.confirm``): the person sees the document too."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import person_view
from koers.consults.models import Consult
from koers.followup import services
from koers.lib import confirm


def _question(person, consult) -> confirm.Question:
    # A planned consult still asks (its button shows only once held; the service says why not).
    refusal = _("Dit consult is afgezegd.") if consult.status == Consult.Status.CANCELLED else ""
    return confirm.Question(
        title=_("Verslag vastleggen als document?"),
        consequence=_(
            "Het verslag van het consult van %(when)s komt als PDF bij de documenten van %(name)s. "
            "Er staan de agenda, de samenvatting, de besluiten en de doelen in. %(name)s kan het zien. "
            "Verandert er later iets? Leg het dan opnieuw vast. Dan komt er een nieuwe versie bij."
        )
        % {"when": date_format(timezone.localtime(consult.scheduled_at), "j F Y"), "name": person.full_name},
        confirm_label=_("Ja, vastleggen"),
        back_url=reverse("consults:detail", args=[person.pk, consult.pk]) + "#document",
        refusal=refusal,
    )


@confirm.asks_first
@person_view(access.Category.CONSULT_RECORDS, object_type="consults.Consult", object_kwarg="consult_id")
@require_http_methods(["GET", "POST"])
def consult_file(request, person, consult_id):
    consult = access.object_for(request.user, Consult.objects.select_related("professional"), consult_id, person=person)
    if not confirm.is_confirmed(request):
        return confirm.confirm_page(request, person=person, question=_question(person, consult), active_tab="consults")
    try:
        services.consult_file(actor=request.user, consult=consult)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het verslag staat bij de documenten."))
    return redirect(reverse("consults:detail", args=[person.pk, consult.pk]) + "#document")
