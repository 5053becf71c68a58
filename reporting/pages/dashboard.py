"""The nurse dashboard's pages, built from the selectors' rows: a queue row with its waiting
time, an alert with everything its page shows, a patient's record with its chart.

View-models only: every read goes through `reporting.selectors.dashboard`, scoped to the
nurse; nothing here queries on its own except through those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reporting.answers import Answer, answers_in_words, symptom_label
from reporting.badges import level_badge
from reporting.charts import GradeChart, daily_points, grade_chart
from reporting.guidance import GuidanceNote, category_label, guidance_for
from reporting.models import (
    Alert,
    AlertEvent,
    CaregiverLink,
    Infusion,
    LabPanel,
    Level,
    Patient,
    Relationship,
    Report,
    Snooze,
    User,
)
from reporting.moments import day_of, joined
from reporting.notifications.messages import notified_text
from reporting.pages.cycles import CycleSummary, cycle_summary, cycle_text
from reporting.pages.labs import LabRecord, PanelView, lab_record, panel_view
from reporting.selectors.dashboard import (
    active_snoozes,
    alert_panels,
    alert_reports,
    graded_symptoms_since,
    next_open_alert,
    open_alerts_of,
    patient_for_record,
    recent_reports,
)
from reporting.selectors.labs import BaselineRow, baseline_rows, liver_reports_near, panels_of
from reporting.selectors.people import infusions_by_patient, infusions_of
from reporting.selectors.reports import reason_texts
from reporting.triage import DRUGS

CHART_DAYS = 90


# --- the queue -----------------------------------------------------------------------------


# Marked for the catalogue here, translated when used (by `translate`).
_DAYS_HOURS = gettext_noop("%(days)d d %(hours)d h")
_DAYS = gettext_noop("%(days)d d")
_HOURS_MINUTES = gettext_noop("%(hours)d h %(minutes)02d min")
_MINUTES = gettext_noop("%(minutes)d min")


def format_duration(delta: dt.timedelta, translate: Callable[[str], str] = _) -> str:
    """A waiting time as a nurse reads it at a glance: "45 min", "2 h 05 min", "3 d 4 h".
    `translate`: gettext, or a page's memo of it (QueueWords.text)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days and hours:
        return translate(_DAYS_HOURS) % {"days": days, "hours": hours}
    if days:
        return translate(_DAYS) % {"days": days}
    if hours:
        return translate(_HOURS_MINUTES) % {"hours": hours, "minutes": minutes}
    return translate(_MINUTES) % {"minutes": minutes}


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One alert as the queue shows it, with its waiting time against the target.

    The words and the link come ready-made: the queue shows 50 rows and refreshes every 20 s,
    and a lookup done here once costs a fraction of the same lookup in the template.
    """

    alert_id: int
    waited: dt.timedelta
    target: dt.timedelta
    overdue: bool
    irae_labels: tuple[Promise | str, ...]
    cycle: str = ""  # "cycle 3, day 12" when the alert was raised
    url: str = ""
    patient_name: str = ""
    hospital_number: str = ""
    source: str = ""
    has_new_information: bool = False
    claimed_by_id: int | None = None
    level_label: str = ""
    badge: str = ""  # markup (reporting.badges), the same badge as the other pages'
    status_label: str = ""
    outcome_label: str = ""
    claimed_by_name: str = ""
    team_name: str = ""
    since_text: str = ""  # "since 3 Dec 14:05", in the reader's language
    waited_text: str = ""  # "2 h 05 min"
    target_text: str = ""


@dataclass(slots=True)
class QueueWords:
    """The words and links every row repeats, looked up once per page in the reader's
    language (a page of 50 rows would otherwise translate each label 50 times)."""

    levels: dict[str, str]
    statuses: dict[str, str]
    outcomes: dict[str, str]
    new_information: str = ""
    family_note: str = ""
    lab_results: str = ""
    overdue: str = ""
    nobody_yet: str = ""
    since_template: str = "%(when)s"
    days: dict[dt.date, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    badges: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    url_prefix: str = ""
    url_suffix: str = ""

    @classmethod
    def here(cls) -> QueueWords:
        # The link of alert #0 split around its id: "/triage/alerts/" + id + "/".
        prefix, _zero, suffix = reverse("alert_detail", args=[0]).rpartition("0")
        return cls(
            levels={code: str(label) for code, label in Level.choices},
            statuses={code: str(label) for code, label in Alert.Status.choices},
            outcomes={code: str(label) for code, label in Alert.Outcome.choices},
            new_information=_("New information"),
            family_note=_("Note from the family"),
            lab_results=_("Lab results"),
            overdue=_("OVERDUE"),
            nobody_yet=_("Nobody yet"),
            since_template=_("since %(when)s"),
            url_prefix=prefix,
            url_suffix=suffix,
        )

    def url(self, alert_id: int) -> str:
        return f"{self.url_prefix}{alert_id}{self.url_suffix}"

    def text(self, message: str) -> str:
        """gettext, each message looked up once per page (durations, cycle days: a few
        messages, each repeated in every row)."""
        translated = self.texts.get(message)
        if translated is None:
            translated = self.texts[message] = _(message)
        return translated

    def badge(self, level: str) -> str:
        """The level's badge, made once per page and level."""
        made = self.badges.get(level)
        if made is None:
            made = self.badges[level] = level_badge(level, self.levels.get(level, level))
        return made

    def category(self, code: str) -> str:
        label = self.categories.get(code)
        if label is None:
            label = self.categories[code] = str(category_label(code))
        return label

    def since(self, when: dt.datetime) -> str:
        """ "since 2 Dec 00:48" ("từ 00:48 2/12"), as the `day_and_time` filter writes it,
        each day's words looked up once per page."""
        local = timezone.localtime(when)
        day = self.days.get(local.date())
        if day is None:
            day = self.days[local.date()] = day_of(local)
        # TIME_FORMAT is "H:i" in both languages (config/formats/).
        return self.since_template % {"when": joined(day, f"{local:%H:%M}")}


