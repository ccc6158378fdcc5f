"""A person's portal account: made without a password, activated with a code (issue #11).

The professional never sees or chooses the person's password. Registering a person with a
username makes an account with an *unusable* password and an activation code
(``koers.accounts.activation``) that reaches the person by letter, e-mail or in person; the
person opens the link or types the code, chooses their own password and binds a second factor.
Later the professional in the care team can hand out a new code (the letter got lost, a new
phone, a lost phone) with ``portal_code_issue``.
"""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers import access
from koers.accounts import activation
from koers.accounts.models import ActivationCode, User
from koers.audit import security
from koers.people.models import Person

Channel = ActivationCode.Channel
Purpose = ActivationCode.Purpose
OBJECT_TYPE = "accounts.ActivationCode"


def username_problem(username: str) -> str:
    """Why this username cannot be used ("" when it can)."""
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return _("Gebruik alleen letters, cijfers en de tekens @ . + - _ (geen spaties).")
    if User.objects.filter(username__iexact=username).exists():
        return _("Deze gebruikersnaam is al in gebruik. Kies een andere.")
    return ""


def channel_problem(channel: str, email: str) -> str:
    """Why the code cannot be handed over this way ("" when it can)."""
    if channel not in Channel.values:
        return _("Kies hoe de cliënt de activatiecode krijgt.")
    if channel == Channel.EMAIL and not email:
        return _("Vul een e-mailadres in om de code per e-mail te sturen, of kies een andere manier.")
    return ""


def portal_account_new(*, username: str, given_name: str, family_name: str, email: str) -> User:
    """An unsaved person account that cannot log in until its holder chooses a password."""
    account = User(
        username=username,
        role=User.Role.PERSON,
        first_name=given_name[:150],
        last_name=family_name[:150],
        email=email,
    )
    account.set_unusable_password()
    return account


def portal_account_activate(*, actor: User, person: Person, channel: str) -> tuple[str, ActivationCode]:
    """Inside the registration's transaction: log the new account and issue its activation code."""
    account = person.user
    security.security_event(security.ACCOUNT_CREATED, actor=actor, subject=account, note="portal account")
    access.record(actor, person, access.Action.CREATE, account, detail="portal account")
    return activation.activation_issue(actor=actor, account=account, purpose=Purpose.ACTIVATION, channel=channel)


def portal_code_issue(*, actor: User, person: Person, purpose: str, channel: str) -> tuple[str, ActivationCode]:
    """The care team hands the person a new code: activation (never activated yet), enrolment
    or reset of the second factor. Refused (as missing) for anyone outside the care team."""
    access.require(actor, person, access.Category.DEMOGRAPHICS, access.Action.UPDATE, object_type=OBJECT_TYPE)
    if not actor.is_professional or person.user_id is None:
        access.refuse(
            actor,
            person_id=person.pk,
            category=access.Category.DEMOGRAPHICS,
            action=access.Action.UPDATE,
            object_type=OBJECT_TYPE,
        )
    problem = channel_problem(channel, person.user.email)
    if problem:
        raise ValidationError({"channel": [problem]})
    with transaction.atomic():
        code, row = activation.activation_issue(actor=actor, account=person.user, purpose=purpose, channel=channel)
        access.record(actor, person, access.Action.CREATE, row, detail=purpose)
    return code, row
