#!/usr/bin/env python3
"""Where the person overview's cards cost CPU, step by step (issue #18; ``workspace.kept_overview``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a copy> .venv/bin/python benchmarks/overview_parts.py

For 100 people of the generated population, three passes (the first only warms the process's
caches), per view in this process (``time.process_time``, mean): reading the parts' rows as the
database gives them (``selectors.overview_reads``: the statements and the driver), building the
models from them (``overview_parts``), the digest of the raw rows (what a view pays to find its
kept cards), the digest of the built models through ``kept_html.plain`` (the first attempt's way),
and rendering the cards. A kept view pays the first and the third; a first view all but the
fourth, and the keep. Reads only.
"""

from __future__ import annotations

import random
import sys
import time

PEOPLE, PASSES = 100, 3


def main() -> int:
    from signed_in import production_like, team_readers  # benchmarks/signed_in.py

    production_like()
    from django.template.loader import render_to_string
    from django.utils import translation

    from koers import access
    from koers.lib import kept_html
    from koers.people.models import Person
    from koers.workspace import kept_overview, selectors

    translation.activate("nl")
    members, _clients = team_readers(device_name="parts")
    persons = random.Random(3).sample(sorted(members), PEOPLE)
    categories = set(access.Category)
    variant = kept_overview.variant(categories)
    spent = dict.fromkeys(("read raw rows", "build models", "digest raw rows", "plain + digest models", "render"), 0.0)
    for run in range(PASSES):
        for person_id in persons:
            person = Person.objects.select_related("profile").get(pk=person_id)
            steps = []
            steps.append(time.process_time())
            reads = selectors.overview_reads(person, categories=categories)
            steps.append(time.process_time())
            parts = selectors.overview_parts(person, reads, categories=categories)
            steps.append(time.process_time())
            kept_html.digest(person.pk, variant, kept_overview.content(person, reads, categories))
            steps.append(time.process_time())
            kept_html.digest(person.pk, variant, kept_html.plain(parts))
            steps.append(time.process_time())
            render_to_string(kept_overview.TEMPLATE, {"person": person, **parts})
            steps.append(time.process_time())
            if run:
                for name, start, end in zip(spent, steps, steps[1:], strict=False):
                    spent[name] += end - start
    views = PEOPLE * (PASSES - 1)
    for name, total in spent.items():
        print(f"{name:24s} {total / views * 1000:6.3f} ms per view")
    return 0


if __name__ == "__main__":
    sys.exit(main())
