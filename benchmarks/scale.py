"""How the pipeline scales from 1 to 10,000 articles.

    .venv/bin/python benchmarks/scale.py                    # 1, 10, 100, 1000, 10000 articles
    .venv/bin/python benchmarks/scale.py --sizes 1 10 100   # a quick run
    .venv/bin/python benchmarks/scale.py --sizes 1000 --engine serial dask --workers 1 2
    .venv/bin/python benchmarks/scale.py --sizes 1000 --engine serial --corpora DIR

Without ``--engine`` the stages run in memory as below. With ``--engine serial`` and/or
``dask`` they run through ``helpers.pipeline.run_corpus`` (partitions of files, Parquet per
partition and stage in a temporary folder, the co-mention network from per-partition pair
sums); ``dask`` runs once per ``--workers`` count on a local cluster of worker processes (one
thread each). Every run's Parquet files and network are compared with the first run's
(``identical``). Pipeline stages are parse, tag, timex (time phrases), events (candidate
events) and checks (the synthesised events, made checkable and written as one events table
by ``corpus.write_events`` beforehand, not timed, checked against their articles); all by
default, ``--stages`` to leave some out. A stage's seconds are summed over its partitions
(with two workers about twice the wall time it took); ``all`` is the wall time from the
first file to the network built, including the parent's split of the events table by
partition (``split``, serial); peak memory is given for the process that runs
``run_corpus`` (with Dask: the client and scheduler) and for each worker (``VmHWM``, read in
the worker by ``client.run``).

With ``--corpora DIR`` (pipeline runs only) each size's corpus and events table are kept in DIR
(``corpus-N/``, ``events-N.csv``) and reused by later runs, untimed as when written, while the
stamp beside them (``corpus-N.json``: the size, ``corpus.fingerprint()`` of every file and
version the generator's bytes depend on, the corpus and events bytes, the event count) matches
and the files are complete; otherwise they are written afresh (``corpus.stored_corpus``; the
stamp goes last, so an interrupted generation is never reused). One line per size says
``written`` or ``reused`` and the seconds. The pipeline's outputs stay in a temporary folder.

Corpora are synthetic and deterministic (benchmarks/corpus.py: recombined blocks and
sentences of the real article, varied date lines, swapped state names), written to a
temporary folder that is deleted afterwards. Each size runs in a fresh interpreter, one stage
after the other, every stage timed with ``time.perf_counter``:

parse       ``load_corpus(folder)``: read and parse every file
tag         ``tag_corpus(articles, aliases=gazetteer)``: one mention table for the corpus
            (the rows of ``tag_mentions`` per article plus an ``article`` column), with one
            gazetteer built beforehand (not timed)
comention   ``comention_graph(mentions, actors, within=["article", "sentence"])``: one
            network over the corpus, a sentence being (article, sentence index)
events      ``event_graph(events, actors, columns=COLLAPSE_COLUMNS)`` then ``collapse(G)`` on
            the events synthesised per article from data/events.csv (see benchmarks/corpus.py;
            synthesised in the parent process and handed over as a pickle, not timed)

MB/s is the corpus size in bytes (UTF-8 files) over the stage's seconds, for every stage.
Memory is the peak resident set size of the process so far (``VmHWM`` from
/proc/self/status, the kernel's high-water mark of the process's resident memory; it
includes the interpreter, pandas and networkx and the events table: about 90 MB before any
work), read after each stage; tracemalloc is not used because it slows Python down.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = ("parse", "tag", "comention", "events")
TARGET_GROWTH = 11.0  # per stage, from 1,000 to 10,000 articles
TARGET_SECONDS = 60.0  # parse + tag + comention + events for 10,000 articles
TARGET_MB = 1024.0


def _rss_mb() -> float:
    """Peak resident set size of this process so far, MB: ``VmHWM`` of /proc/self/status.
    Not ``ru_maxrss``: after exec it starts at the parent's peak (Linux keeps the larger of
    the old and new image's high-water marks), which would count the corpus generator."""
    from helpers.pipeline import peak_rss_mb

    return peak_rss_mb()


def run_pipeline(
    folder: Path, out: Path, engine: str, workers: int, stages: list[str], events: Path | None
) -> dict:
    """Run ``helpers.pipeline.run_corpus`` on one corpus folder; return the figures."""
    from helpers.pipeline import run_corpus

    rss_start = _rss_mb()
    result = run_corpus(
        folder,
        out,
        engine=engine,
        workers=workers,
        stages=stages,
        events=events,
        progress=sys.stderr,
    )
    return {
        "rss_start": rss_start,
        "seconds": result.seconds,
        "split": result.split_seconds,
        "partitions": result.partitions,
        "stages": {
            name: {"seconds": t.seconds, "articles": t.articles, "rows": t.rows}
            for name, t in result.stages.items()
        },
        "memory": result.memory,
        "nodes": sorted(result.network.nodes(data="mentions")),
        "edges": sorted((*sorted((a, b)), w) for a, b, w in result.network.edges(data="weight")),
        "tension": sorted(
            (*sorted((a, b)), d["weight"], d["n_events"])
            for a, b, d in result.tension.edges(data=True)
        ),
    }


