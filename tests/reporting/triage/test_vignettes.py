"""Every worked example of docs/TRIAGE-2026.1.md (vignettes.json) must come out exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reporting.triage import RULESET, TriageValidationError, assess

VIGNETTES: list[dict[str, Any]] = json.loads(
    (Path(__file__).with_name("vignettes.json")).read_text(encoding="utf-8")
)


def test_the_vignette_file_is_not_empty() -> None:
    assert len(VIGNETTES) >= 35
    assert len({vignette["name"] for vignette in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[vignette["name"] for vignette in VIGNETTES])
def test_vignette(vignette: dict[str, Any]) -> None:
    expect = vignette["expect"]
    if expect.get("invalid"):
        with pytest.raises(TriageValidationError) as caught:
            assess(vignette["input"])
        assert caught.value.errors
        return
    result = assess(vignette["input"]).to_dict()
    assert result["level"] == expect["level"]
    assert result["suspected_irae"] == expect["suspected_irae"]
    assert result["symptoms"] == expect["symptoms"]
    assert result["ruleset"] == RULESET
    # Not checked word for word, but there must be a reason for everything above routine.
    above_routine = [s for s in result["symptoms"] if s["level"] != "routine"]
    assert len(result["reasons"]) >= len(above_routine)
    assert all(isinstance(reason, str) and reason for reason in result["reasons"])
