"""The care plan as a PDF: the same words as the print page, through the lab letter's PDF
pipeline (``koers.lib.pdf``, fpdf2, pure Python). The plan is rendered as plain text
(``careplans/plan.txt``: paragraphs separated by an empty line) and laid out by ``letter_pdf``.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.lib.pdf import letter_pdf


def plan_text(context: dict) -> str:
    """The plan in plain text, paragraphs separated by one empty line."""
    text = render_to_string("careplans/plan.txt", context)
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def pdf_response(context: dict) -> HttpResponse:
    person = context["person"]
    printed = date_format(timezone.localtime(), "j F Y")
    title = _("Zorgplan van %(name)s") % {"name": person.full_name}
    footer = _("Gemaakt op %(date)s met Koers.") % {"date": printed}
    response = HttpResponse(
        letter_pdf(title=title, body=plan_text(context), footer=footer), content_type="application/pdf"
    )
    name = slugify(_("zorgplan")) or "zorgplan"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
