"""helpers.pipeline: corpus stages in partitions, serial and on a Dask LocalCluster (issue 14)."""

from __future__ import annotations

import gc
import io
import sys
import time
from contextlib import contextmanager
from itertools import product
from pathlib import Path

import pandas as pd
import pytest

from helpers import pipeline
from helpers.actors import build_gazetteer, comention_graph, load_actors, tag_corpus, tag_mentions
from helpers.article import ArticleError, load_corpus, parse_article
from helpers.event_split import in_process, split_events
from helpers.events import article_sources, load_events
from helpers.network import collapse, event_graph
from helpers.pipeline import (
    STAGES,
    TABLES,
    StageBars,
    _engine,
    _Here,
    _OnCluster,
    engine_of,
    mentions_by_article,
    pair_sums,
    partition_files,
    read_table,
    run_corpus,
    suggestion_table,
    time_table,
)
from helpers.suggest import SUGGESTION_COLUMNS, Tables, load_cues, suggest_events
from helpers.tables import DataError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import write_corpus, write_events  # the benchmarks' synthetic corpus

from csv_rows import read_rows, write_rows


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> list[dict]:
    return write_corpus(tmp_path_factory.mktemp("corpus"), 40)


@pytest.fixture(scope="module")
def corpus(facts) -> Path:
    return facts[0]["path"].parent


@pytest.fixture(scope="module")
def events(facts, tmp_path_factory) -> Path:
    """The corpus's synthesised events, fit for the checks of load_events, as a CSV."""
    path = tmp_path_factory.mktemp("events") / "events.csv"
    assert write_events(facts, load_events(), path, chunk=15) > 100  # three chunks
    return path


@pytest.fixture(scope="module")
def reports() -> list[dict]:
    return []


