"""Reading a page as a person does: the text of one element, found by its id."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _ElementText(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id = element_id
        self.depth = 0  # > 0 inside the element
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif not self.found and dict(attrs).get("id") == self.element_id:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def element_text(page: Any, element_id: str) -> str:
    """The text inside the element `id=element_id` of a response (or HTML string), whitespace
    squeezed. Fails the test when there is no such element."""
    body = page if isinstance(page, str) else page.content.decode()
    parser = _ElementText(element_id)
    parser.feed(body)
    assert parser.found, f"no element with id {element_id!r}"
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()
