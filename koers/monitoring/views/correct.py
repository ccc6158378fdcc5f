"""Fixing a mistake: correct one value, remove one (care team), stop an own item.

- ``…/bijhouden/waarde/<observation_id>/`` (person and care team): the value (with its unit, or
  0–10 for a scale) and the note; the moment stays. ``services.observation_correct``.
- ``/personen/<id>/bijhouden/waarde/<observation_id>/weghalen/`` (care team only; the person
  corrects instead): a page that asks to confirm, and a POST that removes.
  ``services.observation_remove``.
- ``…/bijhouden/<code>/stoppen/`` (person and care team, own items only): a page that asks to
  confirm, and a POST that stops. ``services.custom_type_retire``.

Every page goes through ``person_view`` / ``portal_view``; the value is looked up with
``access.object_for`` among this person's values only, so another person's value id answers
404 with a refused row in the access log. The method check comes first (405), as on the other
monitoring pages. ``detail_extras`` gives the item page its list of recent values with links here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.lib import confirm
from koers.lib.dates import moment_text
from koers.lib.forms import add_service_error
from koers.monitoring import catalogue, presenters, selectors, services
from koers.monitoring.forms.correct import CorrectionForm
from koers.monitoring.models import MeasurementType, Observation
from koers.monitoring.views.area import Area

MEASUREMENTS = access.Category.MEASUREMENTS
OBSERVATION = "monitoring.Observation"
TYPE = "monitoring.MeasurementType"
READ, UPDATE, DELETE = access.Action.READ, access.Action.UPDATE, access.Action.DELETE
RECENT_MAX = 20


def _when(moment) -> str:
    return moment_text(moment)


def _value_with_unit(mtype: MeasurementType, value: float) -> str:
    text = presenters.value_text(mtype, value)
    unit = presenters.unit_text(mtype)
    return f"{text} {unit}" if unit else text


def _context(area: Area, **context) -> dict:
    return {"person": area.person, "area": area, "links": area.links(), "portal": area.portal, **context}


# --- on the item page --------------------------------------------------------------------------


def detail_extras(user, person, mtype: MeasurementType, area: Area) -> dict:
    """For the item page: the latest values with a link to correct each, and the stop link of an
    own item. Correcting needs an active item (the service checks against it); the care team can
    still remove a value of a stopped item."""
    editable = mtype.active or not area.portal
    recent = []
    for obs in selectors.observations(user, person, type=mtype, limit=RECENT_MAX):
        recent.append(
            {
                "when": _when(obs.effective_at),
                "value": _value_with_unit(mtype, obs.value),
                "note": obs.note,
                "url": area.url("observation_edit", observation_id=obs.pk) if editable else "",
            }
        )
    own = mtype.person_id == person.pk
    return {
        "recent": recent,
        "recent_editable": editable,
        "own_item": own,
        "retired": not mtype.active,
        "stop_url": area.url("custom_stop", code=mtype.code) if own and mtype.active else "",
    }


# --- correct one value -------------------------------------------------------------------------


def _observation(request, person, observation_id, action) -> Observation:
    obs = access.object_for(
        request.user, Observation.objects.select_related("type"), observation_id, person=person, action=action
    )
    obs.person = person  # the services read observation.person
    return obs


def _facts(obs: Observation) -> dict:
    mtype = obs.type
    return {
        "observation": obs,
        "mtype": mtype,
        "name": catalogue.label(mtype),
        "when": _when(obs.effective_at),
        "stored": _value_with_unit(mtype, obs.value),
    }


def _edit(request, person, area: Area, observation_id):
    posting = request.method == "POST"
    obs = _observation(request, person, observation_id, UPDATE if posting else READ)
    mtype = obs.type
    back = area.url("detail", code=mtype.code)
    form = None
    if mtype.active:
        form = CorrectionForm(request.POST if posting else None, observation=obs)
    elif posting:
        messages.error(request, _("Deze vraag wordt niet meer bijgehouden. De waarden kunt u niet meer aanpassen."))
        return redirect(back)
    if posting and form.is_valid():
        note = form.cleaned_data["note"].strip()
        unchanged = form.value_unchanged()
        if unchanged and note == obs.note:
            messages.info(request, _("Er is niets veranderd."))
            return redirect(back)
        try:
            services.observation_correct(
                actor=request.user,
                observation=obs,
                value=obs.value if unchanged else form.cleaned_data["value"],
                unit=None if unchanged else form.unit(),
                note=note,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("De waarde is aangepast."))
            return redirect(back)
    value_item = None
    if form is not None:
        low, high = catalogue.anchors(mtype) or ("", "")
        value_item = {
            "type": mtype,
            "scale": mtype.scale,
            "field": form["value"],
            "unit_field": form["unit"] if "unit" in form.fields else None,
            "anchor_low": low,
            "anchor_high": high,
        }
    context = _context(
        area,
        form=form,
        value_item=value_item,
        back_url=back,
        remove_url="" if area.portal else area.url("observation_remove", observation_id=obs.pk),
        **_facts(obs),
    )
    return render(request, "monitoring/correct/edit.html", context)


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="observation_id")
def portal_observation_edit(request, person, observation_id):
    return _edit(request, person, Area(person, portal=True), observation_id)


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="observation_id")
def observation_edit(request, person, observation_id):
    return _edit(request, person, Area(person, portal=False), observation_id)


# --- remove one value (care team) --------------------------------------------------------------


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="observation_id")
def observation_remove(request, person, observation_id):
    """GET (or a POST without the answer) asks to confirm; the POST of that page removes."""
    area = Area(person, portal=False)
    posting = request.method == "POST"
    obs = _observation(request, person, observation_id, DELETE if posting else READ)
    back = area.url("detail", code=obs.type.code)
    if confirm.is_confirmed(request):  # a plain POST (an old one-click form) gets the question
        try:
            services.observation_remove(actor=request.user, observation=obs)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(area.url("observation_edit", observation_id=obs.pk))
        messages.success(request, _("De waarde is weggehaald."))
        return redirect(back)
    context = _context(area, back_url=back, edit_url=area.url("observation_edit", observation_id=obs.pk), **_facts(obs))
    return render(request, "monitoring/correct/remove.html", context)


# --- stop an own item --------------------------------------------------------------------------


def _own_item(request, person, code: str, action) -> MeasurementType:
    """One of this person's own items (stopped ones too); anything else answers like a missing one."""
    found = selectors.type_for(person, code)
    if found is None or found.person_id != person.pk:
        access.refuse(
            request.user, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=TYPE, object_id=code
        )
    return found


def _stop(request, person, area: Area, code: str):
    posting = request.method == "POST"
    mtype = _own_item(request, person, code, UPDATE if posting else READ)
    back = area.url("detail", code=mtype.code)
    name = catalogue.label(mtype)
    if confirm.is_confirmed(request):  # a plain POST (an old one-click form) gets the question
        if not mtype.active:
            messages.info(request, _("Deze vraag was al gestopt."))
            return redirect(back)
        try:
            services.custom_type_retire(actor=request.user, mtype=mtype)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("‘%(name)s’ wordt niet meer gevraagd. De antwoorden blijven bewaard.") % {"name": name}
            )
        return redirect(back)
    context = _context(area, mtype=mtype, name=name, back_url=back, retired=not mtype.active)
    return render(request, "monitoring/correct/stop.html", context)


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=TYPE, object_kwarg="code")
def portal_custom_stop(request, person, code):
    return _stop(request, person, Area(person, portal=True), code)


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=TYPE, object_kwarg="code")
def custom_stop(request, person, code):
    return _stop(request, person, Area(person, portal=False), code)
