"""One normalised view of a raw text for every finder, with offsets mapped back to the raw text.

Text may come in composed (NFC, "ë" one character) or decomposed Unicode (NFD, "e" plus a
combining diaeresis), and may hold invisible format characters (a soft hyphen or a zero-width
joiner inside a name, bidirectional marks). The finders (mention tagger, quotation scanner,
sentence splitter, time-phrase finder) search :attr:`TextView.text`, the text in NFC with the
invisible characters below removed, and map what they find back with :meth:`TextView.raw_span`:
offsets always point into the raw text as stored, which is never rewritten.

Normalisation is done cluster by cluster (a base character and the marks that follow it), so a
span found in the view maps to whole clusters of the raw text: ``raw[start:end]`` of a mention
of "Oekraïne" in NFD text is "Oekrai" + U+0308 + "ne". Linear in the length of the text; a text
that is already NFC and has no invisible characters (the usual case) costs two scans in C.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["IGNORABLE", "TextView", "is_printable", "text_view"]

# Invisible format characters the view drops: soft hyphen, Arabic letter mark, zero-width
# non-joiner and joiner, left-to-right and right-to-left marks, bidirectional embeddings,
# overrides and isolates, word joiner and invisible operators, zero-width no-break space (BOM).
# Not the zero-width space U+200B: it separates words, so it stays (a word boundary).
IGNORABLE = frozenset(
    "\u00ad\u061c\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_IGNORABLE = re.compile("[" + "".join(sorted(IGNORABLE)) + "]+")
_IGNORABLE_CHARS = "".join(sorted(IGNORABLE))


def is_printable(text: str) -> bool:
    """Whether every character of ``text`` but its line feeds is printable (``str.isprintable``:
    no control, format, private-use or unassigned character, no separator but the space)."""
    return text.replace("\n", " ").isprintable()


def _has_ignorable(text: str, printable: bool | None = None) -> bool:
    """Whether ``text`` holds an :data:`IGNORABLE` character; ``printable``: what
    :func:`is_printable` says of it, if known."""
    # Each is a format character, which str.isprintable refuses: a printable text (one scan
    # in C) holds none. Else twenty-one substring searches, several times faster than one
    # regex character class over a text that is not Latin-1.
    if printable if printable is not None else is_printable(text):
        return False
    return any(ch in text for ch in _IGNORABLE_CHARS)


# Stretches of non-ASCII characters, with the short runs of printable ASCII between them.
_STRETCH = re.compile(r"[^\x00-\x7f]+(?:[ -~]{1,32}+[^\x00-\x7f]+)*")
# At most this many characters that do not start a cluster are normalised together; a longer
# run (hundreds of stacked accents, "Zalgo" text) is cut into clusters of this size, as the
# Stream-Safe Text Format of UAX #15 does (CPython's normalisation is quadratic in such runs).
STREAM_SAFE_MARKS = 30
_PIECE = 64

# Starters (combining class 0) that compose with the character before them under NFC: Hangul
# vowel and trailing consonant jamo, and vowel signs of Indic and other scripts. A cluster
# never starts at one of them. tests/test_textview.py checks this against unicodedata.
COMPOSING_STARTERS = frozenset(
    "\u09be\u09d7\u0b3e\u0b56\u0b57\u0bbe\u0bd7\u0cc2\u0cd5\u0cd6\u0d3e\u0d57\u0dcf\u0ddf"
    "\u102e\u1b35\U00011127\U0001133e\U00011357\U000114b0\U000114ba\U000114bd\U000115af"
    "\U00011930"
    + "".join(chr(c) for c in range(0x1161, 0x1176))  # Hangul vowel jamo
    + "".join(chr(c) for c in range(0x11A8, 0x11C3))  # Hangul trailing consonant jamo
)
_START, _JOIN, _DROP = 0, 1, 2
_KIND: dict[str, int] = dict.fromkeys(IGNORABLE, _DROP)


def _kind(ch: str) -> int:
    """Whether ``ch`` starts a normalisation cluster (its canonical decomposition starts with
    a starter that never composes with the character before it, so nothing before ``ch`` can
    reorder past it or compose with it), joins the cluster before it, or is dropped."""
    known = _KIND.get(ch)
    if known is None:
        first = unicodedata.normalize("NFD", ch)[0]
        starts = unicodedata.combining(first) == 0 and first not in COMPOSING_STARTERS
        known = _KIND[ch] = _START if starts else _JOIN
    return known


@dataclass(frozen=True)
class TextView:
    """A raw text in NFC without invisible format characters, and the way back to the raw.

    ``pieces`` lists, in order, where view and raw differ: ``(view_start, view_end, raw_start,
    raw_end)`` for a cluster that normalisation changed (or a run of dropped characters, then
    ``view_start == view_end``). Between pieces the two texts are equal and shifted.
    """

    raw: str
    text: str
    pieces: tuple[tuple[int, int, int, int], ...] = ()
    starts: tuple[int, ...] = ()  # the view_start of each piece, for bisection

    @property
    def is_raw(self) -> bool:
        """True when the view is the raw text itself (offsets need no mapping)."""
        return not self.pieces

    def raw_start(self, i: int) -> int:
        """The raw offset where a span starting at view offset ``i`` starts (a start inside a
        changed cluster moves to the cluster's start; dropped characters before it are left
        out)."""
        if not self.pieces:
            return i
        at = bisect.bisect_right(self.starts, i) - 1
        if at < 0:
            return i
        _, v_end, r_start, r_end = self.pieces[at]
        return r_start if i < v_end else r_end + (i - v_end)

    def raw_end(self, i: int) -> int:
        """The raw offset where a span ending at view offset ``i`` ends (an end inside a changed
        cluster moves to the cluster's end; dropped characters after it are left out)."""
        if not self.pieces:
            return i
        at = bisect.bisect_left(self.starts, i) - 1
        if at < 0:
            return i
        _, v_end, _, r_end = self.pieces[at]
        return r_end if i <= v_end else r_end + (i - v_end)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw offsets of the view span ``text[start:end]``."""
        if not self.pieces:
            return start, end
        raw_start = self.raw_start(start)
        return raw_start, max(raw_start, self.raw_end(end))


class _Builder:
    """Builds a :class:`TextView` region by region, keeping ``shift`` = raw offset - view
    offset after what has been built so far."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.parts: list[str] = []
        self.pieces: list[tuple[int, int, int, int]] = []
        self.shift = 0
        self.done = 0  # raw text before this offset is in ``parts``

    def drop(self, start: int, end: int) -> None:
        """Record ``raw[start:end]`` (invisible characters) as dropped."""
        at = start - self.shift
        self.pieces.append((at, at, start, end))
        self.shift += end - start

    def cluster(self, start: int, end: int, plain: str) -> None:
        """Add the cluster ``raw[start:end]`` whose kept characters are ``plain``."""
        text = unicodedata.normalize("NFC", plain)
        if end - start != len(text) or text != self.raw[start:end]:
            at = start - self.shift
            self.pieces.append((at, at + len(text), start, end))
            self.shift += (end - start) - len(text)
        self.parts.append(text)

    def drop_only(self, begin: int, end: int) -> None:
        """Add ``raw[begin:end]`` (which starts and ends at cluster boundaries) without its
        invisible characters: for a stretch that is NFC with and without them."""
        raw = self.raw
        self.parts.append(raw[self.done : begin])
        kept = begin
        for run in _IGNORABLE.finditer(raw, begin, end):
            self.parts.append(raw[kept : run.start()])
            self.drop(run.start(), run.end())
            kept = run.end()
        self.parts.append(raw[kept:end])
        self.done = end

    def region(self, begin: int, end: int) -> None:
        """Normalise ``raw[begin:end]`` (which starts and ends at cluster boundaries) cluster
        by cluster; the raw text before it is kept as it is."""
        raw = self.raw
        self.parts.append(raw[self.done : begin])
        kinds = _KIND
        c_start = c_end = gap = begin  # current cluster; dropped characters start at gap
        marks = 0  # characters in the cluster that do not start one
        hidden = False  # whether the cluster holds dropped characters
        for i in range(begin, end):
            ch = raw[i]
            kind = kinds.get(ch)
            if kind is None:
                kind = _kind(ch)
            if kind == _DROP:
                hidden = hidden or c_end > c_start
                continue
            if kind == _START or c_end == c_start or marks >= STREAM_SAFE_MARKS:
                if c_end > c_start:
                    self._flush(gap, c_start, c_end, hidden)
                    gap = c_end
                c_start, marks, hidden = i, 0, False
            else:
                marks += 1
            c_end = i + 1
        if c_end > c_start:
            self._flush(gap, c_start, c_end, hidden)
            gap = c_end
        if gap < end:
            self.drop(gap, end)
        self.done = end

    def _flush(self, gap: int, start: int, end: int, hidden: bool) -> None:
        if gap < start:
            self.drop(gap, start)
        chunk = self.raw[start:end]
        if hidden:
            chunk = "".join(ch for ch in chunk if ch not in IGNORABLE)
        self.cluster(start, end, chunk)

    def view(self) -> TextView:
        self.parts.append(self.raw[self.done :])
        pieces = tuple(self.pieces)
        return TextView(self.raw, "".join(self.parts), pieces, tuple(p[0] for p in pieces))


def text_view(raw: str, printable: bool | None = None) -> TextView:
    """The NFC view of ``raw`` without invisible format characters (see the module docstring).
    ``printable``: what :func:`is_printable` says of ``raw``, when the caller has asked.

    Linear in ``len(raw)``: only stretches of non-ASCII characters (with the ASCII character
    just before each, which a combining mark may belong to) are looked at, in pieces of about
    64 characters, and only the pieces that change are normalised, cluster by cluster.
    """
    if unicodedata.is_normalized("NFC", raw) and not _has_ignorable(raw, printable):
        return TextView(raw, raw)
    builder = _Builder(raw)
    for match in _STRETCH.finditer(raw):
        begin, end = match.span()
        if begin > builder.done and raw[begin - 1] > " " and raw[begin - 1] != "\x7f":
            begin -= 1  # an ASCII letter or sign a combining mark may belong to
        # Cut the stretch into pieces of about _PIECE characters that start at a cluster
        # start; only the pieces that change are normalised character by character.
        while begin < end:
            cut = min(begin + _PIECE, end)
            while cut < end and _kind(raw[cut]) != _START:
                run = _IGNORABLE.match(raw, cut, end)  # a run of invisible characters at once
                cut = run.end() if run else cut + 1
            chunk = raw[begin:cut]
            if not unicodedata.is_normalized("NFC", chunk):
                builder.region(begin, cut)
            elif _has_ignorable(chunk):
                kept = _IGNORABLE.sub("", chunk)  # may compose: e + ZWJ + U+0301
                if unicodedata.is_normalized("NFC", kept):
                    builder.drop_only(begin, cut)
                else:
                    builder.region(begin, cut)
            begin = cut
    return builder.view()
