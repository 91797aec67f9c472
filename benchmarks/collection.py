"""How long the collection takes to re-run, against the floor it cannot go below.

    .venv/bin/python benchmarks/collection.py            # notebooks, floor, imports
    .venv/bin/python benchmarks/collection.py --test     # ... and the wall time of tasks.py test
    .venv/bin/python benchmarks/collection.py --repeat 3 # best of 3 for the import timings
    .venv/bin/python benchmarks/collection.py --best-of 3 # best of 3 for notebooks and floors

The notebooks are executed exactly as the main job does (``helpers.execute.execute``: one
nbclient kernel per notebook, one after the other, same environment variables as
``tasks.py``), but in a throw-away copy of the working tree (without .git, .venv, caches,
site/) in a temporary folder: its ``src/`` is put first on ``PYTHONPATH``, so
``helpers.paths.ROOT`` inside the kernels is the copy and nothing in the working tree
(notebooks, figures/, data/processed/, site/) is written; the script checks that the kernels
see the copy. ``helpers.site`` (the rest of the main job) is then timed in the copy too.
``--test`` runs the command ``python3 tasks.py test`` runs (``python -m pytest tests
notebooks --nbval``, same environment variables) in a fresh copy as well, because nbval
re-executes the notebooks, which write figures/. tasks.py's own part is a set-up check
(the venv's interpreter, pip and pins, about half a second) when the environment is current.

Kernel start-up warnings go to stderr: add ``2>/dev/null`` for the tables alone.

FLOOR, measured in the same run: for each notebook, a one-cell notebook holding only the
imports that notebook makes (parsed from its code cells with ``ast``), executed by the same
``execute`` function: a kernel start, those imports, and the kernel shutdown. A notebook
cannot run faster than its floor without changing what it imports or how kernels are used.

RUN and FLOOR are each the best of ``--best-of`` executions (default 2), taken in turns
(floor, notebook, floor, notebook), so that a slow kernel start or a busy moment on a shared
machine counts against neither; every time is printed. (Until 2026-12-02 the run was one
execution against the best of two floors, which counted such moments against the notebooks
only.) With ``--jobs N`` (default 2) the notebooks are then also executed N at a time in
worker processes (the main job, ``python -m helpers.execute --jobs``, runs N kernels at a time
from one process, into a staging folder).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers.execute import execute, notebook_paths
from helpers.paths import ROOT


def _tasks_env() -> dict[str, str]:
    """The environment variables tasks.py sets for run and test."""
    spec = importlib.util.spec_from_file_location("_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.ENV)


_NOT_COPIED = (".git", ".venv", ".hypothesis", ".ruff_cache", ".pytest_cache", "site")


def _copy_repository(target: Path) -> Path:
    """The working tree without .git, .venv, caches and build output."""
    ignore = shutil.ignore_patterns(
        *_NOT_COPIED, "test-artifacts", "__pycache__", ".ipynb_checkpoints", "*.egg-info"
    )
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


def notebook_imports(path: Path) -> list[str]:
    """The import statements of a notebook's code cells, in order, without repeats."""
    notebook = nbformat.read(path, as_version=4)
    seen: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        # IPython magics and shell lines are not Python: blank them, keep line numbers.
        lines = [
            "" if line.lstrip().startswith(("%", "!")) else line
            for line in cell.source.splitlines()
        ]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                statement = ast.unparse(node)
                if statement not in seen:
                    seen.append(statement)
    return seen


def floor_notebook(path: Path, imports: list[str], folder: Path) -> Path:
    """A one-cell notebook with the imports, in the same folder (same working directory)."""
    code = "\n".join(imports) if imports else "pass"
    floor = folder / f"_floor_{path.stem}.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code)]), floor)
    return floor


def best_of(
    path: Path, floor_path: Path, times: int, run: Callable[[Path], float] = execute
) -> tuple[list[float], list[float]]:
    """Execute the floor notebook and the notebook in turns, ``times`` each: the seconds of
    every execution of the notebook and of its floor, in order."""
    runs, floors = [], []
    for _ in range(times):
        floors.append(run(floor_path))
        runs.append(run(path))
    return runs, floors


def kernel_root(folder: Path) -> Path:
    """Ask a kernel started like the notebooks' which repository root helpers sees."""
    probe = folder / "_probe_root.ipynb"
    nbformat.write(
        new_notebook(cells=[new_code_cell("from helpers.paths import ROOT\nprint(ROOT)")]), probe
    )
    execute(probe)
    text = nbformat.read(probe, as_version=4).cells[0].outputs[0]["text"]
    probe.unlink()
    return Path(text.strip())


def time_imports(modules: list[str], repeat: int, env: dict[str, str]) -> list[tuple]:
    """Import each module in a fresh interpreter: in-process import time and process wall
    time (interpreter start + import + exit), best and median of ``repeat`` runs."""
    rows = []
    for module in modules:
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        inner, wall = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            wall.append(time.perf_counter() - started)
            inner.append(float(out.stdout.strip().splitlines()[-1]))
        rows.append((module, min(inner), statistics.median(inner), min(wall)))
    return rows


