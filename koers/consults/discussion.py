"""“Bespreek dit”: a chart (an N=1 finding, a questionnaire trajectory) becomes an agenda item.

The item is put on the person's next planned consult; when none is planned it waits, like the
person's own topics, and moves onto the next consult when that is planned
(``services.consult_plan``). The item stores *what* is discussed — the kind of chart, the
variable's code or the instrument's id, and the period — and the chart is drawn from that when
the agenda is shown, with a link back to the page it came from.

Consults does not import the apps that own the charts (they import consults): each registers a
``Source`` in its ``AppConfig.ready``. A source knows its data category (the reader must be
allowed it to see the chart), how to name a key for this person (None: no such thing here), how
to draw the chart and where the finding lives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.consults.models import AgendaItem
from koers.consults.selectors import next_planned_consult
from koers.consults.services import _is_self, _next_priority, _validate_topic
from koers.people.models import Person

Action = access.Action
CONSULTS = access.Category.CONSULTS
MAX_KEY = AgendaItem._meta.get_field("about_key").max_length


@dataclass(frozen=True)
class Source:
    kind: str  # an AgendaItem.About value
    category: access.Category  # what the chart shows: the reader must be allowed to read it
    label: Callable[[Person, str], str | None]  # the key's name for this person, None if unknown
    chart: Callable[[User, Person, AgendaItem], dict | None]  # {"template", "context"} or None
    link: Callable[[Person, AgendaItem], str]  # the page of the finding
    portal_link: Callable[[AgendaItem], str] | None = None  # the person's own page of it, if any


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    if source.kind not in AgendaItem.About.values:
        raise ValueError(f"unknown kind of chart: {source.kind!r}")
    _SOURCES[source.kind] = source


def source_for(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def agenda_item_discuss(
    *,
    actor: User,
    person: Person,
    kind: str,
    key: str,
    period_from: dt.date | None = None,
    period_until: dt.date | None = None,
    detail: str = "",
) -> tuple[AgendaItem, bool]:
    """Put a chart on the agenda of the next planned consult (or on the waiting list for the
    next one). Returns ``(item, created)``: the same chart over the same period that is already
    open there is not put on twice. Raises ValidationError (nothing written) for a chart that
    does not exist for this person or a period that is not one."""
    access.require(actor, person, CONSULTS, Action.CREATE, object_type="consults.AgendaItem")
    source = _SOURCES.get(kind)
    if source is None:
        raise ValidationError(_("Dit onderwerp kan niet op de agenda."))
    access.require(actor, person, source.category, Action.READ, object_type=f"consults.discuss.{kind}")
    key = str(key or "").strip()
    name = source.label(person, key) if key and len(key) <= MAX_KEY else None
    if name is None:
        raise ValidationError(_("Dit onderwerp bestaat niet (meer) bij deze cliënt."))
    _check_period(period_from, period_until)
    consult = next_planned_consult(person)
    same = AgendaItem.objects.filter(
        person=person,
        consult=consult,
        status=AgendaItem.Status.OPEN,
        about_kind=kind,
        about_key=key,
        about_from=period_from,
        about_until=period_until,
    ).first()
    if same is not None:
        return same, False
    title = (_("Bespreken: %(name)s") % {"name": name})[: AgendaItem._meta.get_field("title").max_length]
    cleaned = _validate_topic({"title": title, "detail": detail})
    source_kind = AgendaItem.Source.PERSON if _is_self(actor, person) else AgendaItem.Source.PROFESSIONAL
    with transaction.atomic():
        item = AgendaItem.objects.create(
            person=person,
            consult=consult,
            source=source_kind,
            priority=_next_priority(person, consult),
            created_by=actor,
            about_kind=kind,
            about_key=key,
            about_from=period_from,
            about_until=period_until,
            **cleaned,
        )
        access.record(actor, person, Action.CREATE, item, detail=f"bespreek dit: {kind} {key}")
    return item, True


def _check_period(period_from, period_until) -> None:
    for value in (period_from, period_until):
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise ValidationError(_("De periode is geen geldige datum."))
    if period_from and period_until and period_from > period_until:
        raise ValidationError(_("De periode begint na het einde."))
    if period_until and period_until > timezone.localdate():
        raise ValidationError(_("De periode eindigt in de toekomst."))


def shown(user: User, person: Person, item: AgendaItem, *, portal: bool = False) -> dict | None:
    """What the agenda shows of an item's chart: ``{"link", "chart"}`` — the chart only when
    ``user`` may read its category (else only that it is about a chart). None: no chart.
    ``portal``: the person's own agenda, linking to their own page of the finding (if any)."""
    source = _SOURCES.get(item.about_kind) if item.about_kind else None
    if source is None:
        return None
    if source.category not in access.categories_for(user, person):
        return {"link": "", "chart": None, "allowed": False}
    if portal:
        link = source.portal_link(item) if source.portal_link else ""
    else:
        link = source.link(person, item)
    return {"link": link, "chart": source.chart(user, person, item), "allowed": True}


def redirect_to_item(request, person: Person, item: AgendaItem, created: bool, *, back: str):
    """After "bespreek dit": to the item on its consult's page (the person: their agenda), or —
    no consult planned yet — back where it came from, saying that it waits for the next one."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.urls import reverse

    portal = access.relationship_of(request.user, person) == access.Relationship.SELF
    if item.consult_id is None:
        waiting = (
            _("Er is nog geen gesprek gepland. Het onderwerp komt op de agenda van uw volgende gesprek.")
            if portal
            else _(
                "Er is nog geen consult gepland. Het onderwerp staat klaar en komt op de agenda van het "
                "volgende consult zodra dat gepland is."
            )
        )
        messages.success(request, waiting)
        return redirect(back)
    if portal:
        if created:
            messages.success(request, _("Het staat op de agenda van uw volgende gesprek."))
        else:
            messages.info(request, _("Dit stond al op de agenda van uw volgende gesprek."))
        return redirect(reverse("consults:portal_agenda"))
    if created:
        messages.success(request, _("Het staat op de agenda van het volgende consult."))
    else:
        messages.info(request, _("Dit stond al op de agenda van het volgende consult."))
    url = reverse("consults:detail", kwargs={"person_id": person.pk, "consult_id": item.consult_id})
    return redirect(f"{url}#item-{item.pk}")
