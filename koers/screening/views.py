"""Views of koers.screening. Thin: parse with a form, call a service or selector, render.

Professional pages under /personen/<person_id>/metingen/, the person's own under /mijn/metingen/.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.goals.models import Goal
from koers.lib.forms import add_problems_beside
from koers.screening import forms, letter_pdf, selectors, services, targets
from koers.screening.letter import NAMES, display_unit, target_text
from koers.screening.models import LabLetter, SomaticScreening

MEASUREMENTS = access.Category.MEASUREMENTS
MEASUREMENT = "screening.Measurement"
SCREENING = "screening.SomaticScreening"
LETTER = "screening.LabLetter"
READ, UPDATE, CREATE = access.Action.READ, access.Action.UPDATE, access.Action.CREATE
PORTAL_MENU_LABEL = gettext_lazy("Mijn metingen")  # the portal menu item in templates/base.html


def _rows_for_display(rows):
    for row in rows:
        row.name = NAMES[row.measure.code]
        row.unit = display_unit(row.measurement.unit)
        row.value_text = targets.fmt(row.measurement.value)
        row.target_text = target_text(row.target, row.measurement.unit)
    return rows


def _letter(request, person, letter_id, action=READ, *, sent_only=False) -> LabLetter:
    qs = LabLetter.objects.all()
    if sent_only:
        qs = qs.filter(status=LabLetter.Status.SENT)
    return access.object_for(request.user, qs, letter_id, person=person, action=action)


def _screening(request, person, screening_id, action=READ) -> SomaticScreening:
    return access.object_for(request.user, SomaticScreening.objects.all(), screening_id, person=person, action=action)


def _pdf_response(letter: LabLetter) -> HttpResponse:
    response = HttpResponse(letter_pdf.pdf_bytes(letter), content_type="application/pdf")
    name = slugify(letter.title) or "brief"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- professional pages ----------------------------------------------------------------------


@person_view(MEASUREMENTS, object_type=MEASUREMENT)
def overview(request, person):
    latest = _rows_for_display(selectors.latest_values(person))
    open_screening = selectors.open_screening(person)
    context = {
        "person": person,
        "latest": latest,
        "flags": [row for row in latest if row.flagged],
        "history": _rows_for_display(selectors.history(person, limit=50)),
        "open_screening": open_screening,
        "overdue": bool(open_screening and open_screening.due_date < timezone.localdate()),
        "done_screenings": selectors.screenings(person).filter(done_on__isnull=False)[:5],
        "suggest_screening": open_screening is None and selectors.has_severe_mental_illness(person),
        "personal_targets": [
            {
                "name": NAMES[t.measure],
                "text": target_text(t.as_target(), targets.measure(t.measure).unit),
                "reason": t.reason,
            }
            for t in selectors.personal_targets(person).values()
        ],
        "letters": selectors.letters_for_team(person),
        "plan_form": forms.PlanForm(initial={"due_date": timezone.localdate()}),
    }
    return render(request, "screening/overview.html", context)


@person_view(MEASUREMENTS, object_type=MEASUREMENT)
def measurement_create(request, person):
    open_screening = selectors.open_screening(person)
    if request.method != "POST":
        form = forms.MeasurementForm(initial={"taken_at": timezone.localdate(), "for_screening": bool(open_screening)})
    else:
        form = forms.MeasurementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.measurement_record(
                    actor=request.user,
                    person=person,
                    measure=data["measure"],
                    value=data["value"],
                    unit=data["unit"],
                    taken_at=data["taken_at"],
                    screening=open_screening if data["for_screening"] else None,
                )
            except ValidationError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, _("De meting is bewaard."))
                if "nog_een" in request.POST:
                    return redirect("screening:measurement_create", person_id=person.pk)
                return redirect("screening:overview", person_id=person.pk)
        else:
            data = form.cleaned_data
            values = {name: data.get(name, "") for name in ("measure", "value", "unit")}
            problems = services.measurement_problems(person=person, taken_at=data.get("taken_at"), **values)
            add_problems_beside(form, problems)  # every problem at once
    context = {"person": person, "form": form, "open_screening": open_screening}
    return render(request, "screening/measurement_form.html", context)


@person_view(MEASUREMENTS, object_type=MEASUREMENT)
def import_fhir(request, person):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.measurements_import_fhir(
                actor=request.user, person=person, payload=form.cleaned_data["payload"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(count)d uitslagen ingelezen.") % {"count": len(created)})
            return redirect("screening:overview", person_id=person.pk)
    return render(request, "screening/import.html", {"person": person, "form": form})


@person_view(MEASUREMENTS, object_type="screening.PersonalTarget")
def target_edit(request, person):
    form = forms.TargetForm(request.POST or None, initial={"measure": request.GET.get("meting")})
    if request.method == "POST" and not form.is_valid():
        add_problems_beside(form, services.personal_target_problems(**form.cleaned_data))
    elif request.method == "POST":
        try:
            services.personal_target_set(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Het eigen streefdoel is bewaard."))
            return redirect("screening:overview", person_id=person.pk)
    defaults = []
    for m in targets.measures().values():
        target = targets.default_target(m, person.gender)
        if target is not None:
            defaults.append(
                {"name": NAMES[m.code], "target": target_text(target, m.unit), "source": target.source_text,
                 "koers_default": target.koers_default}
            )  # fmt: skip
    context = {"person": person, "form": form, "defaults": defaults}
    return render(request, "screening/target_form.html", context)


@person_view(MEASUREMENTS, object_type=SCREENING)
@require_POST
def screening_plan(request, person):
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.screening_plan(actor=request.user, person=person, due_date=form.cleaned_data["due_date"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De lichamelijke controle is gepland."))
    return redirect("screening:overview", person_id=person.pk)


@person_view(MEASUREMENTS, object_type=SCREENING, object_kwarg="screening_id")
def screening_record(request, person, screening_id):
    screening = _screening(request, person, screening_id, action=UPDATE if request.method == "POST" else READ)
    if request.method != "POST":
        initial = {
            "done_on": screening.done_on or timezone.localdate(),
            "side_effects": screening.side_effects,
            "smoking": screening.smoking,
            "alcohol_units_per_week": screening.alcohol_units_per_week,
            "drugs": screening.drugs,
            "note": screening.note,
        }
        form = forms.ScreeningForm(initial=initial)
    else:
        form = forms.ScreeningForm(request.POST)
        if form.is_valid():
            try:
                services.screening_record(actor=request.user, screening=screening, **form.cleaned_data)
            except ValidationError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(
                    request, _("De lichamelijke controle is bewaard. De volgende staat over een jaar gepland.")
                )
                return redirect("screening:overview", person_id=person.pk)
    rows = _rows_for_display(selectors.classify_rows(person, screening.measurements.all()))
    context = {"person": person, "screening": screening, "form": form, "rows": rows}
    return render(request, "screening/screening_form.html", context)


@person_view(MEASUREMENTS, object_type=MEASUREMENT)
def goal_from_flag(request, person):
    form = forms.GoalFromFlagForm(request.POST or None, initial={"measure": request.GET.get("meting")})
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_from_flag(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(request, _("Het doel is toegevoegd aan het zorgplan. Maak er samen een actie bij."))
            return redirect("goals:detail", person_id=person.pk, goal_id=goal.pk)
    goals = Goal.objects.filter(person=person, lifecycle_status=Goal.LifecycleStatus.ACTIVE)
    return render(request, "screening/goal_form.html", {"person": person, "form": form, "goals": goals})


@person_view(MEASUREMENTS, object_type=LETTER)
@require_POST
def letter_create(request, person):
    try:
        letter = services.letter_draft(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("screening:overview", person_id=person.pk)
    messages.success(request, _("Koers heeft een brief opgesteld. Lees hem na en pas aan waar nodig."))
    return redirect("screening:letter", person_id=person.pk, letter_id=letter.pk)


@person_view(MEASUREMENTS, object_type=LETTER, object_kwarg="letter_id")
def letter_detail(request, person, letter_id):
    letter = _letter(request, person, letter_id, action=UPDATE if request.method == "POST" else READ)
    sent = letter.status == LabLetter.Status.SENT
    if request.method != "POST" or sent:
        form = forms.LetterForm(initial={"title": letter.title, "body": letter.body})
    else:
        form = forms.LetterForm(request.POST)
        if form.is_valid():
            try:
                services.letter_update(actor=request.user, letter=letter, **form.cleaned_data)
            except ValidationError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(request, _("De brief is nagekeken en bewaard. U kunt hem nu versturen."))
                return redirect("screening:letter", person_id=person.pk, letter_id=letter.pk)
    return render(request, "screening/letter.html", {"person": person, "letter": letter, "form": form, "sent": sent})


@person_view(MEASUREMENTS, object_type=LETTER, object_kwarg="letter_id")
@require_POST
def letter_send(request, person, letter_id):
    letter = _letter(request, person, letter_id, action=UPDATE)
    try:
        services.letter_send(actor=request.user, letter=letter)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De brief staat nu in het portaal van de cliënt."))
    return redirect("screening:letter", person_id=person.pk, letter_id=letter.pk)


@person_view(MEASUREMENTS, object_type=LETTER, object_kwarg="letter_id")
def letter_pdf_view(request, person, letter_id):
    return _pdf_response(_letter(request, person, letter_id))


# --- portal ----------------------------------------------------------------------------------


@portal_view(MEASUREMENTS, object_type=MEASUREMENT)
def portal_overview(request, person):
    latest = _rows_for_display(selectors.latest_values(person))
    context = {
        "person": person,
        "latest": latest,
        "letters": selectors.letters_for_person(person),
        "open_screening": selectors.open_screening(person),
    }
    return render(request, "screening/portal_overview.html", context)


@portal_view(MEASUREMENTS, object_type=LETTER, object_kwarg="letter_id")
def portal_letter(request, person, letter_id):
    letter = _letter(request, person, letter_id, sent_only=True)
    return render(request, "screening/portal_letter.html", {"person": person, "letter": letter})


@portal_view(MEASUREMENTS, object_type=LETTER, object_kwarg="letter_id")
def portal_letter_pdf(request, person, letter_id):
    return _pdf_response(_letter(request, person, letter_id, sent_only=True))
