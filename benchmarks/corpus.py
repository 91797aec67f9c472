"""A deterministic synthetic corpus made from the one real article (shared by the benchmarks).

Article 0 is the raw article, byte for byte. Article k >= 1 is built with ``random.Random``
seeded by ``"csto-bench-{k}"`` (string seeds are hashed with SHA-512, so the corpus does not
depend on PYTHONHASHSEED, the machine or the corpus size: the first N articles of every corpus
are the same files):

* a date line with a year in 2015-2024 and a month (80 %), a day (10 %) or only a year (10 %);
* a lede: the real lede or one sentence of the article's paragraphs;
* 8 to 14 blocks drawn with replacement from the article's paragraphs, headings and captions;
  half of the paragraphs are rebuilt from 2 to 5 sentences drawn from all paragraph sentences;
* the Dutch names of ten post-Soviet states swapped by a random permutation (Armenië may
  become Kirgizië), so that mentions and networks differ between articles.

Events are synthesised per article from ``data/events.csv`` (validated by ``load_events``):
an event is kept when its Dutch quote (after the same name swap) occurs in the synthetic
text; it gets the article's id, ``event_id`` prefixed with the article number, ``quote_start``
and ``quote_end`` relocated in the new text, its state actors/recipients swapped like the
names, and its dates shifted by as many months as the article's date line is from 2022-11.

A corpus and its events table can be kept in a folder and reused (:func:`stored_corpus`): a
stamp file beside them records the :func:`fingerprint` of everything their bytes depend on.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import os
import random
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.article import parse_article
from helpers.paths import ARTICLE, ROOT, shown_path

# Dutch name as written in the article and actor id; all are aliases in data/aliases.csv.
SWAPPED_STATES = {
    "Armenië": "ARM",
    "Kazachstan": "KAZ",
    "Kirgizië": "KGZ",
    "Tadzjikistan": "TJK",
    "Oezbekistan": "UZB",
    "Azerbeidzjan": "AZE",
    "Georgië": "GEO",
    "Turkmenistan": "TKM",
    "Moldavië": "MDA",
    "Wit-Rusland": "BLR",
}
_NAMES = list(SWAPPED_STATES)
_NAME_RE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _NAMES)) + r")(?!\w)")
PUBLISHED = (2022, 11)


class Source:
    """The real article cut into the pieces the generator recombines."""

    def __init__(self, path: Path = ARTICLE) -> None:
        self.data = path.read_bytes()
        article = parse_article(self.data, path)
        self.article = article
        self.lede = article.lede.text
        self.blocks = [(b.kind, b) for b in article.blocks[1:]]
        paragraph_ids = {b.index for b in article.blocks if b.kind == "paragraph"}
        self.sentences = [s.text for s in article.sentences if s.block in paragraph_ids]
        self.raw = article.raw

    def block_text(self, block) -> str:
        """The block with its photo credit (a caption's credit is split off by the parser)."""
        end = block.credit.end if block.credit is not None else block.end
        return self.raw[block.start : end]


def _date_line(rng: random.Random) -> tuple[str, int]:
    """A date line and how many months it is after 2022-11 (negative: before)."""
    year = rng.randint(2015, 2024)
    month = rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.1:
        return f"{year}", (year - PUBLISHED[0]) * 12
    if roll < 0.2:
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        value = f"{year}-{month:02d}-{day:02d}"
    else:
        value = f"{year}-{month:02d}"
    return value, (year - PUBLISHED[0]) * 12 + (month - PUBLISHED[1])


def swap_names(text: str, mapping: dict[str, str]) -> str:
    return _NAME_RE.sub(lambda m: mapping[m.group(1)], text)


def make_article(source: Source, k: int) -> tuple[bytes, dict]:
    """The bytes of article k and what the event synthesis needs (name map, month shift,
    date line)."""
    if k == 0:
        return source.data, {"mapping": {n: n for n in _NAMES}, "months": 0, "date": "2022-11"}
    rng = random.Random(f"csto-bench-{k}")
    date, months = _date_line(rng)
    lede = source.lede if rng.random() < 0.5 else rng.choice(source.sentences)
    parts = []
    for _ in range(rng.randint(8, 14)):
        kind, block = rng.choice(source.blocks)
        if kind == "paragraph" and rng.random() < 0.5:
            parts.append(" ".join(rng.choice(source.sentences) for _ in range(rng.randint(2, 5))))
        else:
            parts.append(source.block_text(block))
    shuffled = _NAMES[:]
    rng.shuffle(shuffled)
    mapping = dict(zip(_NAMES, shuffled, strict=True))
    body = swap_names(lede + "\n\n" + "\n\n".join(parts), mapping)
    text = f"date {date} {body}\n"
    return text.encode("utf-8"), {"mapping": mapping, "months": months, "date": date}


def write_corpus(folder: Path, size: int, source: Source | None = None) -> list[dict]:
    """Write articles 0..size-1 as ``folder/NNNNN.txt``; return per-article facts (path,
    bytes, id, name map, month shift, date line) for the event synthesis. Ids (content hashes) are
    unique: a rare collision is resolved by drawing the next seed."""
    source = source or Source()
    folder.mkdir(parents=True, exist_ok=True)
    facts = []
    seen: set[str] = set()
    seed = 0
    while len(facts) < size:
        data, extra = make_article(source, seed)
        seed += 1
        sha = hashlib.sha256(data).hexdigest()
        if sha in seen:
            continue
        seen.add(sha)
        path = folder / f"{len(facts):05d}.txt"
        path.write_bytes(data)
        facts.append({"path": path, "bytes": len(data), "id": sha[:12], **extra})
    return facts


def _shift(day: pd.Timestamp, months: int) -> pd.Timestamp:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return pd.Timestamp(datetime.date(year, month, min(day.day, last)))


def synthesise_events(facts: list[dict], events: pd.DataFrame) -> pd.DataFrame:
    """Events for every article of the corpus, from the coded events (see module doc)."""
    id_of = SWAPPED_STATES
    records = []
    base = events.to_dict("records")
    for number, fact in enumerate(facts):
        text = fact["path"].read_bytes().decode("utf-8")
        mapping = fact["mapping"]
        ids = {id_of[a]: id_of[b] for a, b in mapping.items()}
        for event in base:
            quote = swap_names(event["quote_nl"], mapping)
            at = text.find(quote)
            if at < 0:
                continue
            record = dict(event)
            record["article_id"] = fact["id"]
            record["event_id"] = f"A{number:05d}-{event['event_id']}"
            record["quote_nl"] = quote
            record["quote_start"] = at
            record["quote_end"] = at + len(quote)
            for column in ("actor_ids", "recipient_ids"):
                record[column] = ";".join(ids.get(i, i) for i in record[column].split(";") if i)
            for column in ("date_start", "date_end"):
                if not pd.isna(record[column]):
                    record[column] = _shift(record[column], fact["months"])
            records.append(record)
    frame = pd.DataFrame(records, columns=events.columns)
    return frame.astype(events.dtypes.to_dict())


EVENT_PRECISIONS = ("day", "week", "month", "season", "year")  # those events.csv allows
TIME_COLUMNS = ("time_phrase_nl", "time_start", "time_end", "timex_value", "reference_fact_id")


def checkable_events(synthetic: pd.DataFrame, facts: list[dict]) -> pd.DataFrame:
    """Synthesised events made fit for the checks of ``load_events``: without time phrases
    and reference facts (the shifted dates no longer fit them), basis ``publication``, event
    ids as written in data/events.csv (``E01``: unique within an article), the finest precision
    that fits the shifted dates; rows whose dates fit no events.csv precision or end after the
    article's publication period are dropped."""
    from helpers.registry import published_period
    from helpers.timex import PRECISIONS, fits

    events = synthetic.copy()
    events[list(TIME_COLUMNS)] = None
    events["date_basis"] = "publication"
    events["event_id"] = events["event_id"].str.split("-").str[-1]
    events["date_precision"] = [
        next(p for p in PRECISIONS if fits(p, start.date(), end.date()))
        for start, end in zip(events["date_start"], events["date_end"], strict=True)
    ]
    published = {fact["id"]: published_period(fact["date"])[2] for fact in facts}
    keep = events["date_precision"].isin(EVENT_PRECISIONS) & (
        events["date_end"] <= events["article_id"].map(published)
    )
    return events[keep].reset_index(drop=True)


def write_events(facts: list[dict], coded: pd.DataFrame, path: Path, chunk: int = 1000) -> int:
    """Synthesise the checkable events of every article (:func:`synthesise_events`, then
    :func:`checkable_events`) a chunk of articles at a time and write them as one events
    table (as ``export_events`` writes it): memory does not grow with the corpus. Returns the
    number of rows."""
    from helpers.events import events_csv_text
    from helpers.io import atomic_write

    def write(handle) -> None:
        rows = 0
        for start in range(0, max(len(facts), 1), chunk):
            part = facts[start : start + chunk]
            events = checkable_events(synthesise_events(part, coded), part)
            handle.write(events_csv_text(events, header=start == 0).encode("utf-8"))
            rows += len(events)
        counted.append(rows)

    counted: list[int] = []
    atomic_write(path, write)
    return counted[0]


# --- corpora kept in a folder -------------------------------------------------------------------

_ARTICLE_FILE = re.compile(r"\d{5,}\.txt")  # the names write_corpus gives


def corpus_inputs() -> list[Path]:
    """Every file the bytes of :func:`write_corpus` and :func:`write_events` depend on: this
    module, the seed article :class:`Source` reads, the coded events ``load_events`` reads,
    and the helpers modules that parse the article (``article``, ``textview``), read, type and
    write the events (``events``, ``tables``) and fit their dates (``registry``, ``timex``)."""
    from helpers import article, events, registry, tables, textview, timex

    modules = (article, textview, events, tables, registry, timex)
    return [Path(__file__).resolve(), ARTICLE, events.EVENTS] + [Path(m.__file__) for m in modules]


def fingerprint(paths: Iterable[Path] | None = None) -> str:
    """The sha256 of the Python and pandas versions and of each input file's name (relative
    to the repository) and bytes (default: :func:`corpus_inputs`): it changes whenever the
    corpus generator could write other bytes."""
    digest = hashlib.sha256(f"python {sys.version} pandas {pd.__version__}\n".encode())
    for path in corpus_inputs() if paths is None else paths:
        data = Path(path).read_bytes()
        digest.update(f"{shown_path(path, ROOT)} {len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredCorpus:
    """A corpus folder and its events table, with what a run needs to know of them."""

    folder: Path
    events: Path
    corpus_bytes: int
    count: int  # rows of the events table
    reused: bool


def _paths(root: Path, size: int) -> tuple[Path, Path, Path]:
    """The corpus folder, events table and stamp of one size in ``root``."""
    return root / f"corpus-{size}", root / f"events-{size}.csv", root / f"corpus-{size}.json"


def _read_stamp(stamp: Path) -> dict:
    """The stamp's fields, or ``{}`` when it is missing or not a JSON object."""
    try:
        fields = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return fields if isinstance(fields, dict) else {}


def _complete(root: Path, size: int, fields: dict) -> bool:
    """Whether the corpus folder holds exactly the ``size`` files of the stamp, with the
    stamp's total bytes, and the events table its bytes."""
    folder, events, _ = _paths(root, size)
    try:
        with os.scandir(folder) as entries:
            sizes = {e.name: e.stat().st_size for e in entries}
        events_bytes = events.stat().st_size
    except OSError:
        return False
    return (
        sorted(sizes) == [f"{k:05d}.txt" for k in range(size)]
        and sum(sizes.values()) == fields.get("corpus_bytes")
        and events_bytes == fields.get("events_bytes")
    )


def _clear(folder: Path) -> None:
    """Delete the article files a former (stale or interrupted) :func:`write_corpus` left in
    ``folder``; refuse, deleting nothing, when it holds anything else."""
    if not folder.exists():
        return
    names = sorted(p.name for p in folder.iterdir())
    foreign = [n for n in names if not _ARTICLE_FILE.fullmatch(n) or not (folder / n).is_file()]
    if foreign:
        raise FileExistsError(
            f"{folder}: holds {foreign[0]!r}, which the corpus generator did not write; "
            "nothing deleted (move it, or keep corpora in another folder)"
        )
    for name in names:
        (folder / name).unlink()


def stored_corpus(
    root: Path,
    size: int,
    inputs: Callable[[], tuple[Source, pd.DataFrame]],
    stamp_of: str | None = None,
) -> StoredCorpus:
    """The corpus of ``size`` articles and its events table in ``root`` (``corpus-N/``,
    ``events-N.csv``, stamp ``corpus-N.json``), reused when the stamp has this size and
    fingerprint (``stamp_of``, default :func:`fingerprint`) and the files are complete;
    otherwise written afresh from ``inputs()`` (the source and the coded events; called only
    then). The stamp is removed first and written last, atomically, so an interrupted
    generation is never reused. Raises ``FileExistsError`` when the corpus folder holds a file
    the generator did not write."""
    from helpers.io import write_text

    stamp_of = fingerprint() if stamp_of is None else stamp_of
    folder, events, stamp = _paths(root, size)
    fields = _read_stamp(stamp)
    wanted = {"size": size, "fingerprint": stamp_of}
    if all(fields.get(k) == v for k, v in wanted.items()) and _complete(root, size, fields):
        return StoredCorpus(folder, events, fields["corpus_bytes"], fields["count"], True)
    _clear(folder)
    stamp.unlink(missing_ok=True)
    source, coded = inputs()
    facts = write_corpus(folder, size, source)
    corpus_bytes = sum(f["bytes"] for f in facts)
    count = write_events(facts, coded, events)
    fields = {
        **wanted,
        "corpus_bytes": corpus_bytes,
        "count": count,
        "events_bytes": events.stat().st_size,
    }
    write_text(stamp, json.dumps(fields, indent=1) + "\n")
    return StoredCorpus(folder, events, corpus_bytes, count, False)
