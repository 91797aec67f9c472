"""How long ``python3 tasks.py run --corpus DIR`` takes for a corpus of 10 or 100 articles.

    .venv/bin/python benchmarks/run_corpus.py                 # 10 and 100 articles
    .venv/bin/python benchmarks/run_corpus.py --sizes 10      # a quick run

For each size: a synthetic corpus (benchmarks/corpus.py; article 0 is the seed article, which
the registry already holds) is written to a temporary folder, its articles are added to a copy
of ``data/articles.csv`` with the add command (``helpers.registry.add_articles``, timed apart),
and its events are synthesised from ``data/events.csv`` (without time phrases, with the finest
precision that fits the shifted dates; rows whose dates no longer fit an events.csv precision or
the article's publication date dropped) and kept for the articles whose every remaining row
``load_events`` accepts (the others are registered without events: they still
count in notebooks 01 and 02). Then ``tasks.py run --corpus DIR --registry R --events E --out
O`` is run as a user runs it, and its wall time printed. Everything is written to the
temporary folder, which is deleted; the repository is not touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from corpus import checkable_events, synthesise_events, write_corpus

from helpers.events import EVENTS, export_events, load_events
from helpers.paths import OUTPUT_ENV, REGISTRY, ROOT
from helpers.registry import add_articles
from helpers.tables import DataError


def accepted_events(rows: pd.DataFrame, registry: Path, corpus: Path, scratch: Path) -> bool:
    """Whether ``load_events`` accepts ``rows`` (one article's synthesised events)."""
    export_events(rows, scratch)
    try:
        load_events(scratch / "events.csv", registry=registry, corpus_dirs=[corpus])
    except DataError:
        return False
    return True


def make_corpus(folder: Path, size: int) -> tuple[Path, Path, Path, dict]:
    """The corpus folder, its registry and events table, and counts (articles, events)."""
    texts, work = folder / "texts", folder / "work"
    work.mkdir(parents=True)
    facts = write_corpus(texts, size)
    (texts / "00000.txt").unlink()  # article 0 is the seed: data/raw/ holds it
    registry = folder / "articles.csv"
    shutil.copyfile(REGISTRY, registry)
    started = time.perf_counter()
    add_articles(sorted(texts.glob("*.txt")), registry, outlet="Synthetic")
    add_seconds = time.perf_counter() - started
    synthetic = checkable_events(synthesise_events(facts[1:], load_events(EVENTS)), facts)
    kept = [load_events(EVENTS)]
    for _, rows in synthetic.groupby("article_id", sort=False):
        if accepted_events(rows.reset_index(drop=True), registry, texts, work):
            kept.append(rows)
    events = pd.concat(kept, ignore_index=True)
    export_events(events, work)
    table = folder / "events.csv"
    shutil.move(work / "events.csv", table)
    counts = {
        "articles": size,
        "with events": events["article_id"].nunique(),
        "events": len(events),
        "add seconds": add_seconds,
    }
    return texts, registry, table, counts


def time_run(texts: Path, registry: Path, events: Path, out: Path) -> tuple[float, str]:
    """Wall time of ``tasks.py run --corpus texts ...`` (its set-up check included), and the
    seconds of each notebook as the run printed them."""
    env = {k: v for k, v in os.environ.items() if k != OUTPUT_ENV}
    command = [sys.executable, str(ROOT / "tasks.py"), "run", "--corpus", str(texts)]
    command += ["--registry", str(registry), "--events", str(events), "--out", str(out)]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"run failed:\n{result.stderr[-4000:]}")
    notebooks = [line.split("/")[-1] for line in result.stdout.splitlines() if ".ipynb: " in line]
    return seconds, "; ".join(n.replace(".ipynb", "") for n in notebooks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    args = parser.parse_args(argv)
    print("| articles | with events | events | add (s) | run --corpus (s) | per notebook |")
    print("|---:|---:|---:|---:|---:|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="csto-run-corpus-") as folder:
            texts, registry, events, counts = make_corpus(Path(folder), size)
            seconds, notebooks = time_run(texts, registry, events, Path(folder) / "out")
            print(
                f"| {size} | {counts['with events']} | {counts['events']} | "
                f"{counts['add seconds']:.1f} | {seconds:.1f} | {notebooks} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
