"""Diary moments: at which times the person is asked which diary questions.

The person's own page (``/mijn/bijhouden/momenten/``) and the professional's page about a person
(``/personen/<id>/bijhouden/momenten/``) show the same form; both save with
``koers.monitoring.services.diary_schedule_set``. Thin: parse, call the service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.lib.forms import add_service_error
from koers.monitoring import diary, services, suggestions
from koers.monitoring.forms.diary import ScheduleForm, choosable_types
from koers.notifications import timing
from koers.notifications.models import NotificationPreference
from koers.people.models import Condition

MEASUREMENTS = access.Category.MEASUREMENTS
SCHEDULE = "monitoring.DiarySchedule"
LINKS = ("overview", "entry", "analysis", "phases", "custom", "import", "diary")


def _links(person, portal: bool) -> dict[str, str]:
    out = {}
    for name in LINKS:
        try:
            if portal:
                out[name] = reverse(f"monitoring:portal_{name}")
            else:
                out[name] = reverse(f"monitoring:{name}", kwargs={"person_id": person.pk})
        except NoReverseMatch:
            out[name] = ""
    return out


def _quiet_times(user, times) -> list[str]:
    """The chosen times that fall in this user's own quiet hours (portal: a note to the person)."""

    pref = NotificationPreference.objects.filter(user=user).first()
    if pref is None or pref.quiet_start is None:
        return []
    today = timezone.localdate()
    return [
        p.time for p in diary.prompts_on(times, today) if timing.in_quiet_hours(p.at, pref.quiet_start, pref.quiet_end)
    ]


def _suggestions(user, person) -> list[suggestions.Suggestion]:
    """The suggested sets for the person's current conditions (only for someone who may read them)."""

    if access.Category.CLINICAL not in access.categories_for(user, person):
        return []
    conditions = (
        Condition.objects.recorded()
        .filter(person=person)
        .exclude(clinical_status=Condition.ClinicalStatus.RESOLVED)
        .values_list("display", "code")
    )
    return suggestions.suggest(conditions)


def _page(request, person, *, portal: bool):
    schedule = diary.schedule_for(person)
    types = choosable_types(person)
    if request.method == "POST":
        form = ScheduleForm(request.POST, types=types, portal=portal)
        if form.is_valid():
            try:
                services.diary_schedule_set(
                    actor=request.user,
                    person=person,
                    times=form.cleaned_times(),
                    types=list(form.cleaned_data["types"]),
                    active=form.cleaned_data["active"],
                )
            except ValidationError as error:
                add_service_error(form, error, field_for=form.field_for)
            else:
                messages.success(request, _("De momenten zijn bewaard."))
                here = "monitoring:portal_diary" if portal else "monitoring:diary"
                return redirect(here) if portal else redirect(here, person_id=person.pk)
    offered = [] if portal else _suggestions(request.user, person)
    chosen_suggestion = next((s for s in offered if s.key == request.GET.get("voorstel")), None)
    if request.method != "POST":
        initial = ScheduleForm.initial_for(schedule)
        if chosen_suggestion is not None:  # ticked, not saved: the professional checks it with the person
            initial["types"] = [t for t in types if t.person_id is None and t.code in chosen_suggestion.codes]
        form = ScheduleForm(types=types, portal=portal, initial=initial)
    now = timezone.now()
    account = person.user if person.user_id and person.user.is_active else None
    context = {
        "person": person,
        "portal": portal,
        "form": form,
        "schedule": schedule,
        "has_types": bool(types),
        "has_account": account is not None,
        "next_prompt": diary.next_prompt(schedule, now) if schedule is not None and account is not None else None,
        "quiet": _quiet_times(request.user, schedule.times) if portal and schedule is not None else [],
        "links": _links(person, portal),
        "suggestions": offered,
        "chosen_suggestion": chosen_suggestion,
    }
    template = "monitoring/diary/schedule.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=SCHEDULE)
def portal_diary(request, person):
    return _page(request, person, portal=True)


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=SCHEDULE)
def diary_schedule(request, person):
    return _page(request, person, portal=False)
