"""Questionnaire results and self-monitoring for ``koers generate`` (issue #18).

**Questionnaires (ROM).** Which instruments a person fills in follows their conditions and
support level: PHQ-9 with depression (and as a check for a share of the others), GAD-7 with an
anxiety disorder, K10 for a share of people in chain care, MANSA and DIALOG with a severe mental
illness. Each person-instrument follows a *trajectory* — improving (45 %), stable (35 %) or
deteriorating (20 %) — over 2–6 results a few months apart. Answers are drawn around the
trajectory's severity and scored by ``koers.questionnaires.scoring`` itself (the instrument's own
SDC FHIRPath expressions), so totals, bands and flags are real; the FHIR QuestionnaireResponse is
the one ``selectors.response_resource`` builds. Scoring is cached per distinct set of answers
(the same answers always score the same). A worrying result (a flag such as PHQ-9 question 9, or
the most severe band) raises an attention item as the service does: handled for earlier
results, open for the newest.

**Self-monitoring.** On average about 100 values per person (a gamma-distributed number per
person, so some keep a few values and some many): home blood pressure and pulse with
hypertension, glucose with diabetes, weight with overweight, steps otherwise, and a diary (mood,
anxiety and sleep quality at one to four moments a day, answered about three times in four) for
a share — people with a severe mental illness, many with a mental condition in chain care or
case management, a few others — with their diary schedule. Values follow the person's own
course (improving, stable or deteriorating) with day-to-day autocorrelated noise.

Everything about one person is drawn from its own ``numpy`` generator seeded by (seed, index),
so a seed gives the same records whatever the batch size. Observations are written with
PostgreSQL's ``COPY`` (psycopg 3 ``cursor.copy``) or, on SQLite, one ``executemany`` per batch;
questionnaire rows with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils import timezone

from koers.monitoring.models import DiarySchedule, MeasurementType, Observation
from koers.questionnaires import instruments, scoring
from koers.questionnaires.models import AttentionItem, Response, Score

IMPROVING, STABLE, DETERIORATING = "improving", "stable", "deteriorating"
COURSES = ((IMPROVING, 0.45), (STABLE, 0.35), (DETERIORATING, 0.20))
MEAN_VALUES = 100  # values per person on average (issue #18)
DIARY_TIMES = (("09:00",), ("09:00", "21:00"), ("09:00", "15:00", "21:00"), ("09:00", "13:00", "17:00", "21:00"))
DIARY_TYPES = ("mood", "anxiety", "sleep_quality")
HANDLED = "Besproken in het gesprek; afspraken gemaakt."
OBSERVATION_COLUMNS = (
    "person_id",
    "type_id",
    "value",
    "effective_at",
    "source",
    "external_id",
    "note",
    "recorded_by_id",
    "recorded_at",
)

# code: (moments a day (local hh:mm), start level, sd, lower, upper, decimals, "better" direction)
PHYSICAL = {
    "systolic_bp": (("07:45", "21:15"), 148.0, 9.0, 90, 220, 0, -1),
    "diastolic_bp": (("07:45", "21:15"), 90.0, 6.0, 50, 130, 0, -1),
    "heart_rate": (("07:45", "21:15"), 74.0, 6.0, 45, 130, 0, 0),
    "glucose": (("07:30", "18:30"), 8.4, 1.3, 3.0, 25.0, 1, -1),
    "weight": (("08:00",), 96.0, 0.6, 50, 200, 1, -1),
    "steps": (("22:00",), 5200.0, 1800.0, 200, 30000, 0, 1),
}
DIARY = {
    "mood": (None, 5.0, 1.3, 0, 10, 0, 1),
    "anxiety": (None, 5.0, 1.3, 0, 10, 0, -1),
    "sleep_quality": (None, 5.5, 1.4, 0, 10, 0, 1),
}


@dataclass
class PersonRecords:
    responses: list  # [(Response, ScoreResult, attention codes)]
    observations: list  # rows in OBSERVATION_COLUMNS order (effective_at as aware datetime)
    diary_types: tuple = ()
    diary_times: tuple = ()


class RecordsDraw:
    """Draws one person's questionnaire results and self-monitoring. Needs ``seed``, ``today``
    and ``now`` (timezone-aware)."""

    def __init__(self, *, seed: int, now: dt.datetime):
        self.seed = seed
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate(now)
        self._scores: dict = {}  # (instrument id, answers) -> (ScoreResult, resource without ids)
        self.instruments = {i: instruments.get(i) for i in ("phq-9", "gad-7", "k10", "mansa", "dialog")}

    # -- which instruments and series ------------------------------------------------------
    def draw(self, index: int, *, level: str, conditions: list, responsible, user) -> PersonRecords:
        rng = np.random.default_rng([self.seed, index, 18])
        displays = {c.display for c in conditions}
        categories = {c.category for c in conditions}
        smi = bool(displays & {"Schizofrenie", "Bipolaire stoornis"})
        chosen = self._instruments(rng, level, displays, smi)
        responses = []
        for instrument_id in chosen:
            responses += self._trajectory(rng, instrument_id, responsible)
        diary = smi or (
            "mental" in categories and rng.random() < {"case_management": 0.6, "chain_care": 0.35}.get(level, 0.05)
        )
        diary = diary or rng.random() < 0.02
        recorder = user or responsible
        source = Observation.Source.PORTAL if user is not None else Observation.Source.PROFESSIONAL
        observations, times = self._monitoring(rng, displays, diary, recorder, source)
        return PersonRecords(
            responses=responses,
            observations=observations,
            diary_types=DIARY_TYPES if diary else (),
            diary_times=times,
        )

    @staticmethod
    def _instruments(rng, level: str, displays: set, smi: bool) -> list[str]:
        chosen = []
        if "Depressie" in displays or rng.random() < {"case_management": 0.4, "chain_care": 0.15}.get(level, 0.04):
            chosen.append("phq-9")
        if "Angststoornis" in displays:
            chosen.append("gad-7")
        if level == "chain_care" and rng.random() < 0.1:
            chosen.append("k10")
        if smi or (level == "case_management" and rng.random() < 0.3):
            chosen += ["mansa", "dialog"]
        return chosen

    # -- questionnaires --------------------------------------------------------------------
    def _trajectory(self, rng, instrument_id: str, responsible) -> list:
        inst = self.instruments[instrument_id]
        course = rng.choice([c for c, _p in COURSES], p=[p for _c, p in COURSES])
        start = float(rng.uniform(0.45, 0.85)) if course != DETERIORATING else float(rng.uniform(0.2, 0.5))
        end = {
            IMPROVING: start * rng.uniform(0.25, 0.6),
            STABLE: start + rng.normal(0, 0.05),
            DETERIORATING: start + rng.uniform(0.2, 0.4),
        }[course]
        count = int(rng.integers(2, 7))
        gap = int(rng.integers(45, 100))
        first_days_ago = gap * (count - 1) + int(rng.integers(3, 30))
        out = []
        for k in range(count):
            severity = float(np.clip(start + (end - start) * k / (count - 1), 0.0, 1.0))
            answers = self._answers(rng, inst, severity)
            days_ago = first_days_ago - k * gap
            authored = dt.datetime.combine(
                self.today - dt.timedelta(days=days_ago), dt.time(int(rng.integers(9, 17)), int(rng.integers(0, 60)))
            ).replace(tzinfo=self.tz)
            authored = authored.astimezone(dt.UTC)  # as the database gives it back
            response = Response(
                instrument_id=inst.id,
                instrument_version=inst.version,
                title=inst.title("nl")[:300],
                status=Response.Status.COMPLETED,
                mode=Response.Mode.CONSULT,
                answers=answers,
                filled_by=responsible,
                organisation=responsible.organisation,
                started_at=authored - dt.timedelta(minutes=8),
                authored_at=authored,
            )
            out.append((response, *self.scored(inst, answers)))
        return out

    @staticmethod
    def _answers(rng, inst, severity: float) -> dict:
        """Answers around ``severity`` (0 = no complaints, 1 = the worst) on every answerable item."""
        level = 1.0 - severity if inst.main.better == "higher" else severity
        answers = {}
        for item in inst.answer_items:
            codes = [o.code for o in item.options]
            if not codes:
                continue
            if all(o.value is not None or c.isdigit() for o, c in zip(item.options, codes, strict=True)):
                if (inst.id, item.link_id) == ("phq-9", "9"):
                    # Thoughts of death are much rarer than the other complaints (a flag at once).
                    position = int(rng.random() < 0.2 * level) + int(rng.random() < 0.05 * level)
                else:
                    position = int(np.clip(round(level * (len(codes) - 1) + rng.normal(0, 0.55)), 0, len(codes) - 1))
                answers[item.link_id] = codes[position]
            elif item.required:
                answers[item.link_id] = codes[int(rng.integers(0, len(codes)))]
        return answers

    def scored(self, inst, answers: dict):
        """The score and the FHIR resource (without the response's own moment and ids), from the
        instrument's own expressions; cached per distinct set of answers."""
        key = (inst.id, tuple(sorted(answers.items())))
        found = self._scores.get(key)
        if found is None:
            result = scoring.score(inst, answers, answers_as="code")
            resource = scoring.response_json(inst, answers, status="completed", answers_as="code")
            found = (result, resource)
            self._scores[key] = found
        return found

    # -- self-monitoring -------------------------------------------------------------------
    def _monitoring(self, rng, displays: set, diary: bool, recorder, source) -> tuple[list, tuple]:
        series: list[tuple[str, tuple]] = []
        times: tuple = ()
        if "Hypertensie" in displays:
            series += [(c, PHYSICAL[c][0]) for c in ("systolic_bp", "diastolic_bp", "heart_rate")]
        if "Diabetes mellitus type 2" in displays:
            series.append(("glucose", PHYSICAL["glucose"][0]))
        if "Overgewicht" in displays:
            series.append(("weight", PHYSICAL["weight"][0]))
        if diary:
            times = DIARY_TIMES[int(rng.integers(0, len(DIARY_TIMES)))]
            series += [(code, times if code != "sleep_quality" else times[:1]) for code in DIARY_TYPES]
        if not series:
            series.append(("steps", PHYSICAL["steps"][0]))
        per_day = sum(len(t) for _c, t in series) * (0.75 if diary else 0.85)
        wanted = rng.gamma(2.0, MEAN_VALUES / 2.0)
        days = int(np.clip(math.ceil(wanted / per_day), 1, 730))
        course = rng.choice([c for c, _p in COURSES], p=[p for _c, p in COURSES])
        rows = []
        for code, moments in series:
            rows += self._series(rng, code, moments, days, course, diary, recorder, source)
        return rows, times

    def _series(self, rng, code, moments, days, course, diary, recorder, source) -> list:
        spec = DIARY.get(code) or PHYSICAL[code]
        _m, start, sd, low, high, decimals, better = spec
        drift = {IMPROVING: 1.0, STABLE: 0.0, DETERIORATING: -1.0}[course] * better * 1.5 * sd
        noise = _ar1(rng, days, 0.5, sd)
        answered = rng.random((days, len(moments))) < (0.75 if diary else 0.85)
        recorded_by = recorder.pk
        rows = []
        for d in range(days):
            day = self.today - dt.timedelta(days=days - 1 - d)
            level = start + drift * (d / max(days - 1, 1)) + noise[d]
            for m, hhmm in enumerate(moments):
                if not answered[d, m]:
                    continue
                hour, minute = (int(x) for x in hhmm.split(":"))
                at = dt.datetime.combine(day, dt.time(hour, minute)).replace(tzinfo=self.tz)
                at += dt.timedelta(minutes=int(rng.integers(0, 25)))
                if at >= self.now:
                    continue
                value = round(float(np.clip(level + rng.normal(0, sd * 0.3), low, high)), decimals)
                rows.append([None, code, value, at, source, "", "", recorded_by, at])
        return rows


def _ar1(rng, n: int, phi: float, sd: float) -> np.ndarray:
    out = np.empty(n)
    innovation = sd * math.sqrt(1 - phi**2)
    shocks = rng.normal(0, 1, n)
    out[0] = shocks[0] * sd
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i] * innovation
    return out


