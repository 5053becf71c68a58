"""The department's quality figures (README, "Quality page"): is the programme working?

Every figure is an aggregate query grouped by care team and week (ISO weeks, Monday first,
in the site's time zone), so the number of queries is fixed whatever the amount of data;
Python only adds up and divides the grouped rows. Scoped to the requesting user: a nurse's
care teams, or every team for an admin.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from reporting.models import (
    Alert,
    AlertEvent,
    CareTeam,
    CheckinCall,
    Notification,
    Patient,
    Report,
    SymptomEntry,
    User,
)
from reporting.roles import is_admin
from reporting.selectors.people import care_teams_of
from reporting.selectors.percentiles import ack_duration, percentiles, resolve_duration

DEFAULT_WEEKS = 12
LEVELS = ("emergency", "urgent", "monitor")
SOURCES = tuple(Alert.Source.values)
# Weeks since the start of treatment, as the clinical figures group them.
TREATMENT_WEEKS = ((0, 3), (3, 6), (6, 9), (9, 12), (12, 24), (24, None))


@dataclass(frozen=True)
class Period:
    """Whole weeks: from the Monday `start` up to (not including) the Monday `end`."""

    start: dt.date
    end: dt.date

    @property
    def weeks(self) -> list[dt.date]:
        count = (self.end - self.start).days // 7
        return [self.start + dt.timedelta(weeks=index) for index in range(count)]

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=zone),
            dt.datetime.combine(self.end, dt.time(), tzinfo=zone),
        )


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def quality_period(
    start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None
) -> Period:
    """The weeks holding `start` to `end` (inclusive dates); by default the last 12 weeks,
    this one included."""
    today = today or timezone.localdate()
    last = monday(end or today)
    first = monday(start) if start else last - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    return Period(start=min(first, last), end=last + dt.timedelta(weeks=1))


def quality_teams(user: User) -> QuerySet[CareTeam]:
    """The teams whose figures `user` may see: a nurse's own, every team for an admin."""
    if is_admin(user):
        return CareTeam.objects.order_by("name")
    return care_teams_of(user).order_by("name")


@dataclass
class TeamWeek:
    """One care team's figures for one week: a row of the CSV."""

    team_id: int
    week: dt.date
    enrolled: int = 0
    patients_reporting: int = 0
    reports: int = 0
    snoozed_reports: int = 0
    joined_reports: int = 0
    alerts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    alerts_by_source: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))
    acknowledged: int = 0
    overdue: int = 0
    escalated_alerts: int = 0
    escalations: int = 0
    resolved: int = 0
    ack_minutes: list[float] = field(default_factory=list)  # median, p90 (or empty)
    resolve_hours: list[float] = field(default_factory=list)
    reminders: int = 0
    checkin_calls: int = 0  # calls nurses recorded about missed check-ins
    notifications: dict[str, dict[str, int]] = field(default_factory=dict)
    grade_3_4: int = 0

    @property
    def alerts_total(self) -> int:
        return sum(self.alerts.values())

    @property
    def missed_checkins(self) -> int:
        """Enrolled patients who sent no report that week."""
        return max(self.enrolled - self.patients_reporting, 0)


@dataclass
class QualityFigures:
    period: Period
    teams: list[CareTeam]
    rows: dict[tuple[int, dt.date], TeamWeek]
    # Over the whole period and all the teams shown:
    response: dict[str, dict[str, Any]]  # level -> acknowledged, median, p90, target, overdue
    outcomes: dict[str, int]
    irae_by_regimen: dict[tuple[str, str], int]  # (regimen text, irae) -> symptoms
    irae_by_treatment_week: dict[tuple[str, str], int]  # (weeks bucket, irae) -> symptoms
    grade_3_4_by_irae: dict[str, int]
    ack_by_week: dict[dt.date, list[float]]  # all teams shown: [median, p90] minutes
    resolve_hours: list[float]  # all teams, whole period: [median, p90]

    def week_rows(self, week: dt.date) -> list[TeamWeek]:
        return [self.rows[(team.pk, week)] for team in self.teams]


WeekOf = Callable[[str], Case]