@dataclass(frozen=True, slots=True)
class AlertLine:
    """What a queue row reads of an alert, its patient, team and nurse: from an Alert, or
    from the queue's `values()` rows (QUEUE_LINE_VALUES), which build no model objects for a
    page of 50 alerts refreshed every 20 s."""

    pk: int
    patient_id: int
    level: str
    source: str
    suspected_irae: Sequence[str]
    status: str
    created_at: dt.datetime
    due_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    outcome: str
    has_new_information: bool
    claimed_by_id: int | None
    claimed_by_name: str
    patient_name: str
    hospital_number: str
    team_name: str

    @classmethod
    def of(cls, alert: Alert) -> AlertLine:
        claimed_by = alert.claimed_by
        return cls(
            pk=alert.pk,
            patient_id=alert.patient_id,
            level=alert.level,
            source=alert.source,
            suspected_irae=alert.suspected_irae,
            status=alert.status,
            created_at=alert.created_at,
            due_at=alert.due_at,
            acknowledged_at=alert.acknowledged_at,
            resolved_at=alert.resolved_at,
            outcome=alert.outcome,
            has_new_information=alert.has_new_information,
            claimed_by_id=alert.claimed_by_id,
            claimed_by_name=_display_name(claimed_by) if claimed_by is not None else "",
            patient_name=alert.patient.full_name,
            hospital_number=alert.patient.hospital_number,
            team_name=alert.care_team.name,
        )

    @classmethod
    def of_values(cls, row: dict[str, Any]) -> AlertLine:
        """From a row of `alerts.values(*QUEUE_LINE_VALUES)`."""
        name = ""
        if row["claimed_by_id"] is not None:
            # User.get_full_name's order: the display name, else first and last name.
            name = (
                (row["claimed_by__display_name"] or "").strip()
                or f"{row['claimed_by__first_name']} {row['claimed_by__last_name']}".strip()
                or row["claimed_by__username"]
            )
        return cls(
            pk=row["pk"],
            patient_id=row["patient_id"],
            level=row["level"],
            source=row["source"],
            suspected_irae=row["suspected_irae"],
            status=row["status"],
            created_at=row["created_at"],
            due_at=row["due_at"],
            acknowledged_at=row["acknowledged_at"],
            resolved_at=row["resolved_at"],
            outcome=row["outcome"],
            has_new_information=row["has_new_information"],
            claimed_by_id=row["claimed_by_id"],
            claimed_by_name=name,
            patient_name=row["patient__full_name"],
            hospital_number=row["patient__hospital_number"],
            team_name=row["care_team__name"],
        )


