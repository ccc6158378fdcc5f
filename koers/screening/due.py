"""When the yearly somatic screening is due: the one rule, read by the worklist, the reminders
and the overview pages alike. A planned screening not yet done is due from its date on."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from koers.screening.models import SomaticScreening


def screenings_open() -> QuerySet[SomaticScreening]:
    """Planned screenings not yet done (whatever their date)."""
    return SomaticScreening.objects.filter(done_on__isnull=True)


def screenings_due(on: dt.date) -> QuerySet[SomaticScreening]:
    """Planned screenings not yet done whose date is ``on`` or earlier."""
    return screenings_open().filter(due_date__lte=on)
