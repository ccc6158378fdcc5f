"""Pages of emergency access (break the glass, issue #12): start, end, review.

None of them takes a ``person_id``: the professional is outside the person's network. The
start page finds a person only by an exact identifier; the review pages show an access to the
professionals who may review it (``emergency.to_review``), others get NotFound.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import caseload_view
from koers.audit.log import Purpose
from koers.workspace import emergency
from koers.workspace.context_processors import SESSION_KEY
from koers.workspace.emergency_forms import EmergencyReviewForm, EmergencyStartForm
from koers.workspace.emergency_notices import scope_words

MODEL = emergency.MODEL
QUALITY = Purpose.QUALITY  # a review is quality work, not treatment


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@caseload_view(write=access.Action.CREATE, object_type=MODEL)
@require_http_methods(["GET", "POST"])
def emergency_start(request):
    form = EmergencyStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            started = emergency.emergency_access_start(
                actor=request.user,
                identifier=data["identifier"],
                birth_date=data["birth_date"],
                reason=data["reason"],
                topics=data["topics"],
                hours=data["hours"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            request.session[SESSION_KEY] = True  # the banner, on every page while it runs
            messages.success(request, _("Spoedtoegang gestart. Alles wat u bekijkt wordt vastgelegd."))
            return redirect("workspace:person", person_id=started.person_id)
    return render(request, "workspace/emergency_start.html", {"form": form})


@caseload_view(write=access.Action.UPDATE, object_type=MODEL)
@require_POST
def emergency_end(request, emergency_id):
    ended = emergency.emergency_access_end(actor=request.user, emergency=emergency.own(request.user, emergency_id))
    messages.success(request, _("Uw spoedtoegang tot %(name)s is beëindigd.") % {"name": ended.person.full_name})
    return redirect("workspace:caseload")


@caseload_view(object_type=MODEL)
@require_http_methods(["GET"])
def emergency_reviews(request):
    items = list(emergency.to_review(request.user)[:200])
    for item in items:
        item.scope_words = scope_words(item)
        access.record(request.user, item.person, access.Action.READ, item, purpose=QUALITY)
    return render(request, "workspace/emergency_reviews.html", {"items": items})


@caseload_view(write=access.Action.UPDATE, object_type=MODEL)
@require_http_methods(["GET", "POST"])
def emergency_review(request, emergency_id):
    item = emergency.for_review(request.user, emergency_id)
    form = EmergencyReviewForm(request.POST or None)
    if request.method == "POST" and item.reviewed_at is None and form.is_valid():
        try:
            emergency.emergency_access_review(
                actor=request.user,
                emergency_id=item.pk,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Uw oordeel is vastgelegd."))
            return redirect("workspace:emergency_reviews")
    item.scope_words = scope_words(item)
    rows = list(emergency.rows_under(item))
    access.record(request.user, item.person, access.Action.READ, item, purpose=QUALITY)
    return render(request, "workspace/emergency_review.html", {"item": item, "rows": rows, "form": form})