# What `AlertLine.of_values` reads: the queue asks for these columns only.
QUEUE_LINE_VALUES = (
    "pk",
    "patient_id",
    "level",
    "source",
    "suspected_irae",
    "status",
    "created_at",
    "due_at",
    "acknowledged_at",
    "resolved_at",
    "outcome",
    "has_new_information",
    "claimed_by_id",
    "claimed_by__display_name",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__username",
    "patient__full_name",
    "patient__hospital_number",
    "care_team__name",
)


def queue_row(
    alert: Alert | AlertLine, now: dt.datetime, words: QueueWords | None = None, *, cycle: str = ""
) -> QueueRow:
    """Waiting runs until first contact (acknowledgement); overdue means no contact by due_at.
    `cycle`: "cycle 3, day 12" when the alert was raised (`cycle_text`), if known."""
    line = alert if isinstance(alert, AlertLine) else AlertLine.of(alert)
    words = words or QueueWords.here()
    until = line.acknowledged_at or line.resolved_at or now
    overdue = line.status == Alert.Status.NEW and now > line.due_at
    waited, target = until - line.created_at, line.due_at - line.created_at
    return QueueRow(
        alert_id=line.pk,
        waited=waited,
        target=target,
        waited_text=format_duration(waited, words.text),
        target_text=format_duration(target, words.text),
        overdue=overdue,
        irae_labels=tuple(words.category(code) for code in line.suspected_irae),
        url=words.url(line.pk),
        patient_name=line.patient_name,
        hospital_number=line.hospital_number,
        source=line.source,
        has_new_information=line.has_new_information,
        claimed_by_id=line.claimed_by_id,
        level_label=words.levels.get(line.level, line.level),
        badge=words.badge(line.level),
        cycle=cycle,
        status_label=words.statuses.get(line.status, line.status),
        outcome_label=words.outcomes.get(line.outcome, line.outcome) if line.outcome else "",
        claimed_by_name=line.claimed_by_name,
        team_name=line.team_name,
        since_text=words.since(line.created_at),
    )


def queue_rows_html(rows: Sequence[QueueRow], *, show_team: bool, viewer: User) -> SafeString:
    """The rows as the queue's table shows them (templates/.../_queue_rows.jinja)."""
    template = engines["jinja2"].get_template("reporting/dashboard/_queue_rows.jinja")
    context = {
        "rows": rows,
        "words": QueueWords.here(),
        "show_team": show_team,
        "viewer_id": viewer.pk,
    }
    # Jinja2 escaped every value (autoescape); the result is markup.
    return mark_safe(template.render(context))  # noqa: S308


def queue_rows(
    alerts: Iterable[Alert] | Iterable[AlertLine],
    now: dt.datetime | None = None,
    doses: dict[int, list[Infusion]] | None = None,
) -> list[QueueRow]:
    """The rows, each with its cycle day (one query for the infusions of all the rows,
    none when the caller has them: `doses`, by patient id)."""
    now = now or timezone.now()
    alerts = [a if isinstance(a, AlertLine) else AlertLine.of(a) for a in alerts]
    if doses is None:
        doses = infusions_by_patient({alert.patient_id for alert in alerts})
    words = QueueWords.here()
    return [
        queue_row(
            alert,
            now,
            words,
            cycle=cycle_text(doses.get(alert.patient_id, []), alert.created_at, words.text),
        )
        for alert in alerts
    ]


