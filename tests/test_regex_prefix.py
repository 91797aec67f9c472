"""helpers.regex_prefix: the beginnings of a pattern, and a scan that tries each pattern only
where it can begin yet finds exactly what each pattern's own finditer finds."""

from __future__ import annotations

import itertools
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.regex_prefix import (
    FOLDS_TO_ASCII,
    WORD_START,
    PrefixIndex,
    beginnings,
    beginnings_regex,
)


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"ja?", 0, {"j", "ja"}),
        (r"(?<!\w)Mei\b", re.IGNORECASE, {"mei"}),
        (r"x*y", 0, {"y", "xy", "xxy", "xxxy", "xxxxy", "xxxxx"}),
        (r"[^a]b", 0, None),  # any first character: checked below
        (r"één|een", re.IGNORECASE, {"\x80\x80n", "een"}),
    ],
)
def test_beginnings(pattern, flags, expected):
    found = beginnings(pattern, flags)
    if expected is None:
        assert found is not None and "ab" in found and "\x80b" in found
    else:
        assert found == expected


def test_beginnings_read_spaces_and_digits_as_one_class_each():
    found = beginnings(r"(?:in|op)\s+[0-9]{4}", re.IGNORECASE)
    assert {"in 00", "op 00", "in  0", "in\x8000"} <= found  # \x80: any non-ASCII space
    assert {b[:2] for b in found} == {"in", "op"} and {len(b) for b in found} == {5}
    assert not any(c in b for b in found for c in "123456789\t\n")


def test_a_pattern_that_folds_to_ascii_is_tried_everywhere():
    assert beginnings("\u212aelvin", re.IGNORECASE) is None  # Kelvin sign matches "k"
    assert beginnings("[\u0100-\u0200]", re.IGNORECASE) is None  # holds "ſ", which matches "s"


def test_folds_to_ascii_is_every_non_ascii_character_that_matches_an_ascii_letter():
    found = {
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if re.fullmatch("[a-z]", chr(c), re.IGNORECASE)
    }
    assert found == FOLDS_TO_ASCII


PATTERNS = [
    r"(?<!\w)(?:(?:in|op)\s+)?(?:maart|mei)(?:\s+[0-9]{4})?(?!\w)",
    r"(?<!\w)(?:in|op)\s+[0-9]{4}(?!\w)",
    r"(?<!\w)['’]s\s+(?:avonds|nachts)",
    r"(?<!\w)(?:één|een|twee)\s+dagen",
    r"(?<!\w)m[a-z]+",  # overlaps the first pattern's matches
    r"(?<!\w)[0-9]{1,2}\s+mei",  # begins with a digit: any digit, not only "0"
    r"(?<!\w)\s*-\s*nu",  # may begin with a space
    r"(?<!\w)\u212a",  # the Kelvin sign: tried everywhere
]
WORDS = [
    "in",
    "op",
    "maart",
    "MEI",
    "Mei",
    "2022",
    "’s",
    "'s",
    "avonds",
    "één",
    "EEN",
    "twee",
    "dagen",
    "meer",
    "7 mei",
    "31\n mei",
    "0",
    " - nu",
    "-nu",
    "\u212a",
    "k",
    "ſ",
    "İ",
    "x",
    "mei2022",
]
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", ".", ",", "-", "'"]),
        st.text(max_size=3),
    ),
    max_size=30,
).map("".join)


def _own_scans(regexes, text, *window):
    found = [
        (m.start(), i, m.span())
        for i, r in enumerate(regexes)
        for m in r.finditer(text, *window)
        if m.group()
    ]
    return [(i, span) for _, i, span in sorted(found)]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_finditer_equals_every_patterns_own_scan(text):
    for patterns in (PATTERNS[:-1], PATTERNS):  # the last one makes the scan visit every position
        index = PrefixIndex(patterns, re.IGNORECASE, lead=r"(?<!\w)")
        found = [(i, m.span()) for i, m in index.finditer(text)]
        assert found == _own_scans(index.regexes, text)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, len(PATTERNS)))
def test_finditer_below_a_number_finds_the_matches_of_the_patterns_below_it(text, below):
    index = PrefixIndex(PATTERNS, re.IGNORECASE, lead=r"(?<!\w)")
    every = [(i, m.span()) for i, m in index.finditer(text)]
    found = [(i, m.span()) for i, m in index.finditer(text, below=below)]
    assert found == [(i, span) for i, span in every if i < below]


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_finditer_in_a_window_equals_every_patterns_own_scan_in_it(text, pos, endpos):
    for patterns in (PATTERNS[:-1], PATTERNS):
        index = PrefixIndex(patterns, re.IGNORECASE, lead=r"(?<!\w)")
        found = [(i, m.span()) for i, m in index.finditer(text, pos, endpos)]
        assert found == _own_scans(index.regexes, text, pos, endpos)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_possible_starts_hold_every_match_of_every_window(text, pos, endpos):
    index = PrefixIndex(PATTERNS[:-1], re.IGNORECASE, lead=r"(?<!\w)")
    possible = index.possible_starts(text)
    for i, regex in enumerate(index.regexes):
        starts = {m.start() for m in regex.finditer(text, pos, endpos) if m.group()}
        assert starts <= set(possible[i])
    assert possible == [sorted(set(p)) for p in possible]  # in order, once each


