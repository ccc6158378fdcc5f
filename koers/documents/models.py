"""A person's documents (issue #17): letters, referral letters, discharge summaries, scanned forms
and the person's own uploads, each with its versions. Written only by ``koers.documents.services``;
read through the access layer (category ``documents``).

The files themselves live in the private storage ``documents`` (``settings.STORAGES``: outside
the web root, never under a static or media URL); a row names its file, the view streams it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One document in the person's record, with the data that describe it. Its content is in its
    versions: a new upload of the same document is version n+1, the older ones are kept.

    Never deleted from the record by a page: "verwijderen" hides it (``hidden_at``, who and why),
    because the WGBO keeps the record for 20 years (docs/documents.md, "Bewaren").
    """

    class Kind(models.TextChoices):
        LETTER = "letter", _("brief")
        REFERRAL = "referral", _("verwijsbrief")
        DISCHARGE = "discharge", _("ontslagbrief")
        FORM = "form", _("gescand formulier")
        OWN = "own", _("eigen document van de cliënt")
        CARE_PLAN = "care_plan", _("zorgplan")
        LAB_LETTER = "lab_letter", _("uitslagenbrief")
        CONSULT = "consult", _("verslag van een consult")
        EVALUATION = "evaluation", _("jaarlijkse evaluatie")
        CRISIS_PLAN = "crisis_plan", _("crisisplan")
        OTHER = "other", _("ander document")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort document"), max_length=12, choices=Kind.choices)
    document_date = models.DateField(_("datum van het document"))
    source = models.CharField(_("van wie (afzender of maker)"), max_length=200, blank=True)
    shared_with_person = models.BooleanField(_("gedeeld met de cliënt"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    current_version = models.PositiveIntegerField(default=1)
    # Hidden instead of deleted (WGBO): out of every list, page, download and search.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.TextField(max_length=500, blank=True)
    # Koers's own documents (filed through ``koers.people.hooks.document_made``): what the
    # document is of ("careplans.CarePlan:7"; empty for an upload), and the access categories a
    # reader needs besides ``documents`` (space-separated: "careplan clinical"), so a filed care
    # plan is seen only by who may read the care plan and every section it prints.
    origin = models.CharField(max_length=100, blank=True, default="")
    access_categories = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-document_date", "-pk"]
        indexes = [models.Index(fields=["person", "-document_date"], name="documents_person_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "origin"], condition=~models.Q(origin=""), name="documents_one_per_origin"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.person_id}, v{self.current_version})"

    @property
    def required_categories(self) -> frozenset[str]:
        return frozenset(self.access_categories.split())


TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "text/plain": _("tekst"),
}


class DocumentVersion(models.Model):
    """One uploaded file of a document. ``content_type`` is what the bytes are (sniffed,
    ``koers.documents.sniff``), never what the name or the browser said; ``text`` is the text found
    in it at upload (a PDF's text layer, a text file's content) for search."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file_name = models.CharField(max_length=200)  # the name in the private storage
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    # For a filed Koers document: what this file is of ("careplans.CarePlanVersion:31"), once.
    origin = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_one_number"),
            models.UniqueConstraint(
                fields=["document", "origin"], condition=~models.Q(origin=""), name="documents_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.content_type, self.content_type)
