"""Article bodies: Markdown in, sanitized HTML out.

Admins write Markdown; families read it. Anything an admin (or a compromised admin account)
types must not run in a family's browser, so the HTML from Markdown always goes through nh3,
a strict allow-list sanitizer: no scripts, no event handlers, no ``javascript:`` links.
Keep this module free of Django models: the starter-content data migration imports it.
"""

from __future__ import annotations

import re

import markdown
import nh3

# What plain-language health pages need, and nothing that can run or load from elsewhere
# (no img/iframe: an external image would tell a third party who reads which page).
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Relative links (other /learn/ pages) pass; tel: lets a family tap a number to call it.
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer"

_MARKDOWN_EXTENSIONS = ["sane_lists", "tables"]
# The page title is the only <h1>: "# Heading" in a body becomes <h2>. Done before
# sanitizing, so this pattern never decides what is safe.
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


def sanitize_html(html: str) -> str:
    """Strip everything outside the allow-list; safe to apply again to its own output."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """The sanitized HTML of a Markdown ``text``."""
    html = markdown.markdown(text, extensions=_MARKDOWN_EXTENSIONS)
    return sanitize_html(_H1.sub(r"<\1h2", html))