# --- one alert -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SymptomRow:
    code: str
    label: str
    grade: int | None
    level: str
    level_label: str
    irae_label: Promise | str
    anti_vegf: bool
    answers: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of an alert's history: what, who (empty: the system), when, and the note."""

    event: AlertEvent
    actor_name: str
    text: str


def event_row(event: AlertEvent) -> EventRow:
    actor = event.actor
    text = event.note
    # Outcome events keep the outcome code (services.alert_actions), notified events their
    # codes (reporting.notifications): show them in words, in the reader's language.
    if event.kind == AlertEvent.Kind.OUTCOME and text in Alert.Outcome.values:
        text = str(Alert.Outcome(text).label)
    elif event.kind == AlertEvent.Kind.NOTIFIED:
        text = notified_text(text)
    elif text.startswith("raised:") and text[7:] in Level.values:
        # A report or panel joined and raised the alert (services.alerts._join).
        text = _("Raised to %(level)s") % {"level": Level(text[7:]).label}
    return EventRow(event, (actor.get_full_name() or actor.username) if actor else "", text)


@dataclass(frozen=True, slots=True)
class Contact:
    """Someone the nurse may call about an alert, with their number (E.164 for tel:)."""

    name: str
    relation: str
    phone: str
    reported: bool = False


@dataclass(frozen=True, slots=True)
class ReportItem:
    """A report of an alert, as the alert page shows it."""

    report: Report
    symptoms: list[SymptomRow]
    reasons: list[str]
    reporter_name: str
    reporter_relationship: str
    kind: str = "report"
    newest: bool = False  # the alert's newest report: the page's ids are on it
    cycle: str = ""  # "cycle 3, day 12" when infusions are recorded


@dataclass(frozen=True, slots=True)
class AlertView:
    """Everything the alert page shows, read once: its reports and lab panels, newest
    first, each with its own assessment."""

    alert: Alert
    items: list[ReportItem | PanelView]
    reasons: list[str]
    events: list[EventRow]
    guidance: list[GuidanceNote]
    regimen: list[tuple[str, str]]
    row: QueueRow
    contacts: list[Contact] = field(default_factory=list)
    next_alert: QueueRow | None = None
    symptom_codes: list[str] = field(default_factory=list)
    liver_reports: list[ReportItem] = field(default_factory=list)
    cycle: CycleSummary | None = None

    @property
    def report(self) -> Report | None:
        """The newest report (its note, its reporter): None for an alert of lab results."""
        return next((item.report for item in self.items if isinstance(item, ReportItem)), None)

    @property
    def reports(self) -> list[ReportItem]:
        return [item for item in self.items if isinstance(item, ReportItem)]

    @property
    def panels(self) -> list[PanelView]:
        return [item for item in self.items if isinstance(item, PanelView)]


def level_label(level: str) -> str:
    return str(Level(level).label) if level in Level.values else level


def regimen_labels(codes: Sequence[str]) -> list[tuple[str, str]]:
    """(drug code, translated drug class) pairs; the class tells a nurse why rules fired."""
    return [(code, _(DRUGS[code].label) if code in DRUGS else "") for code in codes]


def reporter_of(report: Report) -> tuple[str, str]:
    """Who reported (a name) and how they relate to the patient (translated)."""
    user = report.reported_by
    name = (user.get_full_name() or user.username) if user else _("Unknown")
    if report.reporter_relationship in Relationship.values:
        relation = str(Relationship(report.reporter_relationship).label)
    else:
        relation = (
            str(Report.ReporterRole(report.reporter_role).label)
            if (report.reporter_role in Report.ReporterRole.values)
            else ""
        )
    return name, relation


def alert_reasons(alert: Alert) -> list[str]:
    """Why the alert is at its level beyond each report's and panel's own reasons: the note
    rule when the note opened it (the engine never sees notes)."""
    if alert.source == Alert.Source.FAMILY_NOTE:
        return [
            _(
                "The family wrote a note for the nurse, and nothing else in the report opens an "
                "alert: read the note and decide whether to call."
            )
        ]
    return []


