"""The export's own sections: who looked at the person's data, and the export requests.

Registered here, at the top, because the access log (``koers.audit``) sits below the registry
and cannot register itself.
"""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.audit.models import AccessLogEntry
from koers.exports.models import ExportRequest
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="access_log",
            title=_("Wie keek in uw gegevens"),
            model=AccessLogEntry,
            category=Category.ACCESS_LOG,
            order=1000,
            # user: the name is in user_display; organisation_id_copy: an internal id;
            # client_address: the network address of the staff member's computer.
            omit=frozenset({"user", "organisation_id_copy", "client_address"}),
        )
    )
    register(
        ExportSection(
            key="export_requests",
            title=_("Uw downloads van uw gegevens"),
            model=ExportRequest,
            category=Category.ACCESS_LOG,
            order=1010,
            # where the file lies on the server; how the worker built it (not the person's data)
            omit=frozenset({"file_name", "attempt", "alive_at"}),
        )
    )
