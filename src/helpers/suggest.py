"""Candidate events for the coder (issue 12 items 3 and 4): suggestions, the review sheet and
``accept``.

:func:`suggest_events` proposes event rows for an article from the Dutch cue lexicon
``data/cues.csv`` (codebook: ``data/README.md``, "Cue lexicon"): each cue names a PLOVER type,
mode and CAMEO code and how its actor and recipient are found. Who did it to whom is read by a
pure-Python rule on the clause around the cue (see :func:`attribute`): the nearest actor mention
before the verb is its subject, the first after it its object, with the prepositions, pronouns,
relative clauses, verb-final clauses and inverted word order Dutch news uses. Dates come from
:mod:`helpers.timex`, actors from :func:`helpers.actors.tag_mentions`.

Nothing enters ``data/events.csv`` without a coder: ``python3 tasks.py suggest --out FILE.csv``
writes a review sheet (:func:`write_sheet`), the coder marks rows ``accept``, and
``python3 tasks.py accept FILE.csv`` (:func:`accept_sheet`) checks them with the very checks of
:func:`helpers.events.load_events` and appends them atomically, or writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise, repeat
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from helpers.actors import load_actors, tag_mentions, unresolved_names
from helpers.article import Article
from helpers.corpus import load_corpus_articles
from helpers.events import (
    COLUMNS,
    EVENTS,
    GOLDSTEIN,
    PLOVER_MODES,
    load_events,
    plover_type_of,
    quad_class_of,
    sign_of,
)
from helpers.io import write_bytes, write_text
from helpers.paths import DATA
from helpers.regex_prefix import FOLDS_TO_ASCII, WORD_START, PrefixIndex
from helpers.tables import (
    FORMULA_STARTS,
    DataError,
    check_allowed,
    read_table,
    split_ids,
    spreadsheet_safe,
)
from helpers.timex import (
    TimeInterval,
    TimexError,
    find_time_expressions,
    precision_of,
    resolve,
)

__all__ = [
    "CUES",
    "CUE_COLUMNS",
    "SHEET_COLUMNS",
    "SUGGESTION_COLUMNS",
    "Cue",
    "Lexicon",
    "Tables",
    "accept_sheet",
    "load_cues",
    "match_events",
    "mentions_of",
    "missed",
    "resolve_ids",
    "scores",
    "side_by_side",
    "suggest_events",
    "suggestion_rows",
    "write_sheet",
]

CUES = DATA / "cues.csv"
CUE_COLUMNS = (
    "kind",
    "pattern",
    "plover_event_type",
    "plover_mode",
    "cameo_code",
    "actor",
    "recipient",
    "prepositions",
    "confidence",
    "gloss_en",
    "note",
)
CUE_KINDS = ("event", "negation", "not_negation", "hypothesis", "reported")
ACTOR_RULES = ("subject", "subject|context", "after", "van", "inside", "speaker", "location")
RECIPIENT_RULES = ("object", "preposition", "object|context", "context", "inside", "same", "van")
SUGGESTION_COLUMNS = ("confidence", "rule", *COLUMNS)  # a suggestion's cells, in order
SHEET_COLUMNS = ("suggestion_id", "decision", *SUGGESTION_COLUMNS)
DECISIONS = ("", "accept", "edited", "reject")
ACCEPTED = ("accept", "edited")


# --- the lexicon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One event cue of ``data/cues.csv``: a pattern and what it codes."""

    row: int
    pattern: re.Pattern[str]
    plover_event_type: str
    plover_mode: str
    cameo_code: str
    actor: str
    recipient: str
    prepositions: tuple[str, ...]
    confidence: float
    gloss_en: str

    @cached_property
    def codes(self) -> tuple[str, str, str, str, str, str]:
        """The cells it gives a suggestion, as text: plover_event_type, plover_mode,
        cameo_code, goldstein, quad_class, sign (found once per cue)."""
        quad = quad_class_of(self.cameo_code)
        goldstein = f"{GOLDSTEIN[self.cameo_code]:.1f}"
        kind, mode, code = self.plover_event_type, self.plover_mode, self.cameo_code
        return (kind, mode, code, goldstein, quad, str(sign_of(quad)))

    @cached_property
    def _texts(self) -> dict[str, tuple[str, str]]:
        return {}

    def texts(self, rule: str) -> tuple[str, str]:
        """The cells ``confidence`` and ``rule`` of a suggestion it makes whose attribution
        fired ``rule`` (confidence 0.8 times its own when the attribution comes from the
        context or is inherited); remembered per rule (a cue meets a few)."""
        found = self._texts.get(rule)
        if found is None:
            confidence = self.confidence * (0.8 if "context" in rule or rule == "inherited" else 1)
            found = self._texts[rule] = (f"{confidence:.2f}", f"cues.csv row {self.row}; {rule}")
        return found


_LEAD = WORD_START  # a cue begins a word


@dataclass(frozen=True)
class Lexicon:
    """The event cues and the marker patterns of negation, hypothesis and reported speech."""

    cues: tuple[Cue, ...]
    markers: dict[str, re.Pattern[str]]
    # the cues' patterns, then the markers': one index, so an article is read once for where
    # either may begin (each pattern is tried only there)
    scan: PrefixIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = [cue.pattern.pattern for cue in self.cues]
        patterns += [pattern.pattern for pattern in self.markers.values()]
        object.__setattr__(self, "scan", PrefixIndex(patterns, re.IGNORECASE, lead=_LEAD))

    def cue_matches(self, text: str, start: int, end: int) -> list[tuple[Cue, re.Match[str]]]:
        """Each cue's matches in ``text[start:end]``, by position (in cue order at one)."""
        cues = self.cues
        return [(cues[i], m) for i, m in self.scan.finditer(text, start, end, below=len(cues))]

    def marker_starts(self, text: str) -> dict[str, list[int]] | None:
        """Per marker kind, the offsets of ``text`` where one of its markers may begin (a
        superset: :meth:`PrefixIndex.possible_starts`); None if unknown."""
        starts = self.scan.possible_starts(text)
        if starts is None:
            return None
        return dict(zip(self.markers, starts[len(self.cues) :], strict=True))


def _word_pattern(pattern: str, path: Path, row: int) -> re.Pattern[str]:
    try:
        return re.compile(rf"{_LEAD}(?:{pattern})(?!\w)", re.IGNORECASE)
    except re.error as err:
        raise DataError(path, row, "pattern", f"not a regular expression: {err}") from None


def _cue_of(record: dict, path: Path) -> Cue:
    """An event row checked: its codes agree as in events.csv, its rules are known."""
    row = int(record["_row"])
    code = record["cameo_code"]
    if code not in GOLDSTEIN:
        raise DataError(path, row, "cameo_code", f"{code!r} is not a CAMEO event code")
    if record["plover_event_type"] != plover_type_of(code):
        problem = f"{record['plover_event_type']} does not match CAMEO {code}"
        raise DataError(path, row, "plover_event_type", f"{problem} ({plover_type_of(code)})")
    mode = record["plover_mode"]
    if mode and mode not in PLOVER_MODES.get(record["plover_event_type"], frozenset()):
        raise DataError(path, row, "plover_mode", f"{mode!r} is not a mode of its type")
    for column, allowed in (("actor", ACTOR_RULES), ("recipient", RECIPIENT_RULES)):
        if record[column] not in allowed:
            raise DataError(path, row, column, f"{record[column]!r} is not one of {allowed}")
    try:
        confidence = float(record["confidence"])
    except ValueError:
        confidence = -1.0
    if not 0 < confidence <= 1:
        raise DataError(path, row, "confidence", f"{record['confidence']!r} is not in (0, 1]")
    return Cue(
        row=row,
        pattern=_word_pattern(record["pattern"], path, row),
        plover_event_type=record["plover_event_type"],
        plover_mode=mode,
        cameo_code=code,
        actor=record["actor"],
        recipient=record["recipient"],
        prepositions=tuple(p for p in record["prepositions"].split("|") if p),
        confidence=confidence,
        gloss_en=record["gloss_en"],
    )


