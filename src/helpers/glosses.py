"""English glosses of the article's Dutch text, kept as data in data/glosses_en.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.paths import DATA
from helpers.tables import DataError, check_required, check_unique, read_table

GLOSSES = DATA / "glosses_en.csv"
COLUMNS = ["text_nl", "gloss_en", "note"]


def load_glosses(path: str | Path = GLOSSES) -> pd.DataFrame:
    """The gloss table indexed by the exact Dutch text; no duplicate or empty entries."""
    table = read_table(path, COLUMNS)
    check_required(table, ["text_nl", "gloss_en"], path)
    check_unique(table, "text_nl", path)
    table = table.set_index("text_nl")
    table.attrs["path"] = str(path)
    return table


def with_gloss(
    frame: pd.DataFrame, glosses: pd.DataFrame, text_column: str = "text"
) -> pd.DataFrame:
    """Add ``gloss_en`` and ``gloss_note`` columns for the Dutch texts in ``text_column``.
    Every text must have a gloss: a missing one is an error, never a silent blank."""
    missing = [t for t in frame[text_column] if t not in glosses.index]
    if missing:
        shown = missing[0][:60]
        raise DataError(
            glosses.attrs.get("path", GLOSSES),
            None,
            "text_nl",
            f"{len(missing)} text(s) have no gloss, e.g. {shown!r}",
        )
    out = frame.copy()
    out["gloss_en"] = [glosses.at[t, "gloss_en"] for t in frame[text_column]]
    out["gloss_note"] = [glosses.at[t, "note"] for t in frame[text_column]]
    return out
