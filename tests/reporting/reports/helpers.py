"""Helpers for the report tests: posting the form as a browser would."""

from __future__ import annotations

import html
import re
import uuid
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from reporting.triage import CATALOGUE


def report_url(patient_id: int, key: uuid.UUID | str | None = None) -> str:
    """The report form of one patient, as opened: each opened form has a one-time key in its
    address (without one, the page redirects to add it)."""
    return f"{reverse('report_new')}?patient={patient_id}&key={key or uuid.uuid4()}"


def answers(code: str, **fields: Any) -> dict[str, Any]:
    """Form data for one ticked symptom: {"<code>-<field>": value}."""
    assert code in CATALOGUE
    return {f"{code}-{name}": value for name, value in fields.items()}


def form_data(*ticked: str, **extra: Any) -> dict[str, Any]:
    """POST data: the ticked codes under `symptoms`, plus any other fields given."""
    data: dict[str, Any] = {"symptoms": list(ticked), "send": "1"}
    data.update(extra)
    return data


def post_report(client: Client, patient_id: int, data: dict[str, Any]) -> Any:
    """Post the form as a freshly opened page would: with a new one-time submission key
    (unless `data` carries one, as a repeat of the same page does)."""
    return client.post(report_url(patient_id), {"submission_key": str(uuid.uuid4()), **data})


def field_block(page: str, name: str) -> str:
    """The HTML crispy-forms draws for form field `name` (its label, input(s) and errors)."""
    start = page.index(f'id="div_id_{name}"')
    following = page.find('id="div_id_', start + 1)
    return page[start : following if following != -1 else len(page)]


def symptom_block(page: str, code: str) -> str:
    """The HTML of one symptom's card: its tick box, its errors and its questions."""
    start = page.index(f'id="symptom-{code}"')
    following = page.find('id="symptom-', start + 1)
    return page[start : following if following != -1 else len(page)]


def escaped(message: str) -> str:
    """`message` as Django's autoescape writes it into the page."""
    return str(escape(message))


def text_of(page: str) -> str:
    """Visible-ish text: tags dropped and whitespace squeezed, for phrase checks."""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    # "<a>1900 1234</a>." reads "1900 1234." once the tags are gone.
    return re.sub(r" ([.,:;!?])", r"\1", text)


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[dict[str, str | None]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag in ("input", "textarea", "select") and fields.get("name"):
            self.found.setdefault(str(fields["name"]), []).append({"tag": tag, **fields})


def inputs_by_name(page: str) -> dict[str, list[dict[str, str | None]]]:
    """Every input, textarea and select of the page, grouped by name, with its attributes."""
    parser = _Inputs()
    parser.feed(page)
    return parser.found
