"""The quality page and its CSV, built from reporting.selectors.quality's figures.

Each section has a chart and a table with the same numbers (the table is what a screen
reader and a printout get). Totals add up the teams shown; rates divide by patient-weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from reporting.answers import symptom_label
from reporting.guidance import category_label
from reporting.models import Alert, Level, Notification
from reporting.quality_charts import Line, bar_chart, trend_chart
from reporting.selectors.quality import (
    LEVELS,
    SOURCES,
    TREATMENT_WEEKS,
    QualityFigures,
    TeamWeek,
    treatment_week_label,
)


@dataclass
class WeekTotals:
    """Every team shown, one week."""

    week: dt.date
    enrolled: int
    reporting: int
    reports: int
    missed: int
    reminders: int
    calls: int
    alerts: dict[str, int]
    sources: dict[str, int]
    snoozed: int
    joined: int
    grade_3_4: int
    ack: list[float]

    @property
    def adherence(self) -> float | None:
        return 100 * self.reporting / self.enrolled if self.enrolled else None

    @property
    def reports_per_patient_week(self) -> float | None:
        return _per(self.reports, self.enrolled)

    @property
    def alerts_total(self) -> int:
        return sum(self.alerts.values())

    @property
    def alerts_per_patient_week(self) -> float | None:
        return _per(self.alerts_total, self.enrolled)


def _ratio(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def week_totals(figures: QualityFigures) -> list[WeekTotals]:
    totals = []
    for week in figures.period.weeks:
        rows = figures.week_rows(week)
        totals.append(
            WeekTotals(
                week=week,
                enrolled=sum(r.enrolled for r in rows),
                reporting=sum(r.patients_reporting for r in rows),
                reports=sum(r.reports for r in rows),
                missed=sum(r.missed_checkins for r in rows),
                reminders=sum(r.reminders for r in rows),
                calls=sum(r.checkin_calls for r in rows),
                alerts={level: sum(r.alerts[level] for r in rows) for level in LEVELS},
                sources={s: sum(r.alerts_by_source.get(s, 0) for r in rows) for s in SOURCES},
                snoozed=sum(r.snoozed_reports for r in rows),
                joined=sum(r.joined_reports for r in rows),
                grade_3_4=sum(r.grade_3_4 for r in rows),
                ack=figures.ack_by_week.get(week, []),
            )
        )
    return totals


@dataclass
class QualityPage:
    figures: QualityFigures
    weeks: list[WeekTotals]
    patient_weeks: int
    totals: dict[str, Any]
    response: list[dict[str, Any]]
    outcomes: list[tuple[str, int]]
    delivery: list[dict[str, Any]]
    irae_by_regimen: list[tuple[str, str, int]]
    irae_by_weeks: list[tuple[str, str, int]]
    grade_3_4: list[tuple[str, int]]
    charts: dict[str, str]


def quality_page(figures: QualityFigures) -> QualityPage:
    weeks = week_totals(figures)
    patient_weeks = sum(w.enrolled for w in weeks)
    totals: dict[str, Any] = {
        "reporting": sum(w.reporting for w in weeks),
        "reports": sum(w.reports for w in weeks),
        "missed": sum(w.missed for w in weeks),
        "reminders": sum(w.reminders for w in weeks),
        "calls": sum(w.calls for w in weeks),
        "alerts": sum(w.alerts_total for w in weeks),
        "by_level": {level: sum(w.alerts[level] for w in weeks) for level in LEVELS},
        "by_source": {s: sum(w.sources[s] for w in weeks) for s in SOURCES},
        "snoozed": sum(w.snoozed for w in weeks),
        "joined": sum(w.joined for w in weeks),
        "grade_3_4": sum(w.grade_3_4 for w in weeks),
        "escalated": sum(r.escalated_alerts for r in figures.rows.values()),
        "escalations": sum(r.escalations for r in figures.rows.values()),
        "resolved": sum(r.resolved for r in figures.rows.values()),
        "resolve_hours": figures.resolve_hours,
    }
    totals["adherence"] = _ratio(totals["reporting"], patient_weeks)
    totals["reports_per_patient_week"] = _per(totals["reports"], patient_weeks)
    totals["alerts_per_patient_week"] = _per(totals["alerts"], patient_weeks)
    totals["alerting_reports"] = _ratio(
        totals["by_source"][Alert.Source.REPORT] + totals["joined"], totals["reports"]
    )
    page = QualityPage(
        figures=figures,
        weeks=weeks,
        patient_weeks=patient_weeks,
        totals=totals,
        response=_response(figures),
        outcomes=_outcomes(figures),
        delivery=_delivery(figures.rows.values()),
        irae_by_regimen=sorted(
            (
                (regimen, str(category_label(irae)), n)
                for (regimen, irae), n in figures.irae_by_regimen.items()
            ),
            key=lambda row: (row[0], -row[2], row[1]),
        ),
        irae_by_weeks=_by_treatment_weeks(figures),
        grade_3_4=sorted(
            ((symptom_label(code), n) for code, n in figures.grade_3_4_by_irae.items()),
            key=lambda row: (-row[1], row[0]),
        ),
        charts=_charts(weeks, totals),
    )
    page.charts.update(_bar_charts(page))
    return page


def _bar_charts(page: QualityPage) -> dict[str, str]:
    """The figures without a weekly trend, as bars (their tables are beside them)."""
    categories: dict[str, int] = {}
    for _regimen, category, count in page.irae_by_regimen:
        categories[category] = categories.get(category, 0) + count
    delivery = [
        (f"{row['channel']}: {label}", row[key])
        for row in page.delivery
        for key, label in (("sent", _("sent")), ("failed", _("failed")), ("retried", _("retried")))
    ]
    return {
        "outcomes": bar_chart(_("Outcomes of the alerts resolved"), page.outcomes),
        "delivery": bar_chart(_("Delivery of notifications"), delivery),
        "irae": bar_chart(
            _("Suspected immune-related adverse events"),
            sorted(categories.items(), key=lambda item: -item[1]),
        ),
    }


def _response(figures: QualityFigures) -> list[dict[str, Any]]:
    rows = []
    for level in LEVELS:
        row = dict(figures.response[level])
        row["level"], row["label"] = level, Level(level).label
        row["overdue_share"] = _ratio(row["overdue"], row["alerts"])
        row["acknowledged_share"] = _ratio(row["acknowledged"], row["alerts"])
        rows.append(row)
    return rows


def _outcomes(figures: QualityFigures) -> list[tuple[str, int]]:
    labels = dict(Alert.Outcome.choices)
    return [
        (str(labels.get(code, _("No outcome recorded"))), n)
        for code, n in sorted(figures.outcomes.items(), key=lambda item: -item[1])
    ]


def _delivery(rows: Any) -> list[dict[str, Any]]:
    channels: dict[str, dict[str, int]] = {}
    for row in rows:
        for channel, counts in row.notifications.items():
            found = channels.setdefault(channel, {"sent": 0, "failed": 0, "retried": 0})
            for key, value in counts.items():
                found[key] += value
    labels = dict(Notification.Channel.choices)
    return [
        {"channel": str(labels.get(channel, channel)), **counts}
        for channel, counts in sorted(channels.items())
    ]


def _by_treatment_weeks(figures: QualityFigures) -> list[tuple[str, str, int]]:
    order = ["before", *(treatment_week_label(low, high) for low, high in TREATMENT_WEEKS)]
    order.append("unknown")
    names = {"before": _("before the start"), "unknown": _("start not recorded")}
    rows = sorted(
        figures.irae_by_treatment_week.items(),
        key=lambda item: (order.index(item[0][0]) if item[0][0] in order else 99, -item[1]),
    )
    return [
        (names.get(bucket, _("weeks %(range)s") % {"range": bucket}), str(category_label(irae)), n)
        for (bucket, irae), n in rows
    ]


def _charts(weeks: list[WeekTotals], totals: dict[str, Any]) -> dict[str, str]:
    days = [w.week for w in weeks]
    by_level = totals["by_level"]
    return {
        "adherence": trend_chart(
            _("Patients who reported, per week"),
            days,
            [Line(_("Patients who reported"), [w.adherence for w in weeks])],
            unit=" %",
        ),
        "alerts": trend_chart(
            _("Alerts per patient-week"),
            days,
            [
                Line(Level(level).label, [_per(w.alerts[level], w.enrolled) for w in weeks])
                for level in LEVELS
            ],
        ),
        "by_level": bar_chart(
            _("Alerts by level"), [(str(Level(level).label), by_level[level]) for level in LEVELS]
        ),
        "response": trend_chart(
            _("Time to first acknowledgement, per week (minutes)"),
            days,
            [
                Line(_("Median"), [w.ack[0] if w.ack else None for w in weeks]),
                Line(_("90th percentile"), [w.ack[1] if w.ack else None for w in weeks]),
            ],
        ),
        "grade_3_4": trend_chart(
            _("Grade 3-4 symptoms, per week"),
            days,
            [Line(_("Grade 3-4 symptoms"), [float(w.grade_3_4) for w in weeks])],
        ),
    }


def _per(count: int, patients: int) -> float | None:
    return count / patients if patients else None


# --- the CSV: one row per team and week, columns named in English ---------------------------

CSV_COLUMNS = [
    "team",
    "week_start",
    "enrolled_patients",
    "patients_reporting",
    "adherence_percent",
    "reports",
    "reports_per_patient_week",
    "missed_checkins",
    "reminders_sent",
    "checkin_calls",
    "alerts",
    *(f"alerts_{level}" for level in LEVELS),
    *(f"alerts_from_{source}" for source in SOURCES),
    "alerts_per_patient_week",
    "snoozed_reports",
    "reports_joining_open_alert",
    "alerts_acknowledged",
    "ack_median_minutes",
    "ack_p90_minutes",
    "alerts_overdue",
    "alerts_escalated",
    "escalations",
    "alerts_resolved",
    "resolve_median_hours",
    "notifications_sent",
    "notifications_failed",
    "notifications_retried",
    "grade_3_4_symptoms",
]


def _number(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value:.{places}f}"


def csv_rows(figures: QualityFigures) -> list[list[str]]:
    names = {team.pk: team.name for team in figures.teams}
    lines = []
    for team in figures.teams:
        for week in figures.period.weeks:
            row: TeamWeek = figures.rows[(team.pk, week)]
            sent = sum(c["sent"] for c in row.notifications.values())
            failed = sum(c["failed"] for c in row.notifications.values())
            retried = sum(c["retried"] for c in row.notifications.values())
            lines.append(
                [
                    names[team.pk],
                    week.isoformat(),
                    str(row.enrolled),
                    str(row.patients_reporting),
                    _number(_ratio(row.patients_reporting, row.enrolled)),
                    str(row.reports),
                    _number(_per(row.reports, row.enrolled), 2),
                    str(row.missed_checkins),
                    str(row.reminders),
                    str(row.checkin_calls),
                    str(row.alerts_total),
                    *(str(row.alerts[level]) for level in LEVELS),
                    *(str(row.alerts_by_source.get(source, 0)) for source in SOURCES),
                    _number(_per(row.alerts_total, row.enrolled), 2),
                    str(row.snoozed_reports),
                    str(row.joined_reports),
                    str(row.acknowledged),
                    _number(row.ack_minutes[0] if row.ack_minutes else None),
                    _number(row.ack_minutes[1] if row.ack_minutes else None),
                    str(row.overdue),
                    str(row.escalated_alerts),
                    str(row.escalations),
                    str(row.resolved),
                    _number(row.resolve_hours[0] if row.resolve_hours else None),
                    str(sent),
                    str(failed),
                    str(retried),
                    str(row.grade_3_4),
                ]
            )
    return lines
