"""The per-article stages over a corpus folder, in partitions of files, serially or on Dask.

A corpus folder's article files (:func:`helpers.article.corpus_files`, sorted by name; or a
list of files) are cut into partitions of ``partition_size`` files. Each partition is one task
that runs the stages on its files in turn (parse, tag, timex, events, checks) and writes one
Parquet file per table into the output folder:

``articles/part-NNNNN.parquet``     one row per article: id, file, date, precision, bytes,
                                    sentences, quotes (stage ``parse``:
                                    :func:`helpers.article.load_article`)
``mentions/part-NNNNN.parquet``     the rows of :func:`helpers.actors.tag_corpus` (stage ``tag``)
``pairs/part-NNNNN.parquet``        the partition's co-mention sums (stage ``tag``): actor pairs
                                    ``a`` < ``b`` and the number of sentences that mention both
``counts/part-NNNNN.parquet``       the partition's mentions per actor (stage ``tag``)
``times/part-NNNNN.parquet``        article, start, end, phrase of each time expression
                                    (stage ``timex``: :func:`helpers.timex.find_time_expressions`)
``suggestions/part-NNNNN.parquet``  candidate events (stage ``events``:
                                    :func:`helpers.suggest.suggest_events` per article, from the
                                    mentions and time expressions of the stages before)
``checked/part-NNNNN.parquet``      the rows of an events table (``events=PATH``) whose article
                                    is in the partition, checked against it with the checks of
                                    :func:`helpers.events.load_events` and typed as it types
                                    them (stage ``checks``; skipped without an events table)

Files are written atomically (a temporary file, then a rename). The co-mention network is the
sum of the partitions' pair and count tables (:func:`comention_from_sums`), so neither the
parent nor a worker holds more than one partition's articles: memory does not grow with the
corpus. Its weights and node attributes equal those of
``comention_graph(tag_corpus(load_corpus(folder)), within=["article", "sentence"])``; the
per-edge lists of sentences are not kept (they grow with the corpus).

Suggestions are made from the tag stage's mentions, so with ``world=False`` (the default) only
the hand-coded actors can act in them; ``world=True`` tags with the world gazetteer too, as
``python3 tasks.py suggest`` does. Before the partitions run, the events table is split by
partition (:mod:`helpers.event_split`): the corpus files are hashed for their ids (an article's
id is its content hash), then the table is read as a stream, in one stretch of lines per worker
(one in all with the serial engine), and each row appended to the file of its article's
partition, so no process holds the whole table; with Dask these calls, too, run on the
workers, which need the events table at the same path; on a local cluster the parent
splits it while the partitions run their first stages, and each partition's checks stage
waits for the split to end. A row naming an article that is not in the corpus is an error
naming the row, raised after all partitions.

Engines: ``"serial"`` runs the partitions one after another in this process; ``"dask"`` submits
them to a ``dask.distributed`` cluster: a local one of ``workers`` processes (one thread each),
or the running scheduler at ``scheduler`` (``tcp://host:8786``), whose workers need this package
and its data/ folder (the same checkout) installed, and the output folder on a shared file
system. Results are identical between engines. Each partition reports each stage as it
finishes it (``on_stage``; on Dask through the scheduler's event topics), which drives one
progress bar per stage (tqdm, on ``progress``, only when that is a terminal).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import groupby
from pathlib import Path
from typing import IO

import networkx as nx
import pandas as pd

from helpers.actors import (
    Gazetteer,
    add_actor_nodes,
    build_gazetteer,
    load_actors,
    sentence_pairs,
    tag_corpus,
)
from helpers.article import (
    Article,
    ArticleError,
    corpus_files,
    parse_article,
    read_article_bytes,
)
from helpers.event_split import (
    SplitEvents,
    in_process,
    remove_rows,
    rows_when_split,
    split_alongside,
    split_ended,
    split_events,
    split_failed,
)
from helpers.events import COLUMNS as EVENT_COLUMNS
from helpers.events import article_sources, check_event_rows, known_actor_ids
from helpers.io import atomic_write
from helpers.network import event_tension_sums, tension_from_sums
from helpers.suggest import (
    SUGGESTION_COLUMNS,
    Mention,
    Tables,
    load_cues,
    mentions_of,
    suggestion_rows,
)
from helpers.tables import DataError, read_own_csv, text_column
from helpers.timex import find_time_expressions

STAGES = ("parse", "tag", "timex", "events", "checks")
ENGINES = ("serial", "dask")
PARTITION_SIZE = 250
TABLES = ("articles", "mentions", "pairs", "counts", "times", "suggestions", "checked")
ARTICLE_COLUMNS = ["article", "file", "date", "date_precision", "bytes", "sentences", "quotes"]
TIME_COLUMNS = ["article", "start", "end", "phrase"]
ROWS_FOLDER = ".events-rows"  # in the output folder during a run: each partition's event rows
NO_EVENTS = "no events table given (events=PATH, --events PATH)"
Phrases = list[tuple[int, int, str]]
Report = Callable[[dict], None]


@dataclass(frozen=True)
class StageTotal:
    """One stage over the whole corpus: articles, rows written, and seconds summed over the
    partitions (with several workers, more than the wall time the stage took)."""

    stage: str
    articles: int
    rows: int
    seconds: float


@dataclass
class PipelineResult:
    """What :func:`run_corpus` did: the output folder, partitions, per-stage totals, wall
    seconds, the co-mention network, the peak resident memory (MB) of each process, the
    stages skipped with the reason; ``split_seconds``: the parent's split of the events table by
    partition (part of ``seconds``)."""

    out: Path
    partitions: int
    stages: dict[str, StageTotal]
    seconds: float
    network: nx.Graph
    memory: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    split_seconds: float = 0.0  # the parent's split of the events table by partition
    # the all-time tension network of the checked events (helpers.network.tension_from_sums)
    tension: nx.Graph = field(default_factory=nx.Graph)

    def lines(self) -> list[str]:
        """One line per stage (stage, articles, rows, seconds; or why it was skipped), then
        ``all`` with the wall time."""
        rows = []
        for stage in STAGES:
            if stage in self.stages:
                t = self.stages[stage]
                rows.append(
                    f"{stage:<8} {t.articles:>8} articles {t.rows:>9} rows {t.seconds:9.2f} s"
                )
            elif stage in self.skipped:
                rows.append(f"{stage:<8} skipped: {self.skipped[stage]}")
        articles = max((t.articles for t in self.stages.values()), default=0)
        rows.append(f"{'all':<8} {articles:>8} articles {'':>14} {self.seconds:9.2f} s (wall)")
        return rows


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MB (``VmHWM`` in /proc/self/status;
    elsewhere ``ru_maxrss``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, kB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def partition_files(files: Sequence[Path], size: int = PARTITION_SIZE) -> list[list[Path]]:
    """``files`` in order, cut into lists of at most ``size``."""
    if size < 1:
        raise ValueError(f"partition size must be at least 1, got {size}")
    return [list(files[i : i + size]) for i in range(0, len(files), size)]


# --- the tables of one partition ----------------------------------------------------------------


def article_table(articles: Sequence[Article], sizes: Sequence[int]) -> pd.DataFrame:
    """One row per article: id, file name, date as stated, its precision, bytes, counts."""
    return pd.DataFrame(
        {
            "article": [a.id for a in articles],
            "file": [Path(a.path).name for a in articles],
            "date": [a.date for a in articles],
            "date_precision": [a.date_precision for a in articles],
            "bytes": pd.array(sizes, dtype="int64"),
            "sentences": pd.array([len(a.sentences) for a in articles], dtype="int64"),
            "quotes": pd.array([len(a.quotes) for a in articles], dtype="int64"),
        },
        columns=ARTICLE_COLUMNS,
    )


def time_table(
    articles: Sequence[Article], phrases: Sequence[Phrases] | None = None
) -> pd.DataFrame:
    """Every time expression of the articles: article id, start, end (raw offsets), phrase.
    ``phrases``: each article's :func:`find_time_expressions`, when already found."""
    if phrases is None:
        phrases = [find_time_expressions(a.view) for a in articles]
    rows = [(a.id, *found) for a, own in zip(articles, phrases, strict=True) for found in own]
    frame = pd.DataFrame(rows, columns=TIME_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})