def load_cues(path: str | Path | None = None) -> Lexicon:
    """Read and check the cue lexicon (``data/cues.csv``). Raises :class:`DataError` naming
    the file, row and column of a bad pattern, an unknown code or rule, codes that disagree."""
    path = Path(path) if path is not None else CUES
    table = read_table(path, CUE_COLUMNS)
    check_allowed(table, "kind", CUE_KINDS, path)
    cues, markers = [], {}
    for record in table.to_dict("records"):
        if record["kind"] == "event":
            cues.append(_cue_of(record, path))
        else:
            row = int(record["_row"])
            markers[record["kind"]] = _word_pattern(record["pattern"], path, row)
    return Lexicon(tuple(cues), markers)


# --- mentions and clauses -----------------------------------------------------------------------


class Mention(NamedTuple):
    """An actor mention of an article (immutable: a named tuple, quick to make)."""

    start: int
    end: int
    actor_id: str
    kind: str  # the actor's kind (state, person, organisation, city, ...)
    state: str  # the state it resolves to (itself for states and organisations)


def _actor_table(actors: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    """actor_id -> (kind, the state or organisation it resolves to)."""
    actors = actors if actors is not None else load_actors(world=True)
    return {
        a: (k, s or a)
        for a, k, s in zip(actors["actor_id"], actors["kind"], actors["state_id"], strict=True)
    }


@dataclass(frozen=True)
class Tables:
    """What suggestions are made with, read once for many articles: the cue lexicon, each
    actor's kind and the state or organisation it resolves to, and its English name."""

    lexicon: Lexicon
    actors: dict[str, tuple[str, str]]
    names: dict[str, str]

    @classmethod
    def of(cls, lexicon: Lexicon | None = None, actors: pd.DataFrame | None = None) -> Tables:
        """The tables of ``lexicon`` (default :func:`load_cues`) and the actor table
        ``actors`` (default ``load_actors(world=True)``)."""
        lexicon = lexicon if lexicon is not None else load_cues()
        actors = actors if actors is not None else load_actors(world=True)
        names = dict(zip(actors["actor_id"], actors["name_en"], strict=True))
        return cls(lexicon, _actor_table(actors), names)


def mentions_of(
    actor_ids: Iterable[str],
    starts: Iterable[int],
    ends: Iterable[int],
    table: dict[str, tuple[str, str]],
) -> list[Mention]:
    """Mentions from the columns ``actor_id``, ``start`` and ``end`` of a mention table
    (:func:`helpers.actors.tag_mentions`), in its order; ``table``: :attr:`Tables.actors` (an
    actor not in it counts as a state of its own). Each distinct actor is looked up once."""
    ids = list(actor_ids)
    known = {a: table.get(a, ("state", a)) for a in set(ids)}
    kinds = [known[a][0] for a in ids]
    states = [known[a][1] for a in ids]
    columns = zip(map(int, starts), map(int, ends), ids, kinds, states, strict=True)
    return list(map(_new_mention, repeat(Mention), columns))


_new_mention = tuple.__new__  # Mention._make without its frame: zip makes tuples of 5 fields


def resolve_ids(ids: Iterable[str], table: dict[str, tuple[str, str]]) -> frozenset[str]:
    """The states or organisations that actor ids stand for: a person, region, city or group
    resolves to its state (``PASHINYAN`` -> ``ARM``), a state or organisation to itself."""
    return frozenset(table.get(a, ("", a))[1] for a in ids)


# A clause ends after a punctuation mark or before a subordinating word (not after a letter).
# Two searches, each of which the regex engine runs from its first characters' set.
_CLAUSE_PUNCTUATION = re.compile(r"[,;:()\u2013\u2014\u2018\u2019\u201c\u201d\u201e\"?!]")
_SUBORDINATING = re.compile(r"(?:dat|die|omdat|toen|terwijl|nadat|zodat|waardoor|maar|want)(?!\w)")
_WORD_START = re.compile(r"(?<!\w)")  # matches where the character before is no letter
_AFTER_PREPOSITION = re.compile(r"(?<!\w)(?:op|in|van|met|na|voor|tot|bij|om)\s+$", re.IGNORECASE)
_LOCATION = re.compile(
    r"(?<!\w)(?P<prep>in|bij|uit|buiten|naar|nabij|rond|binnen)\s+"
    r"(?:(?:de|het|een|zijn|haar|hun|diens)\s+)?"
    r"(?:(?:[a-zà-ÿ][\w-]*e|regio|hoofdstad|provincie|stad|deelstaat|republiek|streek)\s+){0,2}$"
)
_PREPOSITION = re.compile(
    r"(?<!\w)(?:aan|tegen|met|van|in|op|bij|voor|over|tussen|naar|onder|door|uit|om)(?!\w)"
)
_SUBJECT_PRONOUN = re.compile(r"(?<!\w)(?:hij|zij|ze|we|wij)(?!\w)", re.IGNORECASE)
_OBJECT_PRONOUN = re.compile(r"(?<!\w)(?:hem|haar)(?!\w)(?!\s+land)", re.IGNORECASE)
_HIS_LAND = re.compile(r"(?<!\w)(?:zijn|haar)\s+land(?!\w)", re.IGNORECASE)
_THE_LAND = re.compile(r"(?<!\w)(?:het|dat|dit)\s+land(?!\w)", re.IGNORECASE)
_THE_ALLIANCE = re.compile(
    r"(?<!\w)(?:het|dit|dat|de)\s+(?:[\w-]+\s+)?(?:bondgenootschap|alliantie|organisatie|verbond)",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"\s*(?:dat|die|omdat|toen|terwijl|nadat|zodat|waardoor|als|wanneer|of)(?!\w)", re.IGNORECASE
)
_PASSIVE = re.compile(r"(?<!\w)(?:werd|werden|wordt|worden)(?!\w)", re.IGNORECASE)
_RECIPROCAL = re.compile(r"(?<!\w)(?:met\s+)?elkaar(?!\w)", re.IGNORECASE)
_PAST = re.compile(
    r"(?<!\w)(?:had|hadden|was|waren|werd|werden|heeft|hebben|gaf|ging|stond|kwam|liet|zei"
    r"|sprak|viel|hield|hielp\w*|bracht|riep|noemde\w*|\w+(?:de|te|den|ten))(?!\w)",
    re.IGNORECASE,
)


# Words one of which every match of a pattern contains (case ignored): where the lowered text
# has none of them, :func:`_search` need not run the pattern. (By pattern text: hashing a
# compiled pattern reads its whole code.)
_NEEDS = {
    _SUBJECT_PRONOUN.pattern: ("hij", "zij", "ze", "we", "wij"),
    _OBJECT_PRONOUN.pattern: ("hem", "haar"),
    _HIS_LAND.pattern: ("land",),
    _THE_LAND.pattern: ("land",),
    _THE_ALLIANCE.pattern: ("bondgenootschap", "alliantie", "organisatie", "verbond"),
    _PASSIVE.pattern: ("werd", "word"),
    _RECIPROCAL.pattern: ("elkaar",),
}


def _search(ctx: _Context, pattern: re.Pattern[str], a: int, b: int) -> re.Match[str] | None:
    """``pattern.search(text, a, b)`` of the article's text; not run when ``text[a:b]`` holds
    none of the words of :data:`_NEEDS` every match contains (a few substring tests in the
    lowered text cost less than a search that tries the pattern at every offset)."""
    low = ctx.lowered
    if low is None:
        return pattern.search(ctx.article.raw, a, b)
    for word in _NEEDS[pattern.pattern]:
        if low.find(word, a, b) >= 0:
            return pattern.search(ctx.article.raw, a, b)
    return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of ``text[start:end]`` (a sentence): cut at punctuation and before
    subordinating words; raw offsets."""
    cuts = [start, *_cuts(text, start, end), end]
    spans = []
    for a, b in pairwise(cuts):
        if text[a:b].strip(' \n,;:()–—‘’“”„"?!.'):
            spans.append((a, b))
    return spans


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Where ``text[start:end]`` is cut into clauses, in order: after each punctuation mark,
    and before each subordinating word that does not follow a letter, unless a preposition
    comes before it ("op dat moment", "in die tijd": not a new clause). A word match that
    does follow a letter hides no other: every offset inside it follows a letter. Offsets,
    not (offset, kind) pairs: sorting the offsets keeps the order of the breaks."""
    cuts = [m.end() for m in _CLAUSE_PUNCTUATION.finditer(text, start, end)]
    words = [
        at
        for m in _SUBORDINATING.finditer(text, start, end)
        if _WORD_START.match(text, at := m.start())
        and not _AFTER_PREPOSITION.search(text, max(start, at - 8), at)
    ]
    return sorted(cuts + words) if words else cuts


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces and punctuation."""
    strip = ' \n\t,;:()–—‘’“”„"?!.'
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


# --- attribution --------------------------------------------------------------------------------


@dataclass
class _Context:
    """One article being read: its text, mentions and the suggestions made so far."""

    article: Article
    mentions: list[Mention]
    counts: Counter  # article-wide mentions per resolved state
    lexicon: Lexicon
    made: list[_Made] = field(default_factory=list)
    starts: list[int] = field(init=False)  # of the mentions, for bisection when ``ordered``
    ordered: bool = field(init=False)  # mentions by start, none ending before it starts
    times: dict = field(default_factory=dict)  # (phrase, past) -> interval or None: _resolved
    marks: dict = field(default_factory=dict)  # (kind, start, end) -> marker starts: _markers
    by_block: dict = field(default_factory=dict)  # block -> the suggestions made in it, in order
    english: dict = field(default_factory=dict)  # (actor ids, recipient ids) -> _english
    places: dict = field(default_factory=dict)  # (start, clause start) -> _place_preposition

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]
        self.ordered = all(a <= b for a, b in pairwise(self.starts)) and all(
            m.start <= m.end for m in self.mentions
        )

    def add(self, made: _Made) -> None:
        """Record a suggestion made (in :attr:`made` and :attr:`by_block`)."""
        self.made.append(made)
        self.by_block.setdefault(made.block, []).append(made)

    @cached_property
    def marker_starts(self) -> dict[str, list[int]] | None:
        """Per marker kind, the offsets where one of its markers may begin (a superset, from
        one scan of the article: :meth:`PrefixIndex.possible_starts`); None if unknown."""
        return self.lexicon.marker_starts(self.article.raw)

    @cached_property
    def lowered(self) -> str | None:
        """The text in lower case, None when a search with case ignored could match an ASCII
        letter to a character that does not lower to it (:data:`FOLDS_TO_ASCII`) or lowering
        changes a length: where a word of ASCII letters is not found in it, no text of the
        same offsets matches the word with case ignored."""
        raw = self.article.raw
        low = raw.lower()
        if len(low) != len(raw) or any(c in raw for c in FOLDS_TO_ASCII):
            return None
        return low

    @cached_property
    def publication(self) -> _When:
        """The article's publication period, as the time of a suggestion without one."""
        return _publication(self.article)

    def window(self, lo: int | None, hi: int) -> list[Mention]:
        """The mentions that can start in ``[lo, hi]`` (``lo`` None: from the first), in
        order: those that do when the mentions are ordered (as a tagger's are), else all of
        them. Callers still test their own bounds."""
        if not self.ordered:
            return self.mentions
        first = 0 if lo is None else bisect_left(self.starts, lo)
        return self.mentions[first : bisect_right(self.starts, hi)]

    def before(self, offset: int, kinds: Sequence[str], skip: frozenset[str] = frozenset()):
        """The last mention of one of ``kinds`` before ``offset``, not among ``skip``."""
        for m in reversed(self.window(None, offset)):
            if m.start < offset and m.kind in kinds and m.state not in skip:
                return m
        return None


def _is_location(ctx: _Context, m: Mention, clause_start: int, allowed: Sequence[str]) -> bool:
    """A city, or a mention after a place preposition (in, bij, uit ...): a place, not an
    actor, unless the cue takes that preposition (``inval in X``)."""
    if m.kind == "city":
        return True
    if clause_start >= m.start:
        return False  # nothing before it in the clause: no preposition
    key = (m.start, clause_start)
    places = ctx.places
    if key not in places:
        places[key] = _place_preposition(ctx.article.raw, m.start, clause_start)
    found = places[key]
    return found is not None and found not in allowed


def _place_preposition(text: str, at: int, clause_start: int) -> str | None:
    """The place preposition (lower case) that ``text[clause_start:at]`` ends with, as in "in
    de Armeense hoofdstad" (read at most 60 characters back), or None.

    A match of :data:`_LOCATION` is at most four words (preposition, article, two more) and
    only spaces follow it, so it lies in the window's last four words: the search starts
    there (``rsplit`` finds them) instead of trying the pattern at every offset."""
    window = text[max(clause_start, at - 60) : at]
    head = window.rsplit(None, 4)
    found = _LOCATION.search(window, len(head[0]) if len(head) == 5 else 0)
    return None if found is None else found.group("prep").lower()


def _around(
    ctx: _Context, clause: tuple[int, int], at: int, allowed: Sequence[str]
) -> tuple[list[Mention], list[Mention]]:
    """:func:`_actors_in` the clause before ``at`` (a cue's start) and from it: the clause's
    actors found once (each mention's :func:`_is_location` read once), then cut at ``at``."""
    found = _actors_in(ctx, *clause, clause[0], allowed)
    return [m for m in found if m.end <= at], [m for m in found if at <= m.start]


def _actors_in(
    ctx: _Context, lo: int, hi: int, clause_start: int, allowed: Sequence[str]
) -> list[Mention]:
    """The mentions inside ``text[lo:hi]`` that are not places (:func:`_is_location` in the
    clause beginning at ``clause_start``, for a cue taking the prepositions ``allowed``)."""
    return [
        m
        for m in ctx.window(lo, hi)
        if lo <= m.start and m.end <= hi and not _is_location(ctx, m, clause_start, allowed)
    ]


@lru_cache(maxsize=256)
def _after_pattern(allowed: tuple[str, ...]) -> re.Pattern[str]:
    """One of the prepositions ``allowed``, then at most three words, at the end."""
    words = "|".join(re.escape(p) for p in allowed)
    return re.compile(rf"(?<!\w)(?:{words})\s+(?:\S+\s+){{0,3}}$")


def _after_preposition(text: str, m: Mention, clause_start: int, allowed: tuple[str, ...]) -> bool:
    """``m`` follows one of the prepositions ``allowed`` (with at most three words between)."""
    found = _after_pattern(allowed).search(text[clause_start : m.start])
    return bool(allowed) and found is not None


def _pronoun(ctx: _Context, text: str, a: int, b: int, skip: frozenset[str]) -> Mention | None:
    """The mention a pronoun or definite description in ``text[a:b]`` points back to."""
    land = _search(ctx, _HIS_LAND, a, b)
    if land:
        person = ctx.before(land.start(), ("person",), skip)
        return person
    for pattern, kinds in (
        (_SUBJECT_PRONOUN, ("person",)),
        (_THE_LAND, ("state",)),
        (_THE_ALLIANCE, ("organisation",)),
    ):
        found = _search(ctx, pattern, a, b)
        if found:
            return ctx.before(found.start(), kinds, skip)
    return None


def _no_preposition(text: str, a: int, b: int) -> bool:
    return _PREPOSITION.search(text, a, b) is None


_RELATIVE = re.compile(r"\s*(?:die|dat)(?!\w)")
_AND_OR = re.compile(r"\s*(?:,|en|of)\s*")
_DASH = re.compile(r"[\s\u2013\u2014,-]*")


def _antecedent(ctx: _Context, text: str, clause: tuple[int, int]) -> list[Mention]:
    """For a clause opening with the relative ``die``/``dat``: the coordinated mentions that
    end the text before it ("Loegansk en Donetsk – die ...")."""
    if not _RELATIVE.match(text, clause[0], clause[1]):
        return []
    chain: list[Mention] = []
    edge = clause[0]
    for m in reversed([m for m in ctx.window(None, clause[0]) if m.end <= clause[0]]):
        gap = text[m.end : edge]
        if chain and not _AND_OR.fullmatch(gap):
            break
        if not chain and not _DASH.fullmatch(gap):
            break
        chain.insert(0, m)
        edge = m.start
    return chain


def _context_recipient(ctx: _Context, sentence_index: int, cue: Cue, skip: frozenset[str]):
    """A recipient the clause does not name: the recipient of the previous suggestion of the
    same type in the paragraph, else the state or organisation mentioned most in this and the
    previous sentence (ties: most mentioned in the article), never the actor's own."""
    block = ctx.article.sentences[sentence_index].block
    for made in reversed(ctx.by_block.get(block, ())):
        same = made.cue.plover_event_type == cue.plover_event_type
        if same and made.recipient_states and not (made.recipient_states & skip):
            return list(made.recipients)
    near: dict[str, int] = {}  # a dict, not a Counter: quicker to make for a few mentions
    first = ctx.article.sentences[max(0, sentence_index - 1)].start
    last = ctx.article.sentences[sentence_index].end
    examples = {}
    for m in ctx.window(first, last):
        if first <= m.start < last and m.state not in skip and m.kind != "city":
            near[m.state] = near.get(m.state, 0) + 1
            examples.setdefault(m.state, m)
    if not near:
        return []
    best = max(near, key=lambda s: (near[s], ctx.counts[s], -examples[s].start))
    return [examples[best]]


@dataclass(slots=True)
class _Attribution:
    actors: list[Mention]
    recipients: list[Mention]
    rule: str


_VAN = re.compile(r"(?<!\w)van(?!\w)")
_IN = re.compile(r"(?<!\w)in\s")


def attribute(
    ctx: _Context, cue: Cue, match: re.Match[str], clause: tuple[int, int], sentence_index: int
) -> _Attribution | None:
    """Who did it to whom, by the pure-Python rule: the cue's ``actor`` and ``recipient``
    rules (``data/README.md``, "Cue lexicon") applied to the mentions of the clause."""
    text = ctx.article.raw
    sentence = ctx.article.sentences[sentence_index]
    a, b = clause
    allowed = cue.prepositions
    start, end = match.span()
    before, after = _around(ctx, clause, start, allowed)
    inside = (
        _actors_in(ctx, start, end, a, allowed) if "inside" in (cue.actor, cue.recipient) else []
    )
    rules = []
    actors: list[Mention] = []
    recipients: list[Mention] = []

    # the actor
    if cue.actor == "inside":
        actors, rules = inside[:1], ["actor:inside"]
        after = inside[1:]
    elif cue.actor == "after":
        found = _actors_in(ctx, end, b, a, allowed)
        actors, rules, after = found[:1], ["actor:after"], found[1:]
    elif cue.actor == "van":
        van = _VAN.search(text[end:b])
        if van:
            found = _actors_in(ctx, end + van.end(), b, a, allowed)
            people = [m for m in found if m.kind == "person"]
            actors, rules = (people or found)[:1], ["actor:van"]
    elif cue.actor == "location":
        place = _IN.search(text[end:b])
        if place:
            lo = end + place.end()
            land = _pronoun(ctx, text, lo, b, frozenset())
            found = [m for m in ctx.window(lo, b) if lo <= m.start < b]
            if found:
                actors = [found[0]]
            elif land is not None:
                actors = [Mention(land.start, land.end, land.state, "state", land.state)]
            rules = ["actor:location"]
    elif cue.actor == "speaker":
        marker = ctx.lexicon.markers["reported"].search(text, sentence.start, sentence.end)
        if marker:
            speakers = [
                m
                for m in ctx.window(marker.end(), sentence.end)
                if marker.end() <= m.start < sentence.end and m.kind != "city"
            ]
            actors, rules = speakers[:1], ["actor:speaker"]
    else:
        reciprocal = _search(ctx, _RECIPROCAL, a, b) is not None  # read again for the recipient
        if before and reciprocal:
            actors, rules = before, ["actor:reciprocal"]
        elif before and len(before) >= 2 and not after and _search(ctx, _OBJECT_PRONOUN, a, b):
            actors, rules = before, ["actor:before-verb"]
        elif before and len(before) >= 2 and not after and _SUBORDINATE.match(text, a):
            actors, rules = before[:1], ["actor:verb-final"]
            after = before[1:]
        elif before:
            actors, rules = before[-1:], ["actor:nearest-before"]
        elif cue.actor in ("subject", "subject|context"):
            pronoun = _pronoun(ctx, text, a, start, frozenset())
            if pronoun is None and (personal := _search(ctx, _SUBJECT_PRONOUN, end, b)):
                pronoun = ctx.before(personal.start(), ("person",))
            inverted = (
                [m for m in after if _no_preposition(text, end, m.start)] if pronoun is None else []
            )
            if pronoun is not None:
                actors, rules = [pronoun], ["actor:pronoun"]
            elif inverted:
                actors, rules = inverted[:1], ["actor:after-verb"]
                after = [m for m in after if m is not inverted[0]]
            elif not _search(ctx, _PASSIVE, a, b):
                earlier = [
                    m
                    for m in _actors_in(ctx, sentence.start, a, a, allowed)
                    if not _is_location(ctx, m, sentence.start, allowed)
                ]
                if earlier:
                    actors, rules = earlier[-1:], ["actor:sentence-before"]
                elif (pronoun := _pronoun(ctx, text, start, b, frozenset())) is not None:
                    actors, rules = [pronoun], ["actor:pronoun-after"]
    if not actors and cue.actor == "subject|context":
        named = frozenset(m.state for m in after)
        ranked = [s for s, _ in ctx.counts.most_common() if s not in named]
        if ranked:
            example = next(m for m in ctx.mentions if m.state == ranked[0])
            actors, rules = [example], ["actor:context"]
    if not actors and _search(ctx, _PASSIVE, a, b):
        return None
    if not actors:
        inherited = _inherit(ctx, sentence_index)
        if inherited is None:
            return None
        return _Attribution(*inherited, "inherited")
    skip = frozenset(m.state for m in actors)

    # the recipient
    if cue.recipient == "same":
        recipients, rule = list(actors), "recipient:same"
    elif cue.actor == "subject" and reciprocal:  # the actor rule's else branch set it
        recipients = list(actors) if len(skip) == 1 else []
        rule = "recipient:reciprocal"
    else:
        candidates = [m for m in after if m.state not in skip]
        if cue.recipient == "inside":
            candidates = [m for m in inside if m.state not in skip]
        if cue.recipient == "preposition":
            candidates = [m for m in candidates if _after_preposition(text, m, a, allowed)]
        rule = "recipient:after"
        if not candidates and (pronoun := _search(ctx, _OBJECT_PRONOUN, a, b)):
            person = ctx.before(pronoun.start(), ("person",), skip)
            candidates, rule = ([person] if person else []), "recipient:pronoun"
        if not candidates:
            candidates, rule = _antecedent(ctx, text, clause), "recipient:relative"
            candidates = [m for m in candidates if m.state not in skip]
        if not candidates and _GAPPED.match(text, a):
            inherited = _inherit(ctx, sentence_index)
            if inherited and {m.state for m in inherited[0]} == skip:
                candidates, rule = inherited[1], "recipient:as-before"
        if not candidates and cue.recipient in ("object|context", "context"):
            candidates = _context_recipient(ctx, sentence_index, cue, skip)
            rule = "recipient:context"
        recipients = _coordinated(text, candidates)
    return _Attribution(actors, recipients, "; ".join([*rules, rule]))


_AND = re.compile(r"\s*(?:,|en)\s*")


def _coordinated(text: str, candidates: list[Mention]) -> list[Mention]:
    """The first candidate and those joined to it by "en" (Loegansk en Donetsk)."""
    if not candidates:
        return []
    chosen = [candidates[0]]
    for m in candidates[1:]:
        if _AND.fullmatch(text[chosen[-1].end : m.start]):
            chosen.append(m)
        else:
            break
    return chosen


def _inherit(ctx: _Context, sentence_index: int):
    """The actors and recipients of the previous suggestion in the same sentence (a clause
    whose subject is left out: "..., maar had erkend")."""
    made = _last_made(ctx, sentence_index)
    return None if made is None else (list(made.actors), list(made.recipients))


def _last_made(ctx: _Context, sentence_index: int) -> _Made | None:
    """The last suggestion made in the sentence (suggestions are made sentence by sentence)."""
    for made in reversed(ctx.made):
        if made.sentence == sentence_index:
            return made
        if made.sentence < sentence_index:
            return None
    return None


# --- modality and time --------------------------------------------------------------------------


def _modality(ctx: _Context, clause: tuple[int, int], match, sentence) -> str:
    """negated, hypothetical, reported_speech or asserted: the markers of the clause (words
    inside the cue itself do not count: "niet wilde" is a refusal), reported speech from
    the whole sentence."""
    start, end = match.span()
    for kind, modality, whole_sentence in _MODALITIES:
        lo, hi = (sentence.start, sentence.end) if whole_sentence else clause
        for at in _markers(ctx, kind, lo, hi):
            if not start <= at < end:
                return modality
    return "asserted"


# marker kind, the modality it marks, whether it is read in the whole sentence: in order
_MODALITIES = (
    ("negation", "negated", False),
    ("hypothesis", "hypothetical", False),
    ("reported", "reported_speech", True),
)


def _markers(ctx: _Context, kind: str, lo: int, hi: int) -> list[int]:
    """Where the lexicon's markers of ``kind`` begin in ``text[lo:hi]`` (a negation that a
    ``not_negation`` marker covers does not count); remembered for the span. A span where
    no marker of the kind may begin (:attr:`_Context.marker_starts`) is not searched."""
    key = (kind, lo, hi)
    found = ctx.marks.get(key)
    if found is None and not _may_begin(ctx, kind, lo, hi):
        found = ctx.marks[key] = []
    if found is None:
        text, markers = ctx.article.raw, ctx.lexicon.markers
        pattern = markers.get(kind)
        yet = markers.get("not_negation") if kind == "negation" else None
        found = ctx.marks[key] = [
            m.start()
            for m in (pattern.finditer(text, lo, hi) if pattern is not None else ())
            if not (yet and yet.search(text, max(lo, m.start() - 4), m.end()))
        ]
    return found


def _may_begin(ctx: _Context, kind: str, lo: int, hi: int) -> bool:
    """Whether a marker of ``kind`` may begin in ``text[lo:hi]`` (True when not known)."""
    starts = ctx.marker_starts
    if starts is None or kind not in starts:
        return True
    offsets = starts[kind]
    first = bisect_left(offsets, lo)
    return first < len(offsets) and offsets[first] < hi


class _When(NamedTuple):
    phrase: str
    start: int | None
    end: int | None
    value: str
    date_start: str
    date_end: str
    precision: str
    basis: str


def _publication(article: Article) -> _When:
    first, last = article.date_start.date(), article.date_end.date()
    return _When(
        "", None, None, "", str(first), str(last), precision_of(first, last), "publication"
    )


def _resolved(ctx: _Context, phrase: str, past: bool) -> TimeInterval | None:
    """``resolve(phrase, article.date, past=past)``, None if it is no time expression;
    remembered for the article (its date does not change)."""
    key = (phrase, past)
    if key not in ctx.times:
        try:
            ctx.times[key] = resolve(phrase, ctx.article.date, past=past)
        except TimexError:
            ctx.times[key] = None
    return ctx.times[key]


_Phrase = tuple[int, int, str]  # a time expression: start, end, text


def _sentence_phrases(
    article: Article, phrases: Sequence[_Phrase], sentence, starts: list[int] | None = None
) -> tuple[list, list]:
    """The time phrases of a sentence, and those before it in its paragraph (nearest first).
    ``starts``: the phrases' starts when they are in order of start (:func:`_phrase_starts`),
    for bisection instead of a pass over every phrase of the article."""
    block = article.blocks[sentence.block]
    if starts is None:
        in_sentence = [p for p in phrases if sentence.start <= p[0] < sentence.end]
        earlier = [p for p in phrases if block.start <= p[0] < sentence.start]
        return in_sentence, earlier[::-1]
    first = bisect_left(starts, sentence.start)
    in_sentence = list(phrases[first : bisect_left(starts, sentence.end, first)])
    earlier = list(phrases[bisect_left(starts, block.start, 0, first) : first])
    return in_sentence, earlier[::-1]


def _phrase_starts(phrases: Sequence[_Phrase]) -> list[int] | None:
    """The starts of ``phrases`` if they are in order of start (as timex finds them), else
    None."""
    starts = [p[0] for p in phrases]
    return starts if all(a <= b for a, b in pairwise(starts)) else None


def _clause_phrases(in_sentence: list[_Phrase], earlier: list[_Phrase], clause) -> list[_Phrase]:
    """The time phrases a suggestion of ``clause`` may be dated by, in the order tried: those
    of the clause, of its sentence, then those before it in the paragraph, nearest first
    (``in_sentence`` and ``earlier``: :func:`_sentence_phrases`)."""
    in_clause = [p for p in in_sentence if clause[0] <= p[0] < clause[1]]
    return [*in_clause, *in_sentence, *earlier]


def _when(ctx: _Context, phrases: list[_Phrase], quote, past: bool) -> _When:
    """The time of a suggestion: the first of ``phrases`` (:func:`_clause_phrases`) resolved
    to a day, week, month, season or year with :func:`helpers.timex.resolve` (``past`` when
    the clause's verb is in a past tense; basis ``context`` unless the phrase is in the
    quote). Else the publication period."""
    for start, end, phrase in phrases:
        interval = _resolved(ctx, phrase, past)
        if interval is None or interval.precision not in ("day", "week", "month", "season", "year"):
            continue
        inside = quote[0] <= start and end <= quote[1]
        basis = interval.basis if inside and interval.basis != "context" else "context"
        return _When(
            phrase,
            start,
            end,
            interval.value,
            str(interval.start),
            str(interval.end),
            interval.precision,
            basis,
        )
    return ctx.publication


# --- suggestions --------------------------------------------------------------------------------

_GAPPED = re.compile(r"\s*(?:en|maar|of)\s", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S")


class _Made(NamedTuple):
    """A suggestion made: its cells (:data:`SUGGESTION_COLUMNS`) and what later clauses of
    the article read of it."""

    cells: tuple[str, ...]
    key: tuple[str, ...]  # quote start, type, actors, recipients: one suggestion per key
    cue: Cue
    sentence: int
    block: int
    actors: tuple[Mention, ...]
    recipients: tuple[Mention, ...]
    recipient_states: frozenset[str]


_NOTE = "suggested by helpers.suggest; check before accepting"


def _row(
    ctx: _Context,
    cue: Cue,
    who: _Attribution,
    quote: tuple[int, int],
    sentence_index: int,
    modality: str,
    when: _When,
    names: dict[str, str],
) -> _Made:
    text = ctx.article.raw
    actor_ids = _ids(who.actors)
    recipient_ids = _ids(who.recipients)
    named, to = _english(ctx, names, actor_ids, recipient_ids)
    gloss = f"{named}: {cue.gloss_en}{to}"
    confidence, rule = cue.texts(who.rule)
    quote_start = str(quote[0])
    cells = (
        confidence,
        rule,
        ctx.article.id,  # article_id
        "",  # event_id
        actor_ids,
        recipient_ids,
        *cue.codes,  # plover_event_type, plover_mode, cameo_code, goldstein, quad_class, sign
        text[quote[0] : quote[1]],  # quote_nl
        quote_start,
        str(quote[1]),  # quote_end
        gloss,  # gloss_en
        when.phrase,  # time_phrase_nl
        "" if when.start is None else str(when.start),  # time_start
        "" if when.end is None else str(when.end),  # time_end
        when.value,  # timex_value
        when.date_start,
        when.date_end,
        when.precision,  # date_precision
        when.basis,  # date_basis
        "",  # reference_fact_id
        modality,
        _NOTE,  # coder_note
    )
    return _Made(
        cells,
        (quote_start, cue.plover_event_type, actor_ids, recipient_ids),
        cue,
        sentence_index,
        ctx.article.sentences[sentence_index].block,
        tuple(who.actors),
        tuple(who.recipients),
        frozenset([m.state for m in who.recipients]),
    )


def _ids(mentions: Sequence[Mention]) -> str:
    """The actor ids of ``mentions``, each once, in order, joined by ";"."""
    if len(mentions) == 1:  # the usual case, without a dict
        return mentions[0].actor_id
    return ";".join(dict.fromkeys([m.actor_id for m in mentions]))


def _english(
    ctx: _Context, names: dict[str, str], actor_ids: str, recipient_ids: str
) -> tuple[str, str]:
    """The English names of ``actor_ids`` joined by "and", and " (names)" of
    ``recipient_ids`` joined by commas, if any (an id without a name stands for itself);
    remembered for the article."""
    key = (actor_ids, recipient_ids)
    found = ctx.english.get(key)
    if found is None:
        named = [names.get(a, a) for a in split_ids(actor_ids)]
        to = [names.get(a, a) for a in split_ids(recipient_ids)]
        found = ctx.english[key] = (" and ".join(named), f" ({', '.join(to)})" if to else "")
    return found


def _gapped_cue(ctx: _Context, text: str, clause, sentence_index: int):
    """A clause "en Armeniërs tegen de CSTO" without a verb of its own repeats the cue of the
    previous suggestion in the sentence: (cue, attribution) or None."""
    if not _GAPPED.match(text, clause[0]):
        return None
    previous = _last_made(ctx, sentence_index)
    if previous is None:
        return None
    cue = previous.cue
    inside = [
        m for m in ctx.window(*clause) if clause[0] <= m.start < clause[1] and m.kind != "city"
    ]
    if len(inside) < 2:
        return None
    return cue, _Attribution(inside[:1], inside[1:2], "gapped: the verb of the clause before")


def suggest_events(
    article: Article,
    lexicon: Lexicon | None = None,
    actors: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    phrases: Sequence[tuple[int, int, str]] | None = None,
) -> pd.DataFrame:
    """Candidate events of one article: one row per cue that fired and found an actor, with
    every column of ``data/events.csv`` (``event_id`` empty) plus ``confidence`` and ``rule``
    (the lexicon row and the attribution rules that fired): :data:`SUGGESTION_COLUMNS`.
    ``mentions``: the article's :func:`helpers.actors.tag_mentions` table, and ``phrases``:
    its ``find_time_expressions(article.raw)``, when already made. Many articles:
    :func:`suggestion_rows` with one :class:`Tables`."""
    tables = Tables.of(lexicon, actors)
    frame = mentions if mentions is not None else tag_mentions(article)
    found = mentions_of(frame["actor_id"], frame["start"], frame["end"], tables.actors)
    rows = suggestion_rows(article, tables, found, phrases)
    return pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))


