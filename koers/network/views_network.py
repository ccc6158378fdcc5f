"""The network pages: ``/personen/<person_id>/netwerk/`` for the care team and ``/mijn/netwerk/``
for the person (Mijn netwerk).

Both show the members by organisation, the relatives, the coordinator, the first contact and the
open invitations, and post their actions to themselves with a ``do`` field: invite a relative,
invite a professional of another organisation (coordinator only), revoke an invitation, hand
over the coordinator role (asks first), choose the first contact, end a relative's link (asks
first). Every write is a service
(koers.network.invitations, .coordination); who may do what is checked there.
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
from koers.lib.dates import day_text
from koers.lib.forms import NOT_SAVED, add_service_error, save_form
from koers.network import coordination, invitations, relatives, selectors
from koers.network.invite_forms import (
    FirstContactForm,
    HandOverForm,
    InvitationIdForm,
    ProfessionalInviteForm,
    RelativeInviteForm,
    RelativeLinkIdForm,
)
from koers.network.invite_mail import invitation_mail
from koers.network.models import CareTeamMember, Invitation, RelativeLink

Category = access.Category
Action = access.Action
OBJECT = "network.Network"


def _page_url(person, portal: bool) -> str:
    return reverse("network:portal_network") if portal else reverse("network:network", args=[person.pk])


def _forms(request, person, *, portal: bool, data=None) -> dict:
    professional = request.user.is_professional
    handover_members = (
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .exclude(role=CareTeamMember.Role.RESPONSIBLE)
        .select_related("professional", "organisation")
    )
    forms = {
        "relative_form": RelativeInviteForm(
            data if data and data.get("do") == "invite_relative" else None, professional=professional, prefix="rel"
        ),
        "first_contact_form": FirstContactForm(
            data if data and data.get("do") == "first_contact" else None,
            relatives=RelativeLink.objects.filter(person=person, ended_at__isnull=True).select_related("user"),
            initial={"link": RelativeLink.objects.filter(person=person, first_contact=True).first()},
            prefix="fc",
        ),
    }
    if not portal:
        forms["professional_form"] = ProfessionalInviteForm(
            data if data and data.get("do") == "invite_professional" else None, prefix="pro"
        )
        forms["handover_form"] = HandOverForm(
            data if data and data.get("do") == "hand_over" else None, members=handover_members, prefix="ho"
        )
    return forms


def _created(request, person, invitation, raw, *, portal):
    """After inviting: mail the link, or show the code once (never stored, never shown again)."""
    if invitation.delivery == Invitation.Delivery.EMAIL:
        link = request.build_absolute_uri(reverse("network:invitation_accept", args=[raw]))
        invitation_mail(invitation, link)
        messages.success(request, _("De uitnodiging is verstuurd per e-mail. De link werkt één keer."))
        return redirect(_page_url(person, portal))
    context = {
        "person": person,
        "portal": portal,
        "invitation": invitation,
        "code": raw,
        "code_url": request.build_absolute_uri(reverse("network:invitation_code")),
        "back_url": _page_url(person, portal),
    }
    return render(request, "network/invitation_created.html", context)


def _invite_relative(request, person, forms, *, portal):
    created = save_form(
        forms["relative_form"],
        lambda data: invitations.invitation_create(
            actor=request.user,
            person=person,
            kind=Invitation.Kind.RELATIVE,
            delivery=data["delivery"],
            relationship=data["relationship"],
            email=data["email"],
            consent_given=data.get("consent", False),
        ),
    )
    return None if created is NOT_SAVED else _created(request, person, *created, portal=portal)


def _invite_professional(request, person, forms, *, portal):
    created = save_form(
        forms["professional_form"],
        lambda data: invitations.invitation_create(
            actor=request.user,
            person=person,
            kind=Invitation.Kind.PROFESSIONAL,
            delivery=data["delivery"],
            invitee=selectors.professional_by_handle(data["handle"]),
            consent_given=data["consent"],
        ),
        field_map={"invitee": "handle"},
    )
    return None if created is NOT_SAVED else _created(request, person, *created, portal=portal)


def _revoke(request, person, forms, *, portal):
    form = InvitationIdForm(request.POST)
    if not form.is_valid():
        raise Http404
    invitation = access.object_for(
        request.user,
        Invitation.objects.select_related("person"),
        form.cleaned_data["invitation"],
        person=person,
        action=Action.UPDATE,
    )
    if not confirm.is_confirmed(request):
        question = confirm.Question(
            title=_("Uitnodiging intrekken?"),
            consequence=_("De link of code werkt daarna niet meer. U kunt later een nieuwe uitnodiging sturen."),
            confirm_label=_("Ja, intrekken"),
            back_url=_page_url(person, portal),
            hidden={"do": "revoke", "invitation": invitation.pk},
        )
        return confirm.confirm_page(request, person=person, question=question, active_tab="network", portal=portal)
    try:
        invitations.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        forms["page_error"] = " ".join(exc.messages)
        return None
    messages.success(request, _("De uitnodiging is ingetrokken."))
    return redirect(_page_url(person, portal))


def _handover_consequence(name, person, until) -> str:
    if until is None:
        return _(
            "%(name)s wordt regiebehandelaar van %(person)s. U blijft in het netwerk als betrokken zorgverlener."
        ) % {"name": name, "person": person.full_name}
    return _(
        "%(name)s wordt regiebehandelaar van %(person)s en leest uw overdrachtsnotitie. U blijft in het netwerk "
        "als betrokken zorgverlener tot en met %(date)s; daarna gaat u er vanzelf uit."
    ) % {"name": name, "person": person.full_name, "date": day_text(until)}


def _hand_over(request, person, forms, *, portal):
    form = forms["handover_form"]
    if not form.is_valid():
        return None
    to, note, until = form.cleaned_data["to"], form.cleaned_data["note"], form.cleaned_data["overlap_until"]
    if not confirm.is_confirmed(request):
        name = to.professional.display_name()
        question = confirm.Question(
            title=_("Regie overdragen aan %(name)s?") % {"name": name},
            consequence=_handover_consequence(name, person, until),
            confirm_label=_("Ja, regie overdragen"),
            back_url=_page_url(person, portal),
            hidden={
                "do": "hand_over",
                "ho-to": to.pk,
                "ho-note": note,
                "ho-overlap_until": until.isoformat() if until else "",
            },
            refusal=""
            if coordination.manages_network(request.user, person)
            else _("Alleen de regiebehandelaar of de cliënt zelf kan de regie overdragen."),
        )
        return confirm.confirm_page(request, person=person, question=question, active_tab="network", portal=portal)
    try:
        coordination.coordinator_hand_over(actor=request.user, person=person, to=to, note=note, overlap_until=until)
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, _("De regie is overgedragen."))
    return redirect(_page_url(person, portal))


def _first_contact(request, person, forms, *, portal):
    form = forms["first_contact_form"]
    if not form.is_valid():
        return None
    try:
        relatives.first_contact_set(actor=request.user, person=person, link=form.cleaned_data["link"])
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    messages.success(request, _("De eerste contactpersoon is opgeslagen."))
    return redirect(_page_url(person, portal))


def _end_question(request, person, link, *, portal) -> confirm.Question:
    name = link.user.display_name()
    return confirm.Question(
        title=_("%(name)s uit het netwerk halen?") % {"name": name},
        consequence=(
            _(
                "%(name)s kan daarna niets meer van u zien, ook niet wat u nu deelt. Wat u eerder besliste, "
                "blijft in de geschiedenis staan. Nodigt u %(name)s later opnieuw uit, dan deelt u eerst weer niets."
            )
            if portal
            else _(
                "%(name)s kan daarna niets meer zien van %(person)s, ook niet wat nu gedeeld is. "
                "Wat eerder is besloten, blijft in de geschiedenis staan. Nodigt u %(name)s later opnieuw uit, "
                "dan is eerst weer niets gedeeld."
            )
        )
        % {"name": name, "person": person.full_name},
        confirm_label=_("Ja, uit het netwerk halen"),
        back_url=_page_url(person, portal),
        hidden={"do": "end_relative", "link": link.pk},
        refusal=relatives.relative_link_end_problem(link, request.user),
        reason_label=_("Reden (niet verplicht)"),
        reason_help=_("Alleen voor de geschiedenis van het netwerk. De naaste krijgt deze reden niet te zien."),
        reason_optional=True,
    )


def _end_relative(request, person, forms, *, portal):
    """End a relative's link, after the confirmation page (never in one click)."""
    form = RelativeLinkIdForm(request.POST)
    if not form.is_valid():
        raise Http404
    link = access.object_for(
        request.user,
        RelativeLink.objects.filter(ended_at__isnull=True).select_related("person", "user"),
        form.cleaned_data["link"],
        person=person,
        action=Action.UPDATE,
    )
    if not confirm.is_confirmed(request):
        question = _end_question(request, person, link, portal=portal)
        return confirm.confirm_page(request, person=person, question=question, active_tab="network", portal=portal)
    try:
        relatives.relative_link_end(actor=request.user, link=link, reason=request.POST.get(confirm.REASON, ""))
    except ValidationError as exc:
        forms["page_error"] = " ".join(exc.messages)
        return None
    messages.success(request, _("%(name)s hoort niet meer bij het netwerk.") % {"name": link.user.display_name()})
    return redirect(_page_url(person, portal))