@settings(max_examples=300, deadline=None)
@given(
    st.lists(TEXTS, min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.integers(0, 40)), max_size=12),
)
def test_finditer_over_many_windows_of_a_few_texts_equals_every_patterns_own_scan(texts, windows):
    """Windows of the last text scanned are read from its starts found once (the fast
    path); the windows here tile each text like sentences, then jump between the texts."""
    one = r"(?<!\w)[x0-9]"  # matches a window's last character alone
    for patterns in ([*PATTERNS[:-1], one], [*PATTERNS, one]):
        index = PrefixIndex(patterns, re.IGNORECASE, lead=r"(?<!\w)")
        tiles = [(t, a, b) for t, text in enumerate(texts) for a, b in _tiles(text)]
        for t, pos, endpos in [*tiles, *windows]:
            text = texts[t % len(texts)]
            found = [(i, m.span()) for i, m in index.finditer(text, pos, endpos)]
            assert found == _own_scans(index.regexes, text, pos, endpos)


def _tiles(text: str) -> list[tuple[int, int]]:
    """``text`` cut after each full stop, like sentences."""
    cuts = [0, *(i + 1 for i, c in enumerate(text) if c == "."), len(text)]
    return list(itertools.pairwise(cuts))


def test_the_starts_of_the_last_text_are_found_once():
    index = PrefixIndex(PATTERNS[:-1], re.IGNORECASE, lead=r"(?<!\w)")
    text = "In mei. Op 7 mei 2022. Een. Twee dagen."
    assert [list(index.finditer(text, a, b)) for a, b in _tiles(text)]
    assert index._last[0] is text and index._last[1] is not None
    for other in ("\u212aort mei", "İn mei"):  # lowering would not stand for the text
        found = [(i, m.span()) for i, m in index.finditer(other, 1)]
        assert found == _own_scans(index.regexes, other, 1) != []
        assert index._last == (other, None)


def test_a_lead_that_reads_ahead_reads_each_window_alone():
    from helpers.regex_prefix import _reads_ahead, sre_parse

    lead = r"(?<!\w)(?!mei\s+2)"  # past a window's end, the lookahead sees nothing
    index = PrefixIndex([lead + "(?:mei|maart)"], re.IGNORECASE, lead=lead)
    text = "In mei 2022"
    assert [m.span() for _, m in index.finditer(text, 0, 6)] == [(3, 6)]
    assert [m.span() for _, m in index.finditer(text)] == []
    for lead, ahead in [("", False), (r"(?<!\w)", False), (r"(?<=a(?=b))", True), (r"\b", True)]:
        assert _reads_ahead(sre_parse.parse(lead).data) is ahead


def test_possible_starts_unknown_when_a_pattern_may_begin_anywhere():
    assert PrefixIndex(PATTERNS, re.IGNORECASE, lead=r"(?<!\w)").possible_starts("x") is None
    index = PrefixIndex(["(?<!\\w)mei"], re.IGNORECASE, lead=r"(?<!\w)")
    assert index.possible_starts("Mei, mei; kmei") == [[0, 5]]


def test_an_unreadable_pattern_is_tried_at_every_position():
    index = PrefixIndex([r"(a)\1", "b"])  # a back-reference: beginnings unknown
    assert [(i, m.group()) for i, m in index.finditer("xaa b")] == [(0, "aa"), (1, "b")]


def test_a_pattern_without_the_lead_is_refused():
    with pytest.raises(ValueError, match="does not begin with"):
        PrefixIndex(["abc"], lead=r"(?<!\w)")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?<!\w)kort", "\u212aort"),  # the Kelvin sign matches "k"
        (r"(?<!\w)sinds", "\u017finds"),  # the long s matches "s"
        (r"(?<!\w)sinds", "s\u0131nds"),  # dotless i, not the first character
        (r"(?<!\w)in\s+[0-9]{4}", "\u0130n 2022"),  # capital I with dot
    ],
)
def test_characters_that_fold_to_ascii_are_not_skipped(pattern, text):
    index = PrefixIndex([pattern, r"(?<!\w)x"], re.IGNORECASE, lead=r"(?<!\w)")
    assert [m.span() for _, m in index.finditer(text)] == [(0, len(text))]


