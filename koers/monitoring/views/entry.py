"""Entering values: quick entry (several items in one submit, also a diary prompt's link) and
defining an own item. The person's own pages and the professional's about a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from koers.access.decorators import person_view, portal_view
from koers.lib.forms import add_problems_beside, add_service_error
from koers.monitoring import presenters, selectors, services
from koers.monitoring.entries import Entry
from koers.monitoring.forms.entry import CustomTypeForm, QuickEntryForm
from koers.monitoring.models import DiarySchedule, MeasurementType, Observation
from koers.monitoring.views.area import MEASUREMENTS, OBSERVATION, TYPE, Area, base


def _entry_types(person, wanted: list[str], *, everything: bool) -> tuple[list[MeasurementType], bool]:
    """The items to ask, and whether that is a selection. ``?vragen=a,b`` (a diary prompt's link):
    those, in that order. ``?alles``: every measurement and question. Otherwise the diary is
    tailored: the diary items chosen for the person's diary moments (none until the person and
    their care team choose them), their own items and the measurements."""
    types = list(selectors.types_for(person))
    if wanted:
        chosen = [t for t in types if t.code in wanted]
        if chosen:
            return sorted(chosen, key=lambda t: wanted.index(t.code)), True
    if everything:
        return types, False
    schedule = DiarySchedule.objects.filter(person=person).first()
    planned = {t.pk for t in schedule.types.all()} if schedule is not None else set()
    chosen = [t for t in types if t.pk in planned or t.kind != MeasurementType.Kind.DIARY]
    return chosen, len(chosen) < len(types)


def _physical_open(form, wanted: list[str]) -> bool:
    """Show the measurements when they were asked for or one of them has an error."""
    physical = form.groups["physical"]
    if wanted and physical:
        return True
    return any(name in form.errors for t in physical for name in (f"v_{t.code}", f"u_{t.code}"))


def _entries(form) -> list[Entry]:
    """The answers the form could read, as entries at its moment."""
    moment, note = form.cleaned_data["effective_at"], form.cleaned_data.get("note", "")
    return [
        Entry(type=mtype, value=value, effective_at=moment, unit=unit, note=note, key=f"v_{mtype.code}")
        for mtype, value, unit in form.filled()
    ]


def _problems_beside(form, person) -> None:
    """A form with problems of its own also says what the check (no writing) finds in the answers
    it could read, each at its field: a value that cannot be right beside a choice that does not
    exist, in one answer. Without a moment there is nothing to check them at."""
    if "effective_at" not in form.cleaned_data:
        return
    checked = services.entries_check(person=person, entries=_entries(form))
    if checked.errors:
        by_key = checked.as_validation_error().message_dict
        add_problems_beside(form, {form.field_for(key): said for key, said in by_key.items()})


def _entry(request, person, area: Area):
    wanted = [code for code in request.GET.get("vragen", "").split(",") if code]
    types, filtered = _entry_types(person, wanted, everything="alles" in request.GET)
    form = QuickEntryForm(request.POST if request.method == "POST" else None, types=types)
    if request.method == "POST" and not form.is_valid():
        _problems_beside(form, person)
    elif request.method == "POST":
        entries = _entries(form)
        if not area.portal:
            source = Observation.Source.PROFESSIONAL
        elif wanted and request.GET.get("moment") == "1":  # a diary prompt's link (diary.entry_query)
            source = Observation.Source.PROMPT
        else:
            source = Observation.Source.PORTAL
        try:
            saved = services.observations_record(actor=request.user, person=person, entries=entries, source=source)
        except ValidationError as exc:
            add_service_error(form, exc, field_for=form.field_for)
        else:
            count = len(saved) if saved is not None else len(entries)
            messages.success(
                request,
                ngettext("Bewaard: %(count)d antwoord.", "Bewaard: %(count)d antwoorden.", count) % {"count": count},
            )
            return area.redirect("overview")
    context = base(
        area,
        form=form,
        diary_fields=[presenters.entry_field(form, t) for t in form.groups["diary"]],
        physical_fields=[presenters.entry_field(form, t) for t in form.groups["physical"]],
        filtered=filtered,
        physical_open=_physical_open(form, wanted),
        no_diary=not wanted and "alles" not in request.GET and not form.groups["diary"],
        diary_url=area.url("diary"),
    )
    return render(request, "monitoring/entry.html", context)


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=OBSERVATION)
def portal_entry(request, person):
    return _entry(request, person, Area(person, portal=True))


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=OBSERVATION)
def entry(request, person):
    return _entry(request, person, Area(person, portal=False))


def _custom(request, person, area: Area):
    form = CustomTypeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mtype = services.custom_type_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Uw eigen vraag staat nu bij het invullen."))
            return redirect(area.url("entry") + f"?vragen={mtype.code}")
    own = MeasurementType.objects.filter(person=person, active=True).order_by("created_at")
    return render(request, "monitoring/custom.html", base(area, form=form, own=own))


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=TYPE)
def portal_custom(request, person):
    return _custom(request, person, Area(person, portal=True))


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=TYPE)
def custom(request, person):
    return _custom(request, person, Area(person, portal=False))