def suggestion_rows(
    article: Article,
    tables: Tables,
    mentions: list[Mention],
    phrases: Sequence[tuple[int, int, str]] | None = None,
) -> list[tuple[str, ...]]:
    """The rows of :func:`suggest_events` as tuples of text cells, in the order of
    :data:`SUGGESTION_COLUMNS`: for many articles, without a table per article.
    ``mentions``: the article's actor mentions (:func:`mentions_of`), ``phrases`` its time
    expressions (found here when None)."""
    lexicon = tables.lexicon
    ctx = _Context(article, mentions, Counter(m.state for m in mentions), lexicon)
    text = article.raw
    phrases = find_time_expressions(text) if phrases is None else phrases
    phrase_starts = _phrase_starts(phrases)
    for index, sentence in enumerate(article.sentences):
        sentence_hits = lexicon.cue_matches(text, sentence.start, sentence.end)
        if not sentence_hits:  # no cue, so no suggestion, nor a gapped clause repeating one
            continue
        hit_starts = [m.start() for _, m in sentence_hits]  # in order: a clause's are a slice
        in_sentence, earlier = _sentence_phrases(article, phrases, sentence, phrase_starts)
        for clause in _clauses(text, sentence.start, sentence.end):
            first = bisect_left(hit_starts, clause[0])
            hits = sentence_hits[first : bisect_left(hit_starts, clause[1], first)]
            if not hits:
                gapped = _gapped_cue(ctx, text, clause, index)
                hits = [(gapped[0], None)] if gapped else []
            near, past = None, None  # its time phrases and tense: for its first suggestion
            for cue, match in hits:  # by position: the scan's order
                if match is None:
                    who = gapped[1]
                    match = _NON_SPACE.search(text, clause[0])
                else:
                    who = attribute(ctx, cue, match, clause, index)
                if who is None:
                    continue
                quote = _trim(text, clause[0], max(clause[1], match.end()))
                if near is None:
                    near = _clause_phrases(in_sentence, earlier, clause)
                    past = bool(near) and _PAST.search(text, clause[0], clause[1]) is not None
                when = _when(ctx, near, quote, past)
                modality = _modality(ctx, clause, match, sentence)
                ctx.add(_row(ctx, cue, who, quote, index, modality, when, tables.names))
    return _unique(ctx.made)


