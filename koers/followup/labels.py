"""Texts about follow-up shown by other apps' files (the care plan's link to the rhythm page,
'who looked' names of this app's models). Listed here so this app's catalogue translates them."""

from django.utils.translation import gettext_noop

OTHER_APPS_TEXTS = (
    gettext_noop("Hoe vaak? Samen afspreken"),  # careplans/_plan.html
    gettext_noop("Jaarlijkse evaluatie"),  # careplans/plan.html
    gettext_noop("Terugkijken op het afgelopen jaar"),  # careplans/portal_plan.html
    gettext_noop("Jaarlijkse evaluatie van het zorgplan"),  # workspace.who_looked.OBJECT_TYPES
    gettext_noop("Werklijst van uw zorgverleners"),
    gettext_noop("Uw inbreng voor de jaarlijkse evaluatie"),
    gettext_noop("Koppeling met uw agenda"),
)