class RecordsWriter:
    """Writes what ``RecordsDraw`` drew for a batch of people; ``insert`` is the generator's
    (it counts rows and seconds per table)."""

    def __init__(self, *, insert, count):
        self.insert = insert  # insert(model, objects) -> objects
        self.count = count  # count(label, rows, seconds)
        self.types = {t.code: t.pk for t in MeasurementType.objects.filter(person__isnull=True)}

    def write(self, people: list) -> None:
        """``people``: [(person, responsible, PersonRecords)]."""
        self._responses(people)
        self._observations(people)
        self._diaries(people)

    def _responses(self, people) -> None:
        """Responses with their ids taken first, so that each is inserted with its FHIR resource
        (whose identifier names the id) in one go, then scores and attention items."""
        responses = [response for _p, _r, records in people for response, *_rest in records.responses]
        if not responses:
            return
        ids = reserve_ids(Response, len(responses))
        scores, attention = [], []
        n = 0
        for person, responsible, records in people:
            for k, (response, result, resource) in enumerate(records.responses):
                response.pk, response.person = ids[n], person  # its team as drawn (the PREM's: who asked)
                n += 1
                response.resource = _resource_for(resource, response)
                scores.append(_score_row(response, result))
                attention += _attention_rows(response, result, responsible, newest=_is_last(records, k))
        self.insert(Response, responses)
        self.insert(Score, scores)
        self.insert(AttentionItem, attention)

    def _observations(self, people) -> None:
        rows = []
        for person, _responsible, records in people:
            for row in records.observations:
                row[0] = person.pk
                if isinstance(row[1], str):
                    row[1] = self.types[row[1]]
                rows.append(row)
        if not rows:
            return
        started = timezone.now()
        copy_rows(Observation._meta.db_table, OBSERVATION_COLUMNS, rows)
        self.count(Observation._meta.label, len(rows), (timezone.now() - started).total_seconds())

    def _diaries(self, people) -> None:
        schedules = []
        for person, responsible, records in people:
            if records.diary_types:
                schedules.append(DiarySchedule(person=person, times=list(records.diary_times), updated_by=responsible))
        if not schedules:
            return
        self.insert(DiarySchedule, schedules)
        link = DiarySchedule.types.through
        links = [link(diaryschedule_id=s.pk, measurementtype_id=self.types[c]) for s in schedules for c in DIARY_TYPES]
        self.insert(link, links)


