"""URLs of koers.monitoring, one module per meaning (as ``koers.monitoring.views``), all in the
"monitoring" namespace.

Order matters only against the one-item pages ``<code>/``: every fixed word ("momenten",
"invoeren", "afspraken/<code>/" before "<code>/stoppen/" …) comes first, the one-item pages last.
"""

from koers.monitoring.urls import correct, diary, discuss, entry, imports, overview, professional

app_name = "monitoring"

urlpatterns = [
    *overview.urlpatterns,
    *entry.urlpatterns,
    *discuss.urlpatterns,
    *imports.urlpatterns,
    *professional.urlpatterns,
    # Diary moments: before the pages of one item, "momenten" must not be read as a code.
    *diary.urlpatterns,
    # Correcting a value, removing one, stopping an own item.
    *correct.urlpatterns,
    # One item over time: last, so that the fixed words above are never taken for a code.
    *overview.one_item,
]
