"""Views of koers.network. Thin: parse input, call a service or selector, render.

The care team of a person sits under ``/personen/<person_id>/zorgteam/``; the person's own
"Wie mag wat zien" under ``/mijn/wie-mag-wat-zien/``. Every write is a
service; on a ``ValidationError`` the form is shown again with the message and nothing is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.lib import confirm
from koers.lib.forms import add_service_error
from koers.network import selectors, services
from koers.network.coordination import coordinator_of
from koers.network.forms import CareTeamAddForm, CareTeamEndForm, ConsentToggleForm, ResearchConsentForm
from koers.network.models import CareTeamMember

Category = access.Category
Action = access.Action


def _leave_question(person, membership, actor) -> confirm.Question:
    name = membership.professional.display_name()
    return confirm.Question(
        title=_("%(name)s niet meer betrokken?") % {"name": name},
        consequence=_(
            "%(name)s gaat uit het zorgteam en kan het dossier van %(person)s daarna niet meer zien. "
            "Wat %(name)s heeft vastgelegd, blijft bewaard. Later kan een collega hem of haar weer toevoegen."
        )
        % {"name": name, "person": person.full_name},
        confirm_label=_("Ja, niet meer betrokken"),
        back_url=reverse("network:care_team", args=[person.pk]),
        hidden={"do": "end", "membership": membership.pk},
        refusal=services.care_team_end_problem(membership, actor),
    )


@confirm.asks_first
@person_view(Category.DEMOGRAPHICS, object_type="network.CareTeamMember")
def care_team(request, person):
    colleagues = selectors.colleagues_to_add(request.user, person)
    taken = coordinator_of(person) is not None
    add_form = CareTeamAddForm(colleagues=colleagues, coordinator_taken=taken)
    end_error = ""
    if request.method == "POST" and request.POST.get("do") == "add":
        add_form = CareTeamAddForm(request.POST, colleagues=colleagues, coordinator_taken=taken)
        if add_form.is_valid():
            try:
                services.care_team_assign(
                    actor=request.user,
                    person=person,
                    professional=add_form.cleaned_data["professional"],
                    role=add_form.cleaned_data["role"],
                )
            except ValidationError as exc:
                add_service_error(add_form, exc)
            else:
                messages.success(request, _("De collega is toegevoegd aan het zorgteam."))
                return redirect("network:care_team", person_id=person.pk)
    elif request.method == "POST" and request.POST.get("do") == "end":
        end_form = CareTeamEndForm(request.POST)
        if not end_form.is_valid():
            raise Http404
        membership = access.object_for(
            request.user,
            CareTeamMember.objects.select_related("person"),
            end_form.cleaned_data["membership"],
            person=person,
            action=Action.UPDATE,
        )
        if not confirm.is_confirmed(request):
            return confirm.confirm_page(
                request,
                person=person,
                question=_leave_question(person, membership, request.user),
                active_tab="care_team",
            )
        try:
            services.care_team_end(actor=request.user, membership=membership)
        except ValidationError as exc:
            end_error = " ".join(exc.messages)
        else:
            messages.success(request, _("Deze zorgverlener is niet meer betrokken."))
            if membership.professional_id == request.user.pk:
                return redirect("workspace:caseload")  # you just left the team: no more access
            return redirect("network:care_team", person_id=person.pk)
    elif request.method == "POST":
        raise Http404
    context = {
        "person": person,
        "members": selectors.care_team(person),
        "add_form": add_form,
        "end_error": end_error,
        "has_colleagues": colleagues.exists(),
    }
    return render(request, "network/care_team.html", context)


# --- the person: who may see what -----------------------------------------------------------

CONSENT = "network.Consent"


def _consent_status(row, cell) -> str:
    if cell.on:
        return _("%(name)s mag nu zien: %(topic)s.") % {"name": row.name, "topic": cell.label}
    return _("%(name)s mag dit niet meer zien: %(topic)s.") % {"name": row.name, "topic": cell.label}


def _consent_toggle(request, person, *, with_person: bool):
    """Change one cell. An id or topic outside the person's network answers like a missing record.
    ``with_person``: a professional records the decision together with the person."""
    form = ConsentToggleForm(request.POST)
    row = selectors.consent_member(person, form.cleaned_data["member"]) if form.is_valid() else None
    if row is None:
        access.refuse(
            request.user, person_id=person.pk, category=Category.CONSENT, action=Action.UPDATE, object_type=CONSENT
        )
    topic = form.cleaned_data["topic"]
    services.consent_set(
        actor=request.user,
        person=person,
        member=row.user,
        topic=topic,
        granted=form.cleaned_data["granted"],
        recorded_with_person=with_person,
    )
    row = selectors.consent_member(person, row.user.pk)
    cell = row.cell(topic)
    return row, cell, _consent_status(row, cell)


def _consent_page(request, person, *, portal: bool):
    """ "Wie mag wat zien": the person's network × topics, each cell a switch changed in place.

    One page, two doors: the person's own (``portal``), and a network professional's page about
    the person, where the professional records what the person decides together with them (each
    change marked so in the history). With htmx the POST answers with the changed cell (same
    ids, so focus stays on the switch), the status message and the history; without JavaScript
    it redirects back with a message. A change is undone by switching back (the history shows
    both), so nothing asks first.
    """
    url = reverse("network:portal_consent") if portal else reverse("network:consent", args=[person.pk])
    common = {"person": person, "portal": portal, "consent_url": url}
    if request.method == "POST" and "research_form" in request.POST:
        return _research_consent(request, person, url)
    if request.method == "POST":
        row, cell, status = _consent_toggle(request, person, with_person=not portal)
        if not request.htmx:
            messages.success(request, status)
            return redirect(url)
        context = {**common, "row": row, "cell": cell, "status": status, "history": selectors.consent_history(person)}
        return render(request, "network/portal_consent.html#changed", context)
    if request.method not in ("GET", "HEAD"):
        raise Http404
    context = {
        **common,
        "rows": selectors.consent_table(person),
        "topic_labels": list(selectors.TOPIC_LABELS.values()),
        "history": selectors.consent_history(person),
        "research_form": ResearchConsentForm(initial={"granted": selectors.research_consent(person)}),
        "research_history": selectors.research_consent_history(person),
    }
    return render(request, "network/portal_consent.html", context)


def _research_consent(request, person, url):
    """Save the person's choice about research use; the page shows it and its history."""
    form = ResearchConsentForm(request.POST)
    if form.is_valid():
        granted = form.cleaned_data["granted"]
        services.research_consent_set(actor=request.user, person=person, granted=granted)
        if granted:
            messages.success(request, _("Opgeslagen: gebruik voor onderzoek staat aan."))
        else:
            messages.success(request, _("Opgeslagen: gebruik voor onderzoek staat uit."))
    return redirect(url)


@portal_view(Category.CONSENT, object_type=CONSENT)
def portal_consent(request, person):
    """The person's own "Wie mag wat zien" (``/mijn/wie-mag-wat-zien/``)."""
    return _consent_page(request, person, portal=True)


@person_view(Category.CONSENT, object_type=CONSENT)
def consent(request, person):
    """A network professional records, together with the person, who may see what."""
    return _consent_page(request, person, portal=False)
