"""Views of koers.monitoring. Thin: parse with a form, call a service or selector, render.

Two sides with the same pages where they make sense: the person's own (``/mijn/bijhouden/``:
overview, quick entry, one item over time, an own item, importing a device export) and the
professional's about a person (``/personen/<id>/bijhouden/``: the same, plus the full N=1
analysis, targets and signalling, and marking treatment changes). Every page goes through
``person_view`` / ``portal_view``; measurement types named in a URL are looked up among the
catalogue and the person's own items only, so another person's own item answers like a missing
one (404 and a refused row in the access log).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.lib import confirm
from koers.monitoring import catalogue, forms, presenters, presenters_analysis, selectors, services
from koers.monitoring.entries import Entry
from koers.monitoring.models import DiarySchedule, ImportBatch, MeasurementType, Observation, Phase, Target

MEASUREMENTS = access.Category.MEASUREMENTS
OBSERVATION = "monitoring.Observation"
TARGET = "monitoring.Target"
PHASE = "monitoring.Phase"
IMPORT = "monitoring.ImportBatch"
TYPE = "monitoring.MeasurementType"
READ, CREATE, UPDATE, DELETE = access.Action.READ, access.Action.CREATE, access.Action.UPDATE, access.Action.DELETE
PORTAL_MENU_LABEL = gettext_lazy("Bijhouden")  # the portal menu item in templates/base.html
PERIODS = {"30": 30, "90": 90, "365": 365, "alles": None}
DEFAULT_PERIOD = "90"


# --- helpers -----------------------------------------------------------------------------------


class Area:
    """Which side a page is on: the names of its URLs and how they are reversed."""

    def __init__(self, person, *, portal: bool):
        self.person, self.portal = person, portal
        self.prefix = "portal_" if portal else ""

    def url(self, name: str, **kwargs) -> str:
        if not self.portal:
            kwargs["person_id"] = self.person.pk
        return reverse(f"monitoring:{self.prefix}{name}", kwargs=kwargs)

    def redirect(self, name: str, **kwargs):
        return redirect(self.url(name, **kwargs))

    def links(self) -> dict[str, str]:
        names = ["overview", "entry", "custom", "import"]
        links = {name: self.url(name) for name in names}
        if not self.portal:
            links |= {"analysis": self.url("analysis"), "phases": self.url("phases")}
        return links


def _type_for(request, person, code: str, action=READ) -> MeasurementType:
    """A catalogue type or one of this person's own items, else NotFound with a refused row."""
    found = selectors.type_for(person, code)
    if found is None:
        access.refuse(
            request.user, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=TYPE, object_id=code
        )
    return found


def _batch(request, person, batch_id, action=READ) -> ImportBatch:
    return access.object_for(request.user, ImportBatch.objects.all(), batch_id, person=person, action=action)


def _period(request, person=None) -> tuple[str, dt.datetime | None]:
    """The period asked for; without a (valid) choice the default, widened so that it includes
    the latest marked treatment change with time before it (``presenters.default_period``)."""
    key = request.GET.get("periode")
    if key not in PERIODS:
        key = DEFAULT_PERIOD
        if person is not None:
            marks = [p.starts_on for p in selectors.phases(person)]
            key = presenters.default_period(marks, timezone.localdate(), PERIODS, DEFAULT_PERIOD)
    days = PERIODS[key]
    return key, (timezone.now() - dt.timedelta(days=days)) if days else None


def _base(area: Area, **context) -> dict:
    return {"person": area.person, "area": area, "links": area.links(), "portal": area.portal, **context}


# --- overview ----------------------------------------------------------------------------------


def _overview(request, person, area: Area):
    rows = presenters.summary_rows(request.user, person, area)
    context = _base(
        area,
        rows=rows,
        diary_rows=[r for r in rows if r.kind != MeasurementType.Kind.PHYSICAL],
        physical_rows=[r for r in rows if r.kind == MeasurementType.Kind.PHYSICAL],
        imports=selectors.imports(person, limit=5),
        phases=selectors.phases(person) if not area.portal else [],
    )
    template = "monitoring/portal_overview.html" if area.portal else "monitoring/overview.html"
    return render(request, template, context)


