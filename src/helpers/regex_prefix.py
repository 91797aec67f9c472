"""What a regular expression's matches can begin with, to try many patterns only there.

Running twenty patterns over a text one after another makes the regular-expression engine try
each of them at every position. :class:`PrefixIndex` reads each pattern's syntax once and
records which beginnings (up to five characters, case-folded; every digit read as one, every
space as one, every non-ASCII character as one) a match can have; a scan then visits the
positions where some pattern can begin and tries only those patterns there. A position
followed by one of the four non-ASCII characters that match an ASCII letter when case is
ignored (e.g. the Kelvin sign matches "k") gets every pattern, so the index never skips a
match; it only saves the attempts that cannot succeed.

Example
-------
>>> index = PrefixIndex(["(?<!\\\\w)jan(?:uari)?", "(?<!\\\\w)[0-9]{4}"], re.IGNORECASE)
>>> [(i, m.span()) for i, m in index.finditer("In Jan 2022")]
[(0, (3, 6)), (1, (7, 11))]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence

try:  # Python 3.11+: the parser is re._parser (sre_parse is its deprecated alias)
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

WORD_START = r"(?<!\w)"  # the lead of patterns that begin a word (read faster, see PrefixIndex)
DEPTH = 5  # characters of beginning recorded per pattern (fewer where they would be too many)
LIMIT = 4096  # beginnings per pattern at most
_OTHER = "\x80"  # stands for any non-ASCII character
# a key is read case-folded, with every ASCII digit as "0" and every ASCII space as " ": this
# only widens what a key can begin (never skips a match) and keeps the tables small
_SPACES = " \t\n\r\f\v\x1c\x1d\x1e\x1f"
_FOLD = str.maketrans({**{d: "0" for d in "0123456789"}, **{w: " " for w in _SPACES}})
_ASCII = frozenset(chr(c).lower().translate(_FOLD) for c in range(128))
_ANY = _ASCII | {_OTHER}
_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: frozenset("0") | {_OTHER},
    sre_constants.CATEGORY_SPACE: frozenset(" ") | {_OTHER},
    sre_constants.CATEGORY_WORD: frozenset(
        c.lower().translate(_FOLD) for c in map(chr, range(128)) if c.isalnum() or c == "_"
    )
    | {_OTHER},
}
# the non-ASCII characters that match an ASCII letter when case is ignored (re.IGNORECASE)
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")  # İ ı ſ K (Kelvin sign)
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_REPEATS |= {getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


class _Unknown(Exception):
    """A construct this analysis does not read: the pattern is tried everywhere."""


class _TooMany(Exception):
    """More than LIMIT beginnings at this depth: read fewer characters."""


def _char(code: int) -> frozenset[str]:
    """The case-folded beginnings a literal character can match."""
    char = chr(code)
    if char in FOLDS_TO_ASCII:
        raise _Unknown(char)
    return frozenset({char.lower().translate(_FOLD) if char.isascii() else _OTHER})


def _charset(items: list) -> frozenset[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.NEGATE:
            return _ANY
        if op is sre_constants.LITERAL:
            chars |= _char(av)
        elif op is sre_constants.RANGE:
            low, high = av
            if any(low <= ord(c) <= high for c in FOLDS_TO_ASCII):
                raise _Unknown(av)
            chars |= {chr(c).lower().translate(_FOLD) for c in range(low, min(high, 127) + 1)}
            if high > 127:
                chars.add(_OTHER)
        elif op is sre_constants.CATEGORY and av in _CATEGORIES:
            chars |= _CATEGORIES[av]
        else:
            return _ANY
    return frozenset(chars)


def _concat(heads: set[str], tails: set[str], depth: int) -> set[str]:
    """Each head (shorter than depth: the match may go on) followed by each tail, cut at depth."""
    out = {h for h in heads if len(h) >= depth}
    for head in heads - out:
        out |= {(head + t)[:depth] for t in tails}
        if len(out) > LIMIT:
            raise _TooMany
    return out


def _repeat(low: int, high: int, body: list, depth: int) -> set[str]:
    once = _sequence(body, depth)
    found: set[str] = set()
    current = {""}
    for count in range(min(high, low + depth + 1) + 1):
        if count >= low:
            found |= current
        if all(len(s) >= depth for s in current):
            break
        current = _concat(current, once, depth)
    return found


def _item(op, av, depth: int) -> set[str]:
    if op is sre_constants.LITERAL:
        return set(_char(av))
    if op is sre_constants.IN:
        return set(_charset(av))
    if op in (sre_constants.ANY, sre_constants.NOT_LITERAL):
        return set(_ANY)
    if op is sre_constants.SUBPATTERN:
        return _sequence(av[-1], depth)
    if op is sre_constants.BRANCH:
        return set().union(*(_sequence(branch, depth) for branch in av[1]))
    if op in _REPEATS:
        return _repeat(av[0], av[1], av[2], depth)
    if op in _ZERO_WIDTH:  # a condition, not a character: ignoring it only widens the set
        return {""}
    raise _Unknown(op)


def _sequence(items, depth: int) -> set[str]:
    found = {""}
    for op, av in items:
        if all(len(s) >= depth for s in found):
            break
        found = _concat(found, _item(op, av, depth), depth)
    return found


def beginnings(pattern: str, flags: int = 0, depth: int = DEPTH) -> set[str] | None:
    """The case-folded beginnings of the matches of ``pattern``, at most ``depth`` characters
    long (shorter when a match can end there, or when that many would give more than LIMIT
    beginnings); every ASCII digit reads as "0", every ASCII space as " " and ``"\\x80"``
    stands for any non-ASCII character. None when the pattern uses a construct the analysis
    does not read (then it can begin anywhere).

    >>> sorted(beginnings(r"(?:in|op)\\s+[0-9]{4}", re.IGNORECASE, depth=3))
    ['in ', 'in\\x80', 'op ', 'op\\x80']
    >>> sorted(beginnings(r"ja?"))
    ['j', 'ja']
    """
    parsed = sre_parse.parse(pattern, flags).data
    for shorter in range(depth, 0, -1):
        try:
            return _sequence(parsed, shorter)
        except _TooMany:
            continue
        except _Unknown:
            return None
    return None


_NON_ASCII = re.compile("[^\\x00-\\x7f]")


def _symbol_classes() -> dict[str, str]:
    """For each symbol a key can hold, a character class of the text characters it stands
    for: either case of a letter, any ASCII digit for "0", any ASCII space for " ", any
    non-ASCII character for ``"\\x80"``."""
    chars: dict[str, list[str]] = {}
    for code in range(128):
        chars.setdefault(chr(code).lower().translate(_FOLD), []).append(chr(code))
    classes = {s: "[" + "".join(re.escape(c) for c in cs) + "]" for s, cs in chars.items()}
    return {**classes, _OTHER: "[^\\x00-\\x7f]"}


_SYMBOL_CLASSES = _symbol_classes()
# The same for a lowered text: a letter is the one lower-case letter.
_LOWERED_CLASSES = {
    **_SYMBOL_CLASSES,
    **{c: c for c in "abcdefghijklmnopqrstuvwxyz"},
}
_FOLDS = re.compile("[" + "".join(sorted(FOLDS_TO_ASCII)) + "]")


def beginnings_regex(found: Iterable[str], depth: int = DEPTH, *, lowered: bool = False) -> str:
    """A zero-width regex that matches where the text begins with one of the beginnings
    ``found`` (as :func:`beginnings` gives them), or where one of its next ``depth``
    characters matches an ASCII letter only when case is ignored (:data:`FOLDS_TO_ASCII`):
    the positions where :class:`PrefixIndex` has a pattern to try. The beginnings are
    factored as a trie, so the regex engine reads each character once.

    With ``lowered`` the regex is for a text lowered with ``str.lower`` that holds none of
    :data:`FOLDS_TO_ASCII` and kept its length (see :class:`PrefixIndex`): a letter is then
    one literal character, which the regex engine tries much faster than a class.

    >>> bool(re.match(beginnings_regex({"in 0", "op"}), "IN\\t2022"))
    True
    >>> bool(re.match(beginnings_regex({"in 0", "op"}), "in de"))
    False
    """
    trie: dict = {}
    for begin in found:
        node = trie
        for symbol in begin:
            node = node.setdefault(symbol, {})
        node[""] = {}

    def alternation(node: dict) -> str:
        if "" in node:  # a beginning ends here: the text may go on with anything
            return ""
        branches = [classes[s] + alternation(child) for s, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    classes = _LOWERED_CLASSES if lowered else _SYMBOL_CLASSES
    if lowered:
        return f"(?={alternation(trie)})" if trie else "(?!)"
    folds = "".join(sorted(FOLDS_TO_ASCII))
    known = alternation(trie) + "|" if trie else ""
    return f"(?={known}[\\s\\S]{{0,{depth - 1}}}[{folds}])"


_ENDS_IN_SPACES = re.compile(r"\\s\+\)*$")


def _split_skip(pattern: str, skip: str) -> tuple[str, bool, bool]:
    """``pattern`` (after the lead) as (the part after ``skip``, whether it can match without
    the skip, whether with it); a pattern that does not begin with ``skip`` is all body."""
    if not skip or not pattern.startswith(skip):
        return pattern, True, False
    rest = pattern[len(skip) :]
    if rest.startswith("?") and not rest.startswith(("??", "?+")):
        return rest[1:], True, True
    if rest.startswith(("*", "+", "{", "?")):  # another quantifier: read the whole pattern
        return pattern, True, False
    return rest, False, True


class _Tables:
    """Patterns by the beginnings of their matches, one table per length of beginning."""

    def __init__(self, depth: int) -> None:
        self.by_length: list[dict[str, list[int]]] = [{} for _ in range(depth + 1)]
        self.everywhere: list[int] = []  # patterns with unknown beginnings
        self.all: tuple[int, ...] = ()  # every pattern added
        self.used = False

    def add(self, i: int, found: set[str] | None) -> None:
        """Add pattern ``i`` with the beginnings ``found`` (None: unknown)."""
        self.used = True
        self.all = tuple(sorted({*self.all, i}))
        if found is None or "" in found:
            self.everywhere.append(i)
            return
        for begin in sorted(found):
            self.by_length[len(begin)].setdefault(begin, []).append(i)

    def beginnings(self) -> set[str]:
        """Every beginning of a pattern in the tables."""
        return {begin for table in self.by_length for begin in table}

    def find(self, key: str) -> tuple[int, ...]:
        """The patterns that can begin with the folded ``key``, in order."""
        found = set(self.everywhere)
        for length in range(1, len(key) + 1):
            found.update(self.by_length[length].get(key[:length], ()))
        return tuple(sorted(found))


def _look_behind(lead: str) -> int:
    """How many characters before a position the zero-width ``lead`` reads (its
    lookbehinds' widths); ValueError for a lead that is not a sequence of conditions."""
    widest = 0
    for op, av in sre_parse.parse(lead).data:
        if op not in _ZERO_WIDTH:
            raise ValueError(f"the lead {lead!r} must be zero-width conditions only")
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and av[0] < 0:
            widest = max(widest, av[1].getwidth()[1])
    return widest


def _reads_ahead(items) -> bool:
    """Whether the parsed conditions ``items`` may read at or past the position they are
    tested at, other than through their lookbehinds' own characters (a lookahead, or an
    anchor other than the text's beginning, anywhere in them)."""
    for op, av in items:
        if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if av[0] >= 0 or _reads_ahead(av[1]):
                return True
        elif op is sre_constants.AT:
            if av not in (sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING):
                return True
        elif op is sre_constants.SUBPATTERN:
            if _reads_ahead(av[-1]):
                return True
        elif op is sre_constants.BRANCH:
            if any(_reads_ahead(branch) for branch in av[1]):
                return True
        elif op in _REPEATS and _reads_ahead(av[2]):
            return True
    return False


class PrefixIndex:
    """Many patterns, each tried only at positions where its beginnings occur.

    ``lead``: a zero-width condition every pattern begins with (e.g. ``(?<!\\w)``, not after
    a letter), checked by the scan before any pattern is tried.
    ``skip``: an optional part (``(?:(?:in|op)\\s+)``) patterns may begin with after the
    lead, written as ``lead + skip + "?"`` (or ``lead + skip`` when the part is required):
    its beginnings and the beginnings of what follows it are read apart, so a long optional
    word does not use up the ``depth`` characters of the key. Every match of ``skip`` must
    end in a run of white space (``\\s+``), and all its matches at one position in the same
    run (its words hold no white space).
    ``finditer(text)`` yields ``(i, match)`` for every match that ``patterns[i]``'s own
    ``finditer`` would yield (non-empty matches, each pattern's matches not overlapping one
    another), in order of position; at the same position in pattern order.
    The scan is made for a text read a window (a sentence) at a time: the positions where a
    pattern may begin are found once for the whole of the last text scanned, and each window
    takes its share of them.
    """

    def __init__(
        self,
        patterns: Sequence[str],
        flags: int = 0,
        *,
        lead: str = "",
        skip: str = "",
        depth: int = DEPTH,
    ) -> None:
        for pattern in patterns:
            if not pattern.startswith(lead):
                raise ValueError(f"pattern {pattern[:40]!r}... does not begin with {lead!r}")
        if skip and not _ENDS_IN_SPACES.search(skip):
            raise ValueError(f"skip {skip!r} does not end in white space (\\s+)")
        self.regexes = [re.compile(p, flags) for p in patterns]
        self.depth = depth
        self._all = tuple(range(len(patterns)))
        self._bare = _Tables(depth)  # what a pattern's match can begin with
        self._after = _Tables(depth)  # what follows ``skip`` in a pattern that begins with it
        for i, pattern in enumerate(patterns):
            body, bare, after = _split_skip(pattern[len(lead) :], skip)
            if bare:
                self._bare.add(i, beginnings(lead + body, flags, depth))
            if after:
                self._after.add(i, beginnings(body, flags, depth))
        self._skip = re.compile(skip, flags) if skip and self._after.used else None
        self._skip_begins = _Tables(depth)
        if self._skip is not None:
            self._skip_begins.add(0, beginnings(skip, flags, depth))
        self._cache: dict[str, tuple[tuple[int, ...], bool]] = {}
        self._after_cache: dict[str, tuple[int, ...]] = {}
        self._merged: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[int, ...]] = {}
        # where a pattern or the skip can begin (None: anywhere)
        self._everywhere = bool(self._bare.everywhere or self._skip_begins.everywhere)
        known = self._bare.beginnings() | self._skip_begins.beginnings()
        self._starts = re.compile(lead + beginnings_regex(known, depth))
        lowered = beginnings_regex(known, depth, lowered=True)
        self._lowered_starts = re.compile(lead + lowered)
        # The lead WORD_START read as "a non-word character before it": a pattern that begins
        # with a character class lets the regex engine pass over word characters quickly.
        self._lowered_after_non_word = re.compile(r"\W" + lowered) if lead == WORD_START else None
        self._lowered_beginning = re.compile(lowered)
        self._behind = _look_behind(lead)  # characters before ``pos`` the scan may read
        # a lead that reads ahead may read past a window's end: then each window is read alone
        self._whole = not _reads_ahead(sre_parse.parse(lead).data)
        self._last: tuple[str | None, list[int] | None] = (None, None)  # _text_starts

    def _candidates(self, key: str) -> tuple[tuple[int, ...], bool]:
        """The patterns that can begin with ``key`` (the text's next ``depth`` characters),
        and whether ``skip`` can begin with it."""
        if any(c in FOLDS_TO_ASCII for c in key):
            return self._all, False  # every pattern: no need to look past the skip
        key = _NON_ASCII.sub(_OTHER, key).lower().translate(_FOLD)
        return self._bare.find(key), bool(self._skip_begins.find(key))

    def _after_candidates(self, key: str) -> tuple[int, ...]:
        """The patterns whose part after ``skip`` can begin with ``key``."""
        if any(c in FOLDS_TO_ASCII for c in key):
            return self._after.all
        return self._after.find(_NON_ASCII.sub(_OTHER, key).lower().translate(_FOLD))

    def _after_at(self, text: str, at: int, endpos: int) -> tuple[int, ...]:
        """The patterns whose part after ``skip`` can begin at ``at``."""
        key = text[at : min(at + self.depth, endpos)]
        candidates = self._after_cache.get(key)
        if candidates is None:
            candidates = self._after_candidates(key)
            if len(self._after_cache) < 100_000:
                self._after_cache[key] = candidates
        return candidates

    def _skipped(self, text: str, position: int, endpos: int) -> tuple[int, ...]:
        """The patterns that can match at ``position`` with ``skip`` matched first, in order:
        their part after it may begin anywhere in the white space that ends the skip's
        match."""
        m = self._skip.match(text, position, endpos)  # type: ignore[union-attr]
        if m is None:
            return ()
        at = m.end()
        found = self._after_at(text, at, endpos)
        while at - 2 >= position and text[at - 2].isspace():
            at -= 1
            found = tuple(sorted({*found, *self._after_at(text, at, endpos)}))
        return found

    def _positions(self, text: str, pos: int, endpos: int) -> Sequence[int]:
        """The offsets of ``text[pos:endpos]`` where some pattern or the skip may begin, in
        order. From the whole text's (:meth:`_text_starts`) these include offsets whose
        beginning runs on past ``endpos``: their key, cut at ``endpos``, finds no pattern."""
        if self._everywhere:
            return range(pos, endpos + 1)
        starts = self._text_starts(text)
        if starts is not None:
            return starts[bisect_left(starts, pos) : bisect_left(starts, endpos)]
        # Lowering keeps each character's length, whether it is ASCII and whether it is a
        # word character, except for the characters of FOLDS_TO_ASCII (tested): then the
        # lowered text has a beginning where the text has one.
        # Only the window (and what the lead looks back at) is lowered.
        base = max(pos - self._behind, 0)
        window = text[base:endpos]
        lowered = window.lower()
        if len(lowered) == len(window) and _FOLDS.search(window) is None:
            return [base + m.start() for m in self._lowered_starts.finditer(lowered, pos - base)]
        return [m.start() for m in self._starts.finditer(text, pos, endpos)]

    def _text_starts(self, text: str) -> list[int] | None:
        """Where some pattern or the skip may begin in all of ``text``, found in the lowered
        text (see :meth:`_positions`) and kept for the last text (a caller may scan it a
        sentence at a time); None when the lowered text does not stand for it or the lead
        reads ahead (then each window is read alone)."""
        last = self._last
        if last[0] is text:
            return last[1]
        starts = None
        if self._whole and _FOLDS.search(text) is None:
            lowered = text.lower()
            if len(lowered) == len(text):
                starts = self._lowered_text_starts(lowered)
        self._last = (text, starts)  # one assignment: safe with threads sharing the index
        return starts

    def _lowered_text_starts(self, lowered: str) -> list[int]:
        """The matches' starts of the lead and beginnings in a lowered text (see
        :meth:`_positions`), found faster for the lead :data:`WORD_START`: the offset 0 and
        each offset after a non-word character where a beginning follows."""
        after = self._lowered_after_non_word
        if after is None:
            return [m.start() for m in self._lowered_starts.finditer(lowered)]
        starts = [m.start() + 1 for m in after.finditer(lowered)]
        if self._lowered_beginning.match(lowered):
            starts.insert(0, 0)
        return starts

    def possible_starts(self, text: str) -> list[list[int]] | None:
        """For each pattern, the offsets of ``text`` a scan of all of it would try it at, in
        order: every match :meth:`finditer` yields for pattern ``i`` with any ``pos`` and
        ``endpos`` begins at one of ``possible_starts(text)[i]`` (a window's text is read the
        same, and a key cut short by ``endpos`` finds no pattern its whole key would not).
        None when some pattern can begin anywhere or a ``skip`` is set. For a negative test
        of many small windows of one text: no offset in a window, no match there."""
        if self._everywhere or self._skip is not None:
            return None
        found: list[list[int]] = [[] for _ in self.regexes]
        cache, depth = self._cache, self.depth
        for position in self._positions(text, 0, len(text)):
            key = text[position : position + depth]
            known = cache.get(key)
            if known is None:
                known = self._candidates(key)
                if len(cache) < 100_000:
                    cache[key] = known
            for i in known[0]:
                found[i].append(position)
        return found

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None, below: int | None = None
    ) -> Iterator[tuple[int, re.Match[str]]]:
        """(pattern number, match) of every pattern's matches in ``text[pos:endpos]`` (read as
        ``re.Pattern.finditer(text, pos, endpos)`` reads it), by position; with ``below``,
        of the patterns numbered below it only (the others are not tried)."""
        endpos = len(text) if endpos is None else min(endpos, len(text))
        below = len(self.regexes) if below is None else below
        positions = self._positions(text, pos, endpos)
        if not positions:
            return
        resume = [pos] * len(self.regexes)  # where each pattern's own scan would go on
        cache, depth, merged = self._cache, self.depth, self._merged
        for position in positions:
            key = text[position : min(position + depth, endpos)]
            known = cache.get(key)
            if known is None:
                known = self._candidates(key)
                if len(cache) < 100_000:  # bounded: a text of random words is not kept
                    cache[key] = known
            candidates, may_skip = known
            if may_skip:
                skipped = self._skipped(text, position, endpos)
                if skipped:
                    both = merged.get((candidates, skipped))
                    if both is None:
                        both = tuple(sorted({*candidates, *skipped}))
                        if len(merged) < 100_000:
                            merged[candidates, skipped] = both
                    candidates = both
            for i in candidates:  # in order
                if i >= below:
                    break
                if position < resume[i]:
                    continue
                m = self.regexes[i].match(text, position, endpos)
                if m is not None and m.end() > position:
                    resume[i] = m.end()
                    yield i, m
