"""Words other apps show about this app's log rows, kept in this app's catalogue."""

from django.utils.translation import gettext_noop

LABELS = (
    gettext_noop("Overdrachtsbericht aan uw netwerk"),  # workspace.who_looked.OBJECT_TYPES
    gettext_noop("Overdrachtsbericht bezorgd of gelezen"),  # workspace.who_looked.OBJECT_TYPES
)
