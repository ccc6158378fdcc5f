"""Code systems, profiles and extension URLs the mappers write (docs/fhir-mapping.md).

Koers's own code systems and extensions live under one stable base, ``KOERS_FHIR``
(``https://koers.example.org/fhir``, the base the shipped Questionnaires and
their scoring extension already use): ``<base>/CodeSystem/<name>`` and
``<base>/StructureDefinition/<name>``. The host is a placeholder domain that will never
resolve to someone else's definitions; a deployment does not change it (the URLs are
identifiers, not addresses), so data exchanged today still matches tomorrow.
"""

from __future__ import annotations

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"

# HL7 terminology
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
V3_PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
V3_ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction"
AUDIT_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
DOCUMENT_REFERENCE_STATUS = "http://hl7.org/fhir/document-reference-status"

# Person-Centered Outcomes IG (HL7, STU 1): goal attainment scaling as Observation.
PCO_GAS_PRACTITIONER = "107333-7"  # Practitioner follow-up goal attainment scaling score
PCO_GAS_PATIENT = "107334-5"  # Patient follow-up goal attainment scaling score
PCO_GAS_CAREGIVER = "107331-1"  # Caregiver follow-up goal attainment scaling score
PCO_GAS_BASELINE = "112296-9"  # Goal attainment scale GAS baseline

# Nictiz nl-core (zib 2020) profiles, canonical URLs.
NL_CORE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-"
NL_CORE_GOAL = NL_CORE + "TreatmentObjective"
NL_CORE_CAREPLAN = NL_CORE + "CarePlan"  # no zib; Koers's own use of the nl-core naming is not claimed
NL_CORE_OBSERVATION_LAB = NL_CORE + "LaboratoryTestResult"
NL_CORE_BLOOD_PRESSURE = NL_CORE + "BloodPressure"
NL_CORE_BODY_WEIGHT = NL_CORE + "BodyWeight"
NL_CORE_BODY_HEIGHT = NL_CORE + "BodyHeight"
NL_CORE_ADVANCE_DIRECTIVE = NL_CORE + "AdvanceDirective"

# Koers's own
KOERS_FHIR = "https://koers.example.org/fhir"  # the base the shipped instruments already use
KOERS_CS = KOERS_FHIR + "/CodeSystem/"
KOERS_EXT = KOERS_FHIR + "/StructureDefinition/"
KOERS_NS = KOERS_FHIR + "/NamingSystem/"

LIFE_DOMAIN = KOERS_CS + "life-domain"
RESPONSIBLE = KOERS_CS + "responsible"
GAS_LEVEL = KOERS_CS + "gas-level"  # -2..+2 (codes "-2", "-1", "0", "1", "2")
MEASUREMENT_TYPE = KOERS_CS + "measurement-type"  # monitoring & screening type codes
QUESTIONNAIRE_SCORE = KOERS_CS + "questionnaire-score"  # <instrument> (main score), <instrument>/<subscale>
QUESTIONNAIRE_BAND = KOERS_CS + "questionnaire-band"  # the band code an instrument defines
MEASUREMENT_SOURCE = KOERS_CS + "measurement-source"  # how a value came in (portal, csv, fhir, ...)
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CONSENT_TOPIC = KOERS_CS + "consent-topic"  # koers.access.Topic values
DATA_CATEGORY = KOERS_CS + "data-category"  # koers.access.Category values
ACTION_STATUS = KOERS_CS + "action-status"
HANDOVER_MOMENT = KOERS_CS + "handover-moment"
AUDIT_OBJECT_TYPE = KOERS_CS + "audit-object-type"
TASK_CODE = KOERS_CS + "task-code"
FOLLOW_UP_METHOD = KOERS_CS + "follow-up-method"

EXT_GOAL_OWNER = KOERS_EXT + "goal-owner"
EXT_GOAL_WHY = KOERS_EXT + "goal-why-it-matters"
EXT_GAS = KOERS_EXT + "goal-attainment-scaling"  # complex: weight, baseline, level (repeats)
EXT_ACTION_DETAIL = KOERS_EXT + "action-detail"  # complex: action, responsible(Name), howOften, withWhom, reviewDate
EXT_SCORE = KOERS_EXT + "questionnaire-score"  # complex: version, missing, flag (repeats)
EXT_FOLLOW_UP = KOERS_EXT + "follow-up"  # complex: follow-up agreement id, frequency

QUESTIONNAIRE_BASE = KOERS_FHIR + "/Questionnaire/"  # canonical of a shipped instrument: <base><id>
