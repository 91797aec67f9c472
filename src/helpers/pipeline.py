"""The per-article stages over a corpus folder, in partitions of files, serially or on Dask.

A corpus folder's article files (:func:`helpers.article.corpus_files`, sorted by name) are cut
into partitions of ``partition_size`` files. Each partition is one task that runs the stages
on its files in turn and writes one Parquet file per stage into the output folder:

``articles/part-NNNNN.parquet``  one row per article: id, file, date, precision, bytes, sentences,
                                 quotes (stage ``parse``: :func:`helpers.article.load_article`)
``mentions/part-NNNNN.parquet``  the rows of :func:`helpers.actors.tag_corpus` (stage ``tag``)
``times/part-NNNNN.parquet``     article, start, end, phrase of each time expression
                                 (stage ``timex``: :func:`helpers.timex.find_time_expressions`)
``pairs/part-NNNNN.parquet``     the partition's co-mention sums: actor pairs ``a`` < ``b`` and
                                 the number of sentences that mention both (``weight``)
``counts/part-NNNNN.parquet``    the partition's mentions per actor

Files are written atomically (a temporary file, then a rename). The co-mention network is the
sum of the partitions' pair and count tables (:func:`comention_from_sums`), so neither the
parent nor a worker holds more than one partition's articles: memory does not grow with the
corpus. Its weights and node attributes equal those of
``comention_graph(tag_corpus(load_corpus(folder)), within=["article", "sentence"])``; the
per-edge lists of sentences are not kept (they grow with the corpus).

Engines: ``"serial"`` runs the partitions one after another in this process; ``"dask"`` submits
them to a ``dask.distributed`` cluster: a local one of ``workers`` processes (one thread each),
or the running scheduler at ``scheduler`` (``tcp://host:8786``), whose workers need this package
and its data/ folder (the same checkout) installed. Results are identical between engines.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import IO

import networkx as nx
import pandas as pd

from helpers.actors import (
    Gazetteer,
    add_actor_nodes,
    build_gazetteer,
    sentence_actors,
    tag_corpus,
)
from helpers.article import Article, ArticleError, corpus_files, load_article
from helpers.io import atomic_write
from helpers.timex import find_time_expressions

STAGES = ("parse", "tag", "timex")
ENGINES = ("serial", "dask")
PARTITION_SIZE = 250
TABLES = ("articles", "mentions", "times", "pairs", "counts")
ARTICLE_COLUMNS = ["article", "file", "date", "date_precision", "bytes", "sentences", "quotes"]
TIME_COLUMNS = ["article", "start", "end", "phrase"]


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
    seconds, the co-mention network, and the peak resident memory (MB) of each process."""

    out: Path
    partitions: int
    stages: dict[str, StageTotal]
    seconds: float
    network: nx.Graph
    memory: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per stage (stage, articles, seconds), then ``all`` with the wall time."""
        rows = [
            f"{t.stage:<10} {t.articles:>8} articles {t.seconds:9.2f} s  ({t.rows} rows)"
            for t in self.stages.values()
        ]
        articles = max((t.articles for t in self.stages.values()), default=0)
        rows.append(f"{'all':<10} {articles:>8} articles {self.seconds:9.2f} s  (wall)")
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


def time_table(articles: Iterable[Article]) -> pd.DataFrame:
    """Every time expression of the articles: article id, start, end (raw offsets), phrase."""
    rows = [(a.id, *found) for a in articles for found in find_time_expressions(a.raw)]
    frame = pd.DataFrame(rows, columns=TIME_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64"})


def pair_sums(mentions: pd.DataFrame) -> pd.DataFrame:
    """Co-mention sums of a mention table of :func:`tag_corpus`: each sentence (article,
    sentence) adds 1 to every pair of distinct actors it mentions; ``a`` < ``b``. The
    sentences are those of :func:`helpers.actors.sentence_actors` (as in ``comention_graph``)."""
    weights: Counter[tuple[str, str]] = Counter()
    for _, members in sentence_actors(mentions, ["article", "sentence"]):
        weights.update(combinations(members, 2))
    frame = pd.DataFrame(
        [(a, b, w) for (a, b), w in sorted(weights.items())], columns=["a", "b", "weight"]
    )
    return frame.astype({"weight": "int64"})


def mention_sums(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions per actor (``actor_id``, ``mentions``), sorted by actor."""
    counts = mentions["actor_id"].value_counts().sort_index()
    return pd.DataFrame(
        {"actor_id": counts.index.tolist(), "mentions": counts.to_numpy(dtype="int64")}
    )


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


def _write(out: Path, table: str, index: int, frame: pd.DataFrame) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    path = out / table / f"part-{index:05d}.parquet"
    return atomic_write(path, lambda handle: pq.write_table(arrow, handle))


@lru_cache(maxsize=2)
def _gazetteer(world: bool) -> Gazetteer:
    return build_gazetteer(world=world)


