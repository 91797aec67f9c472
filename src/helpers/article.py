"""Parse a dated Dutch news article into blocks, sentences and quotations with exact offsets."""

from __future__ import annotations

import bisect
import calendar
import hashlib
import os
import re
import stat
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import pandas as pd

from helpers.textview import TextView, is_printable, text_view

__all__ = [
    "TEXT_SUFFIX",
    "Article",
    "ArticleError",
    "Block",
    "Quote",
    "Sentence",
    "Span",
    "blocks_table",
    "corpus_files",
    "is_text_file_name",
    "load_article",
    "load_corpus",
    "parse_article",
    "quotes_table",
    "read_article_bytes",
    "sentences_table",
]


class ArticleError(ValueError):
    """A malformed article file: names the file, the 1-based line and the problem (line 0: a
    problem of the file as a whole, such as a FIFO or a missing file; the line is then not
    shown in the message)."""

    def __init__(self, path: str | Path, line: int, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple:  # pickled whole (a Dask worker's error reaches the client)
        return type(self), (self.path, self.line, self.problem)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the raw text: ``raw[start:end] == text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Block:
    """A lede, paragraph, heading or caption; a caption's photo credit is split off."""

    index: int
    kind: str  # lede | paragraph | heading | caption
    start: int
    end: int
    text: str
    line: int  # 1-based line of the raw file where the block starts
    credit: Span | None = None  # "Beeld AP" after a caption

    @property
    def credit_name(self) -> str | None:
        """Who the photo is credited to ("AP" for "Beeld AP")."""
        if self.credit is None:
            return None
        return _CREDIT_WORD.sub("", self.credit.text, count=1).strip()


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    block: int
    start: int
    end: int
    text: str


# The setters of a Sentence's slots, in the order of its fields (see _sentence).
_SET_INDEX, _SET_BLOCK, _SET_START, _SET_END, _SET_TEXT = (
    getattr(Sentence, name).__set__ for name in ("index", "block", "start", "end", "text")
)


def _sentence(index: int, block: int, start: int, end: int, text: str) -> Sentence:
    """``Sentence(index, block, start, end, text)`` with its slots set directly: the frozen
    class's ``__init__`` sets each field through ``object.__setattr__``, which takes about
    twice as long, and the parser makes one per sentence (tens of thousands a partition)."""
    sentence = object.__new__(Sentence)
    _SET_INDEX(sentence, index)
    _SET_BLOCK(sentence, block)
    _SET_START(sentence, start)
    _SET_END(sentence, end)
    _SET_TEXT(sentence, text)
    return sentence


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted span; ``start``/``end`` cover the words inside the quotation marks."""

    index: int
    block: int
    sentence: int
    start: int
    end: int
    text: str
    marks: str  # the opening and closing marks, e.g. "‘’" or "“”"


ID_DIGITS = 12  # an article's id: the first hex digits of the sha256 of its bytes


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    raw: str
    sha256: str
    date: str  # as stated: "2022-11"
    date_precision: str  # year | month | day
    date_span: Span
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    quotes: tuple[Quote, ...]

    @cached_property
    def view(self) -> TextView:
        """The normalised view of :attr:`raw` (:func:`helpers.textview.text_view`), made once
        per article for every stage that searches it (:func:`parse_article` keeps the one it
        made)."""
        return text_view(self.raw)

    @property
    def lede(self) -> Block:
        return self.blocks[0]

    @property
    def date_start(self) -> pd.Timestamp:
        """First day of the publication period the date line allows."""
        return pd.Timestamp(_period_bounds(self.date)[0])

    @property
    def date_end(self) -> pd.Timestamp:
        """Last day of the publication period the date line allows (inclusive)."""
        return pd.Timestamp(_period_bounds(self.date)[1])

    @cached_property
    def _sentence_starts(self) -> list[int] | None:
        """Sentence starts for bisection, or None when the sentences are not in order and
        disjoint (a hand-made Article): then :meth:`sentence_at` scans them."""
        starts = [s.start for s in self.sentences]
        ordered = all(a.end <= b.start for a, b in pairwise(self.sentences))
        return starts if ordered else None

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds character ``offset``, if any (a binary search)."""
        starts = self._sentence_starts
        if starts is None:
            return next((s for s in self.sentences if s.start <= offset < s.end), None)
        at = bisect.bisect_right(starts, offset) - 1
        if at >= 0 and offset < self.sentences[at].end:
            return self.sentences[at]
        return None


# --- reading -------------------------------------------------------------------------------

_DATE_LINE = re.compile(r"[ \t\ufeff]*date(?=[ \t]|$)[ \t]*(?P<value>\S*)[ \t]*(?P<rest>.*)")
# ASCII digits only: \d would also take Arabic-Indic and other decimal digits ("٢٠٢٢").
_DATE_VALUE = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")
YEARS = (1900, 2100)  # the plausible years of a date line, inclusive
_CREDIT_WORD = re.compile(r"^(?:Beeld|Foto)\b")
# A caption ends with a photo credit: "... Beeld AP", "Beeld ANP / Koen van Weel", "Foto Reuters".
_CREDIT_AT_END = re.compile(r"(?:^|(?<=\s))(?P<credit>(?:Beeld|Foto)\s+[^\s.!?][^.!?]{0,79})$")
_HEADING_END = re.compile(r"[.!?:;,…’”\"')]$")
_WORD = re.compile(r"\w+(?:[-’'.]\w+)*")


def _period_bounds(value: str) -> tuple[str, str]:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0]:04d}-01-01", f"{parts[0]:04d}-12-31"
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return f"{parts[0]:04d}-{parts[1]:02d}-01", f"{parts[0]:04d}-{parts[1]:02d}-{last:02d}"
    return value, value


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ArticleError(
            path,
            line,
            f"not valid UTF-8: byte 0x{data[err.start]:02x} at byte offset {err.start}",
        ) from None


