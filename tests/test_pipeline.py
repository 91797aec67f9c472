"""helpers.pipeline: corpus stages in partitions, serial and on a Dask LocalCluster (issue 14)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.actors import build_gazetteer, comention_graph, tag_corpus
from helpers.article import ArticleError, load_corpus
from helpers.pipeline import (
    STAGES,
    pair_sums,
    partition_files,
    read_table,
    run_corpus,
    time_table,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import write_corpus  # the benchmarks' synthetic corpus generator


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 40)
    return folder


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "out"
    return run_corpus(corpus, out, engine="serial", partition_size=7)


def _edges(graph) -> list[tuple]:
    return sorted((*sorted((a, b)), d["weight"]) for a, b, d in graph.edges(data=True))


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
    assert [t.articles for t in serial.stages.values()] == [40, 40, 40]


def test_serial_network_equals_comention_graph(corpus, serial):
    mentions = tag_corpus(load_corpus(corpus), aliases=build_gazetteer())
    expected = comention_graph(mentions, within=["article", "sentence"])
    assert dict(serial.network.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges(serial.network) == _edges(expected)
    assert serial.network.number_of_edges() > 10


def test_parquet_written_one_file_per_partition_and_stage(serial):
    for table in ("articles", "mentions", "times", "pairs", "counts"):
        names = sorted(p.name for p in (serial.out / table).iterdir())
        assert names == [f"part-{i:05d}.parquet" for i in range(6)], table


def test_dask_local_cluster_gives_identical_results(corpus, serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = run_corpus(
            corpus,
            tmp_path / "out",
            engine="dask",
            scheduler=cluster.scheduler_address,
            partition_size=7,
        )
    for table in ("articles", "mentions", "times", "pairs", "counts"):
        pd.testing.assert_frame_equal(read_table(result.out, table), read_table(serial.out, table))
    assert dict(result.network.nodes(data=True)) == dict(serial.network.nodes(data=True))
    assert _edges(result.network) == _edges(serial.network)
    assert len([k for k in result.memory if k.startswith("worker")]) == 2
    assert [t.rows for t in result.stages.values()] == [t.rows for t in serial.stages.values()]


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
    assert STAGES == ("parse", "tag", "timex")