def same_output(first: Path, other: Path) -> bool:
    """Whether two run_corpus output folders hold equal Parquet tables, partition by
    partition (so that the comparison, too, holds one partition at a time)."""
    import pyarrow.parquet as pq

    names = sorted(p.relative_to(first) for p in first.rglob("*.parquet"))
    if names != sorted(p.relative_to(other) for p in other.rglob("*.parquet")):
        return False
    return all(pq.read_table(first / n).equals(pq.read_table(other / n)) for n in names)


def run_one(folder: Path, events_pickle: Path) -> dict:
    """Time the stages on one corpus folder (in this process); return the figures."""
    import pandas as pd

    from helpers.actors import build_gazetteer, comention_graph, load_actors, tag_corpus
    from helpers.article import load_corpus
    from helpers.network import COLLAPSE_COLUMNS, collapse, event_graph

    actors = load_actors()
    gazetteer = build_gazetteer(actors)
    events = pd.read_pickle(events_pickle)
    result: dict = {"rss_start": _rss_mb(), "stages": {}}

    def stage(name, started, **extra):
        result["stages"][name] = {
            "seconds": time.perf_counter() - started,
            "rss": _rss_mb(),
            **extra,
        }

    started = time.perf_counter()
    articles = load_corpus(folder)
    stage("parse", started, sentences=sum(len(a.sentences) for a in articles))

    started = time.perf_counter()
    mentions = tag_corpus(articles, aliases=gazetteer)
    stage("tag", started, mentions=len(mentions))

    started = time.perf_counter()
    network = comention_graph(mentions, actors, within=["article", "sentence"])
    stage("comention", started, nodes=network.number_of_nodes(), edges=network.number_of_edges())

    started = time.perf_counter()
    graph = event_graph(events, actors, columns=COLLAPSE_COLUMNS)
    tension = collapse(graph)
    stage(
        "events",
        started,
        events=len(events),
        edges=graph.number_of_edges(),
        pairs=tension.number_of_edges(),
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000, 10000])
    parser.add_argument("--engine", nargs="+", choices=["serial", "dask"], default=[])
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument(
        "--stages", nargs="+", default=["parse", "tag", "timex", "events", "checks"]
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        metavar="DIR",
        help="with --engine: keep the generated corpora in DIR and reuse them while their "
        "stamp matches the generator's inputs",
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child: corpus folder
    parser.add_argument("--events", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)  # child: pipeline output
    args = parser.parse_args(argv)
    if args.corpora is not None and not args.engine:
        parser.error("--corpora is for the pipeline runs: give --engine too")
    if args.one is not None and args.out is not None:
        figures = run_pipeline(
            args.one, args.out, args.engine[0], args.workers[0], args.stages, args.events
        )
        print(json.dumps(figures))
        return 0
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.events)))
        return 0
    if args.engine:
        return pipeline_main(args)

    from corpus import Source, synthesise_events, write_corpus  # benchmarks/ is sys.path[0]

    from helpers.events import load_events

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")
    source = Source()
    coded = load_events()
    workdir = Path(tempfile.mkdtemp(prefix="csto-scale-"))
    results = []
    try:
        for size in args.sizes:
            folder = workdir / f"corpus-{size}"
            facts = write_corpus(folder, size, source)
            events_pickle = workdir / f"events-{size}.pkl"
            with open(events_pickle, "wb") as handle:
                pickle.dump(synthesise_events(facts, coded), handle)
            corpus_bytes = sum(f["bytes"] for f in facts)
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(folder), "--events", str(events_pickle)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result.update(size=size, bytes=corpus_bytes)
            results.append(result)
            total = sum(s["seconds"] for s in result["stages"].values())
            print(f"  {size:>6} articles: {total:7.2f} s", flush=True)
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    header = (
        f"{'articles':>8} {'MB':>6} {'stage':<10} {'seconds':>8} {'MB/s':>8} "
        f"{'peak RSS MB':>11} {'growth':>7}  counts"
    )
    print(header)
    print("-" * len(header))
    previous = None
    for result in results:
        mb = result["bytes"] / 1e6
        for name in STAGES:
            s = result["stages"][name]
            growth = ""
            if previous is not None:
                growth = f"{s['seconds'] / previous['stages'][name]['seconds']:6.1f}x"
            counts = ", ".join(f"{k} {v}" for k, v in s.items() if k not in ("seconds", "rss"))
            print(
                f"{result['size']:>8} {mb:6.2f} {name:<10} {s['seconds']:8.3f} "
                f"{mb / s['seconds']:8.2f} {s['rss']:11.0f} {growth:>7}  {counts}"
            )
        total = sum(s["seconds"] for s in result["stages"].values())
        peak = max(s["rss"] for s in result["stages"].values())
        print(
            f"{result['size']:>8} {mb:6.2f} {'all':<10} {total:8.3f} {mb / total:8.2f} "
            f"{peak:11.0f}          (RSS before the stages: {result['rss_start']:.0f} MB)"
        )
        previous = result

    print()
    by_size = {r["size"]: r for r in results}
    if 1000 in by_size and 10000 in by_size:
        for name in STAGES:
            growth = (
                by_size[10000]["stages"][name]["seconds"] / by_size[1000]["stages"][name]["seconds"]
            )
            verdict = "ok" if growth <= TARGET_GROWTH else "TOO STEEP"
            print(f"growth 1,000 -> 10,000, {name:<10} {growth:5.1f}x (<= 11x): {verdict}")
    if 10000 in by_size:
        r = by_size[10000]
        total = sum(s["seconds"] for s in r["stages"].values())
        peak = max(s["rss"] for s in r["stages"].values())
        print(
            f"10,000 articles, all stages: {total:.1f} s (< {TARGET_SECONDS:.0f} s): "
            f"{'ok' if total < TARGET_SECONDS else 'TOO SLOW'}"
        )
        print(
            f"10,000 articles, peak RSS: {peak:.0f} MB (< {TARGET_MB:.0f} MB): "
            f"{'ok' if peak < TARGET_MB else 'TOO BIG'}"
        )
    return 0


