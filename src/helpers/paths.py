"""Where the project's folders and files are.

Inputs are read from the repository (``ROOT``); outputs (executed notebooks, ``figures/``,
``data/processed/``, ``site/``) go under the output root ``OUTPUT``: the repository itself,
unless the environment variable ``CSTO_OUTPUT`` names another folder. The main job sets it for
its kernels to a staging folder, so that a run's outputs replace the old ones all together or
not at all (see :mod:`helpers.execute`).
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """The repository root: the nearest folder above this package (or the working directory)
    that holds both ``data/raw`` and ``notebooks``."""
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "data" / "raw").is_dir() and (folder / "notebooks").is_dir():
                return folder
    raise FileNotFoundError("cannot find the csto-tensions repository (data/raw and notebooks/)")


OUTPUT_ENV = "CSTO_OUTPUT"


def output_root(root: Path) -> Path:
    """The folder outputs go under: ``$CSTO_OUTPUT`` (made absolute) if set, else ``root``."""
    value = os.environ.get(OUTPUT_ENV, "")
    return Path(value).resolve() if value else root


def shown_path(path: str | Path, root: Path | None = None) -> str:
    """A path as a reader sees it: relative to the repository (``/``-separated) when inside
    it, else as given."""
    path, root = Path(path), root or ROOT
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


ROOT = _find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
NOTEBOOKS = ROOT / "notebooks"
ARTICLE = RAW / "2022-11_csto-cracks_nl.txt"
ARTICLE_SHA256 = "39a6002ab68b21a2fa44906f20d2f08c41ce8e53b934b55040153b73010d5f1b"

# The outputs, relative to an output root: a run replaces all of them together or none.
OUTPUT_FOLDERS = ("notebooks", "figures", "data/processed")
SITE_FOLDER = "site"

OUTPUT = output_root(ROOT)
FIGURES = OUTPUT / "figures"
PROCESSED = OUTPUT / "data" / "processed"

# The article registry, and the default folder of a researcher's own texts (git-ignored).
REGISTRY = DATA / "articles.csv"
PRIVATE = DATA / "private"
