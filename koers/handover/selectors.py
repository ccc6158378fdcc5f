"""Reading summaries: the recipient's list, the sender's list, one summary for one reader.

Every list is filtered by what the reader may read of each person *now* (``documents`` and the
moment's category, ``access.visible_person_ids``, one or two queries per category): a recipient
whose consent was withdrawn, or who left the network, no longer sees what was delivered.
"""

from __future__ import annotations

from koers import access
from koers.handover.models import HandoverDelivery, HandoverSummary

Category = access.Category
LIMIT = 100


def _visible(user, categories) -> dict[str, set[int]]:
    """{category: ids of the persons whose ``documents`` and that category the user may read}."""
    documents = set(access.visible_person_ids(user, category=Category.DOCUMENTS, include_self=False))
    return {
        category: documents & set(access.visible_person_ids(user, category=category, include_self=False))
        for category in categories
    }


def received(user) -> list[HandoverDelivery]:
    """The summaries delivered to ``user``, newest first (not yet filtered: use ``inbox``)."""
    return list(
        HandoverDelivery.objects.filter(recipient=user)  # access: the reader's own deliveries, filtered in inbox
        .select_related("summary__person", "summary__sender", "summary__sender_organisation")
        .order_by("-delivered_at", "-pk")[:LIMIT]
    )


def sent(user) -> list[HandoverSummary]:
    """The summaries ``user`` sent, newest first, with their deliveries (not yet filtered: use ``inbox``)."""
    return list(
        HandoverSummary.objects.filter(sender=user)  # access: the reader's own summaries, filtered in inbox
        .select_related("person")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")[:LIMIT]
    )


def inbox(user) -> tuple[list[HandoverDelivery], list[HandoverSummary]]:
    """What was delivered to ``user`` and what they sent, newest first, each only while they may
    still read ``documents`` and the moment's category of the person (one visibility check per
    category for both lists)."""
    deliveries, summaries = received(user), sent(user)
    visible = _visible(user, {d.summary.category for d in deliveries} | {s.category for s in summaries})
    for s in summaries:  # the sender may still add a note: nobody read it (deliveries prefetched)
        s.note_open = not any(d.read_at for d in s.deliveries.all())
    return (
        [d for d in deliveries if d.summary.person_id in visible[d.summary.category]],
        [s for s in summaries if s.person_id in visible[s.category]],
    )


def deliveries_of(summary: HandoverSummary) -> list[HandoverDelivery]:
    """Who received the summary and who read it (for its sender)."""
    return list(summary.deliveries.select_related("recipient", "recipient_organisation").order_by("pk"))


def delivery_for(summary: HandoverSummary, user) -> HandoverDelivery | None:
    return summary.deliveries.filter(recipient=user).first()


def about(person) -> list[HandoverSummary]:
    """The summaries sent about ``person`` (for the person themselves), newest first, with their
    deliveries and the recipients' organisations (two queries)."""
    return list(
        HandoverSummary.objects.filter(person=person)  # access: the person's own, checked by portal_view
        .prefetch_related("deliveries__recipient_organisation")
        .order_by("-created_at", "-pk")[:LIMIT]
    )


def organisations_read(summary: HandoverSummary) -> list[tuple[str, bool]]:
    """[(organisation name, read by someone there)] in delivery order: what the person may know
    of who received a summary about them (organisations, not the professionals' names)."""
    read: dict[str, bool] = {}
    for delivery in summary.deliveries.all():
        name = delivery.recipient_organisation.name if delivery.recipient_organisation else ""
        read[name] = read.get(name, False) or delivery.read_at is not None
    return list(read.items())
