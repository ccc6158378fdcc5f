"""Pages of follow-up. Thin: parse, call a selector or service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import caseload_view, person_view, portal_view
from koers.careplans import services as careplan_services
from koers.careplans.models import FollowUpAgreement
from koers.followup import relative_selectors, rhythm, selectors, services
from koers.followup.forms import EvaluationForm, EvaluationInputForm, PreferenceForm, RhythmForm
from koers.lib import confirm
from koers.lib.forms import add_problems_beside, add_service_error
from koers.people import hooks
from koers.people.models import SupportLevel

CAREPLAN = access.Category.CAREPLAN
PREPARATION = access.Category.CONSULTS  # the person's own input for the evaluation talk
FOLLOW_UP = "careplans.FollowUpAgreement"


def current_support_level(person) -> str | None:
    decision = person.support_levels.order_by("-decided_at", "-id").only("level").first()
    return decision.level if decision else None


@person_view(CAREPLAN, object_type=FOLLOW_UP, object_kwarg="follow_up_id")
def follow_up_rhythm(request, person, follow_up_id):
    """Suggest how often, from the support level and the person's preference; agree it together."""
    action = access.Action.UPDATE if request.method == "POST" else access.Action.READ
    follow_up = access.object_for(request.user, FollowUpAgreement.objects, follow_up_id, person=person, action=action)
    if not follow_up.active:
        messages.info(request, _("Deze afspraak is beëindigd. U kunt hem niet meer wijzigen."))
        return redirect("careplans:plan", person_id=person.pk)
    level = current_support_level(person)
    preference_form = PreferenceForm(request.GET or None)
    preference = rhythm.AS_SUGGESTED
    if preference_form.is_bound and preference_form.is_valid():
        preference = preference_form.cleaned_data["voorkeur"] or rhythm.AS_SUGGESTED
    elif not preference_form.is_bound:
        preference_form = PreferenceForm(initial={"voorkeur": rhythm.AS_SUGGESTED})
    suggestion = rhythm.suggest_rhythm(level, preference)
    if request.method == "POST":
        form = RhythmForm(request.POST)
        if form.is_valid():
            try:
                careplan_services.follow_up_update(
                    actor=request.user,
                    follow_up=follow_up,
                    what=follow_up.what,
                    who=follow_up.who,
                    method=follow_up.method,
                    frequency=form.cleaned_data["frequency"],
                    next_date=form.cleaned_data["next_date"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Het ritme van de vervolgafspraak is afgesproken."))
                return redirect("careplans:plan", person_id=person.pk)
    else:
        form = RhythmForm(
            initial={"frequency": suggestion.label, "next_date": suggestion.next_date(timezone.localdate())}
        )
    context = {
        "person": person,
        "follow_up": follow_up,
        "level": level,
        "level_label": dict(_support_levels()).get(level, ""),
        "suggestion": suggestion,
        "preference_form": preference_form,
        "form": form,
    }
    return render(request, "followup/rhythm.html", context)


def _support_levels():
    return SupportLevel.choices


PAGE_SIZE = 25
WORKLIST_FILTERS = ("soort", "client", "te_laat", "sorteer", "groeperen")


def _filter_query(request) -> str:
    """The worklist's filters as a query string (kept across pages, marks and undo)."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name in WORKLIST_FILTERS:
        if request.GET.get(name):
            query[name] = request.GET[name][:100]
    return query.urlencode()


def _recent_marks(user):
    from koers.followup.models import WorklistMark

    since = timezone.now() - services.UNDO_WINDOW
    return list(
        WorklistMark.objects.filter(handled_by=user, undone_at__isnull=True, handled_at__gte=since)
        .select_related("person")
        .order_by("-handled_at", "-id")[:10]
    )


def _worklist_page(request, *, team: bool):
    from koers.followup import worklist as worklist_module
    from koers.followup.forms import WorklistFilterForm

    if not request.user.is_professional:
        raise Http404
    form = WorklistFilterForm(request.GET or None)
    arrangement = form.arrangement()
    items, _persons = selectors.worklist(request.user, team=team)
    shown_items = worklist_module.arrange(items, **arrangement)
    page = Paginator(shown_items, PAGE_SIZE).get_page(request.GET.get("pagina"))
    recent = _recent_marks(request.user)
    just_marked = next((m for m in recent if str(m.pk) == request.GET.get("afgehandeld")), None)
    shown = {item.person_id: item.person for item in page.object_list}
    shown.update({mark.person_id: mark.person for mark in recent})
    access.record_list(request.user, shown.values(), object_type="worklist")
    context = {
        "page": page,
        "items": page.object_list,
        "team": team,
        "total": len(shown_items),
        "all_total": len(items),
        "urgent_count": sum(1 for item in items if item.kind == worklist_module.KIND_WORRYING),
        "crisis_count": sum(1 for item in items if item.kind == worklist_module.KIND_CRISIS_REPORT),
        "form": form,
        "group": arrangement["group"],
        "filters": _filter_query(request),
        "back": request.path + ("?" + _filter_query(request) if _filter_query(request) else ""),
        "recent": recent,
        "just_marked": just_marked,
        "just_undone": request.GET.get("ongedaan") == "1",
    }
    return render(request, "followup/worklist.html", context)


@caseload_view
@login_required
def worklist(request):
    """What I have to do: due or overdue, for the people I am responsible for."""
    return _worklist_page(request, team=False)


@caseload_view
@login_required
def team_worklist(request):
    """What is due for everyone in my care, also when a colleague is responsible."""
    return _worklist_page(request, team=True)


def _back_to_worklist(request, extra: str) -> str:
    """Back to the worklist the form came from (mine or the team's, with its filters): only a
    worklist address of this site, never one given from outside."""
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("terug", "")
    allowed = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) and back.startswith(
        ("/werklijst/?", "/werklijst/team/?")
    )
    if back in ("/werklijst/", "/werklijst/team/"):
        allowed = True
    base = back if allowed else reverse("followup:worklist")
    return base + ("&" if "?" in base else "?") + extra


WORKLIST_MARK = "followup.WorklistMark"


@person_view(access.Category.DEMOGRAPHICS, object_type=WORKLIST_MARK)
@require_POST
def worklist_mark(request, person):
    """Mark an item of the worklist as handled (it can be undone for a while)."""
    try:
        mark = services.worklist_mark(actor=request.user, person=person, key=request.POST.get("item", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back_to_worklist(request, "fout=1"))
    return redirect(_back_to_worklist(request, f"afgehandeld={mark.pk}"))


@person_view(access.Category.DEMOGRAPHICS, object_type=WORKLIST_MARK)
@require_POST
def worklist_mark_undo(request, person):
    """ "Ongedaan maken": the item is back on the worklist."""
    from koers.followup.models import WorklistMark

    mark = access.object_for(
        request.user, WorklistMark.objects, request.POST.get("mark"), person=person, action=access.Action.UPDATE
    )
    try:
        services.worklist_mark_undo(actor=request.user, mark=mark)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back_to_worklist(request, "fout=1"))
    return redirect(_back_to_worklist(request, "ongedaan=1"))


EVALUATION = "followup.YearlyEvaluation"
EVALUATION_INPUT = "followup.PersonEvaluationInput"


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "nl").split("-")[0]


@person_view(CAREPLAN, object_type=EVALUATION)
def evaluation(request, person):
    """The yearly care-plan evaluation (WGBO): everything together, and the record of it."""
    categories = access.categories_for(request.user, person)
    context = selectors.evaluation_page(person, categories=categories, lang=_lang())
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if not form.is_valid():
            problems = services.yearly_evaluation_problems(person=person, **form.cleaned_data)
            add_problems_beside(form, problems)
        else:
            try:
                services.yearly_evaluation_record(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "De jaarlijkse evaluatie is vastgelegd. "
                        "Pas nu zo nodig de doelen, acties en vervolgafspraken aan."
                    ),
                )
                return redirect("followup:evaluation", person_id=person.pk)
    else:
        person_input = context.get("person_input")
        initial = {"date": timezone.localdate()}
        if person_input is not None:
            parts = [p for p in (person_input.went_well, person_input.should_change) if p]
            initial["persons_words"] = "\n\n".join(parts)
        form = EvaluationForm(initial=initial)
    for earlier in context["earlier"]:  # each recorded evaluation's PDF, for a reader who may see it
        origin = f"followup.YearlyEvaluation:{earlier.pk}"
        earlier.filed = hooks.filed_document(reader=request.user, person=person, origin=origin)
    return render(request, "followup/evaluation.html", {"person": person, "form": form, **context})


@portal_view(PREPARATION, object_type=EVALUATION_INPUT)
def portal_evaluation(request, person):
    """The person prepares the yearly evaluation of their care plan in their own words."""
    current = selectors.open_evaluation_input(person)
    if request.method == "POST":
        form = EvaluationInputForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_input_save(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Bewaard. Uw zorgverlener leest het voor het gesprek."))
                return redirect("followup:portal_evaluation")
    else:
        initial = {"went_well": current.went_well, "should_change": current.should_change} if current else {}
        form = EvaluationInputForm(initial=initial)
    context = {
        "person": person,
        "form": form,
        "due_date": selectors.evaluation_due_for(person),
        "current": current,
        # Relatives asked to give input: that they answered, their words only when they chose so.
        "relative_inputs": relative_selectors.inputs_for_the_person(person),
        "invitable": relative_selectors.invitable_relatives(person),
    }
    return render(request, "followup/portal_evaluation.html", context)


# --- the calendar feed -------------------------------------------------------------------------

# The person's own secret link (the feed) and the pages that make or stop it.
CALENDAR = access.Category.CALENDAR_FEED
CALENDAR_TOKEN = "followup.CalendarToken"  # nosec B105  # an object type name, not a token


def calendar_feed(request, token):
    """The person's calendar (iCalendar) at a secret, revocable address. The token is the
    person's: the guard reads it as the person's own account (``access.by_token``), and each
    fetch is logged as the person reading their own data (purpose: self)."""
    from django.http import Http404, HttpResponse

    from koers.followup import ical

    found = selectors.token_lookup(token)
    person = found.person if found else None
    account = person.user if person else None
    if found is None or account is None or not account.is_active:
        raise Http404
    person = access.by_token(account, person, category=CALENDAR, object_type=CALENDAR_TOKEN, object_id=found.pk)
    now = timezone.now()
    events, reminders = selectors.calendar_items(person, now=now)
    portal = request.build_absolute_uri("/mijn/")
    body = ical.build_feed(name=_("Mijn afspraken (Koers)"), events=events, reminders=reminders, now=now, url=portal)
    type(found).objects.filter(pk=found.pk).update(last_used_at=now)
    access.record(account, person, access.Action.READ, found, detail="calendar feed")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="koers.ics"'
    return response


# Reached by a secret in the URL, not by a session: the token stands for the person, checked
# by the guard inside the view (not a person/portal page, so test_url_access does not walk it).
calendar_feed.koers_access = {"scope": "token", "category": str(CALENDAR)}


@portal_view(CALENDAR, object_type=CALENDAR_TOKEN)
def portal_calendar(request, person):
    """Make, replace or stop the secret link to the person's calendar."""
    from koers.followup.models import CalendarToken

    feed_url = ""
    if request.method == "POST":
        if request.POST.get("doe") == "intrekken":  # an old page's one-click form: ask first
            return redirect("followup:portal_calendar_stop")
        replacing = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).exists()
        if replacing and not confirm.is_confirmed(request):  # a new link stops the current one
            question = confirm.Question(
                title=_("Nieuwe agenda-link maken?"),
                consequence=_(
                    "Uw huidige agenda-link werkt daarna niet meer. Zet de nieuwe link dan opnieuw in uw agenda."
                ),
                confirm_label=_("Ja, nieuwe link maken"),
                back_url=reverse("followup:portal_calendar"),
            )
            return confirm.confirm_page(request, person=person, question=question, portal=True)
        _token, raw = services.calendar_token_create(actor=request.user, person=person)
        feed_url = request.build_absolute_uri(reverse("followup:calendar_feed", kwargs={"token": raw}))
    active = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).first()
    context = {"person": person, "active": active, "feed_url": feed_url}
    return render(request, "followup/portal_calendar.html", context)


@confirm.asks_first
@portal_view(CALENDAR, object_type=CALENDAR_TOKEN)
@require_http_methods(["GET", "POST"])
def portal_calendar_stop(request, person):
    """Stop the calendar link, after the question (koers.lib.confirm)."""
    if not confirm.is_confirmed(request):
        question = confirm.Question(
            title=_("Agenda-link stoppen?"),
            consequence=_(
                "Uw agenda kan daarna geen afspraken uit Koers meer ophalen. "
                "Wilt u later toch weer een link? Dan maakt u een nieuwe."
            ),
            confirm_label=_("Ja, stoppen"),
            back_url=reverse("followup:portal_calendar"),
        )
        return confirm.confirm_page(request, person=person, question=question, portal=True)
    if services.calendar_token_revoke(actor=request.user, person=person):
        messages.success(request, _("De agenda-link werkt niet meer."))
    return redirect("followup:portal_calendar")
