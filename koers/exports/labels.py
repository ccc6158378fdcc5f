"""Texts about the export shown by other apps' files ('who looked' names of this app's log rows,
the link on the portal home). Listed here so this app's catalogue translates them."""

from django.utils.translation import gettext_noop

OTHER_APPS_TEXTS = (
    gettext_noop("Download van uw gegevens"),  # workspace.who_looked.OBJECT_TYPES
    gettext_noop("Mijn gegevens downloaden"),  # workspace/portal_home.html, who_looked
)
