"""Pages to keep the map up to date: a provider's page (its places and services), a service's
page (its opening times and contacts), and the forms to add, change and archive or remove them.

Reading these pages: any staff of an organisation (like the list). Changing: only who may keep
the provider's part of the map (``services.may_edit``); anyone else gets the same 404 and a
refused row as a page that is not there. Archiving and removing always go through a
confirmation page; archived rows stay (referrals stay readable) and can be brought back.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koers import access
from koers.lib.forms import submit_form
from koers.socialmap import forms, maintenance, selectors, services
from koers.socialmap.models import Contact, Location, MapStatus, Provider, Schedule, Service
from koers.socialmap.views_staff import staff_page


def _refuse(request, object_type: str, object_id) -> None:
    access.refuse(
        request.user,
        person_id=None,
        category=access.Category.DEMOGRAPHICS,
        action=access.Action.UPDATE if request.method not in ("GET", "HEAD") else access.Action.READ,
        object_type=object_type,
        object_id=object_id,
    )


def _get(request, model, pk, *, edit: bool):
    """The row, if it exists and (``edit``) this user may keep its provider; else 404 + refused row."""
    obj = model.objects.filter(pk=pk).first()
    provider = None if obj is None else (obj if model is Provider else getattr(obj, "provider", None))
    if provider is None and obj is not None:
        provider = obj.service.provider
    if obj is None or (edit and not services.may_edit(request.user, provider)):
        _refuse(request, f"socialmap.{model.__name__}", pk)
    return obj


def _form_page(request, form, *, save, done: str, message: str, title: str, back: str):
    return submit_form(
        request,
        form,
        save=save,
        success_url=done,
        success_message=message,
        template="socialmap/edit_form.html",
        context={"title": title, "back": back},
    )


def _confirm(request, *, title: str, text: str, yes: str, back: str, act, message: str, done: str):
    """A confirmation page; only a POST with ``bevestigd=ja`` acts."""
    if request.method == "POST" and request.POST.get("bevestigd") == "ja":
        act()
        messages.success(request, message)
        return redirect(done)
    context = {"title": title, "text": text, "yes": yes, "back": back}
    return render(request, "socialmap/confirm.html", context)


# --- providers and their places -----------------------------------------------------------------


@require_safe
@staff_page
def provider_page(request, provider_id):
    provider = _get(request, Provider, provider_id, edit=False)
    context = selectors.provider_page(provider) | {"may_edit": services.may_edit(request.user, provider)}
    return render(request, "socialmap/provider.html", context)


def _provider_url(provider_id) -> str:
    return reverse("socialmap:provider", args=[provider_id])


@staff_page
def provider_edit(request, provider_id):
    provider = _get(request, Provider, provider_id, edit=True)
    form = forms.ProviderEditForm(request.POST or None, initial=model_to_dict(provider))
    return _form_page(
        request,
        form,
        save=lambda d: maintenance.provider_update(actor=request.user, provider=provider, values=d),
        done=_provider_url(provider.pk),
        message=_("De wijzigingen zijn opgeslagen."),
        title=_("Aanbieder wijzigen: %(name)s") % {"name": provider.name},
        back=_provider_url(provider.pk),
    )


@staff_page
def provider_archive(request, provider_id):
    provider = _get(request, Provider, provider_id, edit=True)
    archive = provider.status == MapStatus.ACTIVE
    status = MapStatus.INACTIVE if archive else MapStatus.ACTIVE
    return _confirm(
        request,
        title=_("Aanbieder archiveren?") if archive else _("Aanbieder terugzetten?"),
        text=(
            _("Het aanbod van “%(name)s” wordt niet meer voorgesteld. Verwijzingen die er al zijn blijven bewaard.")
            if archive
            else _("Het aanbod van “%(name)s” dat actief was, wordt weer voorgesteld.")
        )
        % {"name": provider.name},
        yes=_("Ja, archiveren") if archive else _("Ja, terugzetten"),
        back=_provider_url(provider.pk),
        act=lambda: maintenance.provider_set_status(actor=request.user, provider=provider, status=status),
        message=_("De aanbieder is gearchiveerd.") if archive else _("De aanbieder staat weer op de kaart."),
        done=_provider_url(provider.pk),
    )


@staff_page
def location_create(request, provider_id):
    provider = _get(request, Provider, provider_id, edit=True)
    form = forms.LocationForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda d: maintenance.location_create(actor=request.user, provider=provider, values=d),
        done=_provider_url(provider.pk),
        message=_("De plek is toegevoegd."),
        title=_("Nieuwe plek van %(name)s") % {"name": provider.name},
        back=_provider_url(provider.pk),
    )


@staff_page
def location_edit(request, location_id):
    location = _get(request, Location, location_id, edit=True)
    form = forms.LocationForm(request.POST or None, initial=model_to_dict(location))
    return _form_page(
        request,
        form,
        save=lambda d: maintenance.location_update(actor=request.user, location=location, values=d),
        done=_provider_url(location.provider_id),
        message=_("De wijzigingen zijn opgeslagen."),
        title=_("Plek wijzigen: %(name)s") % {"name": location.name},
        back=_provider_url(location.provider_id),
    )


@staff_page
def location_archive(request, location_id):
    location = _get(request, Location, location_id, edit=True)
    archive = location.status == MapStatus.ACTIVE
    status = MapStatus.INACTIVE if archive else MapStatus.ACTIVE
    return _confirm(
        request,
        title=_("Plek archiveren?") if archive else _("Plek terugzetten?"),
        text=(
            _("U kunt “%(name)s” niet meer kiezen voor nieuw aanbod. Het aanbod en de verwijzingen blijven er.")
            if archive
            else _("“%(name)s” kan weer worden gekozen voor aanbod.")
        )
        % {"name": location.name},
        yes=_("Ja, archiveren") if archive else _("Ja, terugzetten"),
        back=_provider_url(location.provider_id),
        act=lambda: maintenance.location_set_status(actor=request.user, location=location, status=status),
        message=_("De plek is gearchiveerd.") if archive else _("De plek staat weer op de kaart."),
        done=_provider_url(location.provider_id),
    )


# --- a service with its opening times and contacts -----------------------------------------------


@require_safe
@staff_page
def service_page(request, service_id):
    service = _get(request, Service, service_id, edit=False)
    context = {
        "service": service,
        "schedules": list(service.schedules.all()),
        "contacts": list(service.contacts.all()),
        "locations": list(service.locations.all()),
        "may_edit": services.may_edit(request.user, service.provider),
    }
    return render(request, "socialmap/service.html", context)


def _service_url(service_id) -> str:
    return reverse("socialmap:service", args=[service_id])


def _schedule_initial(schedule: Schedule) -> dict:
    return model_to_dict(schedule) | {"byday": [d for d in schedule.byday.split(",") if d]}


@staff_page
def schedule_create(request, service_id):
    service = _get(request, Service, service_id, edit=True)
    form = forms.ScheduleForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda _d: maintenance.schedule_create(actor=request.user, service=service, values=form.values()),
        done=_service_url(service.pk),
        message=_("De tijd is toegevoegd."),
        title=_("Nieuwe tijd voor %(name)s") % {"name": service.name},
        back=_service_url(service.pk),
    )


@staff_page
def schedule_edit(request, schedule_id):
    schedule = _get(request, Schedule, schedule_id, edit=True)
    form = forms.ScheduleForm(request.POST or None, initial=_schedule_initial(schedule))
    return _form_page(
        request,
        form,
        save=lambda _d: maintenance.schedule_update(actor=request.user, schedule=schedule, values=form.values()),
        done=_service_url(schedule.service_id),
        message=_("De wijzigingen zijn opgeslagen."),
        title=_("Tijd wijzigen: %(name)s") % {"name": schedule.service.name},
        back=_service_url(schedule.service_id),
    )


@staff_page
def schedule_delete(request, schedule_id):
    schedule = _get(request, Schedule, schedule_id, edit=True)
    return _confirm(
        request,
        title=_("Tijd verwijderen?"),
        text=_("“%(text)s” verdwijnt bij %(name)s. U kunt de tijd later opnieuw invullen.")
        % {"text": schedule.description or schedule.byday, "name": schedule.service.name},
        yes=_("Ja, verwijderen"),
        back=_service_url(schedule.service_id),
        act=lambda: maintenance.schedule_delete(actor=request.user, schedule=schedule),
        message=_("De tijd is verwijderd."),
        done=_service_url(schedule.service_id),
    )


@staff_page
def contact_create(request, service_id):
    service = _get(request, Service, service_id, edit=True)
    form = forms.ContactForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda d: maintenance.contact_create(actor=request.user, service=service, values=d),
        done=_service_url(service.pk),
        message=_("De contactpersoon is toegevoegd."),
        title=_("Nieuwe contactpersoon voor %(name)s") % {"name": service.name},
        back=_service_url(service.pk),
    )


@staff_page
def contact_edit(request, contact_id):
    contact = _get(request, Contact, contact_id, edit=True)
    form = forms.ContactForm(request.POST or None, initial=model_to_dict(contact))
    return _form_page(
        request,
        form,
        save=lambda d: maintenance.contact_update(actor=request.user, contact=contact, values=d),
        done=_service_url(contact.service_id),
        message=_("De wijzigingen zijn opgeslagen."),
        title=_("Contactpersoon wijzigen: %(name)s") % {"name": contact.service.name},
        back=_service_url(contact.service_id),
    )


@staff_page
def contact_delete(request, contact_id):
    contact = _get(request, Contact, contact_id, edit=True)
    return _confirm(
        request,
        title=_("Contactpersoon verwijderen?"),
        text=_("%(who)s is dan geen contactpersoon meer voor %(name)s. U kunt de gegevens later opnieuw invullen.")
        % {"who": contact.name or contact.phone or contact.email, "name": contact.service.name},
        yes=_("Ja, verwijderen"),
        back=_service_url(contact.service_id),
        act=lambda: maintenance.contact_delete(actor=request.user, contact=contact),
        message=_("De contactpersoon is verwijderd."),
        done=_service_url(contact.service_id),
    )
