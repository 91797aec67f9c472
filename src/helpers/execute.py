"""Re-execute the notebooks in place, in order, with byte-stable output files."""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.io import write_text
from helpers.paths import NOTEBOOKS

# The notebook-level metadata we keep: no Python patch version or timing that varies by machine.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks (``01_*.ipynb`` ...) in the order they tell the story."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what differs between machines and runs: notebook metadata (Python version, widget
    state), cell timing, and widget views (their model ids are random; without the kernel they
    cannot render, so the saved output keeps the widget's plain-text fallback)."""
    notebook.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    )
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return notebook


def execute(path: Path, timeout: int = 600) -> float:
    """Execute one notebook with its folder as working directory; write it back atomically."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - started
    write_text(path, nbformat.writes(normalise(notebook)) + "\n")
    return elapsed


def _execute_reporting(path: Path) -> tuple[float, str | None]:
    """Execute one notebook in a worker; a failing cell comes back as text, not an exception."""
    try:
        return execute(path), None
    except CellExecutionError as err:
        return 0.0, str(err)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="notebooks executed at once (each has its own kernel; they write different files)",
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in (args.notebooks or notebook_paths())]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(paths)))) as pool:
        results = list(pool.map(_execute_reporting, paths))
    failed = False
    for path, (seconds, error) in zip(paths, results, strict=True):
        name = path.relative_to(NOTEBOOKS.parent) if NOTEBOOKS.parent in path.parents else path
        if error is not None:
            failed = True
            print(
                f"{name}: a cell failed (the notebook was not rewritten)\n{error}", file=sys.stderr
            )
        else:
            print(f"{name}: {seconds:.1f} s", flush=True)
    wall = time.perf_counter() - started
    print(f"{len(paths)} notebooks executed in {wall:.1f} s ({args.jobs} at a time)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
