"""The person overview's cards, rendered once per content and kept (issue #18, "Speed").

Rendering ``workspace/_overview.html`` was a sixth of the overview's CPU (~0.5 ms of ~3.3: the
support level and care team, conditions, what matters, the next consult and agenda, goals with
their actions, questionnaires, decisions), the same HTML every time until one of those rows
changes. Here it is rendered once and kept in ``KeptOverview``, one row per person and *variant*
(the language and the parts the reader does not see), read in the page's one round trip
(``selectors.overview_reads(also=…)``).

Never older data: a kept row is used only when its digest is the digest of the rows the page has
just read, as the database gave them (every column of every row the cards can show, the related
rows joined to them), of what matters (read with the person), the person, the language, the time
zone and the release (``koers.lib.kept_html``). So no write has to forget it; a row that changed
gives another digest, and the cards are built, rendered again and replaced. On a kept view the
rows are never made into models (``koers.lib.compiled.Fetched``): building them was as dear as
rendering. The cards hold nothing of the reader but what the variant says (no form, no token).

Not kept under ``DEBUG``; when keeping fails the page is still shown (``kept_html.keep``). Rows
rendered more than 30 days ago are removed nightly (``workspace.tasks.kept_overviews_prune``).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from koers import access
from koers.lib import kept_html
from koers.lib.compiled import Planned, planned
from koers.workspace import selectors
from koers.workspace.models import KeptOverview

TEMPLATE = "workspace/_overview.html"


def variant(categories) -> str:
    """The language and the parts this reader does not see: which kept overview is theirs."""
    return f"{translation.get_language()}|{','.join(selectors.overview_parts_hidden(categories))}"


def query(person, overview_variant: str) -> Planned:
    """The kept overview of ``person`` in this variant, as ``(digest, html)`` rows, for ``together``."""
    return planned(
        lambda p: KeptOverview.objects.filter(person_id=p.person_id, variant=p.variant).values_list("digest", "html"),
        person_id=person.pk,
        variant=overview_variant,
    )


def overview_html(*, person, reads: dict, categories, overview_variant: str, kept: list) -> SafeString:
    """The overview's cards for the rows ``reads`` holds (``selectors.overview_reads``): the kept
    HTML when ``kept`` (the rows of ``query``) holds these rows', else built, rendered and kept."""
    key = kept_html.digest(person.pk, overview_variant, content(person, reads, categories))
    if key is not None and kept and kept[0][0] == key:
        return mark_safe(kept[0][1])  # nosec B308, B703  # as rendered below, by the template
    parts = selectors.overview_parts(person, reads, categories=categories)
    html = render_to_string(TEMPLATE, {"person": person, **parts})
    if key is not None:
        kept_html.keep(KeptOverview, {"person": person.pk, "variant": overview_variant, "digest": key, "html": html})
    return mark_safe(html)  # nosec B308, B703  # rendered by the template, which escapes what people typed


def content(person, reads: dict, categories) -> dict:
    """What the cards are rendered from: the parts' rows as the database gave them (every column
    the cards can show, before any is turned into a model) and what matters, read with the person."""
    profile = getattr(person, "profile", None) if access.Category.PROFILE in categories else None
    return {"rows": {name: read.raw for name, read in reads.items()}, "profile": kept_html.plain(profile)}


def prune() -> int:
    """Remove the kept overviews rendered more than 30 days ago (nightly). Returns how many."""
    return kept_html.prune(KeptOverview)
