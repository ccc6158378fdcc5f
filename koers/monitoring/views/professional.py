"""The professional's pages only: the full N=1 analysis, a target for one item (and what is
signalled), and marking treatment changes. Targets and marks are the measurement plan; the
services write them for the care team only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import person_view
from koers.lib import confirm
from koers.lib.forms import add_problems_beside, add_service_error
from koers.monitoring import catalogue, presenters, presenters_analysis, selectors, services
from koers.monitoring.forms.plan import PhaseForm, TargetForm
from koers.monitoring.models import Phase, Target
from koers.monitoring.views.area import (
    DELETE,
    MEASUREMENTS,
    PHASE,
    READ,
    TARGET,
    UPDATE,
    Area,
    base,
    period_asked,
    type_for,
)


@require_safe
@person_view(MEASUREMENTS, object_type="monitoring.analysis")
def analysis(request, person):
    area = Area(person, portal=False)
    types = list(selectors.types_for(person))
    chosen = [code for code in request.GET.getlist("item") if code]
    period, since = period_asked(request, person)
    view = presenters_analysis.analysis(request.user, person, types, chosen=chosen, since=since)
    context = base(area, period=period, periods=presenters.period_choices(), **view)
    return render(request, "monitoring/analysis.html", context)


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=TARGET, object_kwarg="code")
def target(request, person, code):
    area = Area(person, portal=False)
    mtype = type_for(request, person, code, action=UPDATE if request.method == "POST" else READ)
    current = Target.objects.filter(person=person, type=mtype).first()
    if request.method == "POST" and "remove" in request.POST and not confirm.is_confirmed(request):
        question = confirm.Question(
            title=_("Afspraak weghalen?"),
            consequence=_(
                "De afgesproken grenzen voor ‘%(name)s’ gaan weg. De waarden zelf blijven bewaard. "
                "Later kunt u een nieuwe afspraak maken."
            )
            % {"name": catalogue.label(mtype)},
            confirm_label=_("Ja, weghalen"),
            back_url=area.url("target", code=mtype.code),
            hidden={"remove": "1"},
        )
        return confirm.confirm_page(request, person=person, question=question, active_tab="monitoring")
    if request.method == "POST" and "remove" in request.POST:
        try:
            if current is not None:
                services.target_remove(actor=request.user, target=current)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De afspraak is weggehaald."))
        return area.redirect("detail", code=mtype.code)
    initial = {}
    if current is not None:
        initial = {
            f: getattr(current, f)
            for f in ("low", "high", "signal_target", "signal_usual", "agreed_with_person", "note")
        }
    form = TargetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and not form.is_valid():
        add_problems_beside(form, services.target_problems(person=person, type=mtype, **form.cleaned_data))
    elif request.method == "POST":
        try:
            services.target_set(actor=request.user, person=person, type=mtype, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De afspraak is bewaard."))
            return area.redirect("detail", code=mtype.code)
    context = base(
        area,
        mtype=mtype,
        form=form,
        current=current,
        name=catalogue.label(mtype),
        unit=catalogue.unit_label(mtype),
        usual=presenters.usual_text(request.user, person, mtype),
    )
    return render(request, "monitoring/target.html", context)


def _phase_question(area, phase) -> confirm.Question:
    return confirm.Question(
        title=_("Verandering ‘%(label)s’ weghalen?") % {"label": phase.label},
        consequence=_(
            "De markering gaat weg: de analyse vergelijkt dan niet meer voor en na deze datum. "
            "De waarden zelf blijven bewaard."
        ),
        confirm_label=_("Ja, weghalen"),
        back_url=area.url("phases"),
        hidden={"remove": phase.pk},
    )


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=PHASE)
def phases(request, person):
    area = Area(person, portal=False)
    if request.method == "POST" and "remove" in request.POST:
        phase = access.object_for(
            request.user, Phase.objects.all(), request.POST.get("remove"), person=person, action=DELETE
        )
        if not confirm.is_confirmed(request):
            return confirm.confirm_page(
                request, person=person, question=_phase_question(area, phase), active_tab="monitoring"
            )
        try:
            services.phase_remove(actor=request.user, phase=phase)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De verandering is weggehaald."))
        return area.redirect("phases")
    form = PhaseForm(request.POST if request.method == "POST" else None, **selectors.phase_links(request.user, person))
    if request.method == "POST" and not form.is_valid():
        problems = services.phase_problems(actor=request.user, person=person, **form.service_data())
        add_problems_beside(form, problems)
    elif request.method == "POST":
        try:
            services.phase_create(actor=request.user, person=person, **form.service_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De verandering is bewaard. De analyse vergelijkt nu voor en na."))
            return area.redirect("phases")
    context = base(area, form=form, phases=selectors.phases_with_links(request.user, person))
    return render(request, "monitoring/phases.html", context)
