"""The article registry ``data/articles.csv``: one row per article of the corpus, whether its text
ships with the collection (``data/raw/``) or stays in the researcher's own folder, and the
``add`` command that registers article files (``python3 tasks.py add FILE...``).

The registry is what the project stores about an article whose text it may not redistribute:
its content hash, file name, outlet, address, publication date as stated, title, length and
rights. The text itself is never copied: :mod:`helpers.corpus` finds it by its sha256.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.article import (
    TEXT_SUFFIX,
    Article,
    ArticleError,
    blocks_table,
    is_text_file_name,
    load_article,
    parse_article,
)
from helpers.io import write_text
from helpers.paths import PRIVATE, RAW, REGISTRY
from helpers.tables import (
    FORMULA_STARTS,
    DataError,
    check_allowed,
    check_required,
    check_unique,
    read_table,
)

__all__ = [
    "LANGUAGES",
    "REGISTRY_COLUMNS",
    "RIGHTS",
    "RIGHTS_STATEMENT",
    "TITLE_LENGTH",
    "RegistryError",
    "add_articles",
    "default_title",
    "load_registry",
    "published_period",
    "registry_row",
]

REGISTRY_COLUMNS = (
    "article_id",
    "sha256",
    "file",
    "outlet",
    "url",
    "published",
    "published_precision",
    "language",
    "title",
    "words",
    "rights",
)
REQUIRED = tuple(c for c in REGISTRY_COLUMNS if c not in ("outlet", "url"))
RIGHTS = ("included", "not_redistributed")
# Who owns the texts, and what ``rights`` means: the README, the codebook, LICENSE-DATA and
# the footer of every site page say this (tests compare them with this line).
RIGHTS_STATEMENT = (
    "Article texts belong to their publishers; the seed article is a report by De Morgen "
    "(DPG Media, November 2022). A text registered as included in data/articles.csv is "
    "shipped in data/raw/ for research quotation only, not under the project's licences "
    "(MIT for the code, CC BY 4.0 for the hand-coded tables); other texts are not shipped."
)
LANGUAGES = ("nl",)
PUBLISHED_PRECISIONS = ("year", "month", "day")
TITLE_LENGTH = 80  # the longest default title (the start of the lede), in characters
_SHA256 = re.compile(r"[0-9a-f]{64}")
_URL = re.compile(r"https?://[^\s\"<>]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RegistryError(ValueError):
    """An article that ``add`` refuses (a duplicate, a bad option): names the file."""


# --- reading -------------------------------------------------------------------------------


def load_registry(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the article registry (``data/articles.csv``).

    Returns one row per article in file order, every column text except ``words`` (``int``).
    Raises :class:`~helpers.tables.DataError` naming the file, row and column for any problem
    of :func:`helpers.tables.read_table`, an empty required cell, a value outside the allowed
    sets, and for each cell rule of :func:`_cell_problems` (an id that is not the start of the
    sha256, a file name with a folder, a date the article date line would refuse, ...), and for
    a repeated ``sha256`` or ``article_id``.
    """
    path = Path(path) if path is not None else REGISTRY
    return _validated(read_table(path, REGISTRY_COLUMNS), path)


