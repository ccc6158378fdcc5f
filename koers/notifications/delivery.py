"""Delivering the outbox exactly once.

A worker *claims* a batch: a conditional UPDATE that sets ``state=sending``, a fresh lease token
and ``lease_until`` on rows that are pending and due, or whose earlier lease ran out (that
worker died). On PostgreSQL the candidates are first picked with ``SELECT … FOR UPDATE SKIP
LOCKED`` so concurrent workers take different rows without waiting; on SQLite (one writer at a
time) the conditional UPDATE alone decides. Every later write is conditional on the token, so a
worker whose lease was taken over can change nothing.

- **In-app**: the Notification is inserted in the same transaction that marks the row sent, and
  it is one-to-one with the row (a unique constraint). A worker killed before the commit leaves
  no trace but the lease, which runs out, and the next worker delivers it: exactly once.
- **Email**: sent with a Message-ID derived from the dedupe key, then the row is marked sent. A
  worker killed in between (after the mail server accepted, before the commit) leaves the row
  'sending'; when the lease runs out it is sent again *with the same Message-ID*. SMTP cannot be
  made exactly-once without the receiver's help; see docs/decisions.md for what is promised.

Everything is checked again at send time: the account; through the access layer, the right to
see the person's notifications *and* the category the reminder is about (its source's
``category``: a member who left the network, or whose topic the person withdrew, gets nothing —
the row is marked not sent and a refused access-log row is written); whether the reminder still
applies (the action still open with the same date, the consult still planned at that time…);
email consent and quiet hours (which delay, never drop) — except for an ``urgent`` source (an
emergency notice), whose e-mail goes at once (``sources.ReminderSource.urgent``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers import access
from koers.accounts.language import language_of
from koers.notifications import selectors, sources, subjects, timing
from koers.notifications.models import Channel, Delivery, Notification, NotificationPreference, Reason
from koers.notifications.services import email_address

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
BATCH = 500


@dataclass
class Report:
    claimed: int = 0
    sent: int = 0
    skipped: int = 0
    deferred: int = 0
    failed: int = 0
    lost_lease: int = 0
    by_channel: dict = field(default_factory=dict)

    def add(self, other: Report) -> None:
        for name in ("claimed", "sent", "skipped", "deferred", "failed", "lost_lease"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _claimable(now: dt.datetime) -> Q:
    return Q(state=Delivery.State.PENDING, send_after__lte=now) | Q(state=Delivery.State.SENDING, lease_until__lt=now)


def claim(*, now: dt.datetime | None = None, limit: int = BATCH, lease: dt.timedelta = LEASE):
    """Take up to ``limit`` due rows for this worker. Returns (token, rows)."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        # A row whose lease ran out MAX_ATTEMPTS times is given up on (and visible to operators).
        Delivery.objects.filter(state=Delivery.State.SENDING, lease_until__lt=now, attempts__gte=MAX_ATTEMPTS).update(
            state=Delivery.State.FAILED, lease_token=None, outcome="too many attempts"
        )
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now))
            .order_by("send_after", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return token, []
        Delivery.objects.filter(_claimable(now), pk__in=ids).update(
            state=Delivery.State.SENDING,
            lease_token=token,
            lease_until=now + lease,
            attempts=F("attempts") + 1,
        )
    rows = list(
        Delivery.objects.filter(pk__in=ids, lease_token=token).select_related("recipient", "person").order_by("id")
    )
    return token, rows


def _finish(row: Delivery, token, state: str, now: dt.datetime, outcome: str = "") -> bool:
    return bool(
        Delivery.objects.filter(pk=row.pk, lease_token=token, state=Delivery.State.SENDING).update(
            state=state, sent_at=now if state == Delivery.State.SENT else None, outcome=outcome[:200], lease_until=None
        )
    )


def _release(row: Delivery, token, until: dt.datetime, *, count_attempt: bool, outcome: str = "") -> bool:
    """Back to pending until ``until`` (quiet hours, or a retry after a failed send)."""
    return bool(
        Delivery.objects.filter(pk=row.pk, lease_token=token, state=Delivery.State.SENDING).update(
            state=Delivery.State.PENDING,
            send_after=until,
            lease_token=None,
            lease_until=None,
            attempts=F("attempts") if count_attempt else F("attempts") - 1,
            outcome=outcome[:200],
        )
    )


def _withheld(row: Delivery, seen: dict) -> access.Category | None:
    """The category the recipient may no longer read for this message, or None to send it.

    Asked at send time, through the access layer, with the network and the person's consent as
    they are now: the right to this person's notifications, and to the category the reminder's
    source says the message is about (a withdrawn topic, a member who left the network).
    ``seen`` keeps each (recipient, person)'s answer for the batch.
    """
    if row.person is None:  # the digest: about the recipient's own messages
        return None
    key = (row.recipient_id, row.person_id)
    if key not in seen:
        seen[key] = access.categories_for(row.recipient, row.person, access.Action.READ)
    source = sources.source_for(row.reason)
    if source is None:
        needed = (access.Category.NOTIFICATIONS,)
    elif source.category_alone:
        needed = (source.category,)
    else:
        needed = (access.Category.NOTIFICATIONS, source.category)
    return next((category for category in needed if category not in seen[key]), None)


def _withhold(row: Delivery, token, now: dt.datetime, category: access.Category) -> bool:
    """Mark the row not sent and, if this worker still held it, log the refusal (who, whose
    data, which category) — never an exception: the rest of the batch goes on."""
    if not _finish(row, token, Delivery.State.SKIPPED, now, f"access withdrawn: {category}"):
        return False
    access.log_refusal(
        row.recipient,
        person_id=row.person_id,
        category=category,
        action=access.Action.READ,
        object_id=row.pk,
        detail="notification withheld at send time",
    )
    return True


def deliver(
    *, now: dt.datetime | None = None, limit: int = BATCH, lease: dt.timedelta = LEASE, send_hook=None
) -> Report:
    """Claim one batch and deliver it. ``send_hook(row)`` is called mid-send: inside the in-app
    transaction, and right before an email is handed to the mail backend (tests kill a worker there)."""
    now = now or timezone.now()
    report = Report()
    token, rows = claim(now=now, limit=limit, lease=lease)
    report.claimed = len(rows)
    if not rows:
        return report
    relevant = subjects.still_relevant(rows, now=now)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in={r.recipient_id for r in rows})}
    in_app, seen = [], {}
    for row in rows:
        pref = prefs.get(row.recipient_id) or NotificationPreference(user_id=row.recipient_id)
        if not row.recipient.is_active:
            report.skipped += _finish(row, token, Delivery.State.SKIPPED, now, "recipient may not receive it")
        elif (category := _withheld(row, seen)) is not None:
            report.skipped += _withhold(row, token, now, category)
        elif row.reason != Reason.DIGEST and row.pk not in relevant:
            report.skipped += _finish(row, token, Delivery.State.SKIPPED, now, "no longer applies")
        elif row.channel == Channel.IN_APP:
            in_app.append((row, pref, relevant.get(row.pk, "")))
        else:
            outcome = _deliver_email(row, token, now, pref, send_hook)
            setattr(report, outcome, getattr(report, outcome) + 1)
    if in_app:
        sent = _deliver_in_app_batch(in_app, token, now, send_hook)
        report.sent += sent
        report.lost_lease += len(in_app) - sent
    return report