def pair_sums(mentions: pd.DataFrame) -> pd.DataFrame:
    """Co-mention sums of a mention table of :func:`tag_corpus`: each sentence (article,
    sentence) adds 1 to every pair of distinct actors it mentions; ``a`` < ``b``. The
    sentences are those of :func:`helpers.actors.sentence_pairs` (as in ``comention_graph``)."""
    weights = sentence_pairs(mentions, ["article", "sentence"]).weights()
    frame = pd.DataFrame(weights, columns=["a", "b", "weight"])
    return frame.astype({"weight": "int64"})


def mention_sums(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor (``actor_id``, ``mentions``), sorted by actor."""
    counts = mentions["actor_id"].value_counts().sort_index()
    return pd.DataFrame(
        {"actor_id": counts.index.tolist(), "mentions": counts.to_numpy(dtype="int64")}
    )


def suggestion_table(
    articles: Sequence[Article],
    mentions: pd.DataFrame,
    phrases: Sequence[Phrases] | None = None,
    world: bool = False,
) -> pd.DataFrame:
    """Candidate events of the articles (:func:`helpers.suggest.suggest_events` per article,
    with the cue lexicon ``data/cues.csv``), from their rows of ``mentions`` (the table of
    :func:`tag_corpus`) and ``phrases`` (each article's time expressions; found here when
    None). Every cell is text. One table for all articles (:func:`suggestion_rows` each)."""
    tables = _suggest_tables(world)
    found = mentions_by_article(mentions, tables)
    rows = [
        row
        for i, article in enumerate(articles)
        for row in suggestion_rows(
            article, tables, found.get(article.id, []), None if phrases is None else phrases[i]
        )
    ]
    columns = zip(*rows, strict=True) if rows else (() for _ in SUGGESTION_COLUMNS)
    return pd.DataFrame(
        {c: text_column(cells) for c, cells in zip(SUGGESTION_COLUMNS, columns, strict=True)}
    )


def mentions_by_article(mentions: pd.DataFrame, tables: Tables) -> dict[str, list[Mention]]:
    """The rows of a mention table of :func:`tag_corpus` as :func:`helpers.suggest.mentions_of`
    lists, per article id (rows in table order)."""
    found: dict[str, list[Mention]] = {}
    every = mentions_of(
        mentions["actor_id"].tolist(),
        mentions["start"].tolist(),
        mentions["end"].tolist(),
        tables.actors,
    )
    first = 0
    for article, run in groupby(mentions["article"].tolist()):  # an article's rows: one run
        last = first + sum(1 for _ in run)
        found.setdefault(article, []).extend(every[first:last])
        first = last
    return found


def checked_table(
    events: str | Path, rows: str | Path | None, articles: Sequence[Article] | Mapping
):
    """The event rows of a partition (``rows``: the file :func:`split_events` wrote for it,
    None when its articles have none) checked against ``articles`` (or their
    :func:`helpers.events.article_sources`) with :func:`helpers.events.check_event_rows`;
    errors name ``events`` and its rows."""
    table = _event_rows(rows)
    frame = check_event_rows(table, events, articles, actors=_known_actor_ids())
    frame.attrs = {}
    return frame


def _event_rows(path: str | Path | None) -> pd.DataFrame:
    """The rows of a partition's file (cells as text, ``_row``: the line in the events table)."""
    if path is None:
        empty = {c: pd.Series([], dtype="str") for c in EVENT_COLUMNS}
        return pd.DataFrame({**empty, "_row": pd.Series([], dtype="int64")})
    table = read_own_csv(path, [*EVENT_COLUMNS, "line"], integers=["line"])
    return table.assign(_row=table.pop("line"))


@lru_cache(maxsize=2)
def _gazetteer(world: bool) -> Gazetteer:
    return build_gazetteer(world=world)


@lru_cache(maxsize=2)
def _suggest_tables(world: bool) -> Tables:
    return Tables.of(load_cues(), load_actors(world=world))


@lru_cache(maxsize=1)
def _known_actor_ids() -> frozenset[str]:
    return known_actor_ids()


def _write(out: Path, table: str, index: int, frame: pd.DataFrame) -> Path:
    """One partition of a table, atomically; a column without a value is written as text
    (so that every partition of a table has the same schema)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    for i, column in enumerate(arrow.schema):
        if pa.types.is_null(column.type):
            arrow = arrow.set_column(i, column.name, arrow.column(i).cast(pa.string()))
    path = out / table / f"part-{index:05d}.parquet"
    return atomic_write(path, lambda handle: pq.write_table(arrow, handle))


# --- one partition -----------------------------------------------------------------------------


class _Stages:
    """A partition's stage figures (seconds, rows), each reported as the stage finishes."""

    def __init__(self, index: int, articles: int, report: Report | None) -> None:
        self.index, self.articles, self.report = index, articles, report
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def done(self, stage: str, started: float, rows: int) -> None:
        self.seconds[stage], self.rows[stage] = time.perf_counter() - started, rows
        if self.report is not None:
            event = {"partition": self.index, "stage": stage, "articles": self.articles}
            self.report({**event, "rows": rows, "seconds": self.seconds[stage]})


def set_aside_what_is_held() -> None:
    """Collect garbage, then move every object this process holds out of the cyclic garbage
    collector's sight (``gc.freeze``) before a partition's work.

    A partition allocates millions of small objects; each time the collector passes over
    the old generation it also walks what the process already holds (modules, pandas, the
    gazetteer, the cue lexicon, caches), which cost about 8 % of the stages' CPU
    (benchmarks/README.md). Objects set aside are still freed by reference counting; only a
    cycle among them would wait for ``gc.unfreeze``. The Dask workers do this before each
    partition; the serial engine too, unless its caller has set objects aside itself (a
    notebook's :func:`helpers.parameters.settle_imports`), and it unfreezes at the end."""
    gc.collect()
    gc.freeze()


def _partition_set_aside(*task, report: Report | None = None) -> dict | None:
    """:func:`run_partition` after :func:`set_aside_what_is_held`: a Dask worker's task."""
    set_aside_what_is_held()
    return run_partition(*task, report=report)


def run_partition(
    index: int,
    files: Sequence[str | Path],
    out: str | Path,
    stages: Sequence[str],
    world: bool = False,
    events: tuple[str, str | None] | None = None,
    alongside: str | None = None,
    report: Report | None = None,
) -> dict | None:
    """Run ``stages`` on one partition's files and write its tables; return per-stage
    seconds and row counts, and the pair and count tables (small: actors, not articles).

    ``events``: the events table's path and the file of this partition's rows
    (:func:`split_events`), for stage ``checks``; ``alongside``: the folder of rows of a
    split made while the partitions run (:func:`helpers.event_split.split_alongside`): the
    file of rows is the one found there when it ends, and None is returned (nothing done)
    once that split failed. ``report`` is called with a dict (partition, stage, articles,
    rows, seconds) as each stage finishes."""
    if alongside is not None and split_failed(alongside):
        return None
    out = Path(out)
    figures = _Stages(index, len(files), report)
    articles, result = _stages_before_checks(index, files, out, stages, world, figures)
    if "checks" in stages and events is not None:
        sources = article_sources(articles)  # what the checks read: all a waiting one holds
        del articles
        if alongside is not None:  # waiting for the split is not work of the stage
            split_ok, rows = _wait_for_split(alongside, index)
            if not split_ok:
                return None
            events = (events[0], rows)
        started = time.perf_counter()
        checked = checked_table(events[0], events[1], sources)
        _write(out, "checked", index, checked)
        result["tension"] = event_tension_sums(checked)
        figures.done("checks", started, len(checked))
    result.update(seconds=figures.seconds, rows=figures.rows)
    return result


# A Dask worker's partitions that may wait for a split alongside at once, each holding its
# articles' texts and dates (about 1 MB at 250 articles): enough for a split that ends long
# after the partitions' first stages (a partition waiting in place idles its worker).
MAX_WAITING = 64
_waiting = threading.Semaphore(MAX_WAITING)
# How often a partition waiting outside its worker's pool looks for the split's end: seldom,
# as up to MAX_WAITING look and the worker is busy meanwhile.
SECEDED_POLL_SECONDS = 0.25


def _wait_for_split(folder: str, index: int) -> tuple[bool, str | None]:
    """:func:`rows_when_split`, not idling a Dask worker: the wait secedes from the worker's
    pool (``distributed.secede``), so the worker starts its next partition, and rejoins it
    when the split has ended. At most :data:`MAX_WAITING` partitions of a worker wait so
    (each holds what its checks read of its articles); the next ones wait in place. Outside
    a worker: a plain wait."""
    if split_ended(folder) or not _on_dask_worker() or not _waiting.acquire(blocking=False):
        return rows_when_split(folder, index)
    from distributed import rejoin, secede

    secede()
    try:
        while not split_ended(folder):
            time.sleep(SECEDED_POLL_SECONDS)
        return rows_when_split(folder, index)
    finally:
        _waiting.release()
        rejoin()


def _on_dask_worker() -> bool:
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def _stages_before_checks(
    index: int,
    files: Sequence[str | Path],
    out: Path,
    stages: Sequence[str],
    world: bool,
    figures: _Stages,
) -> tuple[list[Article], dict]:
    """Stages parse, tag, timex and events of :func:`run_partition`: the partition's articles
    (what the checks read) and its result so far. Their tables are written and let go here,
    so that a partition waiting for a split holds only what its checks read of its articles."""
    started = time.perf_counter()
    articles, sizes = [], []
    for path in files:  # load_article, keeping the size of the bytes read
        data = read_article_bytes(path)
        articles.append(parse_article(data, path))
        sizes.append(len(data))
    _write(out, "articles", index, article_table(articles, sizes))
    figures.done("parse", started, len(articles))
    result: dict = {"index": index, "articles": len(articles), "ids": [a.id for a in articles]}
    mentions, phrases = None, None
    if "tag" in stages:
        started = time.perf_counter()
        mentions = tag_corpus(articles, aliases=_gazetteer(world))
        _write(out, "mentions", index, mentions)
        result["pairs"] = pair_sums(mentions)
        result["counts"] = mention_sums(mentions)
        _write(out, "pairs", index, result["pairs"])
        _write(out, "counts", index, result["counts"])
        figures.done("tag", started, len(mentions))
    if "timex" in stages:
        started = time.perf_counter()
        phrases = [find_time_expressions(a.view) for a in articles]
        times = time_table(articles, phrases)
        _write(out, "times", index, times)
        figures.done("timex", started, len(times))
    if "events" in stages:
        started = time.perf_counter()
        if mentions is None:  # not tagged by a stage before: tagged here
            mentions = tag_corpus(articles, aliases=_gazetteer(world))
        suggestions = suggestion_table(articles, mentions, phrases, world)
        _write(out, "suggestions", index, suggestions)
        figures.done("events", started, len(suggestions))
    return articles, result


def engine_of(engine: str, scheduler: str | None) -> str:
    """The engine a command line asks for: a scheduler's address means Dask, whatever
    ``--engine`` says."""
    return "dask" if scheduler else engine


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(
            f"{out}: output folder exists and is not empty; give a new or empty folder "
            "(the pipeline never deletes files it did not write)"
        )


def _check_stages(stages: Sequence[str]) -> tuple[str, ...]:
    unknown = [s for s in stages if s not in STAGES]
    if unknown or "parse" not in stages:
        raise ValueError(f"stages {list(stages)}: expected 'parse' plus any of {list(STAGES)}")
    return tuple(s for s in STAGES if s in stages)


class StageBars:
    """One progress bar per stage (articles done of ``total``) on ``stream``, drawn only when
    ``stream`` is a terminal (tqdm's ``disable=None``): call it with each stage report."""

    def __init__(self, stages: Sequence[str], total: int, stream: IO[str] | None) -> None:
        self.bars = {}
        if stream is None:
            return
        from tqdm import tqdm

        for position, stage in enumerate(stages):
            self.bars[stage] = tqdm(
                total=total,
                desc=f"{stage:<7}",
                unit="article",
                file=stream,
                disable=None,
                position=position,
                leave=True,
                dynamic_ncols=True,
            )

    def __call__(self, event: dict) -> None:
        bar = self.bars.get(event["stage"])
        if bar is not None:
            bar.update(event["articles"])

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class _Here:
    """The serial engine: everything in this process."""

    workers = 1
    calls = staticmethod(in_process)
    split_calls, split_ranges = calls, 1  # the events table's split: see _OnCluster
    split_alongside = False

    def partitions(
        self, tasks: list[tuple], report: Report, meanwhile: Callable[[], object] | None = None
    ) -> tuple[list[dict], dict]:
        if meanwhile is not None:
            meanwhile()
        ours = gc.get_freeze_count() == 0  # else the caller has set objects aside: left so
        try:
            results = []
            for task in tasks:
                if ours:
                    set_aside_what_is_held()
                results.append(run_partition(*task, report=report))
            return results, {}
        finally:
            if ours:
                gc.unfreeze()  # the caller's process: its objects back in the collector's sight


class _OnCluster:
    """The Dask engine: calls and partitions as tasks of ``client``'s cluster."""

    def __init__(self, client, local: bool = False) -> None:
        self.client = client
        self.workers = max(1, len(client.scheduler_info()["workers"]))
        # The events table's split: on a cluster, shared out to the workers (a stretch of the
        # table each); with a local cluster, in this process, one stretch: on the same two
        # cores it took 17 s against 26 s on two workers for 100,000 articles (no pieces to
        # join, no tables of ids sent to the workers).
        self.split_calls = in_process if local else self.calls
        self.split_ranges = 1 if local else self.workers
        # ... and while the partitions run (their checks stage waits for it): the workers
        # would otherwise idle (1.0 s of 22 s wall for 10,000 articles)
        self.split_alongside = local

    def calls(self, function: Callable, calls: list[tuple]) -> list:
        """``function(*args)`` for each ``args`` as tasks; the results in order."""
        futures = [self.client.submit(function, *args, pure=False) for args in calls]
        return self.client.gather(futures)

    def partitions(
        self, tasks: list[tuple], report: Report, meanwhile: Callable[[], object] | None = None
    ) -> tuple[list[dict], dict]:
        """Run the partitions' tasks and, once they are submitted, ``meanwhile()`` here;
        the results of the partitions. An error of ``meanwhile`` is raised once every
        partition has ended (its tasks must then end early on their own), before any error
        of theirs, as if ``meanwhile`` had run before them."""
        from distributed import as_completed, wait

        client = self.client
        topic = f"csto-pipeline-{uuid.uuid4().hex}"  # this run's own, on a shared scheduler too
        received: list[dict] = []

        def on_event(event: tuple) -> None:
            received.append(event[1])
            report(event[1])

        client.subscribe_topic(topic, on_event)
        send = partial(log_stage, topic)
        futures = [
            client.submit(_partition_set_aside, *task, report=send, pure=False) for task in tasks
        ]
        try:
            if meanwhile is not None:
                meanwhile()
        except Exception:  # its error, whatever the partitions raise, once they have ended
            wait(futures)
            raise
        results = []
        for future in as_completed(futures):
            results.append(future.result())
            future.release()
        _wait_for_reports(received, sum(len(r["rows"]) for r in results))
        client.unsubscribe_topic(topic)
        return results, _worker_memory(client)


def _worker_memory(client) -> dict[str, float]:
    peaks = client.run(peak_rss_mb)  # worker address -> MB
    return {f"worker {i}": peaks[addr] for i, addr in enumerate(sorted(peaks), start=1)}


def log_stage(topic: str, event: dict) -> None:
    """In a Dask worker: send a stage report to the scheduler's event ``topic`` (the client
    that runs the pipeline subscribes to it)."""
    from distributed import get_worker

    get_worker().log_event(topic, event)


# The workers of a local cluster run without Dask's statistical profiler, which samples the
# running task's stack every 10 ms for a dashboard the local cluster does not have (a cluster
# given by --scheduler keeps its workers' own settings).
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


@contextmanager
def _engine(engine: str, workers: int, scheduler: str | None) -> Iterator[_Here | _OnCluster]:
    """The engine that runs the calls and partitions of one run: this process, or a Dask
    cluster (a local one of ``workers`` processes, one thread each, or the running one whose
    scheduler is at ``scheduler``), started first so that the events table's split can use
    the workers of a cluster that is not local."""
    if engine == "serial":
        yield _Here()
        return
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        with dask.config.set(LOCAL_WORKER_CONFIG):  # the nannies hand it to their workers
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
    try:
        with Client(scheduler if cluster is None else cluster) as client:
            yield _OnCluster(client, local=cluster is not None)
    finally:
        if cluster is not None:
            cluster.close()


def _wait_for_reports(received: list[dict], expected: int, timeout: float = 10.0) -> None:
    """The stage reports travel apart from the results: wait (briefly) for the last ones."""
    deadline = time.monotonic() + timeout
    while len(received) < expected and time.monotonic() < deadline:
        time.sleep(0.01)


def _totals(results: list[dict], stages: Sequence[str]) -> dict[str, StageTotal]:
    articles = sum(r["articles"] for r in results)
    return {
        stage: StageTotal(
            stage,
            articles,
            sum(r["rows"][stage] for r in results),
            sum(r["seconds"][stage] for r in results),
        )
        for stage in stages
    }


def _check_unique(results: list[dict], files: list[list[Path]]) -> None:
    """Two files with the same content (id) anywhere in the corpus: ArticleError naming both."""
    seen: dict[str, Path] = {}
    for result in sorted(results, key=lambda r: r["index"]):
        for path, article_id in zip(files[result["index"]], result["ids"], strict=True):
            if article_id in seen:
                raise ArticleError(path, 0, f"same content as {seen[article_id]} (id {article_id})")
            seen[article_id] = path


def _files(corpus: str | Path | Sequence[str | Path]) -> list[Path]:
    if isinstance(corpus, str | Path):
        return corpus_files(corpus)[0]
    return [Path(f) for f in corpus]


def run_corpus(
    corpus: str | Path | Sequence[str | Path],
    out: str | Path,
    *,
    engine: str = "serial",
    workers: int = 2,
    scheduler: str | None = None,
    stages: Sequence[str] = STAGES,
    partition_size: int = PARTITION_SIZE,
    world: bool = False,
    actors: pd.DataFrame | None = None,
    events: str | Path | None = None,
    others: Iterable[str] = (),
    progress: IO[str] | None = None,
    on_stage: Report | None = None,
) -> PipelineResult:
    """Run ``stages`` on every article of ``corpus`` (a folder, or a list of article files)
    in partitions, write the Parquet tables into ``out`` (new or empty) and build the
    co-mention network from the partitions' sums.

    ``engine`` "serial" (this process) or "dask" (``workers`` local processes, or the
    cluster whose scheduler is at ``scheduler``); ``world`` tags with the world gazetteer too;
    ``actors`` gives the node attributes (default: the hand-coded table); ``events``, an
    events table (as ``data/events.csv``) for stage ``checks`` (skipped without one), whose
    rows naming an article in ``others`` (ids) are passed over, and any other row naming an
    article outside the corpus an error (:class:`~helpers.tables.DataError`, after all
    partitions); ``progress``, a stream for a progress bar per stage (e.g. ``sys.stderr``:
    drawn only on a terminal); ``on_stage``, called with each partition's report of each
    stage (partition, stage, articles, rows, seconds) as it finishes.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {list(ENGINES)}")
    stages = _check_stages(stages)
    out = Path(out)
    _check_out(out)
    started = time.perf_counter()
    skipped = {s: "not in the stages asked for" for s in STAGES if s not in stages}
    if "checks" in stages and events is None:
        stages = tuple(s for s in stages if s != "checks")
        skipped["checks"] = NO_EVENTS
    parts = partition_files(_files(corpus), partition_size)
    split = SplitEvents([None] * len(parts))
    rows_folder = out / ROWS_FOLDER
    try:
        with _engine(engine, workers, scheduler) as runner:
            alongside = "checks" in stages and runner.split_alongside

            def split_table() -> None:
                nonlocal split
                started = time.perf_counter()
                calls, ranges = runner.split_calls, runner.split_ranges
                made = partial(split_events, events, parts, rows_folder, others, calls, ranges)
                split = split_alongside(made, rows_folder) if alongside else made()
                split.seconds = time.perf_counter() - started

            if "checks" in stages and not alongside:
                split_table()
            rows = split.files if "checks" in stages else [None] * len(parts)
            folder = str(rows_folder) if alongside else None
            files = [[str(p) for p in part] for part in parts]
            tasks = [
                (i, part, str(out), stages, world, _events_of(events, rows[i]), folder)
                for i, part in enumerate(files)
            ]
            bars = StageBars(stages, sum(len(p) for p in parts), progress)
            try:
                meanwhile = split_table if alongside else None
                results, memory = runner.partitions(tasks, _fan_out(bars, on_stage), meanwhile)
            finally:
                bars.close()
    finally:
        remove_rows(rows_folder)
    _check_unique(results, parts)
    if split.outside is not None:
        raise split.outside
    network, tension = nx.Graph(), nx.Graph()
    if "tag" in stages and results:
        network = comention_from_sums(
            (r["counts"] for r in results), (r["pairs"] for r in results), actors
        )
    if "checks" in stages and results:
        tension = tension_from_sums((r["tension"] for r in results), _node_table(actors))
    seconds = time.perf_counter() - started
    memory = {"parent": peak_rss_mb(), **memory}
    totals = _totals(results, stages)
    if split.passed_over:
        skipped["checks"] = f"{split.passed_over} rows of articles outside the run not checked"
    return PipelineResult(
        out, len(parts), totals, seconds, network, memory, skipped, split.seconds, tension
    )


def _node_table(actors: pd.DataFrame | None) -> pd.DataFrame:
    """The actors whose columns the tension graph's nodes carry (default: the hand-coded)."""
    return actors if actors is not None else load_actors()


def _events_of(events: str | Path | None, rows: str | None) -> tuple[str, str | None] | None:
    return None if events is None else (str(events), rows)


def _fan_out(*handlers: Report | None) -> Report:
    chosen = [h for h in handlers if h is not None]

    def report(event: dict) -> None:
        for handler in chosen:
            handler(event)

    return report


def comention_from_sums(
    counts: Iterable[pd.DataFrame], pairs: Iterable[pd.DataFrame], actors: pd.DataFrame | None
) -> nx.Graph:
    """The corpus's co-mention network from per-partition count and pair tables: nodes as
    :func:`helpers.actors.comention_graph` makes them, edges sorted with summed ``weight``."""
    count_total = pd.concat(list(counts)).groupby("actor_id")["mentions"].sum()
    pair_total = pd.concat(list(pairs)).groupby(["a", "b"])["weight"].sum()
    graph = nx.Graph()
    add_actor_nodes(graph, count_total, actors)
    graph.add_edges_from((a, b, {"weight": int(w)}) for (a, b), w in pair_total.items())
    return graph


def read_table(out: str | Path, table: str) -> pd.DataFrame:
    """One output table of :func:`run_corpus`, its partitions concatenated in order."""
    import pyarrow.parquet as pq

    if table not in TABLES:
        raise ValueError(f"table {table!r}: expected one of {list(TABLES)}")
    paths = sorted((Path(out) / table).glob("part-*.parquet"))
    if not paths:
        raise FileNotFoundError(f"{Path(out) / table}: no partitions written")
    return pd.concat([pq.read_table(p).to_pandas() for p in paths], ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.pipeline CORPUS OUT [--engine dask] [--workers N] [--scheduler A]
    [--stages ...] [--events PATH] [--world]``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--engine", choices=ENGINES, default="serial")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running dask scheduler")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--partition-size", type=int, default=PARTITION_SIZE)
    parser.add_argument("--events", type=Path, help="an events table to check (stage checks)")
    parser.add_argument("--world", action="store_true", help="tag with the world gazetteer too")
    args = parser.parse_args(argv)
    engine = engine_of(args.engine, args.scheduler)
    try:
        result = run_corpus(
            args.corpus,
            args.out,
            engine=engine,
            workers=args.workers,
            scheduler=args.scheduler,
            stages=args.stages,
            partition_size=args.partition_size,
            world=args.world,
            events=args.events,
            progress=sys.stderr,
        )
    except (ArticleError, DataError, FileExistsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for line in result.lines():
        print(line)
    for process, mb in result.memory.items():
        print(f"peak memory {process}: {mb:.0f} MB")
    return 0


if __name__ == "__main__":
    # The module's own functions, not this script's copies: Dask sends them to the workers by
    # name (a copy from __main__ would be pickled with its globals, a semaphore among them).
    from helpers.pipeline import main as pipeline_main

    sys.exit(pipeline_main())
