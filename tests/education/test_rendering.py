"""Article bodies are Markdown rendered to HTML and sanitized: nothing in them can run."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from education.models import Article
from education.rendering import render_markdown, sanitize_html
from tests.education.factories import ArticleFactory

HOSTILE_BODY = """
## Fever

<script>alert('stolen')</script>

<img src="x" onerror="alert(1)">

<p onclick="alert(2)" style="color:red">Click</p>

[plain](javascript:alert(3)) and <a href="JaVaScRiPt:alert(4)">mixed case</a>
and <a href="&#106;avascript:alert(5)">entity</a> and <a href="  javascript:alert(6)">spaces</a>

<iframe src="https://evil.example.org"></iframe>
<svg onload="alert(7)"></svg>
<form action="https://evil.example.org"><input name="x"></form>

[the team](https://example.org/team) and [fever page](/learn/fever/)
"""

# What must never reach a browser: script and frame tags, inline handlers, script URLs.
DANGEROUS = re.compile(
    r"<\s*(script|iframe|svg|img|form|input|style|object|embed)\b|\son\w+\s*=|javascript:|style=",
    re.IGNORECASE,
)


def test_hostile_markdown_renders_inert() -> None:
    html = render_markdown(HOSTILE_BODY)
    assert DANGEROUS.search(html) is None, html
    assert "alert(" not in html  # script contents are dropped, not shown as text
    assert "<h2>Fever</h2>" in html
    assert "<p>Click</p>" in html


def test_links_keep_safe_targets_and_get_noopener() -> None:
    html = render_markdown(HOSTILE_BODY)
    assert '<a href="https://example.org/team" rel="noopener noreferrer">the team</a>' in html
    assert '<a href="/learn/fever/" rel="noopener noreferrer">fever page</a>' in html
    # The script links stay as text, without a target.
    assert re.search(r'<a rel="noopener noreferrer">plain</a>', html)
    assert all('rel="noopener noreferrer"' in tag for tag in re.findall(r"<a\b[^>]*>", html))


def test_heading_one_becomes_heading_two_because_the_title_is_the_page_h1() -> None:
    assert render_markdown("# Call now") == "<h2>Call now</h2>"


def test_sanitizing_its_own_output_changes_nothing() -> None:
    html = render_markdown(HOSTILE_BODY)
    assert sanitize_html(html) == html


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' :ajvscriptonerolhf()[]#&;x\n")), max_size=80))
def test_no_markdown_can_produce_a_handler_or_script(text: str) -> None:
    html = render_markdown(text)
    assert re.search(r"<\s*script|\son\w+\s*=|javascript:", html, re.IGNORECASE) is None


@pytest.mark.django_db
def test_saving_stores_the_sanitized_html() -> None:
    article = ArticleFactory.create(body=HOSTILE_BODY)
    article.refresh_from_db()
    assert article.body_html == render_markdown(HOSTILE_BODY)
    assert DANGEROUS.search(article.body_html) is None


@pytest.mark.django_db
def test_html_written_around_save_is_sanitized_again_on_display(client: Any) -> None:
    article = ArticleFactory.create(slug="tampered", body="Safe words.")
    # A row changed without save() (bulk update, SQL console): the page still renders inert.
    Article.objects.filter(pk=article.pk).update(
        body_html='<p>Safe words.</p><script>alert(1)</script><a href="javascript:x()">x</a>'
    )
    response = client.get("/learn/tampered/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Safe words." in body
    assert "alert(1)" not in body
    assert "javascript:x()" not in body
