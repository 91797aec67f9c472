"""helpers.corpus: where the registered texts are found, read-only (issue 11 item 2)."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import CORPUS, INVENTED
from helpers.article import ArticleError
from helpers.corpus import NOT_AVAILABLE, find_texts, load_corpus_articles, text_files
from helpers.paths import ARTICLE, ARTICLE_SHA256
from helpers.registry import load_registry
from helpers.tables import DataError

SEED = ARTICLE_SHA256[:12]


def test_the_seed_text_is_found_in_raw():
    texts = load_corpus_articles()
    assert [a.id for a in texts.articles] == [SEED]
    assert texts.articles[0].path == str(ARTICLE)
    assert texts.missing.empty


def test_texts_not_here_are_returned_as_missing_rows(corpus_registry):
    texts = load_corpus_articles(registry=corpus_registry)
    assert [a.id for a in texts.articles] == [SEED]
    assert list(texts.missing["file"]) == list(INVENTED)
    assert texts.missing["reason"].str.startswith(f"{NOT_AVAILABLE}: no file with its sha256").all()


def test_texts_are_found_in_the_corpus_folders_given(corpus_registry):
    texts = load_corpus_articles([CORPUS], registry=corpus_registry)
    assert [a.path for a in texts.articles] == [str(ARTICLE)] + [str(CORPUS / n) for n in INVENTED]
    assert texts.missing.empty


def test_a_renamed_text_is_found_by_its_content(tmp_path, corpus_registry):
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copyfile(CORPUS / "invented_03_sint-petersburg.txt", folder / "RENAMED.TXT")
    found, reasons = find_texts(load_registry(corpus_registry), [folder])
    assert found["0a8b9d13d23b"] == folder / "RENAMED.TXT"  # upper-case suffix counts
    assert set(found) == {SEED, "0a8b9d13d23b"} and len(reasons) == 4


def test_hidden_files_and_other_suffixes_are_not_texts(tmp_path):
    for name in (".hidden.txt", "notes.md", "a.txt", "B.TXT", "c.Txt"):
        (tmp_path / name).write_text("date 2022-11 x.\n", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    assert [p.name for p in text_files(tmp_path)] == ["B.TXT", "a.txt", "c.Txt"]


def test_a_file_of_the_registered_name_but_other_content_is_named(tmp_path, corpus_registry):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "invented_04_kazachstan.txt").write_text("date 2022-01 Bewerkt.\n", encoding="utf-8")
    texts = load_corpus_articles([folder], ["f342c5f54d45"], corpus_registry)
    assert texts.articles == []
    reason = texts.missing.at[0, "reason"]
    assert f"({folder / 'invented_04_kazachstan.txt'} has its name but other content)" in reason


def test_only_the_articles_asked_for(corpus_registry):
    texts = load_corpus_articles([CORPUS], ["6ff9efe2b303", SEED], corpus_registry)
    assert [a.id for a in texts.articles] == ["6ff9efe2b303", SEED]  # in the order asked for
    with pytest.raises(DataError, match="'000000000000' is not registered") as err:
        load_corpus_articles([CORPUS], ["000000000000"], corpus_registry)
    assert (err.value.path, err.value.column) == (str(corpus_registry), "article_id")


def test_a_corpus_folder_given_must_exist(tmp_path):
    with pytest.raises(ArticleError, match="corpus folder not found"):
        load_corpus_articles([tmp_path / "typo"])


def test_texts_are_read_only_and_left_as_they_are(tmp_path, corpus_registry):
    folder = tmp_path / "mine"
    shutil.copytree(CORPUS, folder)
    for path in folder.iterdir():
        path.chmod(0o444)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    texts = load_corpus_articles([folder], registry=corpus_registry)
    assert len(texts.articles) == 6
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_a_fifo_in_a_corpus_folder_is_skipped(tmp_path, corpus_registry):
    """A FIFO with a registered text's name must not block the search (it is not a file)."""
    folder = tmp_path / "mine"
    folder.mkdir()
    os.mkfifo(folder / "invented_04_kazachstan.txt")
    os.mkfifo(folder / "other.txt")
    texts = load_corpus_articles([folder], registry=corpus_registry)
    assert [a.id for a in texts.articles] == [SEED] and len(texts.missing) == 5


def test_the_registry_date_must_be_the_texts_date(tmp_path, corpus_registry):
    table = load_registry(corpus_registry)
    table.loc[table["article_id"] == "f342c5f54d45", "published"] = "2022-01-09"
    with pytest.raises(DataError, match=r"'2022-01-09', but its text .* says '2022-01-08'") as err:
        load_corpus_articles([CORPUS], registry=table)
    assert (err.value.path, err.value.column) == (str(corpus_registry), "published")
