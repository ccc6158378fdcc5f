"""Forms of the documents' pages. Only the shape is checked here; the services say what is
wrong with the content (one message, one place), the file's type and size included."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.documents.models import Document

ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.txt,application/pdf,image/png,image/jpeg,text/plain"
FILE_HELP = _("PDF, een foto (PNG of JPEG), Word (DOCX) of gewone tekst. Hoogstens %(mb)s MB.")
PRO_KINDS = [(v, label) for v, label in Document.Kind.choices if v != Document.Kind.OWN]


def _file_field(mb: str) -> forms.FileField:
    return forms.FileField(
        label=_("Bestand"),
        help_text=FILE_HELP % {"mb": mb},
        required=False,  # the service says "Kies een bestand."
        allow_empty_file=True,  # the service says "Dit bestand is leeg."
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class UploadForm(forms.Form):
    """A professional adds a document to the person's record."""

    title = forms.CharField(label=_("Titel"), max_length=200, required=False, strip=False)
    kind = forms.ChoiceField(label=_("Soort document"), choices=PRO_KINDS)
    document_date = forms.DateField(
        label=_("Datum van het document"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    source = forms.CharField(
        label=_("Afzender of maker"),
        help_text=_("De afzender of maker, bijvoorbeeld de praktijk of het ziekenhuis."),
        max_length=200,
        required=False,
    )
    shared_with_person = forms.BooleanField(
        label=_("Delen met de cliënt"),
        help_text=_(
            "De cliënt ziet het document dan in het eigen portaal, en naasten met wie de cliënt documenten deelt ook."
        ),
        required=False,
    )

    def __init__(self, *args, mb: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(mb)


class PortalUploadForm(forms.Form):
    """The person adds their own document (B1)."""

    title = forms.CharField(
        label=_("Naam van het document"),
        help_text=_("Bijvoorbeeld: brief van het ziekenhuis."),
        max_length=200,
        required=False,
        strip=False,
    )
    document_date = forms.DateField(
        label=_("Datum van het document"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )

    def __init__(self, *args, mb: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(mb)


class VersionForm(forms.Form):
    def __init__(self, *args, mb: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field(mb)
        self.fields["file"].label = _("Nieuwe versie van het bestand")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken naar"), max_length=200, required=False)