# Control characters are not article text (tab, line feed and carriage return are): a NUL
# byte suggests a binary or UTF-16 file, C1 controls text decoded with the wrong code page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _check_characters(raw: str, path: str) -> None:
    """Raise :class:`ArticleError` at the first control character, naming its line and
    column."""
    bad = _CONTROL.search(raw)
    if bad is None:
        return
    breaks = list(_LINE_BREAK.finditer(raw, 0, bad.start()))
    line_start = breaks[-1].end() if breaks else 0
    code = ord(bad.group())
    raise ArticleError(
        path,
        len(breaks) + 1,
        f"control character U+{code:04X} at column {bad.start() - line_start + 1}: not "
        "article text (a binary or UTF-16 file, or text in another encoding?)",
    )


# A blank is white space or a BOM; a line holds no line break; a block is a run of lines that
# are not blank, from its first visible character to its last.
_VISIBLE = r"[^\s\ufeff]"
_BLANKS = re.compile(r"[\s\ufeff]*+")
_LINE_BLANK = r"(?:[^\S\r\n]|\ufeff)"
_BLOCK = re.compile(
    rf"{_VISIBLE}(?>[^\r\n]*{_VISIBLE})?"
    rf"(?:{_LINE_BLANK}*+(?:\r\n|\r|\n){_LINE_BLANK}*+{_VISIBLE}(?>[^\r\n]*{_VISIBLE})?)*+"
)
_FIRST_VISIBLE = re.compile(_VISIBLE)


def _line_breaks(raw: str, start: int, end: int) -> int:
    """How many line breaks (LF, CRLF or CR) ``raw[start:end]`` holds (neither end may fall
    inside a CRLF)."""
    breaks = raw.count("\n", start, end)
    carriage = raw.count("\r", start, end)
    return breaks + carriage - raw.count("\r\n", start, end) if carriage else breaks


def _line_at(raw: str, offset: int) -> tuple[int, int, int]:
    """The (1-based number, start, end) of the line that holds ``offset``, without its line
    ending."""
    start = max(raw.rfind("\n", 0, offset), raw.rfind("\r", 0, offset)) + 1
    after = _LINE_BREAK.search(raw, offset)
    return _line_breaks(raw, 0, start) + 1, start, len(raw) if after is None else after.start()