def deliver_all(*, now: dt.datetime | None = None, limit: int = BATCH, send_hook=None) -> Report:
    """Deliver batches until nothing is claimable."""
    total = Report()
    while True:
        report = deliver(now=now, limit=limit, send_hook=send_hook)
        if not report.claimed:
            return total
        total.add(report)


def _email_follow_on(row: Delivery, now: dt.datetime, pref: NotificationPreference) -> Delivery | None:
    """The email that tells about an in-app reminder, if the recipient wants email (an urgent
    one at once, never in the digest)."""
    if not pref.email:
        return None
    if pref.frequency == NotificationPreference.Frequency.DAILY and not sources.is_urgent(row.reason):
        due = timing.next_digest(now)
        return Delivery(
            recipient_id=row.recipient_id,
            person=None,
            channel=Channel.EMAIL,
            reason=Reason.DIGEST,
            subject_type="digest",
            subject_id=row.recipient_id,
            due_at=due,
            send_after=due,
            created_at=now,
        )
    return Delivery(
        recipient_id=row.recipient_id,
        person_id=row.person_id,
        channel=Channel.EMAIL,
        reason=row.reason,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        due_at=row.due_at,
        send_after=now,
        created_at=now,
    )


def _deliver_in_app(
    row: Delivery, token, now: dt.datetime, pref: NotificationPreference, about: str, send_hook=None
) -> bool:
    return _deliver_in_app_batch([(row, pref, about)], token, now, send_hook) == 1


def _deliver_in_app_batch(items, token, now: dt.datetime, send_hook=None) -> int:
    """Mark the rows sent and write their notifications in one transaction (all or nothing).

    Only rows still held under ``token`` are delivered: they are locked first (FOR UPDATE), so a
    worker that took a row over after our lease ran out either already changed its token (and
    the row is left out here) or waits for this commit and then finds it sent.
    """
    ids = [row.pk for row, _pref, _about in items]
    with transaction.atomic():
        mine = set(
            Delivery.objects.select_for_update()
            .filter(pk__in=ids, lease_token=token, state=Delivery.State.SENDING)
            .values_list("pk", flat=True)
        )
        if not mine:
            return 0
        Delivery.objects.filter(pk__in=mine).update(
            state=Delivery.State.SENT, sent_at=now, outcome="", lease_until=None
        )
        if send_hook is not None:
            send_hook(items[0][0])
        notes, follow_ons = [], []
        for row, pref, about in items:
            if row.pk not in mine:
                continue
            notes.append(
                Notification(
                    recipient_id=row.recipient_id,
                    person_id=row.person_id,
                    delivery_id=row.pk,
                    reason=row.reason,
                    subject_type=row.subject_type,
                    subject_id=row.subject_id,
                    due_at=row.due_at,
                    about=about[:300],
                    created_at=now,
                )
            )
            follow_on = _email_follow_on(row, now, pref)
            if follow_on is not None:
                follow_ons.append(follow_on)
        Notification.objects.bulk_create(notes)
        if follow_ons:
            Delivery.objects.bulk_create(follow_ons, ignore_conflicts=True)
    return len(mine)


