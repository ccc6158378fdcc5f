from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers import access
from koers.access.decorators import portal_view
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.audit.selectors import access_log_for_person
from koers.workspace import emergency, emergency_notices

# Roles whose refused attempts are shown without a name: another client or a relative is a private
# person, and who tried (and saw nothing) is not this person's to know. Professionals are named.
UNNAMED_WHEN_REFUSED = frozenset({User.Role.PERSON, User.Role.RELATIVE, "anonymous"})

# What a log row's ``object_type`` means, in words the person understands. Rows name a model
# (``goals.Goal``), a page (``overview``) or a data category (``goals``, when a page has no
# object of its own). Types missing here show as "Andere gegevens (<type>)", so nothing is hidden.
OBJECT_TYPES = {
    "documents.Document": gettext_lazy("Document"),
    "socialmap.Referral": gettext_lazy("Verwijzing naar hulp in de buurt"),
    "goals.GoalVersion": gettext_lazy("Eerdere versie van een doel"),
    "people.AttentionSummary": gettext_lazy("Wat aandacht nodig heeft"),
    "workspace.KeptOverview": gettext_lazy("Overzicht"),
    "population.PersonFacts": gettext_lazy("Gegevens voor tellingen over groepen"),
    "indicators.CareSpell": gettext_lazy("Periode in zorg, voor tellingen over groepen"),
    "indicators.TrajectoryPoint": gettext_lazy("Vragenlijstscore, voor tellingen over groepen"),
    "indicators.FollowUpSpan": gettext_lazy("Afspraak over opvolging, voor tellingen over groepen"),
    "indicators.GoalDecisionPoint": gettext_lazy("Besluit over een doel, voor tellingen over groepen"),
    "indicators.GasReviewPoint": gettext_lazy("Bespreking van een doel (GAS), voor tellingen over groepen"),
    "indicators.YearCover": gettext_lazy(
        "Het jaar na uw zorgplan, jaargesprek of controle, voor tellingen over groepen"
    ),
    # Pages
    "overview": gettext_lazy("Overzicht"),
    "portal_home": gettext_lazy("Startpagina"),
    "caseload": gettext_lazy("Cliëntenlijst"),
    "worklist": gettext_lazy("Werklijst van uw zorgverleners"),
    "access_log": gettext_lazy("Wie keek in mijn gegevens"),
    # Data categories (koers.access.Category)
    "demographics": gettext_lazy("Persoonsgegevens"),
    "profile": gettext_lazy("Profiel"),
    "clinical": gettext_lazy("Aandoeningen en medicijnen"),
    "support_level": gettext_lazy("Ondersteuning"),
    "consults": gettext_lazy("Gesprekken"),
    "decisions": gettext_lazy("Samen beslissen"),
    "goals": gettext_lazy("Doelen en acties"),
    "careplan": gettext_lazy("Zorgplan"),
    "questionnaires": gettext_lazy("Vragenlijsten"),
    "measurements": gettext_lazy("Metingen en labwaarden"),
    "notifications": gettext_lazy("Herinneringen en berichten"),
    "consult_records": gettext_lazy("Gesprekken"),
    "decision_records": gettext_lazy("Samen beslissen"),
    "measurement_plan": gettext_lazy("Streefwaarden, controles en brieven"),
    "calendar_feed": gettext_lazy("Koppeling met uw agenda"),
    "crisis_plan": gettext_lazy("Crisisplan"),
    "documents": gettext_lazy("Documenten"),
    "consent": gettext_lazy("Wie mag wat zien"),
    "decision_agreement": gettext_lazy("Samen beslissen"),
    "careplan_signoff": gettext_lazy("Zorgplan"),
    "meeting_invitation": gettext_lazy("Uitnodiging voor een overleg"),
    "emergency_notice": gettext_lazy("Bericht over spoedtoegang aan de eerste contactpersoon"),
    "crisis_reports": gettext_lazy("Gemelde signalen bij het crisisplan"),
    "relative_notes": gettext_lazy("Bericht van een naaste"),
    "relative_evaluation": gettext_lazy("Inbreng van een naaste voor de jaarevaluatie"),
    # Models
    "accounts.User": gettext_lazy("Account"),
    "people.Person": gettext_lazy("Persoonsgegevens"),
    "people.Profile": gettext_lazy("Profiel"),
    "people.Condition": gettext_lazy("Aandoening"),
    "people.Medication": gettext_lazy("Medicijn"),
    "people.SupportLevelDecision": gettext_lazy("Ondersteuning"),
    "network.RelativeLink": gettext_lazy("Naaste"),
    "network.CareTeamMember": gettext_lazy("Zorgteam"),
    "network.Consent": gettext_lazy("Wie mag wat zien"),
    "network.ConsentDecision": gettext_lazy("Wie mag wat zien"),
    "network.ResearchConsentDecision": gettext_lazy("Gebruik voor onderzoek"),
    "research.extract": gettext_lazy("Onderzoeksbestand (zonder uw naam, met uw toestemming)"),
    "network.Network": gettext_lazy("Netwerk"),
    "network.Invitation": gettext_lazy("Uitnodiging"),
    "network.CoordinatorHandover": gettext_lazy("Overdracht aan een nieuwe regiebehandelaar"),
    "crisisplans.CrisisPlan": gettext_lazy("Crisisplan"),
    "crisisplans.SignReport": gettext_lazy("Gemelde signalen bij het crisisplan"),
    "followup.RelativeNote": gettext_lazy("Bericht van een naaste"),
    "followup.RelativeEvaluationInput": gettext_lazy("Inbreng van een naaste voor de jaarevaluatie"),
    "meetings.Meeting": gettext_lazy("Overleg over u"),
    "consults.Consult": gettext_lazy("Gesprek"),
    "consults.Preparation": gettext_lazy("Voorbereiding van een gesprek"),
    "consults.SphereAnswer": gettext_lazy("Voorbereiding van een gesprek"),
    "consults.AgendaItem": gettext_lazy("Onderwerp voor een gesprek"),
    "decisions.SharedDecision": gettext_lazy("Beslissing"),
    "decisions.DecisionConfirmation": gettext_lazy("Uw antwoord op een besluit"),
    "decisions.DecisionOption": gettext_lazy("Keuzemogelijkheid"),
    "goals.Goal": gettext_lazy("Doel"),
    "goals.GoalStatusChange": gettext_lazy("Doel"),
    "goals.GasLevel": gettext_lazy("Doel"),
    "goals.GoalReview": gettext_lazy("Evaluatie van een doel"),
    "goals.Action": gettext_lazy("Actie"),
    "goals.ActionProgress": gettext_lazy("Voortgang van een actie"),
    "careplans.CarePlan": gettext_lazy("Zorgplan"),
    "careplans.CarePlanVersion": gettext_lazy("Versie van het zorgplan"),
    "careplans.CarePlanSignOff": gettext_lazy("Uw akkoord met het zorgplan"),
    "careplans.FollowUpAgreement": gettext_lazy("Vervolgafspraak"),
    "questionnaires.Assignment": gettext_lazy("Vragenlijst klaargezet"),
    "questionnaires.Response": gettext_lazy("Ingevulde vragenlijst"),
    "questionnaires.Score": gettext_lazy("Uitslag van een vragenlijst"),
    "questionnaires.AttentionItem": gettext_lazy("Aandachtspunt uit een vragenlijst"),
    "followup.YearlyEvaluation": gettext_lazy("Jaarlijkse evaluatie van het zorgplan"),
    "followup.PersonEvaluationInput": gettext_lazy("Uw inbreng voor de jaarlijkse evaluatie"),
    "followup.CalendarToken": gettext_lazy("Koppeling met uw agenda"),
    "followup.WorklistMark": gettext_lazy("Punt op de werklijst van uw zorgverlener"),
    "notifications.Delivery": gettext_lazy("Herinnering"),
    "notifications.Notification": gettext_lazy("Bericht"),
    "notifications.NotificationPreference": gettext_lazy("Instellingen voor berichten"),
    "screening.Measurement": gettext_lazy("Meting of labwaarde"),
    "screening.PersonalTarget": gettext_lazy("Eigen streefwaarde"),
    "screening.SomaticScreening": gettext_lazy("Lichamelijke controle (jaarlijks)"),
    "screening.LabLetter": gettext_lazy("Brief over uw uitslagen"),
    "monitoring.MeasurementType": gettext_lazy("Eigen vraag om bij te houden"),
    "monitoring.Observation": gettext_lazy("Wat u zelf bijhoudt (metingen en dagboek)"),
    "monitoring.Target": gettext_lazy("Afspraak over een meting"),
    "monitoring.Phase": gettext_lazy("Verandering in behandeling"),
    "monitoring.DiarySchedule": gettext_lazy("Dagboekmomenten"),
    "monitoring.ImportBatch": gettext_lazy("Import van metingen"),
    "monitoring.analysis": gettext_lazy("Analyse van wat u bijhoudt"),
    # The data export (koers.exports; translated in its catalogue)
    "exports": gettext_lazy("Mijn gegevens downloaden"),
    "exports.ExportRequest": gettext_lazy("Download van uw gegevens"),
    "network.EmergencyAccess": gettext_lazy("Spoedtoegang tot uw dossier"),
    # Apps through SMART on FHIR (koers.smart): a person chosen on the authorize page or for an
    # API key, and the link between a key and the person (translated in the workspace catalogue)
    "smart_launch": gettext_lazy("Gekozen voor een app die toegang vroeg"),
    "api_token": gettext_lazy("Gekozen voor een sleutel van de gegevenskoppeling"),
    "smart.PatientContext": gettext_lazy("Toegang van een app tot uw gegevens"),
    "fhir.BulkExport": gettext_lazy("Gegevens opgehaald via de FHIR-koppeling"),
    # Pages and parts that log under a name of their own
    "relative_home": gettext_lazy("Overzicht voor een naaste"),
    "journey": gettext_lazy("Uw route (metrokaart)"),
    "search": gettext_lazy("Zoeken"),
    "socialmap.suggestions": gettext_lazy("Hulp in de buurt die bij uw doelen past"),
    "accounts.ActivationCode": gettext_lazy("Activeringscode voor uw account"),
    "crisisplans.CrisisPhase": gettext_lazy("Crisisplan"),
    "crisisplans.CrisisSign": gettext_lazy("Crisisplan"),
    "documents.DocumentVersion": gettext_lazy("Document"),
    "exports.ExportFormat": gettext_lazy("Download van uw gegevens"),
    "meetings.Participant": gettext_lazy("Deelnemer aan een overleg over u"),
    "handover_inbox": gettext_lazy("Overdrachtsberichten van het netwerk"),
    "questionnaires.trajectory": gettext_lazy("Uitslagen van een vragenlijst over de tijd"),
    "fhir": gettext_lazy("Gegevens via de FHIR-koppeling"),
    # The nightly check of the kept rows (koers.lib.tasks.kept_data_repair)
    "IndicatorKeptRows": gettext_lazy("Gegevens voor tellingen over groepen"),
    "PersonFacts": gettext_lazy("Gegevens voor tellingen over groepen"),
    "AttentionSummary": gettext_lazy("Wat aandacht nodig heeft"),
    # Summaries for the network (koers.handover; translated in its catalogue)
    "handover.HandoverSummary": gettext_lazy("Overdrachtsbericht aan uw netwerk"),
    "handover.HandoverDelivery": gettext_lazy("Overdrachtsbericht bezorgd of gelezen"),
}