def _weeks_of(period: Period) -> WeekOf:
    """The Monday of the week a timestamp falls in, as a CASE over the week boundaries
    (computed here in the site's time zone): plain comparisons, where TruncWeek converts
    the time zone of every row (a third of the page's time on the bench data). Anything
    before the period falls in its first week; callers filter the rest out."""
    zone = timezone.get_current_timezone()
    ends = [
        (week, dt.datetime.combine(week + dt.timedelta(weeks=1), dt.time(), tzinfo=zone))
        for week in period.weeks
    ]

    def week_of(name: str) -> Case:
        whens = [When(**{f"{name}__lt": end}, then=Value(week)) for week, end in ends]
        return Case(*whens, default=Value(None), output_field=DateField())

    return week_of


def quality_figures(
    user: User, period: Period, team_ids: Iterable[int] | None = None
) -> QualityFigures:
    """Every figure of the quality page for the teams `user` may see (or those of them in
    `team_ids`), over `period`. A fixed number of queries."""
    teams_qs = quality_teams(user)
    if team_ids is not None:
        teams_qs = teams_qs.filter(pk__in=list(team_ids))
    teams = list(teams_qs)
    ids = [team.pk for team in teams]
    rows = {(team_id, week): TeamWeek(team_id, week) for team_id in ids for week in period.weeks}
    start, end = period.bounds()
    week_of = _weeks_of(period)
    _enrolment(rows, ids, period, end, week_of)
    scope = _Scope(rows, ids, start, end, week_of)
    _reports(scope)
    _in_programme(rows)
    alerts = Alert.objects.filter(care_team_id__in=ids, created_at__gte=start, created_at__lt=end)
    _alerts(rows, alerts, week_of)
    _durations(rows, alerts, week_of)
    _joined(scope)
    _notifications(scope)
    _checkin_calls(scope)
    entries = SymptomEntry.objects.filter(
        report__patient__care_team_id__in=ids,
        report__submitted_at__gte=start,
        report__submitted_at__lt=end,
    )
    _grade_3_4(rows, entries, week_of)
    return QualityFigures(
        period=period,
        teams=teams,
        rows=rows,
        response=_response_by_level(alerts),
        outcomes=_outcomes(ids, start, end),
        **_suspected_irae(entries),
        grade_3_4_by_irae=_grade_3_4_by_irae(entries),
        ack_by_week=_ack_by_week(alerts, week_of),
        resolve_hours=_resolve_overall(alerts),
    )


# --- one aggregate query each ----------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """What every query is about: these teams' rows, between these instants, by week."""

    rows: dict[tuple[int, dt.date], TeamWeek]
    ids: list[int]
    start: dt.datetime
    end: dt.datetime
    week_of: WeekOf

    def by_week(
        self, queryset: QuerySet[Any], *, when: str, team: str, by: tuple[str, ...] = ()
    ) -> Any:
        """`queryset` in these teams and instants, as values grouped by team and week (and
        `by`): annotate it with the aggregates."""
        return (
            queryset.filter(
                **{f"{team}__in": self.ids, f"{when}__gte": self.start, f"{when}__lt": self.end}
            )
            .annotate(week=self.week_of(when), team=F(team))
            .order_by()
            .values("team", "week", *by)
        )


def _enrolment(
    rows: dict[tuple[int, dt.date], TeamWeek],
    ids: list[int],
    period: Period,
    end: dt.datetime,
    week_of: WeekOf,
) -> None:
    """Patients enrolled by the end of each week: new patients per team and week, summed."""
    counts = (
        Patient.objects.filter(care_team_id__in=ids, created_at__lt=end)
        .annotate(week=week_of("created_at"))
        .order_by()
        .values("care_team_id", "week")
        .annotate(n=Count("id"))
    )
    new: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in counts:
        new[row["care_team_id"]][max(row["week"], period.start)] += row["n"]
    for team_id in ids:
        total = 0
        for week in period.weeks:
            total += new[team_id][week]
            rows[(team_id, week)].enrolled = total


def _in_programme(rows: dict[tuple[int, dt.date], TeamWeek]) -> None:
    """A patient who reported in a week was in the programme that week, even if their
    record was created later (reports typed in from paper): never above 100 %."""
    for week in rows.values():
        week.enrolled = max(week.enrolled, week.patients_reporting)


