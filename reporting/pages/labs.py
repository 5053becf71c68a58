"""Lab results as nurses read them: a panel's rows (value, against the ULN or the patient's
baseline, grade, level, irAE), and a patient's lab record (a table, newest first, and trend
charts of ALT, AST, bilirubin, platelets and ALBI).

Families never see these: their pages only say that a nurse reviewed the blood tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from reporting.guidance import category_label
from reporting.lab_charts import TrendChart, TrendPoint, trend_chart
from reporting.models import LabPanel, LabResult, Level
from reporting.selectors.reports import reason_texts
from reporting.triage import LAB_CATALOGUE

CHARTED = ("alt", "ast", "bilirubin", "platelets")
ALBI_LIMITS = (("ALBI 1 | 2", -2.60), ("ALBI 2 | 3", -1.39))


def short_label(code: str) -> str:
    test = LAB_CATALOGUE.get(code)
    return _(test.short_label) if test is not None else code


def test_label(code: str) -> str:
    test = LAB_CATALOGUE.get(code)
    return _(test.label) if test is not None else code


def _number(text: str) -> str:
    """A stored value ("2.10") in the reader's number format ("2,10"), digits as typed."""
    return text.replace(".", ",") if str(number_format(1.5, 1)) == "1,5" else text


@dataclass(frozen=True, slots=True)
class LabRow:
    result: LabResult
    label: str
    value: str
    against: str  # "2.5 x ULN", "3.1 x baseline (60)", or ""
    level_label: str
    irae_label: Promise | str

    @property
    def abnormal(self) -> bool:
        return self.result.level != Level.ROUTINE or bool(self.result.grade)


def lab_row(result: LabResult) -> LabRow:
    if result.ratio_to == "baseline":
        against = _("%(ratio)s x baseline (%(baseline)s)") % {
            "ratio": _number(result.ratio),
            "baseline": _number(result.baseline),
        }
    elif result.ratio_to == "uln":
        against = _("%(ratio)s x ULN") % {"ratio": _number(result.ratio)}
    else:
        against = ""
    return LabRow(
        result=result,
        label=short_label(result.test),
        value=f"{_number(result.value)} {result.unit}",
        against=against,
        level_label=str(Level(result.level).label),
        irae_label=category_label(result.irae) if result.irae else "",
    )


@dataclass(frozen=True, slots=True)
class PanelView:
    panel: LabPanel
    rows: list[LabRow]
    reasons: list[str]
    albi: dict[str, object] | None
    cycle: str = ""  # "cycle 3, day 12" when infusions are recorded
    kind: str = "lab_panel"

    @property
    def abnormal_rows(self) -> list[LabRow]:
        return [row for row in self.rows if row.abnormal]

    def guidance_entries(self) -> list[tuple[str, int | None]]:
        """(irAE category, grade) of the graded results the engine flagged."""
        return [
            (row.result.irae, row.result.grade)
            for row in self.rows
            if row.result.irae and row.result.grade is not None
        ]


def panel_view(panel: LabPanel) -> PanelView:
    """A panel with its results (prefetched by the caller) and its reasons, translated."""
    rows = [lab_row(result) for result in panel.results.all()]
    albi = panel.scores.get("albi") if isinstance(panel.scores, dict) else None
    return PanelView(panel=panel, rows=rows, reasons=reason_texts(panel, _), albi=albi)


# --- a patient's lab record ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabRecord:
    panels: list[PanelView]
    charts: list[TrendChart]

    @property
    def is_empty(self) -> bool:
        return not self.panels


def _canonical(result: LabResult, text: str, unit: str | None = None) -> float | None:
    """`text` (a value or limit of `result`, in `unit`: the result's own by default) in the
    test's canonical unit, for plotting."""
    test = LAB_CATALOGUE.get(result.test)
    unit = unit or result.unit
    if test is None or not text or unit not in test.unit_codes:
        return None
    factor = test.unit(unit).factor
    if factor is None:
        return None
    try:
        return float(Fraction(text.replace(",", ".")) * factor)
    except ValueError:
        return None


def _trend(code: str, results: Iterable[LabResult]) -> TrendChart:
    test = LAB_CATALOGUE[code]
    points = []
    for result in results:
        value = _canonical(result, result.value)
        if value is None:
            continue
        baseline = _canonical(result, result.baseline, result.baseline_unit or None)
        points.append(
            TrendPoint(
                when=timezone.localtime(result.collected_at),
                value=value,
                uln=_canonical(result, result.uln),
                lln=_canonical(result, result.lln),
                baseline=baseline,
            )
        )
    return trend_chart(code, test_label(code), test.canonical_unit, points)


def _albi_trend(panels: Sequence[LabPanel]) -> TrendChart:
    points = [
        TrendPoint(when=timezone.localtime(panel.collected_at), value=float(albi["value"]))
        for panel in panels
        if isinstance(panel.scores, dict) and (albi := panel.scores.get("albi"))
    ]
    return trend_chart("albi", _("ALBI score"), "", points, limits=ALBI_LIMITS)


def lab_record(panels: Sequence[LabPanel]) -> LabRecord:
    """The table (newest first) and the trend charts of a patient's panels (results
    prefetched); charts leave out tests never measured."""
    views = [panel_view(panel) for panel in panels]
    results = [result for panel in panels for result in panel.results.all()]
    charts = [_trend(code, (r for r in results if r.test == code)) for code in CHARTED]
    charts.append(_albi_trend(panels))
    return LabRecord(panels=views, charts=[chart for chart in charts if not chart.is_empty])