def report_item(report: Report) -> ReportItem:
    """A report with its symptoms (prefetched) and reasons, for an alert page."""
    symptoms = [
        SymptomRow(
            code=entry.code,
            label=symptom_label(entry.code),
            grade=entry.grade,
            level=entry.level,
            level_label=level_label(entry.level),
            irae_label=category_label(entry.irae) if entry.irae else "",
            anti_vegf=entry.anti_vegf,
            answers=answers_in_words(entry.code, entry.answers),
        )
        for entry in report.symptoms.all()
    ]
    name, relation = reporter_of(report)
    return ReportItem(report, symptoms, reason_texts(report, _), name, relation)


def call_list(report: Report | None, patient: Patient) -> list[Contact]:
    """Who to call, in order: the person who reported (told to keep their phone close),
    then the patient, then the other family members with a number."""
    links = list(patient.caregiver_links.select_related("user").order_by("created_at"))
    reporter_id = report.reported_by_id if report is not None else None
    contacts = [
        Contact(_display_name(link.user), _relation(link), link.phone, reported=True)
        for link in links
        if link.user_id == reporter_id and link.phone
    ]
    if patient.phone:
        contacts.append(Contact(patient.full_name, _("The patient"), patient.phone))
    contacts += [
        Contact(_display_name(link.user), _relation(link), link.phone)
        for link in links
        if link.user_id != reporter_id and link.phone
    ]
    return contacts


def _display_name(user: User) -> str:
    return user.get_full_name() or user.username


def _relation(link: CaregiverLink) -> str:
    if link.relationship in Relationship.values:
        return str(Relationship(link.relationship).label)
    return ""


def _next_alert(user: User, after: Alert, now: dt.datetime) -> QueueRow | None:
    candidate = next_open_alert(user, after)
    return queue_row(candidate, now) if candidate is not None else None


def _newest_first(item: ReportItem | PanelView) -> dt.datetime:
    return item.report.submitted_at if isinstance(item, ReportItem) else item.panel.collected_at


def _with_cycle(
    item: ReportItem | PanelView, infusions: Sequence[Infusion]
) -> ReportItem | PanelView:
    if isinstance(item, ReportItem):
        return replace(item, cycle=cycle_text(infusions, item.report.submitted_at))
    return replace(item, cycle=cycle_text(infusions, item.panel.collected_at))


def _regimen_at_the_time(
    alert: Alert, report: Report | None, panels: Sequence[PanelView]
) -> list[str]:
    """The regimen the newest report (or panel) was assessed with: why its rules fired."""
    if report is not None and report.regimen:
        return list(report.regimen)
    if panels and panels[0].panel.regimen:
        return list(panels[0].panel.regimen)
    return list(alert.patient.regimen)


def alert_view(alert: Alert, user: User | None = None, now: dt.datetime | None = None) -> AlertView:
    """Build the alert page from an alert got through `get_alert_for_nurse` (a few more
    queries, as many whatever the alert holds)."""
    now = now or timezone.now()
    items: list[ReportItem | PanelView] = [report_item(r) for r in alert_reports(alert)]
    items += [panel_view(panel) for panel in alert_panels(alert)]
    infusions = infusions_of(alert.patient)
    items = [_with_cycle(item, infusions) for item in items]
    items.sort(key=_newest_first, reverse=True)
    for index, item in enumerate(items):
        if isinstance(item, ReportItem):
            items[index] = replace(item, newest=True)
            break
    reports = [item for item in items if isinstance(item, ReportItem)]
    panels = [item for item in items if isinstance(item, PanelView)]
    irae_grades = [
        (entry.irae, entry.grade)
        for item in reports
        for entry in item.report.symptoms.all()
        if entry.irae
    ]
    irae_grades += [pair for panel in panels for pair in panel.guidance_entries()]
    newest_report = reports[0].report if reports else None
    hepatic = any(result.irae == "hepatic" for p in panels for result in p.panel.results.all())
    resolved = alert.status == Alert.Status.RESOLVED
    return AlertView(
        alert=alert,
        items=items,
        reasons=alert_reasons(alert),
        events=[event_row(event) for event in alert.events.select_related("actor")],
        guidance=guidance_for(irae_grades),
        regimen=regimen_labels(_regimen_at_the_time(alert, newest_report, panels)),
        row=queue_row(alert, now, cycle=cycle_text(infusions, alert.created_at)),
        contacts=[] if resolved else call_list(newest_report, alert.patient),
        next_alert=_next_alert(user, alert, now) if resolved and user is not None else None,
        symptom_codes=sorted({row.code for item in reports for row in item.symptoms}),
        liver_reports=[report_item(r) for r in liver_reports_near(panels[0].panel)]
        if hepatic
        else [],
        cycle=cycle_summary(alert.patient, infusions, timezone.localdate(now)),
    )