@require_safe
@portal_view(MEASUREMENTS, object_type=OBSERVATION)
def portal_overview(request, person):
    return _overview(request, person, Area(person, portal=True))


@require_safe
@person_view(MEASUREMENTS, object_type=OBSERVATION)
def overview(request, person):
    return _overview(request, person, Area(person, portal=False))


# --- quick entry -------------------------------------------------------------------------------


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


def _entry(request, person, area: Area):
    wanted = [code for code in request.GET.get("vragen", "").split(",") if code]
    types, filtered = _entry_types(person, wanted, everything="alles" in request.GET)
    form = forms.QuickEntryForm(request.POST if request.method == "POST" else None, types=types)
    if request.method == "POST" and form.is_valid():
        moment = form.cleaned_data["effective_at"]
        note = form.cleaned_data["note"]
        entries = [
            Entry(type=mtype, value=value, effective_at=moment, unit=unit, note=note, key=f"v_{mtype.code}")
            for mtype, value, unit in form.filled()
        ]
        if not area.portal:
            source = Observation.Source.PROFESSIONAL
        elif wanted and request.GET.get("moment") == "1":  # a diary prompt's link (diary.entry_query)
            source = Observation.Source.PROMPT
        else:
            source = Observation.Source.PORTAL
        try:
            saved = services.observations_record(actor=request.user, person=person, entries=entries, source=source)
        except ValidationError as exc:
            forms.add_service_error(form, exc, field_for=form.field_for)
        else:
            count = len(saved) if saved is not None else len(entries)
            messages.success(
                request,
                ngettext("Bewaard: %(count)d antwoord.", "Bewaard: %(count)d antwoorden.", count) % {"count": count},
            )
            return area.redirect("overview")
    context = _base(
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


# --- one item over time ------------------------------------------------------------------------


def _detail(request, person, area: Area, code: str):
    mtype = _type_for(request, person, code)
    period, since = _period(request, person)
    view = presenters.detail(request.user, person, mtype, since=since, area=area)
    from koers.monitoring.views_correct import detail_extras  # it imports Area from here

    view |= detail_extras(request.user, person, mtype, area)  # recent values to correct, stop an own item
    context = _base(area, mtype=mtype, period=period, periods=presenters.period_choices(), **view)
    return render(request, "monitoring/detail.html", context)


@require_safe
@portal_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="code")
def portal_detail(request, person, code):
    return _detail(request, person, Area(person, portal=True), code)


@require_safe
@person_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="code")
def detail(request, person, code):
    return _detail(request, person, Area(person, portal=False), code)


# --- own items ---------------------------------------------------------------------------------


def _custom(request, person, area: Area):
    form = forms.CustomTypeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mtype = services.custom_type_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Uw eigen vraag staat nu bij het invullen."))
            return redirect(area.url("entry") + f"?vragen={mtype.code}")
    own = MeasurementType.objects.filter(person=person, active=True).order_by("created_at")
    return render(request, "monitoring/custom.html", _base(area, form=form, own=own))


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=TYPE)
def portal_custom(request, person):
    return _custom(request, person, Area(person, portal=True))


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=TYPE)
def custom(request, person):
    return _custom(request, person, Area(person, portal=False))


# --- import: upload, columns, progress ---------------------------------------------------------


def _import(request, person, area: Area):
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        allow_fhir=not area.portal,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.kind_value()
        try:
            batch = services.import_start(
                actor=request.user, person=person, kind=kind, filename=upload.name[:200], content=upload.read()
            )
            if kind == ImportBatch.Kind.FHIR:
                services.import_queue(actor=request.user, person=person, batch=batch)
        except ValidationError as exc:
            forms.add_service_error(form, exc, {"content": "file", "filename": "file"})
        else:
            if kind == ImportBatch.Kind.FHIR:
                return area.redirect("import_progress", batch_id=batch.pk)
            return area.redirect("import_mapping", batch_id=batch.pk)
    recent = selectors.imports(person, limit=10)
    return render(request, "monitoring/import.html", _base(area, form=form, recent=recent))


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=IMPORT)
def portal_import(request, person):
    return _import(request, person, Area(person, portal=True))


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=IMPORT)
def import_upload(request, person):
    return _import(request, person, Area(person, portal=False))


