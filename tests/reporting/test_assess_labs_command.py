"""`python manage.py assess_labs FILE`: JSON in, JSON out; exit 2 with reasons for bad input.
Every lab vignette goes through the real command, as one batch and one by one."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reporting.triage.test_lab_vignettes import VIGNETTES, expectation

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "regimen": ["atezolizumab", "bevacizumab"],
    "results": [{"test": "alt", "value": 180, "unit": "U/L", "uln": 40}],
}
NORMAL = {"results": [{"test": "sodium", "value": 140, "unit": "mmol/L", "lln": 135}]}
BAD = {
    "regimen": ["aspirin"],
    "results": [{"test": "platelets", "value": -1, "unit": "10^9/L", "lln": 150}],
}
VALID = [v for v in VIGNETTES if not expectation(v).get("invalid")]
INVALID = [v for v in VIGNETTES if expectation(v).get("invalid")]


def write(tmp_path: Path, document: Any, name: str = "panels.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("assess_labs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("assess_labs", *args, stdout=out)
    assert caught.value.returncode == 2
    assert out.getvalue() == ""
    return str(caught.value)


def matches(output: dict[str, Any], vignette: dict[str, Any]) -> None:
    expect = expectation(vignette)
    assert list(output) == ["level", "suspected_irae", "results", "scores", "reasons", "ruleset"]
    for key in ("level", "suspected_irae", "results"):
        assert output[key] == expect[key], (vignette["name"], key)
    assert output["scores"].keys() == expect["scores"].keys(), vignette["name"]
    if "albi" in expect["scores"]:
        assert output["scores"]["albi"]["grade"] == expect["scores"]["albi"]["grade"]
        assert abs(output["scores"]["albi"]["value"] - expect["scores"]["albi"]["value"]) <= 0.005
    assert output["ruleset"] == "2026.2"
    above = [r for r in output["results"] if r["level"] != "routine"]
    assert len(output["reasons"]) >= len(above)


def test_single_panel(tmp_path: Path) -> None:
    out, err = run(write(tmp_path, GOOD))
    result = json.loads(out)
    assert result["level"] == "urgent" and result["suspected_irae"] == ["hepatic"]
    assert result["results"] == [
        {"test": "alt", "grade": 2, "level": "urgent", "irae": "hepatic", "anti_vegf": False}
    ]
    assert result["scores"] == {} and result["ruleset"] == "2026.2"
    assert len(result["reasons"]) == 1 and err == ""


def test_every_valid_vignette_as_one_batch(tmp_path: Path) -> None:
    out, _err = run(write(tmp_path, [v["input"] for v in VALID]))
    outputs = json.loads(out)
    assert len(outputs) == len(VALID) >= 40
    for output, vignette in zip(outputs, VALID, strict=True):
        matches(output, vignette)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["name"] for v in VIGNETTES])
def test_every_vignette_on_its_own(tmp_path: Path, vignette: dict[str, Any]) -> None:
    path = write(tmp_path, vignette["input"])
    if expectation(vignette).get("invalid"):
        message = refused(path)
        assert message.startswith("The panel is invalid:")
        assert "Panel 0" not in message and "  - " in message
        return
    out, _err = run(path)
    matches(json.loads(out), vignette)


def test_invalid_vignettes_in_a_batch_name_their_indices(tmp_path: Path) -> None:
    document = [GOOD, *(v["input"] for v in INVALID), NORMAL]
    message = refused(write(tmp_path, document))
    for index in range(1, len(INVALID) + 1):
        assert f"Panel {index} is invalid:" in message
    assert "Panel 0 " not in message and f"Panel {len(INVALID) + 1} " not in message


def test_messages_name_the_panel_test_field_and_drug(tmp_path: Path) -> None:
    message = refused(write(tmp_path, [GOOD, NORMAL, BAD]))
    assert "Panel 2 is invalid" in message
    assert "Unknown drug 'aspirin'" in message
    assert "Platelets (results[0]): 'value' must be a finite number, 0 or more (got -1)." in message


def test_batch_gives_a_list_in_order_and_empty_batch(tmp_path: Path) -> None:
    out, _err = run(write(tmp_path, [GOOD, NORMAL]))
    assert [result["level"] for result in json.loads(out)] == ["urgent", "routine"]
    out, _err = run(write(tmp_path, [], "empty.json"))
    assert json.loads(out) == []


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(NORMAL)))
    out, _err = run("-")
    assert json.loads(out)["level"] == "routine"


@pytest.mark.parametrize("document", ["panel", 3, None, True])
def test_non_object_panel(tmp_path: Path, document: Any) -> None:
    assert "JSON object" in refused(write(tmp_path, document))


def test_bad_json_unreadable_and_missing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [', encoding="utf-8")
    assert "not valid JSON" in refused(str(broken))
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "Cannot read" in refused(str(binary))
    missing = str(tmp_path / "absent.json")
    assert f"Cannot read {missing}" in refused(missing)
    monkeypatch.setattr(sys, "stdin", io.StringIO("not json"))
    assert "stdin is not valid JSON" in refused("-")


def test_json_nan_and_huge_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(
        '[{"results": [{"test": "alt", "value": NaN, "unit": "U/L", "uln": 40}]},'
        ' {"results": [{"test": "alt", "value": 1e400, "unit": "U/L", "uln": 40}]},'
        ' {"results": [{"test": "alt", "value": 1' + "0" * 400 + ', "unit": "U/L", "uln": 40}]}]',
        encoding="utf-8",
    )
    message = refused(str(path))
    assert "(got NaN)" in message and "(got Infinity)" in message
    assert "(got a very large number)" in message


# --- the real process: exit codes and no traceback -------------------------------------------


def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "assess_labs", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_process_runs_every_valid_vignette(tmp_path: Path) -> None:
    done = manage(write(tmp_path, [v["input"] for v in VALID]))
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)
    for output, vignette in zip(outputs, VALID, strict=True):
        matches(output, vignette)


def test_process_exit_2_on_invalid_vignettes_without_traceback() -> None:
    done = manage("-", stdin=json.dumps([NORMAL, *(v["input"] for v in INVALID)]))
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    for index in range(1, len(INVALID) + 1):
        assert f"Panel {index} is invalid:" in done.stderr


def test_process_missing_file_exit_2(tmp_path: Path) -> None:
    done = manage(str(tmp_path / "absent.json"))
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr and "absent.json" in done.stderr
