"""`python manage.py assess FILE`: JSON in, JSON out; exit 2 with reasons for bad input."""

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

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "regimen": ["atezolizumab", "bevacizumab"],
    "symptoms": [{"code": "diarrhea", "stools_over_baseline": 5}],
}
WELL: dict[str, list[dict[str, Any]]] = {"symptoms": []}
BAD = {"regimen": ["aspirin"], "symptoms": [{"code": "diarrhea", "stools_over_baseline": -1}]}


def write(tmp_path: Path, document: Any, name: str = "reports.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("assess", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_single_report(tmp_path: Path) -> None:
    out, err = run(write(tmp_path, GOOD))
    result = json.loads(out)
    assert result["level"] == "urgent"
    assert result["suspected_irae"] == ["gastrointestinal"]
    assert result["symptoms"] == [
        {
            "code": "diarrhea",
            "grade": 2,
            "level": "urgent",
            "irae": "gastrointestinal",
            "anti_vegf": False,
        }
    ]
    assert result["ruleset"] == "2026.1" and len(result["reasons"]) == 1
    assert err == ""


def test_batch_gives_a_list_in_order(tmp_path: Path) -> None:
    out, _err = run(write(tmp_path, [GOOD, WELL]))
    results = json.loads(out)
    assert [result["level"] for result in results] == ["urgent", "routine"]


def test_empty_batch(tmp_path: Path) -> None:
    out, _err = run(write(tmp_path, []))
    assert json.loads(out) == []


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(WELL)))
    out, _err = run("-")
    assert json.loads(out)["level"] == "routine"


def test_bad_item_in_a_batch_names_its_index_and_prints_no_assessment(tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("assess", write(tmp_path, [GOOD, WELL, BAD]), stdout=out)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "Report 2 is invalid" in message
    assert "Report 0" not in message and "Report 1" not in message
    assert "Unknown drug 'aspirin'" in message
    assert "Diarrhoea: 'stools_over_baseline' must be a whole number from 0 to 30" in message
    assert out.getvalue() == ""


def test_invalid_single_report(tmp_path: Path) -> None:
    message = refused(write(tmp_path, BAD))
    assert message.startswith("The report is invalid")
    assert "aspirin" in message


def test_non_object_report(tmp_path: Path) -> None:
    assert "JSON object" in refused(write(tmp_path, "report"))


def test_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"symptoms": [', encoding="utf-8")
    assert "not valid JSON" in refused(str(path))


def test_bad_json_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("not json"))
    assert "stdin is not valid JSON" in refused("-")


def test_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "absent.json")
    assert f"Cannot read {missing}" in refused(missing)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert "Cannot read" in refused(str(path))


# --- the real process: exit codes and no traceback -----------------------------------------


def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_process_exit_0_with_json_on_stdout(tmp_path: Path) -> None:
    done = manage(write(tmp_path, [GOOD]))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["level"] == "urgent"


def test_process_exit_2_without_traceback(tmp_path: Path) -> None:
    done = manage("-", stdin=json.dumps([WELL, BAD]))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Report 1 is invalid" in done.stderr and "aspirin" in done.stderr
    assert "Traceback" not in done.stderr


def test_process_missing_file_exit_2(tmp_path: Path) -> None:
    done = manage(str(tmp_path / "absent.json"))
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr and "absent.json" in done.stderr
