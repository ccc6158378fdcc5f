"""Notification centre (portal and workspace) and preferences. Thin: forms, services, selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import caseload_view, no_person_data, portal_view, relative_area_view
from koers.notifications import selectors, services, texts
from koers.notifications.forms import PreferencesForm
from koers.notifications.models import Notification

NOTIFICATIONS = access.Category.NOTIFICATIONS
PAGE = 30


def _page(request, queryset):
    page = Paginator(queryset, PAGE).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    texts.prepare(page.object_list)
    for n in page.object_list:
        n.headline = texts.headline(n.reason)
        n.link = texts.link(n)
    return page


@portal_view(NOTIFICATIONS, object_type="notifications")
def portal_inbox(request, person):
    page = _page(request, selectors.inbox_for_person(request.user, person))
    return render(request, "notifications/portal_inbox.html", {"person": person, "page": page})


@require_POST
@portal_view(NOTIFICATIONS, object_type="notifications", object_kwarg="notification_id")
def portal_mark_read(request, person, notification_id):
    notification = access.object_for(
        request.user, Notification.objects.filter(recipient=request.user), notification_id, person=person
    )
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:portal_inbox")


@require_POST
@portal_view(NOTIFICATIONS, object_type="notifications")
def portal_mark_all_read(request, person):
    services.notifications_mark_all_read(actor=request.user, person=person)
    messages.success(request, _("Alle berichten staan nu op gelezen."))
    return redirect("notifications:portal_inbox")


def _preferences(request, *, person, template, redirect_to, extra):
    pref = selectors.preferences_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.preferences_update(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Uw instellingen zijn bewaard."))
                return redirect(redirect_to)
    else:
        form = PreferencesForm(
            initial={
                "email": pref.email,
                "frequency": pref.frequency,
                "quiet_start": pref.quiet_start,
                "quiet_end": pref.quiet_end,
            }
        )
    return render(request, template, {"form": form, "person": person, **extra})


@portal_view(NOTIFICATIONS, object_type="notifications.NotificationPreference")
def portal_preferences(request, person):
    return _preferences(
        request,
        person=person,
        template="notifications/preferences.html",
        redirect_to="notifications:portal_preferences",
        extra={"inbox_url": "notifications:portal_inbox"},
    )


@caseload_view
@login_required
def workspace_inbox(request):
    """A professional's notifications about the people in their care (one log row per person shown)."""
    if not request.user.is_professional:
        raise Http404
    page = _page(request, selectors.inbox_for_professional(request.user))
    access.record_list(request.user, {n.person for n in page.object_list}, object_type="notifications")
    return render(request, "notifications/workspace_inbox.html", {"page": page})


@require_POST
@caseload_view
@login_required
def workspace_mark_read(request, notification_id):
    notification = (
        selectors.inbox_for_professional(request.user).filter(pk=notification_id).first()
        if request.user.is_professional
        else None
    )
    if notification is None:  # someone else's, or none: the same answer, and a refused row
        access.refuse(
            request.user,
            person_id=None,
            category=NOTIFICATIONS,
            action=access.Action.UPDATE,
            object_type=Notification._meta.label,
            object_id=notification_id,
        )
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:workspace_inbox")


@no_person_data
@login_required
def workspace_preferences(request):
    if not request.user.is_professional:
        raise Http404
    return _preferences(
        request,
        person=None,
        template="notifications/preferences.html",
        redirect_to="notifications:workspace_preferences",
        extra={"inbox_url": "notifications:workspace_inbox"},
    )


@require_safe
@relative_area_view(object_type="notifications")
def relative_inbox(request):
    """A relative's messages (issue #13): about the persons who still name them, each only while
    its source's category is readable (``selectors.inbox_for_relative``); one log row per person shown."""
    page = _page(request, selectors.inbox_for_relative(request.user))
    access.record_list(request.user, {n.person for n in page.object_list}, object_type="notifications")
    return render(request, "notifications/relative_inbox.html", {"page": page})


@require_POST
@relative_area_view(object_type="notifications")
def relative_mark_read(request, notification_id):
    notification = selectors.inbox_for_relative(request.user).filter(pk=notification_id).first()
    if notification is None:  # someone else's, hidden, or none: the same answer, and a refused row
        access.refuse(
            request.user,
            person_id=None,
            category=NOTIFICATIONS,
            action=access.Action.UPDATE,
            object_type=Notification._meta.label,
            object_id=notification_id,
        )
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect("notifications:relative_inbox")
