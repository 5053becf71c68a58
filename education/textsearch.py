"""Forgiving search text: case, Vietnamese accents and synonyms do not matter.

Pure Python, no models: the data migration that fills the search columns imports it.

A family types "tieu chay", "TIÊU CHẢY" or "di ngoai" on a phone without Vietnamese
keyboard, or "diarrhea" for the page called "Diarrhoea". ``normalise`` folds all of these to
the same plain words; ``expand_query`` turns a query into terms, each one a set of phrases
that mean the same (from the admins' synonym groups). A page matches a term when one of its
phrases appears as whole words; it matches the query when it matches every term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

Phrase = tuple[str, ...]
# One word of the query and what it may be replaced by: any one of the phrases is enough.
Term = frozenset[Phrase]

# Letters and digits, not "_": PostgreSQL's text-search parser splits at "_" too.
_WORD = re.compile(r"[^\W_]+")
# Not decomposed by NFD: the Vietnamese "đ" is a letter of its own, read as "d".
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
MAX_QUERY_TERMS = 12


def normalise(text: str) -> str:
    """``text`` case-folded, without accents or tone marks; "đ" becomes "d"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).casefold()


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order."""
    return _WORD.findall(normalise(text))


def search_text(text: str) -> str:
    """What the search columns store: the normalised words between single spaces.

    The spaces at both ends let a plain ``contains`` match whole words only:
    " sot " is in " sot cao " but not in " sota ".
    """
    found = words(text)
    return f" {' '.join(found)} " if found else ""


def phrase_pattern(phrase: Phrase) -> str:
    """The substring of a search column that holds ``phrase`` as whole words."""
    return f" {' '.join(phrase)} "


def synonym_phrases(lines: Iterable[str]) -> list[frozenset[Phrase]]:
    """Synonym groups as sets of normalised phrases; ``lines`` are the admins' groups,
    their terms separated by commas or new lines."""
    groups = []
    for group in lines:
        phrases = frozenset(tuple(words(term)) for term in re.split(r"[,\n]", group))
        phrases = frozenset(phrase for phrase in phrases if phrase)
        if len(phrases) > 1:
            groups.append(phrases)
    return groups


def expand_query(query: str, groups: Sequence[frozenset[Phrase]]) -> list[Term]:
    """The terms of ``query``: each word, or the longest run of words that a synonym group
    knows, with every phrase of the groups it belongs to."""
    tokens = words(query)
    by_phrase: dict[Phrase, set[Phrase]] = {}
    for group in groups:
        for phrase in group:
            by_phrase.setdefault(phrase, set()).update(group)
    longest = max((len(phrase) for phrase in by_phrase), default=1)
    terms: list[Term] = []
    position = 0
    while position < len(tokens):
        for size in range(min(longest, len(tokens) - position), 0, -1):
            run = tuple(tokens[position : position + size])
            if run in by_phrase or size == 1:
                terms.append(frozenset(by_phrase.get(run, {run})))
                position += size
                break
    # Duplicates would only slow the query down; order kept for readable SQL.
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