def _import_mapping(request, person, area: Area, batch_id):
    batch = _batch(request, person, batch_id, action=UPDATE if request.method == "POST" else READ)
    progress_url = area.url("import_progress", batch_id=batch.pk)
    if batch.status != ImportBatch.Status.UPLOADED or batch.kind != ImportBatch.Kind.CSV:
        if request.method == "POST":
            return redirect(progress_url)
        # Columns are chosen once; afterwards this page only points to the progress.
        return render(request, "monitoring/import_mapping.html", _base(area, batch=batch, progress_url=progress_url))
    columns, proposal, preview = presenters.mapping_start(batch)
    types = list(selectors.types_for(person))
    form = forms.MappingForm(
        request.POST if request.method == "POST" else None, columns=columns, types=types, proposal=proposal
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_mapping_set(actor=request.user, person=person, batch=batch, mapping=form.mapping())
            services.import_queue(actor=request.user, person=person, batch=batch)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            return redirect(progress_url)
    context = _base(area, batch=batch, form=form, preview=preview, columns=columns, progress_url=progress_url)
    return render(request, "monitoring/import_mapping.html", context)


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def portal_import_mapping(request, person, batch_id):
    return _import_mapping(request, person, Area(person, portal=True), batch_id)


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def import_mapping(request, person, batch_id):
    return _import_mapping(request, person, Area(person, portal=False), batch_id)


def _import_progress(request, person, area: Area, batch_id):
    batch = _batch(request, person, batch_id)
    context = _base(
        area,
        batch=batch,
        poll_url=area.url("import_progress", batch_id=batch.pk),
        mapping_url=area.url("import_mapping", batch_id=batch.pk),
        **presenters.progress(batch),
    )
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/import_progress.html#progress", context)
    return render(request, "monitoring/import_progress.html", context)


@require_safe
@portal_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def portal_import_progress(request, person, batch_id):
    return _import_progress(request, person, Area(person, portal=True), batch_id)


@require_safe
@person_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def import_progress(request, person, batch_id):
    return _import_progress(request, person, Area(person, portal=False), batch_id)


# --- professional only: analysis, targets, phases ----------------------------------------------


@require_safe
@person_view(MEASUREMENTS, object_type="monitoring.analysis")
def analysis(request, person):
    area = Area(person, portal=False)
    types = list(selectors.types_for(person))
    chosen = [code for code in request.GET.getlist("item") if code]
    period, since = _period(request, person)
    view = presenters_analysis.analysis(request.user, person, types, chosen=chosen, since=since)
    context = _base(area, period=period, periods=presenters.period_choices(), **view)
    return render(request, "monitoring/analysis.html", context)


@confirm.asks_first
@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=TARGET, object_kwarg="code")
def target(request, person, code):
    area = Area(person, portal=False)
    mtype = _type_for(request, person, code, action=UPDATE if request.method == "POST" else READ)
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
    form = forms.TargetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_set(actor=request.user, person=person, type=mtype, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("De afspraak is bewaard."))
            return area.redirect("detail", code=mtype.code)
    context = _base(
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
    form = forms.PhaseForm(
        request.POST if request.method == "POST" else None, **selectors.phase_links(request.user, person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_create(actor=request.user, person=person, **form.service_data())
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("De verandering is bewaard. De analyse vergelijkt nu voor en na."))
            return area.redirect("phases")
    context = _base(area, form=form, phases=selectors.phases_with_links(request.user, person))
    return render(request, "monitoring/phases.html", context)
