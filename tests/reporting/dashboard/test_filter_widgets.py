"""The queue's filter selects (QuickSelect) are drawn without Django's widget templates, and
are the markup those templates draw."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.translation import gettext_lazy, override

from reporting.dashboard_forms import LEVEL_CHOICES, STATUS_CHOICES, QuickSelect

CHOICES: list[Any] = [
    ("", 'All <levels> & "more"'),
    ("a", gettext_lazy("New")),
    ("Group", [("b", "Bee"), ("c", "Sea")]),
    (4, "Four"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 4, "4", "unknown", ["a"]])
@pytest.mark.parametrize("choices", [CHOICES, STATUS_CHOICES, LEVEL_CHOICES])
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_quick_select_is_djangos_select(value: Any, choices: Any, language: str) -> None:
    attrs = {"class": "form-select", "data-x": 'q"uote', "disabled": True, "hidden": False}
    with override(language):
        ours = QuickSelect(attrs=attrs, choices=choices).render("level", value, {"id": "id_x"})
        djangos = forms.Select(attrs=attrs, choices=choices).render("level", value, {"id": "id_x"})
    assert parse_html(ours) == parse_html(djangos)
    if choices is CHOICES:
        assert "&lt;levels&gt; &amp; &quot;more&quot;" in ours  # escaped, as the template does


def test_the_queue_page_draws_its_filters_with_the_choice_made(nurse_client: Any) -> None:
    page = nurse_client.get("/triage/", {"status": "resolved", "level": "urgent"}).content.decode()
    assert '<option value="resolved" selected>' in page
    assert '<option value="urgent" selected>' in page
    assert '<select name="status" class="form-select" id="id_status">' in page
