"""Which of a user's django-otp devices are a second factor.

Every django-otp device model counts (an authenticator app, a passkey, backup codes) except the
ones listed here: a link to an identity provider (``accounts.IdentityLink``, issue #11) is a
django-otp device only so that a high-assurance provider login can mark the session verified;
it is not something the user holds and types or touches, so it does not make Koers ask for a
factor after a password login, and a reset (lost phone) leaves it alone.
"""

from __future__ import annotations

from django_otp import devices_for_user

NOT_A_FACTOR = frozenset({"accounts.identitylink"})


def second_factors(user, *, confirmed: bool | None = True) -> list:
    """The user's second-factor devices (``confirmed=None``: confirmed or not)."""
    return [d for d in devices_for_user(user, confirmed=confirmed) if d._meta.label_lower not in NOT_A_FACTOR]


def has_second_factor(user) -> bool:
    return bool(second_factors(user))