# --- a patient's record --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportedSymptom:
    label: str
    grade: int | None
    free_texts: tuple[Answer, ...]


@dataclass(frozen=True, slots=True)
class ReportRow:
    report: Report
    symptoms: list[ReportedSymptom]
    alert: Alert | None
    cycle: str = ""


@dataclass(frozen=True, slots=True)
class SnoozeRow:
    snooze: Snooze
    label: str


@dataclass(frozen=True, slots=True)
class PatientRecord:
    patient: Patient
    links: list[CaregiverLink]
    reports: list[ReportRow]
    chart: GradeChart
    open_alerts: list[QueueRow]
    snoozes: list[SnoozeRow]
    regimen: list[tuple[str, str]]
    labs: LabRecord
    baselines: list[BaselineRow]
    infusions: list[Infusion]
    cycle: CycleSummary


def report_row(report: Report, infusions: Sequence[Infusion] = ()) -> ReportRow:
    return ReportRow(
        cycle=cycle_text(infusions, report.submitted_at),
        report=report,
        symptoms=[
            ReportedSymptom(
                symptom_label(entry.code),
                entry.grade,
                tuple(a for a in answers_in_words(entry.code, entry.answers) if a.free_text),
            )
            for entry in report.symptoms.all()
        ],
        alert=getattr(report, "alert", None),
    )


def _labs_with_cycles(panels: Sequence[LabPanel], infusions: Sequence[Infusion]) -> LabRecord:
    record = lab_record(panels)
    views = [
        replace(view, cycle=cycle_text(infusions, view.panel.collected_at))
        for view in record.panels
    ]
    return replace(record, panels=views)


def patient_record(
    user: User | AnonymousUser, patient_id: int, now: dt.datetime | None = None
) -> PatientRecord:
    """A patient of the nurse's teams with reports, chart, open alerts and snoozes.

    A fixed number of queries whatever the number of reports or alerts: the page lists the
    most recent reports and charts the last CHART_DAYS days.
    """
    now = now or timezone.now()
    patient = patient_for_record(user, patient_id)
    infusions = infusions_of(patient)
    return PatientRecord(
        patient=patient,
        links=list(patient.caregiver_links.select_related("user").order_by("created_at")),
        reports=[report_row(report, infusions) for report in recent_reports(patient)],
        chart=_patient_chart(patient, now),
        open_alerts=queue_rows(open_alerts_of(patient), now, {patient.pk: infusions}),
        snoozes=[
            SnoozeRow(snooze, symptom_label(snooze.code)) for snooze in active_snoozes(patient, now)
        ],
        regimen=regimen_labels(patient.regimen),
        labs=_labs_with_cycles(panels_of(patient), infusions),
        baselines=baseline_rows(patient, now),
        infusions=infusions,
        cycle=cycle_summary(patient, infusions, timezone.localdate(now)),
    )


def _patient_chart(patient: Patient, now: dt.datetime) -> GradeChart:
    rows = graded_symptoms_since(patient, now - dt.timedelta(days=CHART_DAYS))
    points = daily_points(
        (code, symptom_label(code), timezone.localdate(submitted_at), grade)
        for code, grade, submitted_at in rows
    )
    return grade_chart(
        points,
        title=_("Grade of each symptom by date, last %(days)d days") % {"days": CHART_DAYS},
    )