PORTAL_ACTIONS = {
    "invite_relative": _invite_relative,
    "revoke": _revoke,
    "first_contact": _first_contact,
    "end_relative": _end_relative,
}
ACTIONS = PORTAL_ACTIONS | {"invite_professional": _invite_professional, "hand_over": _hand_over}


def _coordinator_context(user, network) -> dict:
    """Since when the coordinator holds the role, the last hand-over, and its note only for the
    coordinator it was written for (docs/decisions.md: the person sees that it happened, not the note)."""
    coordinator = network["coordinator"]
    if coordinator is None:
        return {}
    handover = coordination.latest_handover(coordinator.person)
    to_this_one = handover is not None and handover.to_member_id == coordinator.pk
    return {
        "coordinator_since": handover.handed_over_at if to_this_one else coordinator.started_at,
        "handover": handover if to_this_one else None,
        "handover_note_for_me": to_this_one and coordinator.professional_id == user.pk,
    }


def _network_page(request, person, *, portal: bool):
    forms = _forms(request, person, portal=portal, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = (PORTAL_ACTIONS if portal else ACTIONS).get(request.POST.get("do", ""))
        if action is None:
            raise Http404
        response = action(request, person, forms, portal=portal)
        if response is not None:
            return response
    network = selectors.network_members(person)
    context = {
        "person": person,
        "portal": portal,
        "network": network,
        "open_invitations": invitations.open_invitations(person),
        "manages": coordination.manages_network(request.user, person),
        "is_coordinator": coordination.is_coordinator(request.user, person),
        **_coordinator_context(request.user, network),
        **forms,
    }
    return render(request, "network/network.html", context)


@confirm.asks_first
@person_view(Category.DEMOGRAPHICS, object_type=OBJECT)
def network(request, person):
    return _network_page(request, person, portal=False)


@confirm.asks_first
@portal_view(Category.DEMOGRAPHICS, object_type=OBJECT)
def portal_network(request, person):
    return _network_page(request, person, portal=True)
