"""Views of koers.careplans. Thin: parse input, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.careplans import kept_page, selectors, services, signoff
from koers.careplans import sections as plan_sections
from koers.careplans.forms import CompareForm, FollowUpForm, SaveVersionForm, SignOffForm
from koers.careplans.models import FollowUpAgreement
from koers.careplans.pdf import pdf_response
from koers.careplans.presentation import describe
from koers.careplans.snapshot import compare, who_does_what
from koers.lib import confirm
from koers.lib.forms import NOT_SAVED, save_form

CAREPLAN = access.Category.CAREPLAN
PLAN = "careplans.CarePlan"
VERSION = "careplans.CarePlanVersion"
FOLLOW_UP = "careplans.FollowUpAgreement"
PAGE_SIZE = 25


def _snapshot_context(snapshot: dict) -> dict:
    groups = who_does_what(snapshot)
    return {"plan": snapshot, "groups": groups, "by_responsible": {g["responsible"]: g["actions"] for g in groups}}


def _readable(user, person):
    """The categories this reader may read of the person: a plan section needing another (the
    health situation needs conditions and medication) is left out (``sections.visible``)."""
    return access.categories_for(user, person)


def _shown_lines(version, readable) -> None:
    """Give the version the change notes this reader may see (``shown_lines``), for the page."""
    if version is not None:
        version.shown_lines = version.summary_lines_for(readable)


def _current_context(person, user, *, sign_offs: bool = False, page_variant: str | None = None) -> dict:
    """The plan as it is now for this reader; ``page_variant``: also read the plan's kept HTML in
    that variant (``kept_page``), as ``"kept_page"``."""
    kept = kept_page.query(person, page_variant) if page_variant is not None else None
    current = selectors.current_plan(person, sign_offs=sign_offs, kept_page=kept)
    readable = _readable(user, person)
    current["plan"] = plan_sections.visible(current["plan"], readable)
    _shown_lines(current["latest"], readable)
    return {"person": person, **current, **_snapshot_context(current["plan"])}


def _versions_context(request, person, *, portal: bool) -> dict:
    page = Paginator(selectors.versions(person), PAGE_SIZE).get_page(request.GET.get("pagina"))
    versions = list(page.object_list)
    words = signoff.current_by_version(versions)
    readable = _readable(request.user, person)
    for v in versions:
        v.person_word = words.get(v.pk)
        _shown_lines(v, readable)
    return {"person": person, "page": page, "versions": versions, "portal": portal}


def _version_context(request, person, number, *, portal: bool) -> dict:
    version = selectors.version_for(request.user, person, number)
    base = selectors.compare_base(selectors.version_numbers(person), version.number)
    answers = signoff.history_for(version)
    context = {"person": person, "version": version, "portal": portal, "compare_base": base}
    context.update(signoff_history=answers, person_word=signoff.current(answers))
    readable = _readable(request.user, person)
    _shown_lines(version, readable)
    return {**context, **_snapshot_context(plan_sections.visible(version.snapshot, readable))}


def _compare_context(request, person, *, portal: bool) -> dict:
    """Two versions chosen with ?van=N&naar=M. Without them: the newest version against the
    last agreed version before it (or the one just before it when none was agreed).
    Unknown or non-numeric numbers give a message on the page, never an error page."""
    numbers = selectors.version_numbers(person)
    asked = "van" in request.GET or "naar" in request.GET
    data = request.GET if asked else None
    if data is None and len(numbers) >= 2:
        # By default: the newest version against the last agreed one before it.
        data = {"van": selectors.compare_base(numbers, numbers[0][0]), "naar": numbers[0][0]}
    form = CompareForm(data, numbers=numbers)
    comparison = None
    if data is not None and form.is_valid():
        old_number, new_number = form.cleaned_data["van"], form.cleaned_data["naar"]
        found = selectors.versions_by_number(person, [old_number, new_number])
        for field, number in (("van", old_number), ("naar", new_number)):
            if number not in found:
                form.add_error(
                    field, _("Versie %(number)d bestaat niet. Kies een versie uit de lijst.") % {"number": number}
                )
        if not form.errors:
            old, new = found[old_number], found[new_number]
            # A section of a category the reader may not read (the health situation, the crisis
            # plan) is left out of both versions, so it is neither compared nor "not compared".
            readable = _readable(request.user, person)
            before, after = (plan_sections.visible(v.snapshot, readable) for v in (old, new))
            comparison = {"old": old, "new": new, **describe(compare(before, after), before, after)}
    return {"person": person, "form": form, "comparison": comparison, "numbers": numbers, "portal": portal}


# The fields of the empty "save as agreed version" form, per language. The care plan shows the
# form unbound only (a POST goes to ``save_version``, which redirects), so its fields carry no
# value, error or token: the same HTML on every care plan in one language, rendered once.
_save_form_fields: dict[str | None, str] = {}


def _unbound_save_form_fields() -> str:
    language = translation.get_language()
    html = _save_form_fields.get(language)
    if html is None:
        html = _save_form_fields[language] = render_to_string("includes/form_fields.html", {"form": SaveVersionForm()})
    return html


# --- professional pages ----------------------------------------------------------------


@require_safe
@person_view(CAREPLAN, object_type=PLAN)
def plan(request, person):
    page_variant = kept_page.variant(_readable(request.user, person))
    context = {
        **_current_context(person, request.user, sign_offs=True, page_variant=page_variant),
        "save_form_fields": _unbound_save_form_fields(),
    }
    context["person_word"] = signoff.current(context.pop("sign_offs"))
    latest = context["latest"]
    context["plan_html"] = kept_page.plan_html(
        person=person,
        plan=context["plan"],
        groups=context["groups"],
        plan_id=latest.care_plan_id if latest is not None else None,
        page_variant=page_variant,
        kept=context.pop("kept_page"),
    )
    return render(request, "careplans/plan.html", context)


@require_safe
@person_view(CAREPLAN, object_type=VERSION)
def versions(request, person):
    return render(request, "careplans/versions.html", _versions_context(request, person, portal=False))


@person_view(CAREPLAN, object_type=VERSION, object_kwarg="number")
def version(request, person, number):
    return render(request, "careplans/version.html", _version_context(request, person, number, portal=False))


@require_safe
@person_view(CAREPLAN, object_type=VERSION)
def compare_versions(request, person):
    return render(request, "careplans/compare.html", _compare_context(request, person, portal=False))


@require_safe
@person_view(CAREPLAN, object_type=PLAN)
def print_plan(request, person):
    context = {**_current_context(person, request.user), "printed_at": timezone.now(), "portal": False}
    return render(request, "careplans/print.html", context)


@require_safe
@person_view(CAREPLAN, object_type=PLAN)
def plan_pdf(request, person):
    return pdf_response(_current_context(person, request.user))


@person_view(CAREPLAN, object_type=VERSION)
@require_POST
def save_version(request, person):
    form = SaveVersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.care_plan_agree(actor=request.user, person=person, summary=form.cleaned_data["summary"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if version is None:
                messages.info(request, _("Er was niets veranderd. Deze versie was al afgesproken."))
            else:
                messages.success(
                    request, _("Versie %(number)d is vastgelegd als afgesproken.") % {"number": version.number}
                )
    else:
        messages.error(request, _("De korte zin is te lang. Gebruik hoogstens 300 tekens."))
    return redirect("careplans:plan", person_id=person.pk)


def _follow_up_form_page(request, person, form, follow_up=None):
    context = {"person": person, "form": form, "follow_up": follow_up}
    return render(request, "careplans/follow_up_form.html", context)


@person_view(CAREPLAN, object_type=FOLLOW_UP)
def follow_up_create(request, person):
    if request.method != "POST":
        return _follow_up_form_page(request, person, FollowUpForm())
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De vervolgafspraak staat in het zorgplan."))
            return redirect("careplans:plan", person_id=person.pk)
    return _follow_up_form_page(request, person, form)


@person_view(CAREPLAN, object_type=FOLLOW_UP, object_kwarg="follow_up_id")
def follow_up_edit(request, person, follow_up_id):
    action = access.Action.UPDATE if request.method == "POST" else access.Action.READ
    follow_up = access.object_for(request.user, FollowUpAgreement.objects, follow_up_id, person=person, action=action)
    if not follow_up.active:
        messages.info(request, _("Deze afspraak is beëindigd. U kunt hem niet meer wijzigen."))
        return redirect("careplans:plan", person_id=person.pk)
    if request.method != "POST":
        initial = {f: getattr(follow_up, f) for f in ("what", "who", "method", "next_date")}
        form = FollowUpForm(initial=initial, previous_next_date=follow_up.next_date)
        return _follow_up_form_page(request, person, form, follow_up)
    form = FollowUpForm(request.POST, previous_next_date=follow_up.next_date)
    if form.is_valid():
        try:
            # The rhythm is agreed on its own page; editing the rest keeps it.
            data = {"frequency": follow_up.frequency, **form.cleaned_data}
            services.follow_up_update(actor=request.user, follow_up=follow_up, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De vervolgafspraak is gewijzigd."))
            return redirect("careplans:plan", person_id=person.pk)
    return _follow_up_form_page(request, person, form, follow_up)


def _end_question(person, follow_up) -> confirm.Question:
    return confirm.Question(
        title=_("Vervolgafspraak beëindigen?"),
        consequence=_(
            "De afspraak ‘%(what)s’ stopt en staat daarna niet meer in het zorgplan. "
            "Hij blijft zichtbaar in de eerdere versies van het plan."
        )
        % {"what": follow_up.what},
        confirm_label=_("Ja, beëindigen"),
        back_url=reverse("careplans:plan", args=[person.pk]),
        refusal="" if follow_up.active else _("Deze afspraak was al beëindigd."),
    )


@confirm.asks_first
@person_view(CAREPLAN, object_type=FOLLOW_UP, object_kwarg="follow_up_id")
@require_http_methods(["GET", "POST"])
def follow_up_end(request, person, follow_up_id):
    """End a follow-up agreement. Asks first: GET or an unconfirmed POST shows the question."""
    action = access.Action.UPDATE if request.method == "POST" else access.Action.READ
    follow_up = access.object_for(request.user, FollowUpAgreement.objects, follow_up_id, person=person, action=action)
    if not confirm.is_confirmed(request):
        return confirm.confirm_page(
            request, person=person, question=_end_question(person, follow_up), active_tab="plan"
        )
    try:
        services.follow_up_end(actor=request.user, follow_up=follow_up)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De vervolgafspraak is beëindigd. Hij blijft zichtbaar in eerdere versies."))
    return redirect("careplans:plan", person_id=person.pk)


# --- the person's own pages (portal) -----------------------------------------------------


def _portal_plan_context(person, user, *, signoff_form=None) -> dict:
    context = {**_current_context(person, user), "portal": True}
    latest = context["latest"]
    context["person_word"] = signoff.current_for(latest) if latest else None
    context["signoff_form"] = signoff_form or SignOffForm()
    return context


@portal_view(CAREPLAN, object_type=PLAN)
def portal_plan(request, person):
    return render(request, "careplans/portal_plan.html", _portal_plan_context(person, request.user))


SIGNOFF_DONE = {
    "agree": _("Opgeslagen: u bent het eens met deze versie van uw zorgplan. Uw zorgverlener ziet het."),
    "comment": _("Opgeslagen: uw zorgverlener leest uw opmerking bij deze versie."),
    "taken_back": _("Uw antwoord is ingetrokken. U kunt opnieuw kiezen."),
}


@portal_view(access.Category.CAREPLAN_SIGNOFF, object_type=VERSION)
@require_POST
def portal_sign_off(request, person):
    """ "Ik ben het hiermee eens", my comment, or taking it back, for the current version."""
    form = SignOffForm(request.POST)
    saved = save_form(form, lambda data: signoff.care_plan_sign_off(actor=request.user, person=person, **data))
    answer = getattr(form, "cleaned_data", {}).get("answer", "")
    done = str(SIGNOFF_DONE.get(answer, "")) if saved is not NOT_SAVED else ""
    if request.htmx:
        context = _portal_plan_context(person, request.user, signoff_form=None if done else form)
        return render(request, "careplans/portal_plan.html#signoff", {**context, "saved": done})
    if not done:
        context = _portal_plan_context(person, request.user, signoff_form=form)
        return render(request, "careplans/portal_plan.html", context)
    messages.success(request, done)
    return redirect(reverse("careplans:portal_plan") + "#akkoord")


@portal_view(CAREPLAN, object_type=VERSION)
def portal_versions(request, person):
    return render(request, "careplans/versions.html", _versions_context(request, person, portal=True))


@portal_view(CAREPLAN, object_type=VERSION, object_kwarg="number")
def portal_version(request, person, number):
    return render(request, "careplans/portal_version.html", _version_context(request, person, number, portal=True))


@portal_view(CAREPLAN, object_type=VERSION)
def portal_compare(request, person):
    return render(request, "careplans/compare.html", _compare_context(request, person, portal=True))


@portal_view(CAREPLAN, object_type=PLAN)
def portal_print(request, person):
    context = {**_current_context(person, request.user), "printed_at": timezone.now(), "portal": True}
    return render(request, "careplans/print.html", context)


@require_safe
@portal_view(CAREPLAN, object_type=PLAN)
def portal_pdf(request, person):
    return pdf_response(_current_context(person, request.user))
