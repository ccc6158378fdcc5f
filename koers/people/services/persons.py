"""Registering a person, with or without a portal account."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.people import portal_accounts, registration
from koers.people.models import (
    Person,
    Profile,
)
from koers.people.services.checks import (
    Errors,
    bsn,
    choice,
    past_date,
    postcode_area,
    text,
)

Action = access.Action
Category = access.Category


# --- person ---------------------------------------------------------------------------------


def person_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    birth_date,
    gender: str = "unknown",
    user: User | None = None,
    phone: str = "",
    email: str = "",
    bsn: str = "",
    postcode_area: str = "",
) -> Person:
    """Register a person; the registering professional joins their care team as responsible
    (koers.network listens: ``people.registration``)."""
    if not actor.is_professional and not actor.is_superuser:
        access.refuse(
            actor,
            person_id=None,
            category=Category.DEMOGRAPHICS,
            action=Action.CREATE,
            object_type="people.Person",
            object_id="",
        )
    with transaction.atomic():
        person = Person.objects.create(
            user=user,
            given_name=given_name,
            family_name=family_name,
            birth_date=birth_date,
            gender=gender,
            phone=phone,
            email=email,
            bsn=bsn,
            postcode_area=postcode_area,
        )
        Profile.objects.create(person=person)
        registration.person_created(actor=actor, person=person)  # network: the actor joins the care team
        audit_log.record(
            user=actor, action=Action.CREATE, person=person, object_type="people.Person", object_id=person.pk
        )
    return person


REGISTRATION_FIELDS = ("given_name", "family_name", "birth_date", "gender", "phone", "email", "bsn", "postcode_area")


def _clean_registration(errors: Errors, values: dict) -> dict:
    """The person's own details, checked; messages go to ``errors``."""
    clean = {
        "given_name": text(errors, "given_name", values["given_name"], max_length=100, required=True),
        "family_name": text(errors, "family_name", values["family_name"], max_length=150, required=True),
        "gender": choice(errors, "gender", values["gender"], Person.Gender.choices),
        "phone": text(errors, "phone", values["phone"], max_length=30),
        "email": text(errors, "email", values["email"], max_length=254),
        "bsn": bsn(errors, "bsn", values["bsn"]),
        "postcode_area": postcode_area(errors, "postcode_area", values.get("postcode_area", "")),
    }
    birth_date = values["birth_date"]
    if birth_date in (None, ""):
        errors.add("birth_date", _("Vul de geboortedatum in."))
    else:
        birth_date = past_date(errors, "birth_date", birth_date, earliest=dt.date(1900, 1, 1))
    clean["birth_date"] = birth_date
    if clean["phone"] and not all(ch.isdigit() or ch in " +-()" for ch in clean["phone"]):
        errors.add("phone", _("Een telefoonnummer bestaat uit cijfers, spaties, + of -."))
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors.add("email", _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."))
    return clean


def _clean_portal(errors: Errors, username: str, channel: str, email: str) -> str:
    """The portal account's username (empty: no account) and how its activation code travels."""
    username = text(errors, "username", username, max_length=150)
    if username:
        problem = portal_accounts.username_problem(username)
        if problem:
            errors.add("username", problem)
        problem = portal_accounts.channel_problem(channel, email)
        if problem:
            errors.add("channel", problem)
    return username


def person_register_problems(**values) -> dict[str, list[str]]:
    """What ``person_register`` would refuse in these values (its keyword arguments but ``actor``),
    found without writing: a form that found problems of its own shows these beside them, so a
    professional sees every problem at once instead of a second round after fixing the first."""
    errors = Errors()
    details = _clean_registration(errors, {name: values.get(name, "") for name in REGISTRATION_FIELDS})
    channel = values.get("channel") or portal_accounts.Channel.LETTER
    _clean_portal(errors, values.get("username", ""), channel, details["email"])
    return dict(errors)


def person_register(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    birth_date,
    gender: str = Person.Gender.UNKNOWN,
    phone: str = "",
    email: str = "",
    username: str = "",
    bsn: str = "",
    postcode_area: str = "",
    channel: str = portal_accounts.Channel.LETTER,
) -> tuple[Person, tuple[str, object] | None]:
    """A professional registers a person, optionally with a portal account.

    With a ``username`` a portal account is made *without* a password, and an activation code
    (``koers.accounts.activation``) for the person to choose their own, handed over by
    ``channel`` (letter, e-mail, in person). Returns ``(person, (code, code_row) or None)``:
    the code to print, send or pass on once; only its hash is stored.
    """
    if actor is None or not actor.is_authenticated or not actor.is_professional:
        access.refuse(
            actor, person_id=None, category=Category.DEMOGRAPHICS, action=Action.CREATE, object_type="people.Person"
        )
    errors = Errors()
    details = _clean_registration(
        errors,
        {"given_name": given_name, "family_name": family_name, "birth_date": birth_date, "gender": gender}
        | {"phone": phone, "email": email, "bsn": bsn, "postcode_area": postcode_area},
    )
    username = _clean_portal(errors, username, channel, details["email"])
    errors.raise_if_any()

    account = None
    if username:
        account = portal_accounts.portal_account_new(
            username=username,
            given_name=details["given_name"],
            family_name=details["family_name"],
            email=details["email"],
        )
    issued = None
    try:
        with transaction.atomic():
            if account is not None:
                account.save()
            person = person_create(actor=actor, user=account, **details)
            if account is not None:
                issued = portal_accounts.portal_account_activate(actor=actor, person=person, channel=channel)
    except IntegrityError:
        # Someone took the username between the check and the save.
        raise ValidationError({"username": [_("Deze gebruikersnaam is al in gebruik. Kies een andere.")]}) from None
    return person, issued
