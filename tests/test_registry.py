"""helpers.registry: the article registry data/articles.csv and the add command (issue 11)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, INVENTED
from csv_rows import read_rows, write_rows
from helpers.article import blocks_table, load_article
from helpers.paths import ARTICLE, ARTICLE_SHA256, RAW, REGISTRY, ROOT
from helpers.registry import (
    REGISTRY_COLUMNS,
    TITLE_LENGTH,
    RegistryError,
    add_articles,
    default_title,
    load_registry,
    main,
)
from helpers.tables import DataError

SOURCE = Path(__file__).resolve().parents[2] / "shared/article/SOURCE.md"
SEED_URL = "https://www.demorgen.be/nieuws/poetins-gezag-onder-zijn-bondgenoten-smelt-weg~b10b03ce/"


def records(path: Path = REGISTRY) -> list[dict]:
    return read_rows(path)[1]


def write(path: Path, rows: list[dict]) -> Path:
    return write_rows(path, REGISTRY_COLUMNS, rows)


# --- the committed registry -------------------------------------------------------------------


def test_seed_row_matches_the_file_in_raw():
    seed = load_registry().set_index("article_id").loc[ARTICLE_SHA256[:12]]
    article = load_article(RAW / seed["file"])
    assert seed["sha256"] == ARTICLE_SHA256 == hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
    assert article.id == ARTICLE_SHA256[:12]
    assert seed["words"] == blocks_table(article)["words"].sum() == 621
    assert (seed["published"], seed["published_precision"]) == (article.date, "month")
    assert (seed["outlet"], seed["url"], seed["rights"]) == ("De Morgen", SEED_URL, "included")
    assert seed["title"] == "Poetins gezag onder zijn bondgenoten smelt weg"


@pytest.mark.skipif(not SOURCE.exists(), reason="shared/ is not beside the checkout")
def test_seed_outlet_and_address_are_those_of_the_source_note():
    note = SOURCE.read_text(encoding="utf-8")
    assert "**De Morgen**" in note and SEED_URL in note


def test_committed_registry_is_written_as_the_add_command_writes_it(tmp_path):
    """Reading and writing back changes no byte (so add only appends its rows)."""
    copy = tmp_path / "articles.csv"
    shutil.copyfile(REGISTRY, copy)
    added = add_articles([CORPUS / "invented_04_kazachstan.txt"], copy, title="t")
    assert copy.read_bytes().startswith(REGISTRY.read_bytes())
    assert copy.read_bytes().count(b"\n") == REGISTRY.read_bytes().count(b"\n") + len(added)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "problem"),
    [
        ({"article_id": "39a6002ab68c"}, "article_id", "not the start of the sha256"),
        ({"sha256": "39A6"}, "sha256", "64 lower-case hex"),
        ({"file": "raw/x.txt"}, "file", "not a file name"),
        ({"file": ".hidden.txt"}, "file", "not a file name"),
        ({"file": "notes.md"}, "file", "ending in .txt"),
        ({"outlet": "=HYPERLINK(1)"}, "outlet", "formula"),
        ({"title": "a\ttab"}, "title", "control character"),
        ({"url": "www.example.invalid"}, "url", "http(s) address"),
        ({"published": "2022-13"}, "published", "impossible month"),
        ({"published": "2022-11 x"}, "published", "without spaces"),
        ({"published_precision": "day"}, "published_precision", "precise to the month"),
        ({"language": "en"}, "language", "not one of"),
        ({"rights": "public"}, "rights", "not one of"),
        ({"words": "0"}, "words", "positive whole number"),
        ({"words": "6.5"}, "words", "positive whole number"),
        ({"title": ""}, "title", "must not be empty"),
    ],
)
def test_bad_cells_name_file_row_and_column(tmp_path, changes, column, problem):
    row = {**records()[0], **changes}
    path = write(tmp_path / "articles.csv", [row])
    with pytest.raises(DataError, match=problem.replace("(", r"\(").replace(")", r"\)")) as err:
        load_registry(path)
    assert (err.value.path, err.value.row, err.value.column) == (str(path), 2, column)


def test_a_repeated_text_is_refused(tmp_path):
    seed = records()[0]
    path = write(tmp_path / "articles.csv", [seed, {**seed, "file": "copy.txt"}])
    with pytest.raises(DataError, match="duplicate value") as err:
        load_registry(path)
    assert (err.value.row, err.value.column) == (3, "sha256")


def test_a_missing_registry_names_the_file(tmp_path):
    with pytest.raises(DataError, match=r"articles\.csv: file not found"):
        load_registry(tmp_path / "articles.csv")


# --- add --------------------------------------------------------------------------------------


def test_add_registers_every_invented_article(corpus_registry):
    table = load_registry(corpus_registry)
    assert list(table["article_id"][:1]) == [ARTICLE_SHA256[:12]]
    added = table.iloc[1:]
    assert list(added["file"]) == list(INVENTED)
    assert list(added["outlet"]) == [outlet for outlet, _ in INVENTED.values()]
    assert list(added["title"]) == [title for _, title in INVENTED.values()]
    assert set(added["rights"]) == {"not_redistributed"} and set(added["language"]) == {"nl"}
    for row in added.itertuples():
        article = load_article(CORPUS / row.file)
        assert (row.article_id, row.sha256) == (article.id, article.sha256)
        assert (row.published, row.published_precision) == (article.date, "day")
        assert row.words == blocks_table(article)["words"].sum()
    assert sorted(p.name for p in RAW.iterdir()) == [ARTICLE.name]  # nothing copied


def test_add_says_where_the_text_must_stay(tmp_path, capsys):
    registry = tmp_path / "articles.csv"
    shutil.copyfile(REGISTRY, registry)
    assert main(["add", str(CORPUS / "invented_03_sint-petersburg.txt"), "--registry",
                 str(registry)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("added 0a8b9d13d23b: invented_03_sint-petersburg.txt (outlet unknown")
    assert f"the text stays in {CORPUS}/ (not copied)" in out
    assert "--corpus" in out


def registry_copy(tmp_path: Path) -> tuple[Path, bytes]:
    registry = tmp_path / "articles.csv"
    shutil.copyfile(REGISTRY, registry)
    return registry, registry.read_bytes()


def refused(registry: Path, args: list[str], capsys) -> str:
    assert main(["add", *args, "--registry", str(registry)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"nothing was added to {registry}\n")
    return err


def test_add_refuses_a_registered_text_naming_its_id(tmp_path, capsys):
    registry, before = registry_copy(tmp_path)
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(ARTICLE, copy)
    fresh = str(CORPUS / "invented_01_jerevan-top.txt")
    err = refused(registry, [fresh, str(copy)], capsys)
    assert f"error: {copy}: same text (sha256) as article 39a6002ab68b (" in err
    assert registry.read_bytes() == before  # the first, good file was not added either


def test_add_refuses_the_same_text_given_twice(tmp_path, capsys):
    registry, before = registry_copy(tmp_path)
    one = CORPUS / "invented_01_jerevan-top.txt"
    two = tmp_path / "again.txt"
    shutil.copyfile(one, two)
    err = refused(registry, [str(one), str(two)], capsys)
    assert f"{two}: same text (sha256) as {one} (given twice?)" in err
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("bad.txt", b"datum 2022-11 Geen datumregel.\n", "line 1: expected a date line"),
        ("empty.txt", b"", "line 1: file is empty"),
        ("latin1.txt", "date 2022-11 Caf\u00e9.\n".encode("latin-1"), "not valid UTF-8"),
        ("notes.md", b"date 2022-11 Goed.\n", "the name must end in .txt"),
    ],
)
def test_add_refuses_a_malformed_file_and_writes_nothing(tmp_path, capsys, name, data, problem):
    registry, before = registry_copy(tmp_path)
    path = tmp_path / name
    path.write_bytes(data)
    good = str(CORPUS / "invented_02_jerevan-verslag.txt")
    err = refused(registry, [good, str(path)], capsys)
    assert f"error: {path}" in err and problem in err
    assert registry.read_bytes() == before
    assert not list(tmp_path.glob(".articles.csv.*"))  # no temporary file left


def test_add_refuses_a_missing_file(tmp_path, capsys):
    registry, before = registry_copy(tmp_path)
    err = refused(registry, [str(tmp_path / "gone.txt")], capsys)
    assert "gone.txt: cannot read file: No such file or directory" in err
    assert registry.read_bytes() == before


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--url", "ftp://x.invalid/a"], "--url: 'ftp://x.invalid/a' is not an http(s) address"),
        (["--title", "=1+1"], "--title: starts with '='"),
        (["--outlet", "De\nKrant"], "--outlet: holds a control character"),
        (["--rights", "included"], "--rights included is for texts the collection ships"),
    ],
)
def test_add_refuses_bad_options(tmp_path, capsys, options, problem):
    registry, before = registry_copy(tmp_path)
    err = refused(registry, [str(CORPUS / "invented_04_kazachstan.txt"), *options], capsys)
    assert problem in err
    assert registry.read_bytes() == before


def test_title_and_url_name_one_article(tmp_path):
    registry, before = registry_copy(tmp_path)
    files = [CORPUS / "invented_04_kazachstan.txt", CORPUS / "invented_05_grens.txt"]
    with pytest.raises(RegistryError, match="one FILE"):
        add_articles(files, registry, title="Twee artikelen")
    assert registry.read_bytes() == before


def test_add_refuses_a_broken_registry(tmp_path, capsys):
    registry = tmp_path / "articles.csv"
    registry.write_text("article_id,sha256\n", encoding="utf-8")
    err = refused(registry, [str(CORPUS / "invented_04_kazachstan.txt")], capsys)
    assert "header must be" in err
    assert registry.read_text(encoding="utf-8") == "article_id,sha256\n"


def test_default_title_is_the_start_of_the_lede(tmp_path):
    long = load_article(ARTICLE)
    title = default_title(long)
    assert (
        title == "Met zijn oorlog in Oekraïne heeft Rusland zijn positie als leidende kracht van…"
    )
    assert len(title) <= TITLE_LENGTH
    short = tmp_path / "short.txt"
    short.write_text("date 2022-11 - Kort bericht. Meer tekst.\n", encoding="utf-8")
    assert default_title(load_article(short)) == "Kort bericht."  # no formula-like start


def test_add_reads_the_file_read_only(tmp_path):
    registry, _ = registry_copy(tmp_path)
    text = tmp_path / "eigen.txt"
    shutil.copyfile(CORPUS / "invented_04_kazachstan.txt", text)
    text.chmod(0o444)
    stamp = text.stat().st_mtime_ns
    add_articles([text], registry)
    assert text.stat().st_mtime_ns == stamp
    assert text.read_bytes() == (CORPUS / "invented_04_kazachstan.txt").read_bytes()


def test_the_module_runs_as_a_command(tmp_path):
    """`python3 tasks.py add` runs `python -m helpers.registry add`; the exit status is its."""
    registry, before = registry_copy(tmp_path)
    command = [sys.executable, "-m", "helpers.registry", "add", "--registry", str(registry)]
    bad = subprocess.run([*command, str(tmp_path / "gone.txt")], capture_output=True, text=True)
    assert bad.returncode == 1 and "cannot read file" in bad.stderr
    assert registry.read_bytes() == before
    good = subprocess.run(
        [*command, str(CORPUS / "invented_05_grens.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("added 6ff9efe2b303: invented_05_grens.txt")
    assert len(load_registry(registry)) == 2


def test_add_refuses_a_fifo_at_once(tmp_path, capsys):
    """A FIFO would block the read forever; a folder is not an article either."""
    registry, before = registry_copy(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    for path in (fifo, folder):
        err = refused(registry, [str(path)], capsys)
        assert f"error: {path}: not a regular file" in err
    assert registry.read_bytes() == before


def test_a_text_in_raw_must_be_included(tmp_path, capsys, monkeypatch):
    """data/raw/ holds only texts the collection ships (rights included), and they only."""
    import helpers.registry

    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setattr(helpers.registry, "RAW", raw)
    registry, before = registry_copy(tmp_path)
    text = raw / "invented_04_kazachstan.txt"
    shutil.copyfile(CORPUS / text.name, text)
    err = refused(registry, [str(text)], capsys)
    assert "data/raw/ holds only texts the collection ships" in err
    assert registry.read_bytes() == before
    assert main(["add", str(text), "--rights", "included", "--registry", str(registry)]) == 0
    assert load_registry(registry)["rights"].tolist() == ["included", "included"]