def _is_last(records: PersonRecords, k: int) -> bool:
    """The newest result of its instrument (its attention items stay open)."""
    response = records.responses[k][0]
    return all(other.instrument_id != response.instrument_id for other, *_r in records.responses[k + 1 :])


def _resource_for(resource: dict, response: Response) -> dict:
    """The resource as ``selectors.response_resource`` makes it for this response (the cached
    resource has everything but the response's own moment, subject and identifier)."""
    out = dict(resource)
    out["authored"] = response.authored_at.isoformat()
    out["subject"] = {"reference": f"Patient/{response.person_id}"}
    out["identifier"] = {"value": f"koers-response-{response.pk}"}
    return out


def _score_row(response: Response, result) -> Score:
    return Score(
        response=response,
        person_id=response.person_id,
        instrument_id=response.instrument_id,
        instrument_version=response.instrument_version,
        authored_at=response.authored_at,
        total=result.total,
        subscales=dict(result.subscales or {}),
        band=result.band.code if result.band is not None else "",
        missing=result.missing or 0,
        scorable=bool(result.scorable),
        flags=list(result.flags or ()),
    )


def _attention_rows(response: Response, result, responsible, *, newest: bool) -> list:
    wanted = [(AttentionItem.Kind.FLAG, flag) for flag in (result.flags or ())]
    if result.band is not None and result.band.attention:
        wanted.append((AttentionItem.Kind.BAND, result.band.code))
    rows = []
    for kind, code in wanted:
        item = AttentionItem(
            person_id=response.person_id,
            response=response,
            kind=kind,
            code=str(code)[:64],
            responsible=responsible,
            created_at=response.authored_at,
        )
        if not newest:
            item.handled_at = response.authored_at + dt.timedelta(days=2)
            item.handled_by = responsible
            item.handled_note = HANDLED
        rows.append(item)
    return rows


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``: from its sequence on PostgreSQL; on SQLite the
    next ones after the largest (the batch's transaction holds the only write lock, and an
    explicit id moves SQLite's AUTOINCREMENT counter on)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608  # a model table name
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
        found = cursor.fetchone()
        start = max(start, found[0] if found else 0)
    return list(range(start + 1, start + 1 + count))


def copy_rows(table: str, columns: tuple, rows: list) -> None:
    """Append rows to a table: ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3), one
    ``executemany`` elsewhere. Column and table names are the models' own, never input."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3's own cursor under Django's wrapper
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:  # nosec B608  # model table and column names, quoted
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608  # nosec B608  # model names, quoted; values as parameters
        cursor.executemany(sql, [[adapt(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows])
