"""The care plan as a PDF: the same words as the print page, through the lab letter's PDF
pipeline (``koers.lib.pdf``, fpdf2, pure Python). The plan is rendered as plain text
(``careplans/plan.txt``: paragraphs separated by an empty line) and laid out by ``letter_pdf``.

``agreed_document``: an agreed version as the document filed in the person's record
(``koers.people.hooks.document_made``, issue #17): that version's snapshot, the person's name,
the version number, the date and who agreed it, in the person's language.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers import access
from koers.careplans import sections as plan_sections
from koers.careplans.snapshot import who_does_what
from koers.lib.dates import day_text
from koers.lib.pdf import letter_pdf
from koers.people.hooks import MadeDocument, document_language


def plan_text(context: dict) -> str:
    """The plan in plain text, paragraphs separated by one empty line."""
    text = render_to_string("careplans/plan.txt", context)
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _title(person) -> str:
    return _("Zorgplan van %(name)s") % {"name": person.full_name}


def pdf_response(context: dict) -> HttpResponse:
    person = context["person"]
    printed = day_text(timezone.now())
    footer = _("Gemaakt op %(date)s met Koers.") % {"date": printed}
    response = HttpResponse(
        letter_pdf(title=_title(person), body=plan_text(context), footer=footer), content_type="application/pdf"
    )
    name = slugify(_("zorgplan")) or "zorgplan"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def agreed_pdf(version, practice) -> bytes:
    """The PDF of an agreed version (its stored snapshot, every section it holds)."""
    person = version.care_plan.person
    groups = who_does_what(version.snapshot)
    context = {
        "person": person,
        "plan": version.snapshot,
        "latest": version,
        "practice": practice,
        "groups": groups,
        "by_responsible": {g["responsible"]: g["actions"] for g in groups},
    }
    footer = _("Versie %(number)s, afgesproken op %(date)s door %(who)s. Gemaakt met Koers.") % {
        "number": version.number,
        "date": day_text(version.agreed_at),
        "who": version.agreed_by.get_full_name() or version.agreed_by.get_username(),
    }
    return letter_pdf(title=_title(person), body=plan_text(context), footer=footer)


def agreed_document(version, practice) -> MadeDocument:
    """An agreed version as the next version of the person's "Zorgplan" document. A reader needs
    the care plan's category and that of every section the version prints (the health situation:
    ``clinical``)."""
    person = version.care_plan.person
    in_snapshot = {s.category for s in plan_sections.sections() if s.category and s.key in version.snapshot}
    language = document_language(person)

    def render() -> bytes:
        with translation.override(language):
            return agreed_pdf(version, practice)

    with translation.override(language):
        title = _("Zorgplan, versie %(number)s") % {"number": version.number}
    return MadeDocument(
        origin=f"careplans.CarePlan:{version.care_plan_id}",
        version_origin=f"careplans.CarePlanVersion:{version.pk}",
        kind="care_plan",
        title=title,
        document_date=timezone.localdate(version.agreed_at),
        source=version.agreed_by.get_full_name() or version.agreed_by.get_username(),
        categories=tuple(sorted({str(access.Category.CAREPLAN), *map(str, in_snapshot)})),
        shared_with_person=True,
        render=render,
    )