def _pipeline_runs(args) -> list[tuple[str, int]]:
    runs = []
    for engine in args.engine:
        counts = [1] if engine == "serial" else args.workers
        runs.extend((engine, n) for n in counts)
    return runs


def _run_child(
    folder: Path, out: Path, engine: str, workers: int, stages: list[str], events: Path
) -> dict:
    command = [sys.executable, __file__, "--one", str(folder), "--out", str(out)]
    command += ["--engine", engine, "--workers", str(workers), "--stages", *stages]
    command += ["--events", str(events)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{engine} with {workers} worker(s) failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_pipeline(rows: list[dict]) -> None:
    header = (
        f"{'articles':>8} {'MB':>6} {'engine':<8} {'stage':<10} {'seconds':>8} {'MB/s':>8} "
        f"{'peak RSS MB':>11}  counts"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        mb, r = row["bytes"] / 1e6, row["result"]
        engine = row["engine"] if row["engine"] == "serial" else f"dask x{row['workers']}"
        lead = f"{row['size']:>8} {mb:6.2f} {engine:<8}"
        for name, s in r["stages"].items():
            print(
                f"{lead} {name:<10} {s['seconds']:8.3f} {mb / s['seconds']:8.2f} "
                f"{'':>11}  articles {s['articles']}, rows {s['rows']}"
            )
        memory = ", ".join(f"{k} {v:.0f}" for k, v in r["memory"].items())
        peak = max(r["memory"].values())
        print(
            f"{lead} {'all':<10} {r['seconds']:8.3f} {mb / r['seconds']:8.2f} {peak:11.0f}  "
            f"{r['partitions']} partitions, {len(r['edges'])} co-mention and "
            f"{len(r['tension'])} tension edges, split {r['split']:.2f} s, "
            f"identical {row['identical']}; peak MB: {memory}"
        )


def _corpus_inputs():
    """The source article and the coded events the generator needs, read once."""
    from corpus import Source  # benchmarks/ is sys.path[0]

    from helpers.events import load_events

    return Source(), load_events()


def pipeline_main(args) -> int:
    """Each size: write the corpus (or reuse it from ``--corpora``), run every (engine,
    workers) on it, compare outputs."""
    from functools import cache

    from corpus import fingerprint, stored_corpus  # benchmarks/ is sys.path[0]

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")
    inputs = cache(_corpus_inputs)
    stamp = fingerprint()
    workdir = Path(tempfile.mkdtemp(prefix="csto-scale-"))
    rows = []
    try:
        for size in args.sizes:
            started = time.perf_counter()
            stored = stored_corpus(args.corpora or workdir, size, inputs, stamp)
            folder, events, corpus_bytes = stored.folder, stored.events, stored.corpus_bytes
            done = f"reused from {args.corpora}" if stored.reused else "written"
            print(
                f"  {size:>6} articles and {stored.count} events {done} in "
                f"{time.perf_counter() - started:.1f} s"
            )
            first = None
            for engine, workers in _pipeline_runs(args):
                out = workdir / f"out-{size}-{engine}-{workers}"
                result = _run_child(folder, out, engine, workers, args.stages, events)
                if first is None:
                    first, identical = (out, result), "(reference)"
                else:
                    same = same_output(first[0], out) and all(
                        result[k] == first[1][k] for k in ("nodes", "edges", "tension")
                    )
                    identical = "yes" if same else "NO"
                    shutil.rmtree(out)
                row = dict(size=size, bytes=corpus_bytes, engine=engine, workers=workers)
                rows.append({**row, "result": result, "identical": identical})
                print(f"  {size:>6} articles, {engine} x{workers}: {result['seconds']:7.2f} s")
            if args.corpora is None:
                shutil.rmtree(folder)
                events.unlink()
            if first is not None:
                shutil.rmtree(first[0])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    _print_pipeline(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