def object_type_label(object_type: str) -> str:
    """The log row's object type in the person's words; unknown types keep their code in brackets."""
    if object_type in OBJECT_TYPES:
        return str(OBJECT_TYPES[object_type])
    if not object_type:
        return _("Gegevens")
    return _("Andere gegevens (%(type)s)") % {"type": object_type}


def role_words(role: str) -> str:
    """The row's role copy (``professional:gp``) in words: "Zorgverlener – Huisarts"."""
    base, _sep, discipline = role.partition(":")
    if base not in User.Role.values:
        return ""
    words = str(User.Role(base).label)
    if discipline in User.Discipline.values and discipline:
        words = f"{words} – {User.Discipline(discipline).label}"
    return words


def describe(entry: AccessLogEntry) -> None:
    """Add the words the page shows: who (or a description), role, purpose, what."""
    base = entry.role.partition(":")[0]
    entry.what = object_type_label(entry.object_type)
    entry.purpose_words = entry.get_purpose_display().capitalize()
    if entry.outcome == AccessLogEntry.Outcome.REFUSED and base in UNNAMED_WHEN_REFUSED:
        entry.who = _("Iemand die niet was ingelogd") if base == "anonymous" else _("Iemand anders, geen zorgverlener")
        entry.role_words = ""
        entry.organisation_words = ""
        return
    entry.who = entry.user_display
    entry.role_words = role_words(entry.role)
    entry.organisation_words = entry.organisation_display


@portal_view(access.Category.ACCESS_LOG, object_type="access_log")
def portal_log(request, person):
    include_own = request.GET.get("ook_ik") == "1"
    page = Paginator(access_log_for_person(person, include_own=include_own), 50).get_page(request.GET.get("pagina"))
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        describe(entry)
    emergencies = list(emergency.for_person(person))
    for item in emergencies:
        item.words = emergency_notices.summary(item)
    context = {"person": person, "page": page, "include_own": include_own, "emergencies": emergencies}
    return render(request, "workspace/portal_log.html", context)
