"""Tests of helpers.textview: the NFC view every finder searches, and its map back to raw text
(issue 10 row 6)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.textview import (
    COMPOSING_STARTERS,
    IGNORABLE,
    STREAM_SAFE_MARKS,
    TextView,
    _kind,
    text_view,
)


def reference(raw: str) -> str:
    """What the view must be: NFC of the text without its invisible format characters."""
    return unicodedata.normalize("NFC", "".join(ch for ch in raw if ch not in IGNORABLE))


def test_composing_starters_are_those_of_this_python():
    """Every starter that composes with the character before it (the second half of a
    canonical pair) is in COMPOSING_STARTERS, so a cluster never starts at one."""
    seconds = set()
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = [chr(int(h, 16)) for h in decomposition.split()]
            if len(parts) == 2 and unicodedata.normalize("NFC", "".join(parts)) == chr(code):
                seconds.add(parts[1])
    hangul = [chr(c) for c in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))]
    assert unicodedata.normalize("NFC", "\u1100\u1161\u11a8") == "\uac01"  # jamo compose
    starters = {ch for ch in seconds if unicodedata.combining(ch) == 0} | set(hangul)
    assert starters <= COMPOSING_STARTERS


def test_no_canonical_pair_starts_with_ascii_white_space_or_control():
    """text_view looks at a stretch from just after ASCII white space: nothing before it can
    compose with what follows."""
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            first = int(decomposition.split()[0], 16)
            assert not (first <= 0x20 or first == 0x7F), hex(code)


def test_nfc_text_is_its_own_view():
    raw = "Oekraïne en Armenië’s premier"
    view = text_view(raw)
    assert view.is_raw and view.text is raw
    assert view.raw_span(3, 8) == (3, 8)


def test_nfd_maps_back_to_whole_clusters():
    raw = unicodedata.normalize("NFD", "De Oekraïne en Armenië’s premier")
    view = text_view(raw)
    assert view.text == "De Oekraïne en Armenië’s premier"
    for word in ("Oekraïne", "Armenië", "premier"):
        start = view.text.index(word)
        s, e = view.raw_span(start, start + len(word))
        assert raw[s:e] == unicodedata.normalize("NFD", word)
    # a span ending inside a changed cluster takes the whole cluster
    at = view.text.index("ï")
    assert raw[slice(*view.raw_span(at, at + 1))] == "i\u0308"


def test_invisible_characters_are_dropped_and_left_out_at_the_edges():
    raw = "\u200eRus\u200dland\u00ad en Oekra\u00adine\u202c."
    view = text_view(raw)
    assert view.text == "Rusland en Oekraine."
    s, e = view.raw_span(0, len("Rusland"))
    assert raw[s:e] == "Rus\u200dland"  # the joiner inside, not the marks outside
    start = view.text.index("Oekraine")
    s, e = view.raw_span(start, start + len("Oekraine"))
    assert raw[s:e] == "Oekra\u00adine"


def test_zero_width_space_stays_a_word_break():
    assert text_view("Rusland\u200bArmenië").text == "Rusland\u200bArmenië"


def test_long_runs_of_marks_are_cut_stream_safe():
    """Thousands of stacked accents (CPython's normalisation is quadratic in them) are
    normalised STREAM_SAFE_MARKS at a time; the view is still NFC piece by piece."""
    raw = "a" + "\u0301\u0323" * 5000 + " b"
    view = text_view(raw)
    assert view.text[:30] == unicodedata.normalize("NFC", raw[:31])  # a and 30 marks: ạ + 29
    assert len(view.text) == len(raw) - 1 and view.text.endswith(" b")
    assert view.raw_span(len(view.text) - 1, len(view.text)) == (len(raw) - 1, len(raw))
    assert STREAM_SAFE_MARKS == 30


ALPHABET = [
    *"ae ,.<=\t",
    "\u0301",
    "\u0308",
    "\u0323",
    "\u0338",  # "<" + U+0338 composes to "≮"
    "\u200d",
    "\u200e",
    "\u00ad",
    "\ufeff",
    "\u200b",
    "\xa0",
    "é",
    "Å",
    "\u212b",  # ANGSTROM SIGN: NFC is Å
    "\u0f73",  # a starter whose decomposition starts with non-starters
    "\u0344",
    "\u1100",
    "\u1161",
    "\u11a8",  # Hangul jamo
    "가",
    "\u0b47",
    "\u0b3e",  # Oriya vowel signs that compose
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=24).map("".join))
def test_view_is_nfc_and_maps_words_exactly(raw: str):
    view = text_view(raw)
    assert view.text == reference(raw)
    size = len(view.text)
    starts = [view.raw_start(i) for i in range(size + 1)]
    ends = [view.raw_end(i) for i in range(size + 1)]
    assert starts == sorted(starts) and ends == sorted(ends)
    assert starts[0] >= 0 and ends[-1] <= len(raw)
    for word in re.finditer(r"[^ ,.\t]+", view.text):
        at_boundaries = _kind(view.text[word.start()]) == 0 and (
            word.end() == size or _kind(view.text[word.end()]) == 0
        )
        if not at_boundaries:
            continue  # a word that starts or ends inside a cluster maps to whole clusters
        s, e = view.raw_span(word.start(), word.end())
        assert reference(raw[s:e]) == word.group()
        assert raw[s] not in IGNORABLE and raw[e - 1] not in IGNORABLE


def test_text_view_is_a_dataclass_with_the_raw_text():
    raw = "e\u0301"
    view = text_view(raw)
    assert isinstance(view, TextView) and view.raw is raw and view.pieces == ((0, 1, 0, 2),)


def test_stop21_every_ignorable_character_is_not_printable():
    """The printable test answers "no ignorable character" for a printable text: it holds
    only if str.isprintable refuses each of them (and the line feed is no ignorable)."""
    assert not any(ch.isprintable() for ch in IGNORABLE)
    assert "\n" not in IGNORABLE


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from([*ALPHABET, "\n", "\r\n", "’", "a\u0308"]), max_size=24).map("".join)
)
def test_stop21_the_printable_shortcut_finds_what_the_substring_searches_find(raw: str):
    from helpers.textview import _has_ignorable, is_printable

    plain = any(ch in raw for ch in IGNORABLE)
    assert _has_ignorable(raw) == plain
    assert _has_ignorable(raw, is_printable(raw)) == plain
    assert text_view(raw, is_printable(raw)) == text_view(raw)