def run_partition(
    index: int, files: Sequence[str | Path], out: str | Path, stages: Sequence[str], world: bool
) -> dict:
    """Run ``stages`` on one partition's files and write its tables; return per-stage
    seconds and row counts, and the pair and count tables (small: actors, not articles)."""
    out = Path(out)
    seconds: dict[str, float] = {}
    rows: dict[str, int] = {}
    started = time.perf_counter()
    articles, sizes = [], []
    for path in files:
        article = load_article(path)
        articles.append(article)
        sizes.append(len(article.raw.encode("utf-8")))
    _write(out, "articles", index, article_table(articles, sizes))
    seconds["parse"], rows["parse"] = time.perf_counter() - started, len(articles)
    result: dict = {"index": index, "articles": len(articles), "ids": [a.id for a in articles]}
    if "tag" in stages:
        started = time.perf_counter()
        mentions = tag_corpus(articles, aliases=_gazetteer(world))
        _write(out, "mentions", index, mentions)
        result["pairs"] = pair_sums(mentions)
        result["counts"] = mention_sums(mentions)
        _write(out, "pairs", index, result["pairs"])
        _write(out, "counts", index, result["counts"])
        seconds["tag"], rows["tag"] = time.perf_counter() - started, len(mentions)
    if "timex" in stages:
        started = time.perf_counter()
        times = time_table(articles)
        _write(out, "times", index, times)
        seconds["timex"], rows["timex"] = time.perf_counter() - started, len(times)
    result.update(seconds=seconds, rows=rows)
    return result


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


def progress_bar(stream: IO[str] | None) -> Callable[[int, int], None]:
    """A text progress bar on ``stream`` (nothing if None): call it with (done, total)."""

    def show(done: int, total: int) -> None:
        if stream is None:
            return
        filled = 30 * done // max(total, 1)
        end = "\n" if done == total else ""
        bar = "#" * filled + "." * (30 - filled)
        stream.write(f"\rpartitions [{bar}] {done}/{total}{end}")
        stream.flush()

    return show


def _serial(tasks: list[tuple], show: Callable[[int, int], None]) -> tuple[list[dict], dict]:
    results = []
    for task in tasks:
        results.append(run_partition(*task))
        show(len(results), len(tasks))
    return results, {}


def _worker_memory(client) -> dict[str, float]:
    peaks = client.run(peak_rss_mb)  # worker address -> MB
    return {f"worker {i}": peaks[addr] for i, addr in enumerate(sorted(peaks), start=1)}


def _dask(
    tasks: list[tuple], show: Callable[[int, int], None], workers: int, scheduler: str | None
) -> tuple[list[dict], dict]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        with Client(scheduler if cluster is None else cluster) as client:
            futures = [client.submit(run_partition, *task, pure=False) for task in tasks]
            results = []
            for future in as_completed(futures):
                results.append(future.result())
                future.release()
                show(len(results), len(tasks))
            return results, _worker_memory(client)
    finally:
        if cluster is not None:
            cluster.close()


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


def run_corpus(
    folder: str | Path,
    out: str | Path,
    *,
    engine: str = "serial",
    workers: int = 2,
    scheduler: str | None = None,
    stages: Sequence[str] = STAGES,
    partition_size: int = PARTITION_SIZE,
    world: bool = False,
    actors: pd.DataFrame | None = None,
    progress: IO[str] | None = None,
) -> PipelineResult:
    """Run ``stages`` on every article of ``folder`` in partitions, write the Parquet tables
    into ``out`` (new or empty) and build the co-mention network from the partitions' sums.

    ``engine`` "serial" (this process) or "dask" (``workers`` local processes, or the
    cluster whose scheduler is at ``scheduler``); ``world`` tags with the world gazetteer too;
    ``actors`` gives the node attributes (default: the hand-coded table); ``progress``, a
    stream for a progress bar over the partitions (e.g. ``sys.stderr``).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {list(ENGINES)}")
    stages = _check_stages(stages)
    out = Path(out)
    _check_out(out)
    files, _hidden = corpus_files(folder)
    parts = partition_files(files, partition_size)
    tasks = [(i, [str(p) for p in part], str(out), stages, world) for i, part in enumerate(parts)]
    started = time.perf_counter()
    show = progress_bar(progress)
    if engine == "serial":
        results, memory = _serial(tasks, show)
    else:
        results, memory = _dask(tasks, show, workers, scheduler)
    _check_unique(results, parts)
    network = nx.Graph()
    if "tag" in stages and results:
        network = comention_from_sums(
            (r["counts"] for r in results), (r["pairs"] for r in results), actors
        )
    seconds = time.perf_counter() - started
    memory = {"parent": peak_rss_mb(), **memory}
    return PipelineResult(out, len(parts), _totals(results, stages), seconds, network, memory)


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
    """``python -m helpers.pipeline CORPUS OUT [--engine dask] [--workers N] [--scheduler A]``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--engine", choices=ENGINES, default="serial")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="address of a running dask scheduler")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--partition-size", type=int, default=PARTITION_SIZE)
    args = parser.parse_args(argv)
    engine = "dask" if args.scheduler else args.engine
    result = run_corpus(
        args.corpus,
        args.out,
        engine=engine,
        workers=args.workers,
        scheduler=args.scheduler,
        stages=args.stages,
        partition_size=args.partition_size,
        progress=sys.stderr,
    )
    for line in result.lines():
        print(line)
    for process, mb in result.memory.items():
        print(f"peak memory {process}: {mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
