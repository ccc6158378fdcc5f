#!/usr/bin/env python3
"""Render the caseload in two checkouts on one database and compare the pages (issue #18).

Not a test: a check that a change to the caseload's rendering kept the page the same, for
several professionals (the busiest and a few others), every sort in both directions, the
"needs attention" filter, the second page and the htmx partial, in Dutch and English. The CSRF
token (new per request) is blanked; runs of whitespace are made one space (the template's
indentation between list items may differ). Writes to the database (access-log rows): run it
on a copy. From the branch's checkout:

    DATABASE_URL=postgres://root@127.0.0.1:5432/koers_x DJANGO_SETTINGS_MODULE=koers.settings \
    KOERS_DEBUG=false KOERS_SECRET_KEY=... KOERS_ALLOWED_HOSTS=testserver KOERS_REQUIRE_2FA=true \
    python benchmarks/caseload_html_compare.py /work/main
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

URLS = [
    f"/clienten/?sorteer={sort}&richting={way}{extra}"
    for sort in ("naam", "geboren", "volgend-consult", "laatst-gezien")
    for way in ("op", "af")
    for extra in ("", "&aandacht=1")
] + ["/clienten/?pagina=2", "/clienten/?aandacht=1&pagina=2"]


def render(checkout: str) -> dict:
    """Run in ``checkout``: {key: html} for every professional, url, language and htmx or not."""
    sys.path.insert(0, checkout)
    import django

    django.setup()
    from django.db.models import Count
    from signed_in import verified_client  # benchmarks/signed_in.py

    from koers.accounts.models import User
    from koers.network.models import CareTeamMember

    counts = (
        CareTeamMember.objects.filter(ended_at__isnull=True)
        .values("professional_id")
        .annotate(n=Count("id"))
        .order_by("-n", "professional_id")
    )
    chosen = [c["professional_id"] for c in counts[:3]] + [c["professional_id"] for c in counts[40:42]]
    pages = {}
    for pk in chosen:
        user = User.objects.get(pk=pk)
        for language in ("nl", "en"):
            client = verified_client(user, headers={"accept-language": language})
            client.cookies["django_language"] = language
            for url in URLS:
                for htmx in (False, True):
                    headers = {"HX-Request": "true"} if htmx else {}
                    response = client.get(url, headers=headers)
                    assert response.status_code == 200, (url, response.status_code)
                    pages[f"{pk} {language} {url} htmx={htmx}"] = response.content.decode()
    return pages


def without_token(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": *"[^"]*"', '"X-CSRFToken": ""', html)


def normal(html: str) -> str:
    return re.sub(r"\s+", " ", without_token(html))


def main() -> None:
    if sys.argv[1:2] == ["--render"]:
        json.dump(render(sys.argv[2]), sys.stdout)
        return
    other = sys.argv[1]
    results = []
    for checkout in (other, os.getcwd()):
        out = subprocess.run(
            [sys.executable, __file__, "--render", checkout], cwd=checkout, capture_output=True, text=True, check=True
        )
        results.append(json.loads(out.stdout))
    before, after = results
    assert before.keys() == after.keys()
    differ = [key for key in before if normal(before[key]) != normal(after[key])]
    exact = sum(without_token(before[key]) == without_token(after[key]) for key in before)
    badges = sum(page.count('class="badge ') for page in after.values())
    english = sum('lang="en"' in page for page in after.values())
    print(f"{len(before)} pages compared: {len(differ)} differ; {exact} the same also in whitespace")
    print(f"({badges} badges on them; {english} pages with English text)")
    for key in differ[:3]:
        a, b = normal(before[key]), normal(after[key])
        at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y) if a[: len(b)] != b[: len(a)] else 0
        print(key, "\n  before:", a[at - 200 : at + 200], "\n  after: ", b[at - 200 : at + 200])
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
