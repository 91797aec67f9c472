"""Re-execute the notebooks in place, in order, with byte-stable output files."""

from __future__ import annotations

import argparse
import sys
import time
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or notebook_paths()
    total = 0.0
    for path in map(Path.resolve, paths):
        try:
            seconds = execute(path)
        except CellExecutionError as err:
            print(f"{path}: a cell failed\n{err}", file=sys.stderr)
            return 1
        total += seconds
        print(f"{path.relative_to(NOTEBOOKS.parent)}: {seconds:.1f} s", flush=True)
    print(f"{len(paths)} notebooks executed in {total:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
