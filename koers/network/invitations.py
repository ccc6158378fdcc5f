"""Invitations to a person's network: who may invite whom, and what accepting does.

- A **relative** (naaste) is invited by the person in the portal, or by the coordinator with
  them; a **professional of another organisation** only by the coordinator, with the person's
  consent recorded on the invitation (who recorded it, when).
- The secret is a link's token (``secrets.token_urlsafe``) or a code to type (``secrets.choice``
  over an alphabet without look-alike characters), shown or mailed once and stored only as its
  SHA-256 hash. It works once (an atomic update marks it used), until it expires
  (``KOERS_INVITATION_DAYS``), unless revoked.
- Accepting makes a professional a member of the care team (with their own organisation) or
  links a relative's account (RelativeLink), written with its access-log rows. What a relative
  then sees is decided by consent, not here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.audit import security
from koers.network.coordination import is_coordinator, manages_network
from koers.network.models import CareTeamMember, Invitation, RelativeLink
from koers.network.services import intake_moment
from koers.people import hooks
from koers.people.models import Person

Action = access.Action
INVITATION = "network.Invitation"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out and type
CODE_LENGTH = 12  # 60 bits: far beyond guessing within the days an invitation lives


def new_secret(delivery: str) -> str:
    if delivery == Invitation.Delivery.CODE:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    return secrets.token_urlsafe(32)


def normalised(raw: str) -> str:
    """A typed code in any case, with or without dashes and spaces, is the same code."""
    raw = (raw or "").strip()
    compact = raw.replace("-", "").replace(" ", "").upper()
    if len(compact) == CODE_LENGTH and all(c in CODE_ALPHABET for c in compact):
        return compact
    return raw


def hash_secret(raw: str) -> str:
    return hashlib.sha256(normalised(raw).encode()).hexdigest()


def _log(actor, person, action, obj, detail="") -> None:
    audit_log.record(
        user=actor, action=action, person=person, object_type=obj._meta.label, object_id=obj.pk, detail=detail
    )


def _check_relative(actor, person, relationship, consent_given) -> None:
    if not manages_network(actor, person):
        raise ValidationError(_("Alleen de cliënt zelf of de regiebehandelaar kan een naaste uitnodigen."))
    if not relationship.strip():
        raise ValidationError({"relationship": _("Vul in wie deze naaste is, bijvoorbeeld: partner of moeder.")})
    if actor.is_professional and not consent_given:
        raise ValidationError({"consent": _("Nodig een naaste alleen uit als de cliënt daarmee instemt.")})


def _check_professional(actor, person, invitee, consent_given) -> None:
    if not is_coordinator(actor, person):
        raise ValidationError(
            _("Alleen de regiebehandelaar kan een zorgverlener van een andere organisatie uitnodigen.")
        )
    if invitee is None or not invitee.is_professional or not invitee.is_active:
        raise ValidationError({"invitee": _("Er is geen zorgverlener met deze gebruikersnaam of dit e-mailadres.")})
    if invitee.organisation_id == actor.organisation_id:
        raise ValidationError(
            {"invitee": _("Deze collega is van uw eigen organisatie: voeg hem of haar toe op de pagina Zorgteam.")}
        )
    if CareTeamMember.objects.filter(person=person, professional=invitee, ended_at__isnull=True).exists():
        raise ValidationError({"invitee": _("Deze zorgverlener zit al in het netwerk.")})
    if open_invitations(person).filter(invitee=invitee).exists():
        already = _("Deze zorgverlener heeft al een uitnodiging. Trek die eerst in als u een nieuwe wilt sturen.")
        raise ValidationError({"invitee": already})
    if not consent_given:
        raise ValidationError(
            {
                "consent": _(
                    "Een zorgverlener van een andere organisatie komt alleen in het netwerk "
                    "als de cliënt daarmee instemt."
                )
            }
        )


def invitation_create(
    *,
    actor: User,
    person: Person,
    kind: str,
    delivery: str,
    relationship: str = "",
    email: str = "",
    invitee: User | None = None,
    consent_given: bool = False,
) -> tuple[Invitation, str]:
    """A new invitation and its secret (to mail or show once; only its hash is kept)."""
    access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type=INVITATION)
    if kind == Invitation.Kind.RELATIVE:
        _check_relative(actor, person, relationship, consent_given)
        invitee = None
    elif kind == Invitation.Kind.PROFESSIONAL:
        _check_professional(actor, person, invitee, consent_given)
        email, relationship = invitee.email, ""
    else:
        raise ValidationError(_("Kies een van de mogelijkheden."))
    if delivery not in Invitation.Delivery.values:
        raise ValidationError(_("Kies een van de mogelijkheden."))
    if delivery == Invitation.Delivery.EMAIL and not email:
        raise ValidationError({"email": _("Vul een e-mailadres in, of kies voor een code op het scherm.")})
    raw, now = new_secret(delivery), timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            person=person,
            kind=kind,
            delivery=delivery,
            token_hash=hash_secret(raw),
            invited_by=actor,
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.KOERS_INVITATION_DAYS),
            relationship=relationship.strip(),
            email=email if delivery == Invitation.Delivery.EMAIL else "",
            invitee=invitee,
            consent_recorded_by=actor,
            consent_recorded_at=now,
        )
        _log(actor, person, Action.CREATE, invitation)
    return invitation, raw


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    person = invitation.person
    access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type=INVITATION)
    if not manages_network(actor, person) and invitation.invited_by_id != actor.pk:
        raise ValidationError(
            _("Alleen de cliënt, de regiebehandelaar of wie uitnodigde kan deze uitnodiging intrekken.")
        )
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("Deze uitnodiging is al gebruikt of ingetrokken."))
    with transaction.atomic():
        invitation.revoked_at, invitation.revoked_by = timezone.now(), actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        _log(actor, person, Action.UPDATE, invitation, detail="revoked")


def open_invitations(person: Person):
    """Invitations of this (access-checked) person that can still be used."""
    return (
        Invitation.objects.filter(
            person=person, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invitee", "invitee__organisation", "invited_by")
        .order_by("created_at")
    )


def invitation_find(raw: str) -> Invitation | None:
    """The usable invitation this secret opens, or None (wrong, expired, used, revoked: all alike)."""
    if not raw or len(raw) > 100:
        return None
    # access: the secret itself is the access (like the calendar link), looked up by its hash.
    return (
        Invitation.objects.filter(
            token_hash=hash_secret(raw),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("person", "invitee")
        .first()
    )


def may_accept(user, invitation: Invitation) -> bool:
    """Whether this signed-in account can accept: the invited professional, or a relative account."""
    if not user.is_authenticated or not user.is_active:
        return False
    if invitation.kind == Invitation.Kind.PROFESSIONAL:
        return user.pk == invitation.invitee_id
    return user.role == User.Role.RELATIVE


def _use(invitation: Invitation, user: User) -> None:
    """Mark used in one atomic update: of two simultaneous accepts, one wins."""
    used = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not used:
        raise ValidationError(_("Deze uitnodiging is niet (meer) geldig."))


def invitation_accept(*, actor: User, invitation: Invitation):
    """Accept as the signed-in account: returns the new CareTeamMember or RelativeLink."""
    if not may_accept(actor, invitation):
        raise ValidationError(_("Deze uitnodiging is niet (meer) geldig."))
    person = invitation.person
    with transaction.atomic():
        _use(invitation, actor)
        _log(actor, person, Action.UPDATE, invitation, detail="accepted")
        if invitation.kind == Invitation.Kind.PROFESSIONAL:
            joined, created = CareTeamMember.objects.get_or_create(
                person=person,
                professional=actor,
                ended_at=None,
                defaults={
                    "organisation_id": actor.organisation_id,
                    "role": CareTeamMember.Role.MEMBER,
                    "assigned_by": invitation.invited_by,
                    "started_at": timezone.now(),
                },
            )
        else:
            joined, created = RelativeLink.objects.get_or_create(
                person=person, user=actor, ended_at=None, defaults={"relationship": invitation.relationship}
            )
        if created:
            _log(actor, person, Action.CREATE, joined, detail="invitation")
        if created and invitation.kind == Invitation.Kind.PROFESSIONAL:
            # The care team is part of the plan's content, as in care_team_assign.
            hooks.plan_content_changed(
                actor=actor,
                person=person,
                msgid=gettext_noop("Zorgteam: %(name)s toegevoegd"),
                params={"name": actor.display_name()},
            )
            intake_moment(actor=actor, person=person, membership=joined)
        elif created:
            # So are the relatives (the plan's network section, issue #13). The version is the
            # inviter's: the person or the coordinator who asked the relative in.
            hooks.plan_content_changed(
                actor=invitation.invited_by,
                person=person,
                msgid=gettext_noop("Naaste toegevoegd: %(name)s"),
                params={"name": actor.display_name()},
            )
    return joined


def invitation_accept_new_account(
    *, invitation: Invitation, username: str, password: str, first_name: str, last_name: str
) -> User:
    """A relative without an account: make one (role RELATIVE) and accept with it.

    The form checked the username and the password (Django's validators) first; the second
    factor is set up next, in the session the caller opens for it.
    """
    if invitation.kind != Invitation.Kind.RELATIVE:
        raise ValidationError(_("Deze uitnodiging is niet (meer) geldig."))
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, role=User.Role.RELATIVE)
        user.set_password(password)
        user.save()
        security.security_event(security.ACCOUNT_CREATED, actor=None, subject=user, note="invitation")
        invitation_accept(actor=user, invitation=invitation)
    return user
