"""The e-mail that carries an invitation's link (Django's e-mail backend; locmem in tests).

It names who invites, not the person nor anything about their care: an e-mail can be read by
others. The link itself is the secret and works once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from koers.network.models import Invitation


def invitation_mail(invitation: Invitation, link: str) -> None:
    days = settings.KOERS_INVITATION_DAYS
    subject = _("Uitnodiging voor Koers")
    body = _(
        "Beste,\n\n"
        "%(inviter)s nodigt u uit in Koers.\n\n"
        "Open deze link om de uitnodiging te bekijken en aan te nemen:\n%(link)s\n\n"
        "De link werkt één keer en is %(days)s dagen geldig. Verwachtte u deze uitnodiging niet? "
        "Dan kunt u deze e-mail negeren.\n"
    ) % {"inviter": invitation.invited_by.display_name(), "link": link, "days": days}
    send_mail(subject, body, None, [invitation.email])