def _reports(scope: _Scope) -> None:
    grouped = scope.by_week(
        Report.objects.all(), when="submitted_at", team="patient__care_team_id"
    ).annotate(
        reports=Count("id"),
        patients=Count("patient_id", distinct=True),
        # Monitor level always alerts unless every symptom was snoozed.
        snoozed=Count("id", filter=Q(level="monitor", alert__isnull=True)),
    )
    for row in grouped:
        week = scope.rows[(row["team"], row["week"])]
        week.reports, week.patients_reporting = row["reports"], row["patients"]
        week.snoozed_reports = row["snoozed"]


def _alerts(
    rows: dict[tuple[int, dt.date], TeamWeek], alerts: QuerySet[Alert], week_of: WeekOf
) -> None:
    now = timezone.now()
    late = Q(acknowledged_at__gt=F("due_at")) | Q(acknowledged_at__isnull=True, due_at__lt=now)
    grouped = (
        alerts.order_by()
        .annotate(week=week_of("created_at"))
        .order_by()
        .values("care_team_id", "week", "level", "source")
        .annotate(
            n=Count("id"),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
            overdue=Count("id", filter=late),
            escalated=Count("id", filter=Q(escalation_count__gt=0)),
            escalations=Sum("escalation_count"),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        )
    )
    for row in grouped:
        week = rows[(row["care_team_id"], row["week"])]
        if row["level"] in week.alerts:
            week.alerts[row["level"]] += row["n"]
        week.alerts_by_source[row["source"]] = (
            week.alerts_by_source.get(row["source"], 0) + row["n"]
        )
        week.acknowledged += row["acknowledged"]
        week.overdue += row["overdue"]
        week.escalated_alerts += row["escalated"]
        week.escalations += row["escalations"] or 0
        week.resolved += row["resolved"]


def _durations(
    rows: dict[tuple[int, dt.date], TeamWeek], alerts: QuerySet[Alert], week_of: WeekOf
) -> None:
    """Median and 90th percentile of the time to first acknowledgement (minutes) and to
    resolution (hours), per team and week."""
    for name, duration, scale, target in (
        ("acknowledged_at", ack_duration(), 1.0, "ack_minutes"),
        ("resolved_at", resolve_duration(), 60.0, "resolve_hours"),
    ):
        done = alerts.filter(**{f"{name}__isnull": False}).annotate(week=week_of("created_at"))
        for team_id, week, values in percentiles(done, duration, ("care_team_id", "week")):
            setattr(rows[(team_id, week)], target, [v / scale for v in values])


def _ack_by_week(alerts: QuerySet[Alert], week_of: WeekOf) -> dict[dt.date, list[float]]:
    done = alerts.filter(acknowledged_at__isnull=False).annotate(week=week_of("created_at"))
    return {week: values for week, values in percentiles(done, ack_duration(), ("week",))}


def _resolve_overall(alerts: QuerySet[Alert]) -> list[float]:
    done = alerts.filter(resolved_at__isnull=False).annotate(everything=Value(1))
    found = percentiles(done, resolve_duration(), ("everything",))
    return [value / 60 for value in found[0][1]] if found else []


def _response_by_level(alerts: QuerySet[Alert]) -> dict[str, dict[str, Any]]:
    from django.conf import settings

    targets = settings.IMMUNOWATCH_ALERT_TARGET_MINUTES
    now = timezone.now()
    late = Q(acknowledged_at__gt=F("due_at")) | Q(acknowledged_at__isnull=True, due_at__lt=now)
    counts = {
        row["level"]: row
        for row in alerts.order_by()
        .values("level")
        .annotate(
            n=Count("id"),
            acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
            overdue=Count("id", filter=late),
        )
    }
    done = alerts.filter(acknowledged_at__isnull=False)
    times = {level: values for level, values in percentiles(done, ack_duration(), ("level",))}
    response = {}
    for level in LEVELS:
        row = counts.get(level, {"n": 0, "acknowledged": 0, "overdue": 0})
        median, p90 = (times.get(level) or [None, None])[:2]
        response[level] = {
            "alerts": row["n"],
            "acknowledged": row["acknowledged"],
            "overdue": row["overdue"],
            "median": median,
            "p90": p90,
            "target": targets[level],
        }
    return response


def _joined(scope: _Scope) -> None:
    """Reports that joined an alert already open (its "new report" events)."""
    events = AlertEvent.objects.filter(kind=AlertEvent.Kind.NEW_REPORT)
    grouped = scope.by_week(events, when="created_at", team="alert__care_team_id").annotate(
        n=Count("id")
    )
    for row in grouped:
        scope.rows[(row["team"], row["week"])].joined_reports = row["n"]


