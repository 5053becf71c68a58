"""Benchmark: triage assessments per second on one core (goal: 20,000/s), for symptom reports
and for laboratory panels.

Run from anywhere: ``.venv/bin/python bench/triage.py [--reports N] [--panels N] [--repeats R]``.
Builds a deterministic (seeded) mix of realistic reports with 0-6 symptoms drawn from the
catalogue, then times ``assess`` over the whole mix a few times. Then the same for
``assess_labs`` over seeded 8-test liver/renal panels (ALT, AST, bilirubin, ALP, albumin,
creatinine, INR, platelets) with varied values, mixed units and some abnormal baselines.
Not a test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# Runnable as a plain script: make the project root importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# bench/http.py would hide the standard library's `http` from a script run in this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from reporting.triage import CATALOGUE, DRUGS, TriageValidationError, assess, assess_labs  # noqa: E402
from reporting.triage.catalogue import WORSE_WHEN_LOWER, FieldDef, SymptomDef  # noqa: E402

GOAL_PER_SECOND = 20_000
SEED = 2026
REGIMENS: tuple[list[str] | None, ...] = (
    ["atezolizumab", "bevacizumab"],
    ["atezolizumab", "bevacizumab"],
    ["durvalumab", "tremelimumab"],
    ["nivolumab"],
    ["pembrolizumab", "lenvatinib"],
    ["sorafenib"],
    ["oxaliplatin", "fluorouracil"],
    None,
)
# Most check-ins report few symptoms; some report none at all.
SYMPTOM_COUNT_WEIGHTS = (15, 30, 25, 15, 8, 4, 3)


def _value(field: FieldDef, rng: random.Random) -> Any:
    if field.kind == "bool":
        return rng.random() < 0.3
    if field.kind == "choice":
        return rng.choice(field.choice_codes)
    if field.kind == "text":
        return "Sore mouth since yesterday, worse when eating."
    low, high = field.min_value, field.max_value
    assert low is not None and high is not None
    if field.kind == "float":
        return round(rng.uniform(36.0, 40.5), 1)
    # Realistic readings cluster at the healthy end of the range.
    step = int(rng.expovariate(1 / 4))
    if field.severity == WORSE_WHEN_LOWER:
        return max(int(low), int(high) - step)
    return min(int(high), int(low) + step)


def _entry(symptom: SymptomDef, rng: random.Random) -> dict[str, Any]:
    while True:
        entry: dict[str, Any] = {"code": symptom.code}
        for field in symptom.fields:
            if field.optional and rng.random() < 0.5:
                continue
            entry[field.name] = _value(field, rng)
        if symptom.code == "high_blood_pressure":
            entry["systolic"] = rng.randint(105, 190)
            entry["diastolic"] = rng.randint(60, entry["systolic"] - 30)
        if symptom.code == "fever":
            entry["temperature_c"] = round(rng.uniform(36.0, 40.5), 1)
        if _valid(entry):
            return entry


def _valid(entry: dict[str, Any]) -> bool:
    try:
        assess({"symptoms": [entry]})
    except TriageValidationError:  # e.g. an "at least one" group with nothing ticked
        return False
    return True


def build_reports(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    symptoms = list(CATALOGUE.values())
    reports: list[dict[str, Any]] = []
    for _ in range(count):
        size = rng.choices(range(len(SYMPTOM_COUNT_WEIGHTS)), SYMPTOM_COUNT_WEIGHTS)[0]
        chosen = rng.sample(symptoms, size)
        report: dict[str, Any] = {"symptoms": [_entry(symptom, rng) for symptom in chosen]}
        regimen = rng.choice(REGIMENS)
        if regimen is not None:
            report["regimen"] = regimen
        if chosen and rng.random() < 0.3:
            report["previous"] = {chosen[0].code: rng.randint(0, 2)}
        reports.append(report)
    return reports


def run(reports: list[dict[str, Any]], repeats: int) -> list[float]:
    """Assessments per second for each repeat over the whole mix."""
    rates: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        for report in reports:
            assess(report)
        rates.append(len(reports) / (time.perf_counter() - start))
    return rates


# --- laboratory panels ----------------------------------------------------------------------

# (test, unit, reference limit, its value, typical value as a multiple of it, log-normal
# spread, decimals): a cohort with hepatocellular carcinoma, often on a cirrhotic liver.
LIVER_RENAL_PANEL: tuple[tuple[str, str, str, float, float, float, int], ...] = (
    ("alt", "U/L", "uln", 40, 0.8, 0.6, 0),
    ("ast", "U/L", "uln", 40, 0.9, 0.5, 0),
    ("bilirubin", "umol/L", "uln", 21, 0.7, 0.5, 1),
    ("alp", "U/L", "uln", 120, 0.8, 0.4, 0),
    ("albumin", "g/L", "lln", 35, 1.1, 0.12, 0),
    ("creatinine", "umol/L", "uln", 100, 0.75, 0.25, 0),
    ("inr", "ratio", "", 1, 1.05, 0.15, 2),
    ("platelets", "10^9/L", "lln", 150, 1.3, 0.45, 0),
)
# Some laboratories report in the other units: the engine converts them exactly.
OTHER_UNITS = {"bilirubin": ("mg/dL", 17.1), "creatinine": ("mg/dL", 88.4), "albumin": ("g/dL", 10)}


def _lab_value(centre: float, spread: float, places: int, rng: random.Random) -> int | float:
    value = centre * rng.lognormvariate(0, spread)
    return round(value) if places == 0 else round(value, places)


def build_panels(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """Seeded 8-test liver/renal panels; about a third of the ULN-graded tests carry a
    baseline, half of those above the ULN (a cirrhotic or hepatitis-B liver)."""
    rng = random.Random(seed)
    panels: list[dict[str, Any]] = []
    for _ in range(count):
        results: list[dict[str, Any]] = []
        for test, unit, limit, reference, typical, spread, places in LIVER_RENAL_PANEL:
            factor = 1.0
            if test in OTHER_UNITS and rng.random() < 0.25:
                unit, factor = OTHER_UNITS[test]
            scale = reference / factor
            digits = places + (2 if factor > 1 else 0)
            result: dict[str, Any] = {"test": test, "unit": unit}
            result["value"] = _lab_value(scale * typical, spread, digits, rng)
            if limit:
                result[limit] = round(scale, digits)
            if limit == "uln" and rng.random() < 0.35:
                above = rng.random() < 0.5
                result["baseline"] = _lab_value(scale * (1.8 if above else 0.7), 0.2, digits, rng)
            results.append(result)
        panel: dict[str, Any] = {"results": results}
        regimen = rng.choice(REGIMENS)
        if regimen is not None:
            panel["regimen"] = regimen
        assess_labs(panel)  # every panel of the mix is valid
        panels.append(panel)
    return panels


def run_labs(panels: list[dict[str, Any]], repeats: int) -> tuple[list[float], list[float]]:
    """Lab panels per second for each repeat over the whole mix: by the wall clock, and by
    the process's CPU time (the figure for "one core" on a machine shared with other work)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for panel in panels:
            assess_labs(panel)
        wall.append(len(panels) / (time.perf_counter() - start))
        cpu.append(len(panels) / (time.process_time() - start_cpu))
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--panels", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    assert all(code in DRUGS for regimen in REGIMENS if regimen for code in regimen)
    reports = build_reports(args.reports)
    mean_symptoms = sum(len(report["symptoms"]) for report in reports) / len(reports)
    run(reports[:1000], 1)  # warm-up
    rates = run(reports, args.repeats)
    print(f"triage bench: {len(reports)} reports, {mean_symptoms:.2f} symptoms on average")
    print(f"best:   {max(rates):,.0f} assessments/s")
    print(f"median: {statistics.median(rates):,.0f} assessments/s")
    # The worst realistic case: every report carries six symptoms.
    heavy = [report for report in reports if len(report["symptoms"]) == 6] or reports
    heavy_rates = run(heavy * max(1, 5000 // len(heavy)), args.repeats)
    print(f"6-symptom reports only, median: {statistics.median(heavy_rates):,.0f} assessments/s")
    verdict = "meets" if statistics.median(rates) >= GOAL_PER_SECOND else "MISSES"
    print(f"goal:   {GOAL_PER_SECOND:,} assessments/s on one core ({verdict} it)")

    panels = build_panels(args.panels)
    abnormal = sum(assess_labs(panel).level.value != "routine" for panel in panels) / len(panels)
    run_labs(panels[:1000], 1)  # warm-up
    lab_rates, lab_cpu = run_labs(panels, args.repeats)
    print(f"lab bench: {len(panels)} liver/renal panels of 8 tests, {abnormal:.0%} above routine")
    print(f"best:   {max(lab_rates):,.0f} panels/s")
    print(f"median: {statistics.median(lab_rates):,.0f} panels/s")
    print(f"median per CPU second: {statistics.median(lab_cpu):,.0f} panels/s")
    verdict = "meets" if statistics.median(lab_rates) >= GOAL_PER_SECOND else "MISSES"
    print(f"goal:   {GOAL_PER_SECOND:,} panels/s on one core ({verdict} it)")


if __name__ == "__main__":
    main()