def _hold(row: Delivery, token, now: dt.datetime, pref: NotificationPreference) -> str | None:
    """The outcome when the recipient's preferences hold this email back (the daily digest tells
    it instead, or quiet hours delay it); None to send it now."""
    if row.reason != Reason.DIGEST and pref.frequency == NotificationPreference.Frequency.DAILY:
        # Changed to a daily digest after this email was scheduled: the digest tells it instead.
        with transaction.atomic():
            if not _finish(row, token, Delivery.State.SKIPPED, now, "moved to the daily digest"):
                return "lost_lease"
            Delivery.objects.bulk_create([_email_follow_on(row, now, pref)], ignore_conflicts=True)
        return "skipped"
    if timing.in_quiet_hours(now, pref.quiet_start, pref.quiet_end):
        until = timing.quiet_hours_end(now, pref.quiet_start, pref.quiet_end)
        return "deferred" if _release(row, token, until, count_attempt=False, outcome="quiet hours") else "lost_lease"
    return None


def _deliver_email(row: Delivery, token, now: dt.datetime, pref: NotificationPreference, send_hook) -> str:
    address = email_address(row.recipient)
    # An urgent notice (an emergency access) goes at once: the row exists because the recipient
    # wanted e-mail when it was delivered in-app, or because its feature always mails (the first
    # contact); quiet hours and the digest do not hold it (docs/collaboration.md).
    urgent = sources.is_urgent(row.reason)
    if not (pref.email or urgent) or not address:
        return "skipped" if _finish(row, token, Delivery.State.SKIPPED, now, "email turned off") else "lost_lease"
    if not urgent and (held := _hold(row, token, now, pref)) is not None:
        return held
    unread = None
    if row.reason == Reason.DIGEST:
        unread = selectors.unread_count(row.recipient)  # what the inbox shows, not what it hides
        if not unread:
            return "skipped" if _finish(row, token, Delivery.State.SKIPPED, now, "nothing unread") else "lost_lease"
    message = build_email(row, address, unread)
    if send_hook is not None:
        send_hook(row)
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 — any backend error: try again later, or give up
        log.warning("email %s failed: %s", row.pk, error)
        if row.attempts >= MAX_ATTEMPTS:
            _finish(row, token, Delivery.State.FAILED, now, f"send failed: {error}")
            return "failed"
        retry = now + dt.timedelta(minutes=2**row.attempts)
        _release(row, token, retry, count_attempt=True, outcome=f"send failed: {error}")
        return "deferred"
    return "sent" if _finish(row, token, Delivery.State.SENT, now) else "lost_lease"


def _inbox_of(user) -> str:
    if user.is_person:
        return "notifications:portal_inbox"
    if user.is_relative:
        return "notifications:relative_inbox"
    return "notifications:workspace_inbox"


def build_email(row: Delivery, address: str, unread: int | None) -> EmailMessage:
    """An email that says *that* there is a message, never what it is about: no health data
    leaves Koers by email. The Message-ID is stable across attempts."""
    with translation.override(language_of(row.recipient)):
        path = reverse(_inbox_of(row.recipient))
        if unread is not None:
            subject = ngettext("Koers: u heeft een nieuw bericht", "Koers: u heeft nieuwe berichten", unread)
            body = ngettext(
                "Er staat %(count)s ongelezen bericht voor u klaar in Koers.",
                "Er staan %(count)s ongelezen berichten voor u klaar in Koers.",
                unread,
            ) % {"count": unread}
        else:
            subject = _("Koers: er staat een bericht voor u klaar")
            body = _("Er staat een nieuw bericht voor u klaar in Koers.")
        if settings.KOERS_BASE_URL:  # a link a mail program can open: never a bare path
            body += "\n\n" + _("Log in om het te lezen: %(link)s") % {"link": settings.KOERS_BASE_URL + path}
        else:
            body += "\n\n" + _("Log in bij Koers om het te lezen.")
        body += "\n\n" + _("U krijgt deze e-mail omdat u dat zo heeft ingesteld. Dit kunt u in Koers aanpassen.")
    return EmailMessage(subject=subject, body=body, to=[address], headers={"Message-ID": row.message_id})
