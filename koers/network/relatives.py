"""The relatives a person named: which one is the first contact (eerste contactpersoon).

Relatives join by invitation (koers.network.invitations); what they may see is decided by consent
in koers.access. The first contact is a flag on ``RelativeLink``, at most one per person (a
partial unique constraint), chosen by the person or by the coordinator with them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.network.coordination import manages_network
from koers.network.models import RelativeLink
from koers.people import hooks
from koers.people.models import Person

Action = access.Action
LINK = "network.RelativeLink"


def _log(actor, person, link, detail) -> None:
    audit_log.record(
        user=actor, action=Action.UPDATE, person=person, object_type=LINK, object_id=link.pk, detail=detail
    )


def first_contact_set(*, actor: User, person: Person, link: RelativeLink | None) -> None:
    """Name one relative as the person's first contact (eerste contactpersoon), or none."""
    access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type=LINK)
    if not manages_network(actor, person):
        raise ValidationError(_("Alleen de cliënt zelf of de regiebehandelaar kan de eerste contactpersoon kiezen."))
    if link is not None and link.person_id != person.pk:
        raise ValidationError(_("Kies een van de mogelijkheden."))
    with transaction.atomic():
        for old in RelativeLink.objects.select_for_update().filter(person=person, first_contact=True):
            old.first_contact = False
            old.save(update_fields=["first_contact"])
            _log(actor, person, old, "first_contact_off")
        if link is not None:
            link.first_contact = True
            link.save(update_fields=["first_contact"])
            _log(actor, person, link, "first_contact_on")
        # Whom to call is part of the care plan's content (its network section, issue #13).
        hooks.plan_content_changed(actor=actor, person=person, msgid=gettext_noop("Eerste contactpersoon gewijzigd"))
