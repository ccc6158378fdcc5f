"""The care network:
its part of the person's data export (registry ``koers.people.exports``)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.network.models import (
    CareTeamMember,
    Consent,
    ConsentDecision,
    CoordinatorHandover,
    EmergencyAccess,
    Invitation,
    RelativeLink,
    ResearchConsentDecision,
)
from koers.people.exports import ExportSection, register


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="care_team",
            title=_("Zorgteam"),
            model=CareTeamMember,
            category=Category.DEMOGRAPHICS,
            order=60,
            care_dates=("started_at", "ended_at"),
            ongoing={"ended_at__isnull": True},
        )
    )
    register(
        ExportSection(key="relatives", title=_("Naasten"), model=RelativeLink, category=Category.DEMOGRAPHICS, order=70)
    )
    register(
        ExportSection(
            key="consent",
            title=_("Wie mag wat zien"),
            model=Consent,
            category=Category.CONSENT,
            order=72,
        )
    )
    register(
        ExportSection(
            key="consent_history",
            title=_("Wie veranderde wat, wanneer"),
            model=ConsentDecision,
            category=Category.CONSENT,
            order=73,
        )
    )
    register(
        ExportSection(
            key="invitations",
            title=_("Uitnodigingen voor uw netwerk"),
            model=Invitation,
            category=Category.DEMOGRAPHICS,
            order=75,
            omit=frozenset({"token_hash"}),  # a secret's hash
        )
    )
    register(
        ExportSection(
            key="emergency_access",
            title=_("Spoedtoegang tot uw dossier"),
            model=EmergencyAccess,
            category=Category.ACCESS_LOG,
            order=76,
        )
    )
    _register_handovers()
    _register_research_consent()


def _register_handovers() -> None:
    """The warm hand-overs of the coordinator role (issue #13), note included (right of access)."""
    register(
        ExportSection(
            key="coordinator_handovers",
            title=_("Overdracht van uw regiebehandelaar"),
            model=CoordinatorHandover,
            category=Category.DEMOGRAPHICS,
            order=77,
        )
    )


def _register_research_consent() -> None:
    """The person's choices about research use (issue #16), newest first."""
    register(
        ExportSection(
            key="research_consent",
            title=_("Gebruik voor onderzoek"),
            model=ResearchConsentDecision,
            category=Category.CONSENT,
            order=74,
        )
    )
