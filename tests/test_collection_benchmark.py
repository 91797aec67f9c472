"""benchmarks/collection.py: the notebook and its floor are timed the same way."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from collection import best_of  # a script folder, not a package


def test_notebook_and_floor_are_executed_in_turns_and_all_times_kept():
    calls = []
    seconds = iter([1.0, 2.5, 1.2, 2.0, 0.9, 2.2])

    def run(path: Path) -> float:
        calls.append(path.name)
        return next(seconds)

    runs, floors = best_of(Path("nb.ipynb"), Path("floor.ipynb"), 3, run=run)
    assert calls == ["floor.ipynb", "nb.ipynb"] * 3
    assert (runs, floors) == ([2.5, 2.0, 2.2], [1.0, 1.2, 0.9])