def _strip(raw: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it holds no leading or trailing white space (or BOM)."""
    start = _BLANKS.match(raw, start, end).end()
    while end > start and (raw[end - 1].isspace() or raw[end - 1] == "\ufeff"):
        end -= 1
    return start, end


def _short(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut after ``limit`` characters."""
    return (
        repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"
    )


def _parse_date(raw: str, path: str, line: int, start: int, end: int) -> tuple[Span, str, int]:
    """Parse the date line; return its value span, precision and where the rest of it starts."""
    text = raw[start:end]
    match = _DATE_LINE.fullmatch(text)
    if match is None:
        shown = text.strip()[:40]
        raise ArticleError(path, line, f"expected a date line like 'date 2022-11', found {shown!r}")
    value = match.group("value")
    if not value:
        raise ArticleError(path, line, "date line has no date: expected 'date YYYY-MM'")
    parsed = _DATE_VALUE.fullmatch(value)
    if parsed is None:
        raise ArticleError(
            path,
            line,
            f"malformed date {_short(value)}: expected YYYY, YYYY-MM or YYYY-MM-DD in ASCII "
            "digits 0-9",
        )
    year = int(parsed.group("year"))
    if not YEARS[0] <= year <= YEARS[1]:
        raise ArticleError(
            path,
            line,
            f"implausible year {year} in date {value!r}: expected {YEARS[0]} to {YEARS[1]}",
        )
    precision = "year"
    if parsed.group("month") is not None:
        month = int(parsed.group("month"))
        if not 1 <= month <= 12:
            raise ArticleError(path, line, f"impossible month {month:02d} in date {value!r}")
        precision = "month"
        if parsed.group("day") is not None:
            day = int(parsed.group("day"))
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ArticleError(path, line, f"impossible day {day:02d} in date {value!r}")
            precision = "day"
    value_start = start + match.start("value")
    rest_start = start + match.start("rest")
    return Span(value_start, value_start + len(value), value), precision, rest_start


def _classify(raw: str, start: int, end: int, line: int, index: int) -> Block:
    text = raw[start:end]
    # The credit regex tries every position of the block: look for its words first.
    has_credit_word = "Beeld" in text or "Foto" in text
    credit_match = _CREDIT_AT_END.search(text) if has_credit_word else None
    before = text[: credit_match.start()].rstrip() if credit_match else ""
    if credit_match is not None and (not before or before[-1] in '.!?…”’")'):
        credit_start = start + credit_match.start("credit")
        credit_end = start + credit_match.end("credit")
        body_start, body_end = _strip(raw, start, credit_start)
        credit = Span(credit_start, credit_end, raw[credit_start:credit_end])
        if body_start == body_end:
            body_start = body_end = credit_start
        return Block(index, "caption", body_start, body_end, raw[body_start:body_end], line, credit)
    single_line = "\n" not in text and "\r" not in text
    if single_line and len(text) <= 80 and not _HEADING_END.search(text):
        return Block(index, "heading", start, end, text, line)
    return Block(index, "paragraph", start, end, text, line)


def parse_article(data: bytes | str, path: str | Path = "<string>") -> Article:
    """Parse an article from its bytes (or already decoded text).

    Format: a first line ``date YYYY-MM`` (or ``YYYY`` / ``YYYY-MM-DD``) followed on the same line
    by the lede; then blocks separated by blank lines. Raises :class:`ArticleError` on bad input.
    """
    path = str(path)
    if isinstance(data, bytes):
        sha = hashlib.sha256(data).hexdigest()
        raw = _decode(data, path)
    else:
        raw = data
        sha = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    visible = _FIRST_VISIBLE.search(raw)
    if visible is None:  # nothing but white space and BOMs
        raise ArticleError(path, 1, "file is empty")
    printable = is_printable(raw)  # then it holds no control character (one scan in C)
    if not printable:
        _check_characters(raw, path)

    number, line_start, line_end = _line_at(raw, visible.start())
    date_span, precision, rest_start = _parse_date(raw, path, number, line_start, line_end)

    blocks: list[Block] = []
    lede_start, lede_end = _strip(raw, rest_start, line_end)
    if lede_start < lede_end:
        blocks.append(Block(0, "lede", lede_start, lede_end, raw[lede_start:lede_end], number))
    # The blocks after the date line: runs of lines that are not blank.
    line, counted = number, line_start
    for match in _BLOCK.finditer(raw, line_end):
        start, end = match.span()
        # a printable text has no carriage return: its line breaks are its line feeds
        line += raw.count("\n", counted, start) if printable else _line_breaks(raw, counted, start)
        counted = start
        if blocks:
            blocks.append(_classify(raw, start, end, line, len(blocks)))
        else:
            blocks.append(Block(0, "lede", start, end, raw[start:end], line))
    if not blocks:
        raise ArticleError(path, number, "article has no text after the date line")

    view_of_raw = text_view(raw, printable)
    sentences, quotes = _sentences_and_quotes(raw, blocks, view_of_raw.is_raw)
    article = Article(
        id=sha[:ID_DIGITS],
        path=path,
        raw=raw,
        sha256=sha,
        date=date_span.text,
        date_precision=precision,
        date_span=date_span,
        blocks=tuple(blocks),
        sentences=sentences,
        quotes=quotes,
    )
    article.__dict__["view"] = view_of_raw  # what the cached property Article.view would make
    return article


def _sentences_and_quotes(
    raw: str, blocks: list[Block], plain: bool
) -> tuple[tuple[Sentence, ...], tuple[Quote, ...]]:
    """The sentences and quotations of the blocks, numbered through the article. They are
    found in the normalised view (helpers.textview): one view per block for both, or none at
    all when the whole text is its own view (``plain``: NFC, nothing invisible), as it usually
    is. A plain text is searched once for the opening marks every quotation starts with, so
    that only the blocks that hold one are scanned for quotations (most quote nobody)."""
    sentences: list[Sentence] = []
    quotes: list[Quote] = []
    openers = _opening_marks(raw) if plain else []
    for block in blocks:
        index, start, end = block.index, block.start, block.end
        first = len(sentences)
        view = None if plain else _view_of(raw, start, end)
        for s, e in _split(raw, start, end) if plain else _in_view(_split, raw, start, end, view):
            sentences.append(_sentence(len(sentences), index, s, e, raw[s:e]))
        if plain:
            at = bisect.bisect_left(openers, start)
            if at == len(openers) or openers[at] >= end:
                continue
        # A quotation belongs to the sentence it starts in (the block's sentences are in order
        # and disjoint: a binary search), else to the block's first sentence.
        starts = [sentence.start for sentence in sentences[first:]]
        for s, e, marks in _in_view(_scan_quotes, raw, start, end, view):
            at = first + bisect.bisect_right(starts, s) - 1
            sentence = at if at >= first and s < sentences[at].end else first
            quotes.append(Quote(len(quotes), index, sentence, s, e, raw[s:e], marks))
    return tuple(sentences), tuple(quotes)


# An article file is at most this many bytes: a news article is a few kilobytes; a file this
# large is something else (a log, a dump) and would need gigabytes of memory to parse.
MAX_BYTES = 50 * 1024 * 1024

_NOT_REGULAR = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "FIFO (named pipe)"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def _check_file(path: str | Path, info: os.stat_result) -> None:
    """Raise :class:`ArticleError` unless ``info`` is that of a regular file of at most
    ``MAX_BYTES`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        path = Path(path)
        kind = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "special file")
        if path.is_symlink():
            kind += f" ({os.path.realpath(path)}, by a symbolic link)"
        raise ArticleError(path, 0, f"not a regular file: {kind}")
    if info.st_size > MAX_BYTES:
        raise ArticleError(
            Path(path),
            0,
            f"file too large: {info.st_size:,} bytes; an article is at most {MAX_BYTES:,} bytes",
        )


# Read-only and non-blocking; not becoming the controlling terminal; closed on exec.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_up_to(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd``, fewer only at its end (one os.read may return less)."""
    chunks = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_article_bytes(path: str | Path) -> bytes:
    """The bytes of an article file, refused at once (:class:`ArticleError`, nothing read)
    if it is not a regular file (a FIFO, a device such as /dev/zero, a directory, a socket,
    or a symbolic link to one) or is larger than ``MAX_BYTES``.

    The file is checked with ``os.stat`` before it is opened, opened read-only and
    non-blocking (a FIFO put in its place in between does not block), and checked again on
    the open file (``os.fstat``), so what is read is what was checked."""
    # A str is used as it is (a Path is made only for an error's message: it costs as much as
    # the stat); the file is read with os.read, without a buffered file object.
    if not isinstance(path, str):
        path = Path(path)
    try:
        _check_file(path, os.stat(path))
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise ArticleError(Path(path), 0, f"cannot read file: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        _check_file(path, info)
        # What the file holds and a byte more (asking for MAX_BYTES + 1 at once allocates that
        # much); a file that grew since is read on, up to the limit.
        data = _read_up_to(fd, info.st_size + 1)
        if len(data) > info.st_size:
            data += _read_up_to(fd, MAX_BYTES + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # it grew after the check
        raise ArticleError(Path(path), 0, f"file too large: more than {MAX_BYTES:,} bytes")
    return data


def file_article_id(path: str | Path) -> str:
    """The id :func:`load_article` gives the file (its content hash), without parsing it."""
    return hashlib.sha256(read_article_bytes(path)).hexdigest()[:ID_DIGITS]


def load_article(path: str | Path) -> Article:
    """Read one article file (opened read-only, as bytes: :func:`read_article_bytes`) and
    parse it."""
    return parse_article(read_article_bytes(path), path)


TEXT_SUFFIX = ".txt"  # compared case-insensitively: "A.TXT" is a text file, ".a.txt" is hidden


def is_text_file_name(name: str, suffix: str = TEXT_SUFFIX) -> bool:
    """Whether ``name`` is a bare name of an article file: no folder, not hidden (``.x.txt``),
    ending in ``suffix`` in any case (``A.TXT`` counts)."""
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and name.lower().endswith(suffix.lower())
        and len(name) > len(suffix)
    )


def corpus_files(folder: str | Path, suffix: str = TEXT_SUFFIX) -> tuple[list[Path], list[Path]]:
    """The article files of a corpus folder, and the hidden ones skipped, both sorted by name.

    The rule: every entry directly in ``folder`` (not in subfolders) whose name ends in
    ``suffix`` in any case (".txt", ".TXT", ".Txt"), except hidden ones (the name starts with
    "."), which are skipped. Other names are ignored. An entry that matches but is not a
    regular file (a folder "x.txt", a FIFO) is not skipped: :func:`load_article` refuses it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ArticleError(folder, 0, "not a folder of articles")
    files: list[Path] = []
    hidden: list[Path] = []
    for path in sorted(folder.iterdir()):
        if is_text_file_name(path.name, suffix):
            files.append(path)
        elif is_text_file_name(path.name.lstrip("."), suffix):
            hidden.append(path)
    return files, hidden


def load_corpus(folder: str | Path, suffix: str = TEXT_SUFFIX) -> list[Article]:
    """Load every article in ``folder`` (the files of :func:`corpus_files`, sorted by name);
    ids are content hashes. Hidden files are skipped with a warning that names them."""
    files, hidden = corpus_files(folder, suffix)
    if hidden:
        names = ", ".join(p.name for p in hidden)
        warnings.warn(f"{folder}: skipped {len(hidden)} hidden file(s): {names}", stacklevel=2)
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path in files:
        article = load_article(path)
        if article.id in seen:
            raise ArticleError(path, 0, f"same content as {seen[article.id]} (id {article.id})")
        seen[article.id] = str(path)
        articles.append(article)
    return articles


# --- sentences -----------------------------------------------------------------------------

# Dutch (and a few English) abbreviations that end in a full stop but do not end a sentence.
ABBREVIATIONS = frozenset(
    """
    a.d a.i a.s aanv afb afd alg art bijv blz bv ca cf d.d d.m.v d.w.z dhr dr drs e.a e.d e.v
    enz etc fig gen i.c i.e i.h.a i.p.v i.s.m ing ir jl jr kol lt m.a.w m.b.t m.i.v m.n mevr mgr
    mln mr mrd n.a.v n.v.t nl nr o.a o.b.v o.i.d p pag plm prof resp sr st ste str t.a.v t.o.v
    t.z.t v.chr n.chr vgl vs z.g.a.n zgn
    """.split()
)
_OPENERS = "‘“„\"'([¿¡"
# A run of sentence-ending marks (and the closing marks after it) that ends the text searched
# or is followed by white space: a possible end of a sentence; ``next``, the first character
# after that white space (none at the end of the text).
_TERMINATOR = re.compile(
    r"(?P<marks>[.!?…][.!?…]*+)[’”\"')\]]*+(?=\s*+\Z|\s++(?P<next>.))", re.DOTALL
)
# The word before a full stop: what follows the last white space or opening mark. Only words
# as long as the longest abbreviation matter, so at most one character more is looked at.
_WORD_WIDTH = max(map(len, ABBREVIATIONS)) + 1
_WORD_BEFORE = re.compile(rf"[^\s{re.escape(_OPENERS)}]{{1,{_WORD_WIDTH}}}\Z")
# The last two characters of the abbreviations of two or more.
_ABBREVIATION_ENDS = frozenset(word[-2:] for word in ABBREVIATIONS if len(word) > 1)


def _after_abbreviation(raw: str, start: int, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an abbreviation or an initial ("J. Smith"): the
    word before it, back to ``start`` at most, is in :data:`ABBREVIATIONS` (in any case) or a
    single capital letter.

    Most full stops end a word of two or more characters whose last two, in lower case, end
    no abbreviation: those are answered from the two characters alone (no search for the
    word). The abbreviations are ASCII, and only an ASCII letter or the Kelvin sign lowers to
    one, character by character, so the word's lower case ends in the pair's."""
    pair = raw[dot - 2 : dot] if dot - 2 >= start else ""
    if (
        pair
        and not pair[0].isspace()
        and pair[0] not in _OPENERS
        and pair.lower() not in _ABBREVIATION_ENDS
    ):
        return False
    return _word_before_is_abbreviation(raw, start, dot)


def _word_before_is_abbreviation(raw: str, start: int, dot: int) -> bool:
    """:func:`_after_abbreviation` by looking for the word before ``dot``."""
    word = _WORD_BEFORE.search(raw, max(start, dot - _WORD_WIDTH), dot)
    if word is None:
        return False
    word = word.group()
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word.isupper())


def split_sentences(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets inside ``raw[start:end]``: never splits at abbreviations or initials,
    keeps a closing quotation mark with its sentence and ignores dashes and colons. Split in
    the normalised view of the text (:func:`helpers.textview.text_view`); offsets are
    ``raw``'s."""
    return _in_view(_split, raw, start, end, _view_of(raw, start, end))


def _split(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``raw[start:end]``: each ends at a run of terminal marks followed by
    the end of the text or white space and a capital, digit or opening mark, unless it is a
    single full stop after an abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    begin = _BLANKS.match(raw, start, end).end()
    for match in _TERMINATOR.finditer(raw, start, end):
        following = match.group("next")
        if following is not None and not (
            following.isupper() or following.isdigit() or following in _OPENERS
        ):
            continue
        if match.group("marks") == "." and _after_abbreviation(raw, start, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end() if following is None else match.start("next")
    if begin < end:  # the text does not end with its last sentence's marks
        s, e = _strip(raw, begin, end)
        if s < e:
            spans.append((s, e))
    return spans


# --- quotations ----------------------------------------------------------------------------

_DOUBLE_PAIRS = {"“": "”", "„": "”“", '"': '"'}
_DOUBLE_OPENER = re.compile("[" + "".join(_DOUBLE_PAIRS) + "]")
_OPENING_MARKS = "".join(_DOUBLE_PAIRS) + "‘"  # every quotation starts with one
_OPENER = re.compile(f"[{_OPENING_MARKS}]")
_DOUBLE_CLOSER = {ch: re.compile("[" + closers + "]") for ch, closers in _DOUBLE_PAIRS.items()}


def _closing_singles(text: str, start: int, end: int) -> Iterator[int]:
    """Positions of the ’ in ``text[start:end]`` that may close a quotation, in order: not
    those before a letter or digit, which are apostrophes (Armenië’s, zo’n, ’s avonds)."""
    i = text.find("’", start, end)
    while i >= 0:
        if i + 1 >= end or not text[i + 1].isalnum():
            yield i
        i = text.find("’", i + 1, end)


def _scan_quotes(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The quotations of :func:`find_quotes` in ``text[start:end]``. Linear: each search for a
    closing mark resumes where the last one for the same kind of mark ended, or is reused."""
    if _OPENER.search(text, start, end) is None:  # most blocks quote nobody
        return []
    found: list[tuple[int, int, str]] = []
    # Double quotation marks: from an opening mark to the first closing one. The last search
    # for each kind of opening mark is remembered: (searched from, closing mark found or -1);
    # it still answers a later search from further on unless that starts past the mark found.
    last: dict[str, tuple[int, int]] = {}
    opener = _DOUBLE_OPENER.search(text, start, end)
    while opener is not None:
        i = opener.start()
        ch = text[i]
        since, j = last.get(ch, (end + 1, -1))
        if not (since <= i + 1 and (j < 0 or j >= i + 1)):
            closer = _DOUBLE_CLOSER[ch].search(text, i + 1, end)
            j = closer.start() if closer is not None else -1
            last[ch] = (i + 1, j)
        if j > i + 1:
            found.append((i + 1, j, ch + text[j]))
            # single quotes inside a double quotation are found by their own scan below
            opener = _DOUBLE_OPENER.search(text, j + 1, end)
        else:
            opener = _DOUBLE_OPENER.search(text, i + 1, end)
    # Single quotation marks: ‘ not after a letter or digit, to the first ’ after it that is
    # not an apostrophe. Openers are visited in order, so the closing marks are one pass.
    closers = _closing_singles(text, start, end)
    j = next(closers, -1)
    i = text.find("‘", start, end)
    while i >= 0:
        if i == start or not text[i - 1].isalnum():
            while 0 <= j <= i:
                j = next(closers, -1)
            if j > i + 1:
                found.append((i + 1, j, "‘’"))
                i = text.find("‘", j + 1, end)
                continue
        i = text.find("‘", i + 1, end)
    return sorted(found)


def _opening_marks(text: str) -> list[int]:
    """Where ``text`` holds a mark a quotation may open with, in order (found with str.find,
    several times faster than a regular expression over text that is not Latin-1)."""
    found = []
    for mark in _OPENING_MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    return sorted(found)


def find_quotes(raw: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Quoted spans ‘…’, “…”, „…” and "…" inside ``raw[start:end]``, as (start, end, marks)
    of the quoted words. An unclosed mark is not a quotation. Searched in the normalised view
    of the text (:func:`helpers.textview.text_view`: NFC, no invisible format characters);
    offsets are ``raw``'s. Linear in the length of the text."""
    return _in_view(_scan_quotes, raw, start, end, _view_of(raw, start, end))


def _view_of(raw: str, start: int, end: int) -> TextView | None:
    """The normalised view of ``raw[start:end]``, or None if that is the text itself."""
    view = text_view(raw[start:end])
    return None if view.is_raw else view


def _in_view(find: Callable[[str, int, int], list], raw: str, start: int, end: int, view):
    """``find(text, lo, hi)`` run on ``raw[start:end]`` as its normalised ``view`` reads it,
    with each result's first two items (a span) mapped back to offsets into ``raw``. With no
    ``view`` (the text is its own view) ``raw`` is searched in place."""
    if view is None:
        return find(raw, start, end)
    found = []
    for a, b, *rest in find(view.text, 0, len(view.text)):
        a, b = view.raw_span(a, b)
        found.append((start + a, start + b, *rest))
    return found


# --- tables --------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def blocks_table(article: Article) -> pd.DataFrame:
    """One row per block: kind, offsets, words, sentences and the photo credit."""
    sentences = Counter(s.block for s in article.sentences)
    quotes = Counter(q.block for q in article.quotes)
    rows = []
    for block in article.blocks:
        rows.append(
            {
                "block": block.index,
                "kind": block.kind,
                "line": block.line,
                "start": block.start,
                "end": block.end,
                "words": _words(block.text),
                "sentences": sentences[block.index],
                "quotes": quotes[block.index],
                "credit": block.credit_name or "",
                "text": block.text,
            }
        )
    return pd.DataFrame(rows).set_index("block")


def sentences_table(article: Article) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"sentence": s.index, "block": s.block, "start": s.start, "end": s.end, "text": s.text}
            for s in article.sentences
        ]
    ).set_index("sentence")


def quotes_table(article: Article) -> pd.DataFrame:
    columns = ["quote", "block", "sentence", "start", "end", "marks", "text"]
    rows = [
        {
            "quote": q.index,
            "block": q.block,
            "sentence": q.sentence,
            "start": q.start,
            "end": q.end,
            "marks": q.marks,
            "text": q.text,
        }
        for q in article.quotes
    ]
    return pd.DataFrame(rows, columns=columns).set_index("quote")
