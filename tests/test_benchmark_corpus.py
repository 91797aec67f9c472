"""benchmarks/corpus.py: corpora kept in a folder are reused only while their stamp matches."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import Source, corpus_inputs, fingerprint, stored_corpus  # a script folder

from helpers.events import load_events

SIZE = 3
NAMES = ["00000.txt", "00001.txt", "00002.txt"]  # what write_corpus names SIZE articles


@pytest.fixture(scope="module")
def read_once() -> tuple:
    return Source(), load_events()


@pytest.fixture
def inputs(read_once):
    """``stored_corpus``'s inputs, counting its calls (one call: the corpus was written)."""

    def read() -> tuple:
        read.calls += 1
        return read_once

    read.calls = 0
    return read


def _mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in sorted(root.rglob("*"))}


def test_a_corpus_with_a_matching_stamp_is_reused_untouched(tmp_path, inputs):
    written = stored_corpus(tmp_path, SIZE, inputs)
    assert not written.reused and inputs.calls == 1
    assert sorted(p.name for p in written.folder.iterdir()) == NAMES
    stamp = json.loads((tmp_path / f"corpus-{SIZE}.json").read_text(encoding="utf-8"))
    assert stamp["fingerprint"] == fingerprint() and stamp["size"] == SIZE
    assert written.corpus_bytes == sum(p.stat().st_size for p in written.folder.iterdir())
    assert written.count == len(written.events.read_text(encoding="utf-8").splitlines()) - 1 > 0
    before = _mtimes(tmp_path)
    reused = stored_corpus(tmp_path, SIZE, inputs)
    assert reused.reused and inputs.calls == 1  # the source was not even read
    assert (reused.corpus_bytes, reused.count) == (written.corpus_bytes, written.count)
    assert _mtimes(tmp_path) == before


def test_a_changed_input_gives_another_fingerprint_and_a_new_corpus(tmp_path, inputs):
    copy = tmp_path / "inputs" / "corpus.py"
    copy.parent.mkdir()
    shutil.copyfile(corpus_inputs()[0], copy)
    same = fingerprint([copy])
    with copy.open("a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    assert fingerprint([copy]) != same
    root = tmp_path / "corpora"
    stored_corpus(root, SIZE, inputs, stamp_of=same)
    article = root / f"corpus-{SIZE}" / "00001.txt"
    article.write_bytes(b"stale")  # what an older generator might have written
    again = stored_corpus(root, SIZE, inputs, stamp_of=fingerprint([copy]))
    assert not again.reused and inputs.calls == 2
    assert article.read_bytes() != b"stale"
    stamp = json.loads((root / f"corpus-{SIZE}.json").read_text(encoding="utf-8"))
    assert stamp["fingerprint"] == fingerprint([copy])


@pytest.mark.parametrize("stamp", [None, "", '{"size": 3, "fingerprint"', "[3]"])
def test_a_missing_or_partial_stamp_means_a_new_corpus(tmp_path, inputs, stamp):
    stored_corpus(tmp_path, SIZE, inputs)
    path = tmp_path / f"corpus-{SIZE}.json"
    if stamp is None:
        path.unlink()
    else:
        path.write_text(stamp, encoding="utf-8")
    again = stored_corpus(tmp_path, SIZE, inputs)
    assert not again.reused and inputs.calls == 2
    assert json.loads(path.read_text(encoding="utf-8"))["size"] == SIZE


@pytest.mark.parametrize("damage", ["article missing", "article extra", "events shorter"])
def test_incomplete_files_under_a_matching_stamp_mean_a_new_corpus(tmp_path, inputs, damage):
    first = stored_corpus(tmp_path, SIZE, inputs)
    events = first.events.read_bytes()
    if damage == "article missing":
        (first.folder / "00002.txt").unlink()
    elif damage == "article extra":
        (first.folder / "00003.txt").write_bytes(b"date 2022-11 x.\n")  # a larger, cut-off run
    else:
        first.events.write_bytes(events[:-10])
    again = stored_corpus(tmp_path, SIZE, inputs)
    assert not again.reused and inputs.calls == 2
    assert sorted(p.name for p in again.folder.iterdir()) == NAMES
    assert again.events.read_bytes() == events
    assert stored_corpus(tmp_path, SIZE, inputs).reused


def test_a_file_the_generator_did_not_write_is_never_deleted(tmp_path, inputs):
    stored_corpus(tmp_path, SIZE, inputs)
    mine = tmp_path / f"corpus-{SIZE}" / "notes.md"
    mine.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"corpus-3: holds 'notes.md'.*nothing deleted"):
        stored_corpus(tmp_path, SIZE, inputs)
    assert mine.read_text(encoding="utf-8") == "mine\n"
    assert len(list(mine.parent.iterdir())) == SIZE + 1