# Patterns that may begin with an optional (or a required) preposition, read apart with skip.
SKIP = r"(?:(?:in|op|tijdens)\s+)"
SKIP_PATTERNS = [
    rf"(?<!\w){SKIP}?(?:maart|mei)(?:\s+[0-9]{{4}})?(?!\w)",
    rf"(?<!\w){SKIP}[0-9]{{4}}(?!\w)",  # the preposition required
    rf"(?<!\w){SKIP}?(?:één|een|twee)\s+dagen",  # may begin with a non-ASCII character
    rf"(?<!\w){SKIP}?\s*-\s*nu",  # may begin with a space
    r"(?<!\w)(?:de\s+)?tijdens\s+mei",  # no skip: read whole
    rf"(?<!\w){SKIP}?[\u00a0x]+y",  # may begin with a non-ASCII space
    rf"(?<!\w){SKIP}?\u212a",  # the Kelvin sign after the skip: tried everywhere after it
]
SKIP_TEXTS = st.lists(
    st.one_of(
        st.sampled_from([*WORDS, "tijdens", "TIJDENS", "\u00a0y", "x"]),
        st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", ".", ",", "-", "'"]),
        st.text(max_size=3),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(SKIP_TEXTS, st.integers(0, 40), st.integers(0, 60))
def test_finditer_with_a_skip_equals_every_patterns_own_scan(text, pos, endpos):
    for patterns in (SKIP_PATTERNS[:-1], SKIP_PATTERNS):
        index = PrefixIndex(patterns, re.IGNORECASE, lead=r"(?<!\w)", skip=SKIP)
        assert index._skip is not None
        found = [(i, m.span()) for i, m in index.finditer(text)]
        assert found == _own_scans(index.regexes, text)
        found = [(i, m.span()) for i, m in index.finditer(text, pos, endpos)]
        assert found == _own_scans(index.regexes, text, pos, endpos)


def test_a_skip_is_read_apart_from_what_follows_it():
    index = PrefixIndex(SKIP_PATTERNS[:2], re.IGNORECASE, lead=r"(?<!\w)", skip=SKIP)
    # "tijdens " is longer than the key: without the skip every pattern would be tried there
    assert index._candidates("tijde") == ((), True)
    assert index._skipped("tijdens  mei", 0, 12) == (0,)
    assert index._skipped("tijdens 2022", 0, 12) == (1,)
    assert index._skipped("tijdens de", 0, 10) == ()
    assert index._skipped("tijdensmei", 0, 10) == ()


def test_a_skip_must_end_in_white_space():
    with pytest.raises(ValueError, match="does not end in white space"):
        PrefixIndex(SKIP_PATTERNS[:1], lead=r"(?<!\w)", skip="(?:in|op)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IN\t2022", True),
        ("in 2022", True),
        ("Op", True),
        ("in de", False),
        ("o", False),  # shorter than every beginning
        ("xy\u212a", True),  # the Kelvin sign in the next five characters: maybe "k"
        ("xyzuv\u212a", False),
    ],
)
def test_beginnings_regex(text, expected):
    regex = re.compile(beginnings_regex({"in 0", "op"}))
    assert bool(regex.match(text)) is expected


def test_lowering_keeps_what_the_scan_reads_of_a_character():
    """PrefixIndex looks for beginnings in the lowered text: lowering must keep each
    character's length (unless it grows, which the scan checks), whether it is ASCII and
    whether it is a word character, except for the characters of FOLDS_TO_ASCII."""
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        assert len(lowered) >= 1
        if len(lowered) == 1 and char not in FOLDS_TO_ASCII:
            assert lowered.isascii() == char.isascii(), ascii(char)
            assert bool(word.match(lowered)) == bool(word.match(char)), ascii(char)


@pytest.mark.parametrize(
    ("text", "lowered"),
    [("In 2022 In MEI, OP 7 mei", True), ("İn mei", False), ("\u212aort mei", False)],
)
def test_the_scan_reads_the_lowered_text_when_lowering_changes_nothing_it_reads(text, lowered):
    index = PrefixIndex(PATTERNS[:-1], re.IGNORECASE, lead=r"(?<!\w)")
    in_text = [m.start() for m in index._starts.finditer(text)]
    assert list(index._positions(text, 0, len(text))) == in_text
    in_lowered = [m.start() for m in index._lowered_starts.finditer(text.lower())]
    assert (in_lowered == in_text) is lowered


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_word_starts_found_after_non_word_characters_equal_the_leads_scan(text):
    """With the lead WORD_START the starts in a lowered text are found as "offset 0, or after a
    non-word character"; that must give exactly the starts of the lead's own scan."""
    index = PrefixIndex(PATTERNS[:-1], re.IGNORECASE, lead=WORD_START)
    assert index._lowered_after_non_word is not None
    lowered = text.lower()
    expected = [m.start() for m in index._lowered_starts.finditer(lowered)]
    assert index._lowered_text_starts(lowered) == expected


def test_the_scan_reads_only_as_far_back_as_the_lead_looks():
    from helpers.regex_prefix import _look_behind

    assert _look_behind("") == 0
    assert _look_behind(r"(?<!\w)") == 1
    assert _look_behind(r"(?<![\w-]{2})(?=x)") == 2
    with pytest.raises(ValueError):
        _look_behind("a")