def _validated(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    check_required(table, REQUIRED, path)
    check_allowed(table, "rights", RIGHTS, path)
    check_allowed(table, "language", LANGUAGES, path)
    check_allowed(table, "published_precision", PUBLISHED_PRECISIONS, path)
    for record in table.to_dict("records"):
        for column, problem in _cell_problems(record):
            raise DataError(path, int(record["_row"]), column, problem)
    check_unique(table, "sha256", path)
    check_unique(table, "article_id", path)
    frame = table.drop(columns="_row").reset_index(drop=True)
    frame["words"] = frame["words"].astype("int64")
    frame.attrs["path"] = str(path)
    return frame


def published_period(value: str) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """(precision, first day, last day) of a publication date written as on an article's date
    line (``2022-11``); read by the article parser's own date rule, so the registry accepts
    exactly the dates an article may carry. Raises :class:`~helpers.article.ArticleError`."""
    if not value or value.split() != [value]:
        raise ArticleError("<published>", 1, "expected one date like '2022-11', without spaces")
    article = parse_article(f"date {value} .", "<published>")
    return article.date_precision, article.date_start, article.date_end


def _text_problem(value: str) -> str | None:
    if _CONTROL.search(value):
        return "holds a control character (tab, line break, ...)"
    if value.startswith(FORMULA_STARTS):
        return f"starts with {value[0]!r}: a spreadsheet would read it as a formula"
    return None


def _cell_problems(record: dict) -> Iterable[tuple[str, str]]:
    """(column, problem) for each rule a registry row breaks; the first is reported."""
    sha = record["sha256"]
    if not _SHA256.fullmatch(sha):
        yield "sha256", f"{sha!r} is not 64 lower-case hex digits"
    elif record["article_id"] != sha[:12]:
        yield "article_id", f"{record['article_id']!r} is not the start of the sha256 {sha[:12]!r}"
    if not is_text_file_name(record["file"]):
        yield "file", f"{record['file']!r} is not a file name ending in {TEXT_SUFFIX}"
    for column in ("file", "outlet", "title", "url"):
        if (problem := _text_problem(record[column])) is not None:
            yield column, problem
    if record["url"] and not _URL.fullmatch(record["url"]):
        yield "url", f"{record['url']!r} is not an http(s) address"
    try:
        precision = published_period(record["published"])[0]
    except ArticleError as err:
        yield "published", f"{record['published']!r}: {err.problem}"
    else:
        if precision != record["published_precision"]:
            yield "published_precision", f"{record['published']!r} is precise to the {precision}"
    words = record["words"]
    if not re.fullmatch(r"[0-9]+", words) or int(words) == 0:
        yield "words", f"{words!r} is not a positive whole number"


# --- rows ----------------------------------------------------------------------------------


def default_title(article: Article) -> str:
    """The title ``add`` records when none is given: the lede's first sentence, white space
    collapsed, cut at a word boundary to at most :data:`TITLE_LENGTH` characters ("…" marks a
    cut), without leading characters a spreadsheet would read as a formula."""
    first = article.sentences[0].text if article.sentences else article.lede.text
    text = " ".join(first.split()).lstrip("".join(FORMULA_STARTS) + " ")
    if len(text) <= TITLE_LENGTH:
        return text
    cut = text[: TITLE_LENGTH - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def registry_row(
    article: Article,
    file: str,
    outlet: str = "",
    url: str = "",
    title: str | None = None,
    rights: str = "not_redistributed",
) -> dict[str, str]:
    """The registry row of a parsed article (all cells text, as the CSV holds them)."""
    return {
        "article_id": article.id,
        "sha256": article.sha256,
        "file": file,
        "outlet": outlet,
        "url": url,
        "published": article.date,
        "published_precision": article.date_precision,
        "language": "nl",
        "title": default_title(article) if title is None else title,
        "words": str(int(blocks_table(article)["words"].sum())),
        "rights": rights,
    }


def registry_csv(rows: Iterable[dict]) -> str:
    """The registry as CSV text: header, rows in the given order, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    for row in rows:
        writer.writerow([str(row[c]) for c in REGISTRY_COLUMNS])
    return buffer.getvalue()


# --- adding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Added:
    """One article ``add`` registered: its row and where its text must stay."""

    row: dict[str, str]
    path: Path


def _parse_file(path: Path) -> Article:
    if not is_text_file_name(path.name):
        raise RegistryError(f"{path}: not an article file: the name must end in {TEXT_SUFFIX}")
    if path.exists() and not path.is_file():  # a FIFO would block the read, a folder fail it
        raise RegistryError(f"{path}: not a regular file (a folder, FIFO or device?)")
    return load_article(path)  # ArticleError names the file and line


def _check_new(path: Path, row: dict, seen: dict[str, str], rights: str) -> None:
    for column, problem in _cell_problems(row):
        option = {"title": "--title", "outlet": "--outlet", "url": "--url"}.get(column, column)
        raise RegistryError(f"{path}: {option}: {problem}")
    if row["sha256"] in seen:
        raise RegistryError(f"{path}: same text (sha256) as {seen[row['sha256']]}: not added twice")
    in_raw = path.resolve().parent == RAW.resolve()
    if rights == "included" and not in_raw:
        raise RegistryError(
            f"{path}: --rights included is for texts the collection ships, kept in {RAW}: "
            "copy the file there first (and commit it), or register it as not_redistributed"
        )
    if rights != "included" and in_raw:
        raise RegistryError(
            f"{path}: data/raw/ holds only texts the collection ships: register it with "
            "--rights included, or keep it in a folder of your own (data/private/)"
        )


def add_articles(
    files: Sequence[str | Path],
    registry: str | Path | None = None,
    outlet: str = "",
    url: str = "",
    title: str | None = None,
    rights: str = "not_redistributed",
) -> list[Added]:
    """Register article files: parse every file first, then append one row each to the
    registry, written atomically. All or nothing: on any error (a file that does not parse, a
    text already registered or given twice, a bad option) nothing is written and the error
    names the file. Texts are not copied anywhere.
    """
    path = Path(registry) if registry is not None else REGISTRY
    if rights not in RIGHTS:
        raise RegistryError(f"--rights {rights!r} is not one of {list(RIGHTS)}")
    if len(files) > 1 and (url or title is not None):
        raise RegistryError("--url and --title describe one article: give one FILE with them")
    table = load_registry(path)
    rows = table.astype({"words": "str"}).to_dict("records")
    seen = {r["sha256"]: f"article {r['article_id']} ({r['file']})" for r in rows}
    added = []
    for file in map(Path, files):
        article = _parse_file(file)
        row = registry_row(article, file.name, outlet, url, title, rights)
        _check_new(file, row, seen, rights)
        seen[row["sha256"]] = f"{file} (given twice?)"
        added.append(Added(row, file.resolve()))
    write_text(path, registry_csv([*rows, *(a.row for a in added)]))
    return added


def _where_text_stays(added: Added) -> str:
    folder = added.path.parent
    if folder in (RAW.resolve(), PRIVATE.resolve()):
        return f"the text stays in {folder}/ (searched by default); it was not copied"
    return (
        f"the text stays in {folder}/ (not copied); keep it there and pass that folder as the "
        "corpus (python3 tasks.py run --corpus FOLDER), or move it to data/private/"
    )


def _report(added: Added) -> str:
    row = added.row
    return (
        f"added {row['article_id']}: {row['file']} ({row['outlet'] or 'outlet unknown'}, "
        f"published {row['published']}, {row['words']} words, rights {row['rights']}, "
        f"title {row['title']!r})\n  {_where_text_stays(added)}"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 tasks.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="register article files in data/articles.csv")
    add.add_argument("files", nargs="+", metavar="FILE", help="article text files (.txt)")
    add.add_argument("--outlet", default="", help="the newspaper or site, e.g. 'De Morgen'")
    add.add_argument("--url", default="", help="the article's web address (one FILE only)")
    add.add_argument(
        "--title", default=None, help="the headline (one FILE only; default: start of the lede)"
    )
    add.add_argument("--rights", default="not_redistributed", choices=RIGHTS)
    add.add_argument("--registry", default=str(REGISTRY), help="default: data/articles.csv")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``add FILE... [--outlet NAME] [--url URL] [--title TEXT] [--rights ...]``; exit status 0
    when every file was added, 1 (and nothing written) otherwise."""
    options = _parser().parse_args(argv)
    try:
        added = add_articles(
            options.files, options.registry, options.outlet, options.url, options.title,
            options.rights,
        )  # fmt: skip
    except (ArticleError, DataError, RegistryError) as err:
        print(f"error: {err}\nnothing was added to {options.registry}", file=sys.stderr)
        return 1
    for one in added:
        print(_report(one))
    return 0


if __name__ == "__main__":
    sys.exit(main())
