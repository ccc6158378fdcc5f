"""The care plan page's plan part, rendered once per content and kept (issue #18, "Speed").

Rendering ``careplans/_plan.html`` was about a fifth of the care plan page's CPU (~1 ms: goals,
actions, "who does what", decisions, follow-up agreements, the care team, health, network and
crisis plan), the same HTML every time until the plan changes. Here it is rendered once and kept
in ``KeptPlanPage``, one row per plan and *variant* (the language and the sections left out for
the reader: someone who may not read the crisis plan gets a plan without it), and read in the
page's one round trip (``selectors.current_plan``).

Never an older plan: a kept page is found only by the **digest** of everything its HTML was
rendered from — the plan as shown, the person (the links), the language, the time zone, the
script prefix and the release (``koers.lib.kept_html``, shared with the person overview). A
plan that changed, another language or a new release gives another digest: the kept row is not
used but rendered again and replaced. So nothing has to forget it, and a write that changes the
plan needs no extra step; a stale row is just never shown (``careplans/tests/test_kept_page.py``).

The follow-up agreements' "end" forms need the reader's CSRF token: the kept HTML holds a marker
in its place, replaced by the page's own token as the page is rendered (``with_csrf_token``).

A plan without a plan row yet, or under ``DEBUG`` (a template may change under a running
process), is rendered the same way but not kept. Keeping is a derived write of a read page: one
``INSERT … ON CONFLICT`` of ~0.1 ms when the plan changed since the last view in this variant. It
is not logged as a change (the page's read is, NEN 7513), and when it fails (a read-only
database) the page is still shown.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from koers.careplans.models import KeptPlanPage
from koers.careplans.sections import hidden_keys
from koers.lib import kept_html
from koers.lib.compiled import Planned, planned

TEMPLATE = "careplans/_plan.html"
# In the kept HTML instead of the reader's token (letters and hyphens: escaping leaves it as it is;
# text a person typed cannot hold the quotes around it, they are escaped).
_MARK = "koers-kept-csrf-token"
_MARKED = f'value="{_MARK}"'
KEEP_DAYS = kept_html.KEEP_DAYS


def variant(categories) -> str:
    """The language and the sections this reader may not read: which kept page is theirs."""
    return f"{translation.get_language()}|{','.join(sorted(hidden_keys(categories)))}"


def query(person, page_variant: str) -> Planned:
    """The kept page of ``person``'s plan in this variant, as ``(digest, html)`` rows, for ``together``."""
    return planned(
        lambda p: KeptPlanPage.objects.filter(care_plan__person_id=p.person_id, variant=p.variant).values_list(
            "digest", "html"
        ),
        person_id=person.pk,
        variant=page_variant,
    )


def digest(person, plan: dict, page_variant: str) -> str | None:
    """What the HTML of ``plan`` depends on, as sha256 (None: the plan is not plain JSON)."""
    return kept_html.digest(person.pk, page_variant, plan)


def plan_html(*, person, plan: dict, groups: list, plan_id: int | None, page_variant: str, kept) -> SafeString:
    """The plan part of the care plan page (``_plan.html`` with its buttons) for this reader:
    the kept HTML when ``kept`` (the rows of ``query``) holds this plan's, else rendered and kept.
    Its forms hold a marker instead of the CSRF token: the page puts its own in (``with_token``)."""
    key = digest(person, plan, page_variant)
    row = kept[0] if kept else None
    if key is not None and row is not None and row[0] == key:
        html = row[1]
    else:
        html = render_to_string(
            TEMPLATE, {"plan": plan, "groups": groups, "person": person, "live": True, "csrf_token": _MARK}
        )
        if key is not None and plan_id is not None:
            kept_html.keep(KeptPlanPage, {"care_plan": plan_id, "variant": page_variant, "digest": key, "html": html})
    return mark_safe(html)  # nosec B308, B703  # rendered by the template, which escapes what people typed


def with_token(html: str, token) -> SafeString:
    """The plan part with the page's CSRF token in its forms (``{{ plan_html|with_csrf_token:csrf_token }}``:
    the token the rest of the page has, made once per render)."""
    if _MARKED in html:
        html = html.replace(_MARKED, f'value="{token}"')
    return mark_safe(html)  # nosec B308, B703  # kept HTML with a token of letters and digits in its place


def prune(*, days: int = KEEP_DAYS) -> int:
    """Remove the kept pages rendered more than ``days`` ago (``koers careplan_current repair``,
    nightly): a plan not changed or first viewed since is rendered again at its next view, so kept
    copies of care data stay few (about 5 kB of HTML each). Returns how many were removed."""
    return kept_html.prune(KeptPlanPage, days=days)