def _unique(made: list[_Made]) -> list[tuple[str, ...]]:
    """One suggestion per (quote, type, actors, recipients): the first, as its cells."""
    seen, kept = set(), []
    for row in made:
        if row.key not in seen:
            seen.add(row.key)
            kept.append(row.cells)
    return kept


# --- matching suggestions to the hand coding ----------------------------------------------------

MATCH_MODALITIES = ("asserted", "reported_speech")


def match_events(
    suggestions: pd.DataFrame, coded: pd.DataFrame, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Pair suggestions with hand-coded events, one to one: a pair is a match when they are of
    the same article, actor and recipient resolve to the same states or organisations
    (:func:`resolve_ids`), the PLOVER type agrees and the quote spans overlap. Suggestions are
    taken in order of confidence (then of position); each takes the first coded event (by
    event id) it matches that no earlier suggestion took.

    Returns one row per suggestion: its index in ``suggestions`` (``suggestion``), and the
    ``article_id`` and ``event_id`` it matched (empty when none)."""
    table = _actor_table(actors)
    coded_keys = [
        (
            r.article_id,
            r.event_id,
            resolve_ids(split_ids(r.actor_ids), table),
            resolve_ids(split_ids(r.recipient_ids), table),
            r.plover_event_type,
            int(r.quote_start),
            int(r.quote_end),
        )
        for r in coded.sort_values(["article_id", "event_id"], kind="stable").itertuples()
    ]
    order = sorted(
        range(len(suggestions)),
        key=lambda i: (-float(suggestions["confidence"].iloc[i]), i),
    )
    taken: set[tuple[str, str]] = set()
    matched = {}
    for i in order:
        s = suggestions.iloc[i]
        who = resolve_ids(split_ids(s["actor_ids"]), table)
        whom = resolve_ids(split_ids(s["recipient_ids"]), table)
        start, end = int(s["quote_start"]), int(s["quote_end"])
        for article, event, a, r, kind, c_start, c_end in coded_keys:
            if (article, event) in taken or article != s["article_id"]:
                continue
            same = a == who and r == whom and kind == s["plover_event_type"]
            if same and start < c_end and c_start < end:
                taken.add((article, event))
                matched[i] = (article, event)
                break
    return pd.DataFrame(
        {
            "suggestion": range(len(suggestions)),
            "article_id": [matched.get(i, ("", ""))[0] for i in range(len(suggestions))],
            "event_id": [matched.get(i, ("", ""))[1] for i in range(len(suggestions))],
        }
    )


def scores(
    suggestions: pd.DataFrame,
    coded: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    modalities: Sequence[str] = MATCH_MODALITIES,
) -> pd.DataFrame:
    """Recall and precision by PLOVER type and overall (last row, ``all``).

    Recall: the share of the coded events of ``modalities`` (default asserted and reported
    speech) that a suggestion matches (:func:`match_events`). Precision: the share of the
    suggestions that match a coded event of any modality (a suggested negated event that the
    coder coded is right, not a false alarm). Columns: ``coded``, ``found``, ``suggested``,
    ``correct``, ``recall``, ``precision``."""
    pairs = match_events(suggestions, coded, actors)
    hits = set(zip(pairs["article_id"], pairs["event_id"], strict=True))
    wanted = coded[coded["modality"].isin(modalities)]
    correct = pairs["event_id"] != ""
    types = sorted(set(wanted["plover_event_type"]) | set(suggestions["plover_event_type"]))
    rows = []
    for kind in [*types, "all"]:
        w = wanted if kind == "all" else wanted[wanted["plover_event_type"] == kind]
        mask = (
            pd.Series(True, index=suggestions.index)
            if kind == "all"
            else suggestions["plover_event_type"] == kind
        )
        found = sum((a, e) in hits for a, e in zip(w["article_id"], w["event_id"], strict=True))
        suggested = int(mask.sum())
        right = int(correct[mask.to_numpy()].sum())
        rows.append(
            {
                "plover_event_type": kind,
                "coded": len(w),
                "found": found,
                "suggested": suggested,
                "correct": right,
                "recall": round(found / len(w), 3) if len(w) else float("nan"),
                "precision": round(right / suggested, 3) if suggested else float("nan"),
            }
        )
    return pd.DataFrame(rows).set_index("plover_event_type")


# --- the review sheet and accept ----------------------------------------------------------------


def _next_ids(rows: pd.DataFrame, events_path: Path) -> list[str]:
    """Event ids for suggestions: per article, numbers after the highest in the events table."""
    try:
        coded = read_table(events_path, COLUMNS)
    except DataError:
        coded = pd.DataFrame(columns=list(COLUMNS))
    highest = Counter()
    for article, event in zip(coded["article_id"], coded["event_id"], strict=True):
        if re.fullmatch(r"E[0-9]+", event):
            highest[article] = max(highest[article], int(event[1:]))
    ids = []
    for article in rows["article_id"]:
        highest[article] += 1
        ids.append(f"E{highest[article]:02d}")
    return ids


def sheet_text(rows: pd.DataFrame) -> str:
    """The review sheet as CSV text: :data:`SHEET_COLUMNS`, every text cell spreadsheet-safe
    (:func:`helpers.tables.spreadsheet_safe`), ``decision`` empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SHEET_COLUMNS)
    for record in rows.to_dict("records"):
        writer.writerow([spreadsheet_safe(str(record.get(c, ""))) for c in SHEET_COLUMNS])
    return buffer.getvalue()