@pytest.fixture(scope="module")
def serial(corpus, events, reports, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "out"
    return run_corpus(
        corpus, out, engine="serial", partition_size=7, events=events, on_stage=reports.append
    )


@pytest.fixture(scope="module")
def cluster():
    """One local Dask cluster of two worker processes for the module (a start costs seconds)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def _edges(graph) -> list[tuple]:
    return sorted((*sorted((a, b)), d["weight"]) for a, b, d in graph.edges(data=True))


def test_set_aside_sets_objects_aside_and_the_serial_engine_gives_them_back(corpus, tmp_path):
    gc.unfreeze()  # what earlier tests set aside (helpers.parameters.settle_imports)
    try:
        pipeline.set_aside_what_is_held()
        assert gc.get_freeze_count() > 0  # what the process held is out of the collector's sight
    finally:
        gc.unfreeze()
    held = []

    def frozen_during_a_partition(event: dict) -> None:
        held.append(gc.get_freeze_count())

    run_corpus(corpus, tmp_path / "out", partition_size=7, on_stage=frozen_during_a_partition)
    assert held and min(held) > 0
    assert gc.get_freeze_count() == 0  # a serial run leaves the caller's process as it found it


def test_the_serial_engine_leaves_what_its_caller_set_aside(corpus, tmp_path):
    gc.freeze()  # as a notebook's settle_imports does
    before = gc.get_freeze_count()
    try:
        run_corpus(corpus, tmp_path / "out", partition_size=7, stages=["parse"])
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()


def test_partition_files_keeps_order_and_covers_every_file():
    files = [Path(f"{i:03d}.txt") for i in range(23)]
    parts = partition_files(files, 5)
    assert [len(p) for p in parts] == [5, 5, 5, 5, 3]
    assert [f for p in parts for f in p] == files


def test_pair_sums_equal_comention_graph_weights(corpus):
    mentions = tag_corpus(load_corpus(corpus)[:5], aliases=build_gazetteer())
    expected = _edges(comention_graph(mentions, within=["article", "sentence"]))
    assert list(pair_sums(mentions).itertuples(index=False, name=None)) == expected
    assert len(expected) > 10
    shuffled = mentions.sample(frac=1, random_state=0)  # rows out of sentence order
    pd.testing.assert_frame_equal(pair_sums(shuffled), pair_sums(mentions))


def test_serial_tables_equal_the_in_memory_path(corpus, serial):
    articles = load_corpus(corpus)
    mentions = tag_corpus(articles, aliases=build_gazetteer())
    written = read_table(serial.out, "mentions")
    pd.testing.assert_frame_equal(written, mentions, check_dtype=False)
    assert read_table(serial.out, "articles")["article"].tolist() == [a.id for a in articles]
    pd.testing.assert_frame_equal(read_table(serial.out, "times"), time_table(articles))
    assert serial.partitions == 6  # 40 files in partitions of 7
    assert [t.articles for t in serial.stages.values()] == [40] * 5


def test_serial_network_equals_comention_graph(corpus, serial):
    mentions = tag_corpus(load_corpus(corpus), aliases=build_gazetteer())
    expected = comention_graph(mentions, within=["article", "sentence"])
    assert dict(serial.network.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(serial.network) == _edges(expected)
    assert serial.network.number_of_edges() > 10


def test_parquet_written_one_file_per_partition_and_stage(serial):
    for table in TABLES:
        names = sorted(p.name for p in (serial.out / table).iterdir())
        assert names == [f"part-{i:05d}.parquet" for i in range(6)], table
    assert sorted(p.name for p in serial.out.iterdir()) == sorted(TABLES)  # no scratch left


def test_suggestions_equal_suggest_events_per_article(corpus, serial):
    lexicon, actors, gazetteer = load_cues(), load_actors(), build_gazetteer()
    expected = pd.concat(
        [
            suggest_events(a, lexicon, actors, mentions=tag_mentions(a, aliases=gazetteer))
            for a in load_corpus(corpus)
        ],
        ignore_index=True,
    )
    written = read_table(serial.out, "suggestions")
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    assert len(written) > 40
    assert list(written.columns) == list(SUGGESTION_COLUMNS)
    assert set(written.dtypes.astype(str)) == {"str"}


def test_suggestion_table_of_articles_without_suggestions_has_the_text_columns():
    articles = [parse_article("date 2022-11 Niets te zien.\n\nHet bleef stil.")]
    mentions = tag_corpus(articles, aliases=build_gazetteer())
    table = suggestion_table(articles, mentions)
    assert len(table) == 0
    assert list(table.columns) == list(SUGGESTION_COLUMNS)
    assert set(table.dtypes.astype(str)) == {"str"}


def test_mentions_by_article_groups_rows_in_table_order():
    mentions = pd.DataFrame(
        {
            "article": ["b", "a", "b", "a"],
            "actor_id": ["ARM", "RUS", "CSTO", "PASHINYAN"],
            "start": [5, 0, 20, 9],
            "end": [12, 7, 24, 18],
        }
    )
    found = mentions_by_article(mentions, Tables.of())
    assert list(found) == ["b", "a"]
    assert [m.actor_id for m in found["b"]] == ["ARM", "CSTO"]
    assert [(m.start, m.end, m.state) for m in found["a"]] == [(0, 7, "RUS"), (9, 18, "ARM")]


def test_checked_rows_equal_load_events(corpus, events, serial):
    expected = load_events(events, articles=load_corpus(corpus))
    written = read_table(serial.out, "checked")
    key = ["article_id", "event_id"]
    expected = expected.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(
        written.sort_values(key, ignore_index=True), expected, check_dtype=False
    )
    assert serial.stages["checks"].rows == len(expected) > 100


def test_checks_read_the_same_of_articles_and_of_their_sources(corpus, events, tmp_path):
    """A partition keeps only its articles' sources (text and dates) for its checks: they
    give the checks of the articles themselves, and the same error for a bad row."""
    articles = load_corpus(corpus)
    split = split_events(events, [sorted(corpus.glob("*.txt"))], tmp_path / "rows")
    by_articles = pipeline.checked_table(events, split.files[0], articles)
    by_sources = pipeline.checked_table(events, split.files[0], article_sources(articles))
    pd.testing.assert_frame_equal(by_sources, by_articles)
    assert len(by_articles) > 100
    errors = []
    for given in (articles[1:], article_sources(articles[1:])):  # a row's article missing
        with pytest.raises(DataError) as raised:
            pipeline.checked_table(events, split.files[0], given)
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and str(events) in errors[0]


def _ties(graph) -> tuple:
    edges = [
        (a, b, {k: v for k, v in d.items() if k != "event_ids"})
        for a, b, d in graph.edges(data=True)
    ]
    return sorted(graph.nodes), edges, graph.graph["zero_sum_pairs"], graph.graph["internal"]


def test_serial_tension_network_equals_collapse_of_all_checked_events(corpus, events, serial):
    whole = collapse(event_graph(load_events(events, articles=load_corpus(corpus))))
    internal = {
        n: {"weight": d["weight"], "n_events": d["n_events"]}
        for n, d in whole.graph["internal"].items()
    }
    assert _ties(serial.tension)[:3] == _ties(whole)[:3] and _ties(serial.tension)[3] == internal
    assert serial.tension.number_of_edges() > 10
    assert serial.tension.nodes["RUS"]["name_en"] == "Russia"


def test_one_report_per_partition_and_stage(serial, reports):
    assert sorted((r["partition"], r["stage"]) for r in reports) == sorted(
        product(range(6), STAGES)
    )
    assert sum(r["rows"] for r in reports if r["stage"] == "tag") == serial.stages["tag"].rows


def test_stage_lines_and_a_skipped_stage(corpus, serial, tmp_path):
    lines = serial.lines()
    assert [line.split()[0] for line in lines] == [*STAGES, "all"]
    assert lines[1].split()[:5] == ["tag", "40", "articles", str(serial.stages["tag"].rows), "rows"]
    result = run_corpus(corpus, tmp_path / "out", stages=["parse", "checks"])
    assert (
        result.lines()[4] == "checks   skipped: no events table given (events=PATH, --events PATH)"
    )
    assert result.lines()[1] == "tag      skipped: not in the stages asked for"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_one_per_stage_on_a_terminal_only():
    stream = io.StringIO()
    bars = StageBars(STAGES, 40, stream)
    bars({"partition": 0, "stage": "tag", "articles": 7})
    bars.close()
    assert stream.getvalue() == ""
    terminal = _Terminal()
    bars = StageBars(["parse", "tag"], 40, terminal)
    bars({"partition": 0, "stage": "tag", "articles": 7})
    bars.close()
    shown = terminal.getvalue()
    assert "tag" in shown and "7/40" in shown and "parse" in shown and "0/40" in shown


def _bad_events(events: Path, tmp_path: Path) -> Path:
    """A copy of the events table with the quote offsets of its 30th row shifted by one."""
    fields, records = read_rows(events)
    records[29]["quote_start"] = str(int(records[29]["quote_start"]) + 1)
    return write_rows(tmp_path / "bad.csv", fields, records)


def _load_events_error(path: Path, corpus: Path) -> DataError:
    with pytest.raises(DataError) as expected:
        load_events(path, articles=load_corpus(corpus))
    return expected.value


def test_bad_event_row_names_file_and_row_as_load_events_does(corpus, events, tmp_path):
    bad = _bad_events(events, tmp_path)
    expected = _load_events_error(bad, corpus)
    assert (expected.path, expected.row, expected.column) == (str(bad), 31, "quote_nl")
    with pytest.raises(DataError) as raised:
        run_corpus(
            corpus, tmp_path / "out", partition_size=7, events=bad, stages=["parse", "checks"]
        )
    assert str(raised.value) == str(expected)


def test_event_row_of_an_article_outside_the_corpus_is_named_after_all_partitions(
    corpus, events, tmp_path
):
    fields, records = read_rows(events)
    outside = {**records[0], "article_id": "ffffffffffff"}
    path = write_rows(tmp_path / "events.csv", fields, [*records, outside, outside])
    row = len(records) + 2  # the header is line 1, every record one line
    with pytest.raises(DataError) as raised:
        run_corpus(corpus, tmp_path / "out", partition_size=7, events=path)
    assert (raised.value.row, raised.value.column) == (row, "article_id")
    assert "'ffffffffffff' is not an article of the corpus" in str(raised.value)
    assert "1 more rows" in str(raised.value)  # said once, for both rows
    assert len(list((tmp_path / "out" / "checked").iterdir())) == 6  # every partition ran
    assert not (tmp_path / "out" / ".events-rows").exists()


def test_dask_local_cluster_gives_identical_results(corpus, events, serial, cluster, tmp_path):
    reports: list[dict] = []
    result = run_corpus(
        corpus,
        tmp_path / "out",
        engine="dask",
        scheduler=cluster.scheduler_address,
        partition_size=7,
        events=events,
        on_stage=reports.append,
    )
    for table in TABLES:
        pd.testing.assert_frame_equal(read_table(result.out, table), read_table(serial.out, table))
    assert dict(result.network.nodes(data=True)) == dict(serial.network.nodes(data=True))
    assert _edges(result.network) == _edges(serial.network)
    assert _ties(result.tension) == _ties(serial.tension)
    assert dict(result.tension.nodes(data=True)) == dict(serial.tension.nodes(data=True))
    assert len([k for k in result.memory if k.startswith("worker")]) == 2
    assert [t.rows for t in result.stages.values()] == [t.rows for t in serial.stages.values()]
    assert sorted((r["partition"], r["stage"]) for r in reports) == sorted(
        product(range(6), STAGES)
    )


def test_dask_bad_event_row_reaches_the_client_as_the_same_error(corpus, events, cluster, tmp_path):
    bad = _bad_events(events, tmp_path)
    with pytest.raises(DataError) as raised:
        run_corpus(
            corpus,
            tmp_path / "out",
            engine="dask",
            scheduler=cluster.scheduler_address,
            partition_size=7,
            events=bad,
            stages=["parse", "checks"],
        )
    assert str(raised.value) == str(_load_events_error(bad, corpus))


@pytest.fixture
def alongside(cluster, monkeypatch):
    """The module's cluster taken for a local one: the events table is split here while the
    partitions run (their checks stage waits for the split)."""
    from distributed import Client

    @contextmanager
    def engine(engine, workers, scheduler):
        with Client(cluster) as client:
            yield _OnCluster(client, local=True)

    monkeypatch.setattr(pipeline, "_engine", engine)


def test_a_split_alongside_the_partitions_gives_identical_results(
    corpus, events, serial, alongside, tmp_path
):
    result = run_corpus(corpus, tmp_path / "out", engine="dask", partition_size=7, events=events)
    for table in TABLES:
        pd.testing.assert_frame_equal(read_table(result.out, table), read_table(serial.out, table))
    assert _ties(result.tension) == _ties(serial.tension)
    assert [t.rows for t in result.stages.values()] == [t.rows for t in serial.stages.values()]
    assert result.split_seconds > 0
    assert sorted(p.name for p in result.out.iterdir()) == sorted(TABLES)  # no scratch left


def test_a_split_alongside_that_fails_raises_its_error_once_the_partitions_end(
    corpus, events, alongside, tmp_path
):
    lines = events.read_bytes().split(b"\n")
    lines[40] = lines[40].replace(b",", b",\x00", 1)  # a NUL byte: the csv module's error
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError) as expected:
        run_corpus(corpus, tmp_path / "serial", partition_size=7, events=bad)
    with pytest.raises(DataError) as raised:
        run_corpus(corpus, tmp_path / "out", engine="dask", partition_size=7, events=bad)
    assert str(raised.value) == str(expected.value)
    assert raised.value.row == 41  # the line with the NUL byte
    assert not (tmp_path / "out" / "checked").exists()  # no partition checked its rows
    assert not (tmp_path / "out" / ".events-rows").exists()


def test_a_split_alongside_that_fails_raises_its_error_before_an_article_error(
    corpus, events, alongside, tmp_path
):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(corpus.glob("*.txt"))[:6]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "0-empty.txt").write_bytes(b"")  # an ArticleError in the first partition
    head, rows = events.read_bytes().split(b"\n", 1)
    bad = tmp_path / "bad.csv"  # long enough that the first partition fails before the split
    bad.write_bytes(head + b"\n" + rows * 100 + b"\x00\n")
    with pytest.raises(DataError) as expected:
        run_corpus(folder, tmp_path / "serial", partition_size=3, events=bad, others=["x"])
    with pytest.raises(DataError) as raised:
        run_corpus(folder, tmp_path / "out", engine="dask", partition_size=3, events=bad)
    assert str(raised.value) == str(expected.value)


def test_non_empty_output_folder_is_refused(corpus, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not empty"):
        run_corpus(corpus, tmp_path)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_duplicate_articles_in_different_partitions_are_named(corpus, tmp_path):
    folder = tmp_path / "dup"
    folder.mkdir()
    first = sorted(corpus.glob("*.txt"))[0]
    for name in ("a.txt", "b.txt", "z.txt"):
        (folder / name).write_bytes(first.read_bytes() if name != "b.txt" else b"date 2020\nx\n")
    with pytest.raises(ArticleError, match=r"z\.txt.*same content as .*a\.txt"):
        run_corpus(folder, tmp_path / "out", partition_size=1)


def test_unknown_engine_and_stage_are_refused(corpus, tmp_path):
    with pytest.raises(ValueError, match="engine 'spark'"):
        run_corpus(corpus, tmp_path / "o", engine="spark")
    with pytest.raises(ValueError, match="expected 'parse'"):
        run_corpus(corpus, tmp_path / "o", stages=["tag"])
    assert STAGES == ("parse", "tag", "timex", "events", "checks")


def test_a_scheduler_address_means_dask_whatever_the_engine_says():
    assert engine_of("serial", "tcp://host:8786") == "dask"
    assert engine_of("serial", None) == "serial"
    assert engine_of("dask", None) == "dask"


@pytest.mark.parametrize(
    "cells", [(), ("",), ("RUS", "", "Pasjinjan: ‘niet’", "ARM;AZE", "x" * 300), ["0.80"] * 3]
)
def test_text_column_is_what_pd_array_makes_of_text(cells):
    from helpers.tables import text_column

    got, expected = text_column(cells), pd.array(list(cells), dtype="str")
    assert got.dtype == expected.dtype and type(got) is type(expected)
    assert got.tolist() == expected.tolist()
    frame, again = pd.DataFrame({"c": got}), pd.DataFrame({"c": expected})
    assert frame.equals(again) and frame.to_csv() == again.to_csv()
    assert got._pa_array.equals(expected._pa_array)  # the same Arrow data: the same Parquet


class _FakeClient:
    """What ``_OnCluster`` asks a client for when it is made: the scheduler's workers."""

    def scheduler_info(self) -> dict:
        return {"workers": {"tcp://a:1": {}, "tcp://b:2": {}, "tcp://c:3": {}}}


def test_partitions_waiting_for_a_split_leave_their_workers_free(cluster, tmp_path):
    """Two workers of one thread, four partitions waiting for a split that has not ended:
    another task still runs (the waits seceded from the workers' pools), and the waiting
    partitions take their files when the split ends."""
    from distributed import Client

    from helpers import event_split

    folder = tmp_path / "rows"
    with Client(cluster) as client:
        waits = [client.submit(pipeline._wait_for_split, str(folder), i) for i in range(4)]
        time.sleep(0.5)  # the four are given to the workers first (submitted first)
        assert client.submit(sum, [1, 2]).result(timeout=10) == 3  # a free worker
        assert not any(w.done() for w in waits)
        folder.mkdir()
        event_split.rows_file(folder, 2).write_text("rows", encoding="utf-8")
        event_split.split_alongside(lambda: event_split.SplitEvents([]), folder)
        got = client.gather(waits)
    assert got == [
        (True, None),
        (True, None),
        (True, str(event_split.rows_file(folder, 2))),
        (True, None),
    ]


def test_the_command_runs_on_a_local_dask_cluster(corpus, events, serial, tmp_path):
    """``python -m helpers.pipeline ... --engine dask``, as the README shows it: the workers
    are sent the module's functions (not copies from ``__main__``) and write what a serial
    run writes."""
    import subprocess

    out = tmp_path / "out"
    command = [sys.executable, "-m", "helpers.pipeline", str(corpus), str(out), "--engine"]
    command += ["dask", "--workers", "2", "--events", str(events), "--partition-size", "7"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[0].startswith("parse")
    for table in TABLES:
        assert read_table(out, table).equals(read_table(serial.out, table)), table


def test_outside_a_worker_a_wait_for_a_split_is_a_plain_wait(tmp_path):
    from helpers import event_split

    folder = tmp_path / "rows"
    event_split.split_alongside(lambda: event_split.SplitEvents([]), folder)
    assert not pipeline._on_dask_worker()
    assert pipeline._wait_for_split(str(folder), 0) == (True, None)


def test_the_events_table_is_split_here_for_a_local_cluster_and_on_the_workers_of_others():
    local, remote = _OnCluster(_FakeClient(), local=True), _OnCluster(_FakeClient())
    assert local.workers == remote.workers == 3
    assert (local.split_calls, local.split_ranges) == (in_process, 1)
    assert remote.split_calls == remote.calls and remote.split_ranges == 3
    assert (_Here.split_calls, _Here.split_ranges) == (in_process, 1)
    assert (local.split_alongside, remote.split_alongside, _Here.split_alongside) == (
        True,
        False,
        False,
    )


def _profiler_enabled() -> bool:
    import dask

    return dask.config.get("distributed.worker.profile.enabled")


# the module's own cluster (fixture) holds the scheduler's default HTTP port: this one moves
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use:UserWarning")
def test_the_workers_of_a_local_cluster_run_without_the_statistical_profiler():
    with _engine("dask", 1, None) as runner:
        assert runner.calls(_profiler_enabled, [()]) == [False]
        assert list(runner.client.run(_profiler_enabled).values()) == [False]
