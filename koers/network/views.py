"""Views of koers.network. Thin: parse input, call a service or selector, render.

The care team of a person sits under ``/personen/<person_id>/zorgteam/``. Every write is a
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
from koers.access.decorators import person_view
from koers.lib import confirm
from koers.lib.forms import add_service_error
from koers.network import selectors, services
from koers.network.coordination import coordinator_of
from koers.network.forms import CareTeamAddForm, CareTeamEndForm
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
