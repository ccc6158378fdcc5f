"""Login throttling with one threshold per pattern of attack (issue #11).

django-axes counts failed logins per combination in ``AXES_LOCKOUT_PARAMETERS`` and locks when
the largest count reaches one limit (``AXES_FAILURE_LIMIT``). Koers counts three patterns, each
with its own limit (documented in docs/running.md):

- ``username + ip_address`` (``AXES_FAILURE_LIMIT``): someone mistyping their own password, or
  guessing one account from one machine (the strictest limit);
- ``ip_address`` (``KOERS_LOGIN_ADDRESS_FAILURE_LIMIT``): one address trying many accounts
  (password spraying from one machine; looser, because a practice's staff may share an address);
- ``username`` (``KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT``): one account tried from many addresses
  (spraying from many machines).

``KoersAxesHandler.get_failures`` reports, for the combination closest to its own limit, the
count as if measured against ``AXES_FAILURE_LIMIT``: axes' own comparison ("failures >= limit")
then locks exactly when any combination reaches its own limit. The lockout page
(``views.locked_out``) is the same whichever pattern locked and whatever the username.

A successful login clears only the failures of that account from that address: it proves the
person knows their own password, not that the other accounts tried from the address (or the
other addresses trying the account) were harmless. Otherwise an attacker could reset the count
of a spraying run by logging in to an account of their own.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def limit_for(parameter) -> int:
    """The failure limit of one entry of ``AXES_LOCKOUT_PARAMETERS``."""
    if parameter == "ip_address":
        return settings.KOERS_LOGIN_ADDRESS_FAILURE_LIMIT
    if parameter == "username":
        return settings.KOERS_LOGIN_ACCOUNT_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class KoersAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        closest = 0
        combinations = zip(settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True)
        for parameter, attempts in combinations:
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # Failures left before this combination's own limit, counted down from the base limit.
            closest = max(closest, base - (limit_for(parameter) - failures))
        return closest

    def reset_user_attempts(self, request, credentials=None) -> int:
        attempts = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        )
        count, _ = attempts.delete()
        return count