def _notifications(scope: _Scope) -> None:
    sent, failed = Notification.Status.SENT, Notification.Status.FAILED
    grouped = scope.by_week(
        Notification.objects.all(), when="created_at", team="care_team_id", by=("channel",)
    ).annotate(
        sent=Count("id", filter=Q(status=sent)),
        failed=Count("id", filter=Q(status=failed)),
        retried=Count("id", filter=Q(attempts__gt=1)),
        reminders=Count("id", filter=Q(purpose=Notification.Purpose.REMINDER)),
    )
    for row in grouped:
        week = scope.rows[(row["team"], row["week"])]
        week.notifications[row["channel"]] = {
            key: row[key] for key in ("sent", "failed", "retried")
        }
        week.reminders += row["reminders"]


def _checkin_calls(scope: _Scope) -> None:
    """Calls the nurses recorded about missed check-ins (whatever came of them)."""
    grouped = scope.by_week(
        CheckinCall.objects.all(), when="called_at", team="patient__care_team_id"
    ).annotate(n=Count("id"))
    for row in grouped:
        scope.rows[(row["team"], row["week"])].checkin_calls = row["n"]


def _grade_3_4(
    rows: dict[tuple[int, dt.date], TeamWeek], entries: QuerySet[SymptomEntry], week_of: WeekOf
) -> None:
    grouped = (
        entries.filter(grade__gte=3)
        .annotate(week=week_of("report__submitted_at"), team=F("report__patient__care_team_id"))
        .order_by()
        .values("team", "week")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        rows[(row["team"], row["week"])].grade_3_4 = row["n"]


def _outcomes(ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Outcomes of the alerts resolved in the period."""
    grouped = (
        Alert.objects.filter(care_team_id__in=ids, resolved_at__gte=start, resolved_at__lt=end)
        .order_by()
        .values("outcome")
        .annotate(n=Count("id"))
    )
    return {row["outcome"] or "none": row["n"] for row in grouped}


def _suspected(entries: QuerySet[SymptomEntry]) -> QuerySet[SymptomEntry]:
    """Symptoms the engine flagged as a possible irAE (monitor level and above)."""
    return entries.exclude(irae="").exclude(level="routine")


def _regimen_text(regimen: Any) -> str:
    drugs = regimen if isinstance(regimen, list) else []
    return " + ".join(str(drug) for drug in drugs) or "—"


def treatment_week_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high - 1}"


def _treatment_weeks() -> Case:
    """Which TREATMENT_WEEKS bucket the report falls in, from the patient's treatment start."""
    start = F("report__patient__treatment_start_date")
    whens = [
        When(
            report__submitted_at__date__lt=start + dt.timedelta(weeks=high),
            then=Value(treatment_week_label(low, high)),
        )
        for low, high in TREATMENT_WEEKS
        if high is not None
    ]
    return Case(
        When(report__patient__treatment_start_date__isnull=True, then=Value("unknown")),
        When(report__submitted_at__date__lt=start, then=Value("before")),
        *whens,
        default=Value(treatment_week_label(*TREATMENT_WEEKS[-1])),
        output_field=CharField(),
    )


def _suspected_irae(entries: QuerySet[SymptomEntry]) -> dict[str, dict[tuple[str, str], int]]:
    """Suspected irAEs by regimen and by weeks since the treatment start: one query grouped
    by both, added up each way."""
    grouped = (
        _suspected(entries)
        .annotate(weeks=_treatment_weeks())
        .order_by()
        .values("report__regimen", "weeks", "irae")
        .annotate(n=Count("id"))
    )
    by_regimen: dict[tuple[str, str], int] = defaultdict(int)
    by_weeks: dict[tuple[str, str], int] = defaultdict(int)
    for row in grouped:
        by_regimen[(_regimen_text(row["report__regimen"]), row["irae"])] += row["n"]
        by_weeks[(row["weeks"], row["irae"])] += row["n"]
    return {"irae_by_regimen": dict(by_regimen), "irae_by_treatment_week": dict(by_weeks)}


def _grade_3_4_by_irae(entries: QuerySet[SymptomEntry]) -> dict[str, int]:
    grouped = entries.filter(grade__gte=3).order_by().values("code").annotate(n=Count("id"))
    return {row["code"]: row["n"] for row in grouped}
