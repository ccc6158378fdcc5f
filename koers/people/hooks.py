"""Extension points of people: how apps above it hear of a change in a person's data.

people sits below the apps that build on a person (careplans, network …) and imports none of
them. Where such an app must act inside people's own write, it registers a listener here from
its ``AppConfig.ready()``; people's services call the listeners and know nothing more.

``plan_content_changed``: what matters, the person's values, the care team, or (issue #13) the
health situation — conditions, medication, the support level — changed, which are part of the
care plan's content. careplans listens (``care_plan_record_outside_change``) and records a plan
version. A change that belongs to a plan section with an access category of its own names that
section (``section=HEALTH_SECTION``), so its change note is shown only to readers of the
section. Listeners run in the caller's transaction, in the order they were registered; an
exception in one rolls back the caller's write, as a direct call would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# listener(*, actor, person, msgid: str, params: dict, section: str) -> None
PlanContentListener = Callable[..., None]

# The care plan's section of conditions, medication and the support level (its key in the plan's
# snapshot; ``careplans.plan_section_reference.HEALTH``, category "clinical").
HEALTH_SECTION = "health"

_plan_content_listeners: list[PlanContentListener] = []


def on_plan_content_changed(listener: PlanContentListener) -> PlanContentListener:
    """Register a listener (once; registering the same one again is harmless)."""
    if listener not in _plan_content_listeners:
        _plan_content_listeners.append(listener)
    return listener


def plan_content_changed(*, actor, person, msgid: str, params: dict | None = None, section: str = "") -> None:
    """Tell the listeners that part of the person's care-plan content changed: ``msgid`` (a
    ``gettext_noop`` Dutch text) and ``params`` say what, in the reader's language later;
    ``section`` is the plan section's key when it has its own access category (``HEALTH_SECTION``),
    else empty."""
    for listener in _plan_content_listeners:
        listener(actor=actor, person=person, msgid=msgid, params=dict(params or {}), section=section)


# --- agreed information moments (issue #13) -------------------------------------------------------
# The generic module EPA (§4.2, after the LGA 2016) names the moments at which the GGZ team and the
# GP practice (and the neighbourhood team) must inform each other: intake, yearly evaluation,
# important events or changes in (medication) policy, discharge or referral back. The services
# where such a moment happens live in apps of every layer (people, network, followup, the crisis
# plan); they announce it here and koers.handover, high in the layers, listens and writes the
# structured summary (overdrachtsbericht). docs/collaboration.md has the moments and recipients.


class Moment:
    """The kinds of information moment (values stored by koers.handover)."""

    INTAKE = "intake"  # a professional joined the person's care team (a new organisation takes part)
    MEDICATION = "medication"  # medication started, changed or stopped
    YEARLY_EVALUATION = "yearly_evaluation"  # the yearly evaluation of the care plan was recorded
    CRISIS = "crisis"  # a crisis (the crisis plan's app calls this)
    DISCHARGE = "discharge"  # a professional's care-team membership ended (uitstroom, terugverwijzing)
    TRANSFER = "transfer"  # the coordinator role was handed over

    ALL = (INTAKE, MEDICATION, YEARLY_EVALUATION, CRISIS, DISCHARGE, TRANSFER)


# listener(*, actor, person, moment: str, msgid: str, params: dict) -> None
MomentListener = Callable[..., None]

_moment_listeners: list[MomentListener] = []


def on_information_moment(listener: MomentListener) -> MomentListener:
    """Register a listener (once; registering the same one again is harmless)."""
    if listener not in _moment_listeners:
        _moment_listeners.append(listener)
    return listener


def information_moment(*, actor, person, moment: str, msgid: str, params: dict | None = None) -> None:
    """Tell the listeners that an agreed information moment happened for ``person``: ``moment``
    is one of ``Moment``; ``msgid`` (a ``gettext_noop`` Dutch text) with ``params`` says what
    changed, in the reader's language later. Call it inside the service's transaction, after its
    write: listeners read the person's data as it is now, and a failure rolls the write back."""
    if moment not in Moment.ALL:
        raise ValueError(f"unknown information moment {moment!r}")
    for listener in _moment_listeners:
        listener(actor=actor, person=person, moment=moment, msgid=msgid, params=dict(params or {}))


# --- documents Koers makes itself (issue #17) -----------------------------------------------------
# The care plan (an agreed version), the lab letter (once sent) … are PDFs made by apps below
# koers.documents. Those apps announce the PDF here; koers.documents, above them in the layers,
# listens and files it in the person's record (docs/documents.md, "Koers's own documents").


@dataclass(frozen=True)
class MadeDocument:
    """A PDF an app made for the person's record.

    ``origin`` names what the document is of (``"careplans.CarePlan:7"``: every agreed version of
    that plan is a version of one document); ``version_origin`` names this file
    (``"careplans.CarePlanVersion:31"``). Filing the same ``version_origin`` twice files it once.
    ``categories``: the access categories a reader needs, besides ``documents``, to see it (the
    care plan's, and those of the plan sections it prints). ``render`` makes the PDF's bytes; it
    is called only when the file is not filed yet. ``render_numbered``, when given, is called
    instead with the version number the file gets in the document, so the PDF can print it.
    """

    origin: str
    version_origin: str
    kind: str  # a ``documents.Document.Kind`` value: "care_plan", "lab_letter" …
    title: str
    document_date: dt.date
    source: str
    categories: tuple[str, ...]
    shared_with_person: bool
    render: Callable[[], bytes]
    render_numbered: Callable[[int], bytes] | None = None


def document_language(person) -> str:
    """The language to make a document for the person in: the one they chose in Koers, else the
    site's (Dutch)."""
    from koers.accounts.language import language_of  # here: handover.models imports this module while models load

    return language_of(person.user if person.user_id else None)


# listener(*, actor, person, document: MadeDocument) -> None
DocumentListener = Callable[..., None]

_document_listeners: list[DocumentListener] = []


def on_document_made(listener: DocumentListener) -> DocumentListener:
    """Register a listener (once; registering the same one again is harmless)."""
    if listener not in _document_listeners:
        _document_listeners.append(listener)
    return listener


def document_made(*, actor, person, document: MadeDocument) -> None:
    """Tell the listeners that ``document`` was made for ``person`` by ``actor``'s act (agreeing a
    plan, sending a letter). Call it inside the service's transaction, after its write: filing
    fails or succeeds with it."""
    for listener in _document_listeners:
        listener(actor=actor, person=person, document=document)


# --- where a filed document is (issue #17) --------------------------------------------------------
# The consult, the yearly evaluation and the crisis plan pages link to their filed PDF. Those apps
# sit below koers.documents; documents registers the finder, which answers only for a reader who may
# see the document (the ``documents`` category and every category it was made from).


@dataclass(frozen=True)
class FiledDocument:
    """A filed document as a page links to it: its title, current version and its page."""

    title: str
    version: int
    url: str


# finder(*, reader, person, origin: str) -> FiledDocument | None
DocumentFinder = Callable[..., "FiledDocument | None"]

_document_finders: list[DocumentFinder] = []


def on_find_document(finder: DocumentFinder) -> DocumentFinder:
    """Register a finder (once; registering the same one again is harmless)."""
    if finder not in _document_finders:
        _document_finders.append(finder)
    return finder


def filed_document(*, reader, person, origin: str) -> FiledDocument | None:
    """The document filed for ``origin`` ("consults.Consult:12") as ``reader`` may see it, else
    None (nothing filed, or not for this reader: the same answer)."""
    for finder in _document_finders:
        found = finder(reader=reader, person=person, origin=origin)
        if found is not None:
            return found
    return None
