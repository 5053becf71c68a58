"""A template's name decides how it is rendered: `*.txt` as plain text, everything else as HTML.

Plain-text e-mails (bodies and subjects) must come out literally: "O'Brien & Sons", not
"O&#x27;Brien &amp; Sons". Rather than rely on every text template remembering
`{% autoescape off %}`, settings.TEMPLATES has two engines over the same folders: the HTML
engine (first, autoescaping) never finds a `.txt` template, and the text engine (no
autoescaping) finds nothing else. A new `*.txt` e-mail template is plain text by its name alone;
an HTML page can never be rendered unescaped by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.template.loaders import app_directories, filesystem

TEXT_SUFFIX = ".txt"


class _BySuffix:
    serves_text: ClassVar[bool]

    def get_template_sources(self, template_name: str) -> Iterator[Any]:
        if template_name.endswith(TEXT_SUFFIX) is self.serves_text:
            yield from super().get_template_sources(template_name)  # type: ignore[misc]


class HtmlFilesystemLoader(_BySuffix, filesystem.Loader):
    serves_text = False


class HtmlAppDirectoriesLoader(_BySuffix, app_directories.Loader):
    serves_text = False


class TextFilesystemLoader(_BySuffix, filesystem.Loader):
    serves_text = True


class TextAppDirectoriesLoader(_BySuffix, app_directories.Loader):
    serves_text = True