def write_sheet(
    articles: Sequence[Article],
    out: str | Path,
    events: str | Path = EVENTS,
    lexicon: Lexicon | None = None,
) -> list[Path]:
    """Write the review sheet ``out`` (one row per suggestion of each article) and, beside it,
    ``<out>_unresolved.csv``: the capitalised names no alias matches, per article, for the
    gazetteer. Returns the two paths."""
    lexicon = lexicon if lexicon is not None else load_cues()
    actors = load_actors(world=True)
    frames = [suggest_events(a, lexicon, actors) for a in articles]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    rows["event_id"] = _next_ids(rows, Path(events))
    rows.insert(0, "suggestion_id", [f"S{i:03d}" for i in range(1, len(rows) + 1)])
    rows.insert(1, "decision", "")
    out = Path(out)
    names = [unresolved_names(a).assign(article_id=a.id) for a in articles]
    unresolved = pd.concat(names, ignore_index=True) if names else pd.DataFrame()
    columns = ["article_id", "surface", "start", "end", "sentence"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in unresolved.reindex(columns=columns).to_dict("records"):
        writer.writerow(
            [spreadsheet_safe("" if pd.isna(record[c]) else str(record[c])) for c in columns]
        )
    side = out.with_name(out.stem + "_unresolved.csv")
    return [write_text(out, sheet_text(rows)), write_text(side, buffer.getvalue())]


def _unescape(cell: str) -> str:
    """Undo :func:`helpers.tables.spreadsheet_safe`: ``'=x`` back to ``=x``."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _accepted(path: Path) -> list[tuple[int, dict]]:
    """The sheet's rows marked accept (or edited): (line in the sheet, cells of events.csv)."""
    table = read_table(path, SHEET_COLUMNS)
    rows = []
    for record in table.to_dict("records"):
        decision = record["decision"].strip().lower()
        if decision not in DECISIONS:
            problem = f"{record['decision']!r} is not one of {[d for d in DECISIONS if d]}"
            raise DataError(path, int(record["_row"]), "decision", problem)
        if decision in ACCEPTED:
            rows.append((int(record["_row"]), {c: _unescape(record[c]) for c in COLUMNS}))
    return rows


def _csv_rows(rows: Iterable[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for cells in rows:
        writer.writerow([cells[c] for c in COLUMNS])
    return buffer.getvalue()


def _duplicate(cells: dict, coded: pd.DataFrame) -> str | None:
    """The id of a coded event this row repeats: same article, quote span, type and actors."""
    actors = frozenset(split_ids(cells["actor_ids"]))
    for r in coded.itertuples():
        same = (
            r.article_id == cells["article_id"]
            and (str(r.quote_start), str(r.quote_end)) == (cells["quote_start"], cells["quote_end"])
            and r.plover_event_type == cells["plover_event_type"]
            and frozenset(split_ids(r.actor_ids)) == actors
        )
        if same:
            return r.event_id
    return None


def accept_sheet(
    sheet: str | Path,
    events: str | Path = EVENTS,
    registry: str | Path | None = None,
    corpus_dirs: Sequence[str | Path] | None = None,
) -> int:
    """Append the sheet's accepted rows to ``events`` atomically, or nothing.

    Every accepted row is checked exactly as ``load_events`` checks the rows of events.csv
    (it checks the table with them appended); a row that repeats a coded event (same article,
    quote span, PLOVER type and actors) or another accepted row is refused naming the event.
    Any problem raises :class:`DataError` naming the sheet, its row and column, and
    ``events`` is left byte-identical. Returns the number of rows appended."""
    sheet, events = Path(sheet), Path(events)
    accepted = _accepted(sheet)
    if not accepted:
        return 0
    coded_text = events.read_bytes().decode("utf-8-sig")
    coded = read_table(events, COLUMNS)
    for line, cells in accepted:
        twin = _duplicate(cells, coded)
        if twin is not None:
            problem = f"repeats event {cells['article_id']}:{twin} of {events}"
            raise DataError(sheet, line, "quote_start", problem)
    if coded_text and not coded_text.endswith("\n"):
        coded_text += "\n"
    first_new = coded_text.count("\n") + 1
    lines, text = {}, ""
    for line, cells in accepted:
        lines[first_new + text.count("\n")] = line
        text += _csv_rows([cells])
    combined = coded_text + text
    with tempfile.TemporaryDirectory(prefix="csto-accept-") as folder:
        trial = Path(folder) / "events.csv"
        trial.write_text(combined, encoding="utf-8")
        try:
            load_events(trial, registry=registry, corpus_dirs=corpus_dirs)
        except DataError as err:
            if err.row in lines:
                raise DataError(sheet, lines[err.row], err.column, err.problem) from None
            raise DataError(events, err.row, err.column, err.problem) from None
    write_bytes(events, combined.encode("utf-8"))
    return len(accepted)


# --- the command line ---------------------------------------------------------------------------


def _articles(corpus: Sequence[str], ids: Sequence[str] | None, registry: str | None):
    return load_corpus_articles(corpus or None, ids or None, registry).articles


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.suggest suggest ... --out FILE.csv`` and ``... accept FILE.csv``."""
    parser = argparse.ArgumentParser(prog="python3 tasks.py")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("suggest", help="write a review sheet of candidate events")
    make.add_argument("--corpus", action="append", default=[], help="a folder of texts")
    make.add_argument("--articles", nargs="+", help="article ids (default: every one found)")
    make.add_argument("--registry", help="the article registry (default data/articles.csv)")
    make.add_argument("--events", default=str(EVENTS), help="for the next free event ids")
    make.add_argument("--out", required=True, help="the review sheet to write (.csv)")
    take = commands.add_parser("accept", help="append a sheet's accepted rows to events.csv")
    take.add_argument("sheet")
    take.add_argument("--events", default=str(EVENTS))
    take.add_argument("--registry")
    take.add_argument("--corpus", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        if args.command == "suggest":
            articles = _articles(args.corpus, args.articles, args.registry)
            paths = write_sheet(articles, args.out, args.events)
            print(f"{len(articles)} articles: review sheet {paths[0]}, names {paths[1]}")
        else:
            count = accept_sheet(args.sheet, args.events, args.registry, args.corpus or None)
            print(f"{count} accepted rows appended to {args.events}")
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        print("nothing was written", file=sys.stderr) if args.command == "accept" else None
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- for reading (notebook 07) --------------------------------------------------------------------


def _pair(actor_ids: str, recipient_ids: str, kind: str) -> str:
    return f"{actor_ids or '?'} {kind} {recipient_ids or '(none)'}"


def side_by_side(
    suggestions: pd.DataFrame, coded: pd.DataFrame, actors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each suggestion next to the hand-coded event it matches (:func:`match_events`): who
    did what to whom in both, the Dutch words, the modality, the rule that fired."""
    pairs = match_events(suggestions, coded, actors)
    by_id = {(r.article_id, r.event_id): r for r in coded.itertuples()}
    rows = []
    for s, (article, event) in zip(
        suggestions.itertuples(),
        zip(pairs["article_id"], pairs["event_id"], strict=True),
        strict=True,
    ):
        c = by_id.get((article, event))
        rows.append(
            {
                "suggested": _pair(s.actor_ids, s.recipient_ids, s.plover_event_type),
                "modality": s.modality,
                "quote_nl": s.quote_nl,
                "matches": event or "-",
                "coded": _pair(c.actor_ids, c.recipient_ids, c.plover_event_type) if c else "",
                "rule": s.rule,
            }
        )
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="suggestion"))


def missed(
    suggestions: pd.DataFrame,
    coded: pd.DataFrame,
    actors: pd.DataFrame | None = None,
    modalities: Sequence[str] = MATCH_MODALITIES,
) -> pd.DataFrame:
    """The coded events of ``modalities`` no suggestion matched, with the English gloss and
    why: no cue fired on their words, or what the suggestions on those words said instead."""
    pairs = match_events(suggestions, coded, actors)
    hit = set(zip(pairs["article_id"], pairs["event_id"], strict=True))
    rows = []
    for c in coded[coded["modality"].isin(modalities)].itertuples():
        if (c.article_id, c.event_id) in hit:
            continue
        start, end = int(c.quote_start), int(c.quote_end)
        near = suggestions[
            (suggestions["article_id"] == c.article_id)
            & (suggestions["quote_start"].astype(int) < end)
            & (suggestions["quote_end"].astype(int) > start)
        ]
        if near.empty:
            why = "no cue of the lexicon fired on these words"
        else:
            said = "; ".join(
                _pair(s.actor_ids, s.recipient_ids, s.plover_event_type) for s in near.itertuples()
            )
            why = f"suggested instead: {said}"
        rows.append(
            {
                "event": c.event_id,
                "coded": _pair(c.actor_ids, c.recipient_ids, c.plover_event_type),
                "gloss_en": c.gloss_en,
                "quote_nl": c.quote_nl,
                "why": why,
            }
        )
    return pd.DataFrame(rows, columns=["event", "coded", "gloss_en", "quote_nl", "why"])