def helper_modules() -> list[str]:
    folder = ROOT / "src" / "helpers"
    names = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    return ["helpers"] + [f"helpers.{name}" for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also time the test command")
    parser.add_argument("--repeat", type=int, default=3, help="runs per import timing")
    parser.add_argument("--no-notebooks", action="store_true", help="skip notebooks and floor")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    parser.add_argument(
        "--jobs", type=int, default=2, help="also run the notebooks N at a time (1: don't)"
    )
    parser.add_argument(
        "--best-of", type=int, default=2, help="executions of each notebook and of its floor"
    )
    args = parser.parse_args(argv)

    env = {**os.environ, **_tasks_env()}
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")

    if not args.no_notebooks:
        workdir = Path(tempfile.mkdtemp(prefix="csto-bench-"))
        copy = _copy_repository(workdir / "repo")
        run_env = {**env, "PYTHONPATH": os.pathsep.join([str(copy / "src")])}
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(run_env)  # the kernels inherit this process's environment
        try:
            seen = kernel_root(copy / "notebooks")
            if seen.resolve() != copy.resolve():
                print(f"kernels see {seen}, not the copy {copy}: refusing to run", file=sys.stderr)
                return 1
            print(f"executing in a copy: {copy} (kernels see ROOT = {seen})\n")
            rows = []
            header = (
                f"{'notebook':<32} {'run s':>7} {'floor s':>8} {'run/floor':>9}  imports"
                f"   (runs | floors, s)"
            )
            print(header)
            print("-" * len(header))
            for path in notebook_paths(copy / "notebooks"):
                imports = notebook_imports(path)
                floor_path = floor_notebook(path, imports, path.parent)
                runs, floors = best_of(path, floor_path, args.best_of)
                floor_path.unlink()
                seconds, floor = min(runs), min(floors)
                rows.append((path.name, seconds, floor))
                print(
                    f"{path.name:<32} {seconds:7.2f} {floor:8.2f} {seconds / floor:9.2f}  "
                    f"{len(imports):7}   ({' '.join(f'{t:.2f}' for t in runs)} | "
                    f"{' '.join(f'{t:.2f}' for t in floors)})",
                    flush=True,
                )
            total = sum(r[1] for r in rows)
            floor_total = sum(r[2] for r in rows)
            print("-" * len(header))
            print(
                f"{'total (notebooks)':<32} {total:7.2f} {floor_total:8.2f} "
                f"{total / floor_total:9.2f}"
            )
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "helpers.site"],
                cwd=copy,
                env=run_env,
                check=True,
                capture_output=True,
            )
            site = time.perf_counter() - started
            print(f"{'helpers.site (rest of run)':<32} {site:7.2f}")
            print(f"{'sequential notebooks + site':<32} {total + site:7.2f}")
            if args.jobs > 1:
                # As the main job runs them: the notebooks are independent (each reads data/
                # and writes its own files), so they run N at a time.
                paths = notebook_paths(copy / "notebooks")
                started = time.perf_counter()
                with ProcessPoolExecutor(max_workers=args.jobs) as pool:
                    list(pool.map(execute, paths))
                parallel = time.perf_counter() - started
                print(
                    f"{f'notebooks, {args.jobs} at a time':<32} {parallel:7.2f}"
                    f"   (as the main job; sequential {total:.2f}, floor/{args.jobs} "
                    f"{floor_total / args.jobs:.2f})"
                )
        finally:
            os.environ.clear()
            os.environ.update(saved)
            if args.keep:
                print(f"kept {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nimport times in a fresh interpreter (best of {args.repeat}):")
    header = f"{'module':<22} {'import s':>9} {'median s':>9} {'process wall s':>15}"
    print(header)
    print("-" * len(header))
    for module, best, median, wall in time_imports(helper_modules(), args.repeat, env):
        print(f"{module:<22} {best:9.3f} {median:9.3f} {wall:15.3f}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    print(f"{'(bare interpreter)':<22} {'':9} {'':9} {time.perf_counter() - started:15.3f}")

    if args.test:
        # The command tasks.py test runs after its set-up check, run in a fresh copy with this
        # .venv's Python. Not `python3 tasks.py test` itself: in a copy, a set-up that finds
        # the stamp stale would `pip install -e` the temporary copy into the shared .venv.
        command = [sys.executable, "-m", "pytest", "tests", "notebooks", "--nbval", "-q"]
        print(f"\nrunning the test command ({' '.join(command[1:])}) in a copy ...", flush=True)
        workdir = Path(tempfile.mkdtemp(prefix="csto-bench-test-"))
        copy = _copy_repository(workdir / "repo")
        test_env = {**env, "PYTHONPATH": str(copy / "src")}
        try:
            started = time.perf_counter()
            result = subprocess.run(command, cwd=copy, env=test_env, capture_output=True, text=True)
            wall = time.perf_counter() - started
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        lines = result.stdout.strip().splitlines() or [""]
        print(f"test command: {wall:.1f} s wall, exit code {result.returncode}: {lines[-1]}")
        for line in lines:
            if line.startswith(("FAILED", "ERROR")):
                print(f"  {line[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
