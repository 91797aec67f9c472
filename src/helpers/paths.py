"""Where the project's folders and files are."""

from __future__ import annotations

from pathlib import Path


def _find_root() -> Path:
    """The repository root: the nearest folder above this package (or the working directory)
    that holds both ``data/raw`` and ``notebooks``."""
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "data" / "raw").is_dir() and (folder / "notebooks").is_dir():
                return folder
    raise FileNotFoundError("cannot find the csto-tensions repository (data/raw and notebooks/)")


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
FIGURES = ROOT / "figures"
NOTEBOOKS = ROOT / "notebooks"
ARTICLE = RAW / "2022-11_csto-cracks_nl.txt"
ARTICLE_SHA256 = "39a6002ab68b21a2fa44906f20d2f08c41ce8e53b934b55040153b73010d5f1b"
# The article registry, and the default folder of a researcher's own texts (git-ignored).
REGISTRY = DATA / "articles.csv"
PRIVATE = DATA / "private"
