"""The main job: re-execute the notebooks and rebuild the site, all or nothing.

``python -m helpers.execute`` (what ``python3 tasks.py run`` runs):

1. takes the output root's lock (one run at a time) and finishes or removes what a killed
   earlier run left behind (:func:`recover`);
2. runs the corpus pipeline (:mod:`helpers.pipeline`: parse, tag, timex, events, checks) over
   the run's articles into a staging folder ``.csto-stage-*`` inside the output root (same
   file system), its Parquet tables into ``data/processed/tables/`` there, and prints one line
   per stage; ``--engine dask``, ``--workers N`` and ``--scheduler ADDRESS`` as for
   ``python -m helpers.pipeline``;
3. executes the notebooks, ``--jobs`` at a time, each in its own kernel, into the stage: the
   kernels get ``CSTO_OUTPUT`` = the stage, so ``figures/`` and ``data/processed/`` are written
   there too (:mod:`helpers.paths`);
4. builds the site from the staged notebooks into the stage;
5. only when all of that succeeded, moves every staged file into place by renames
   (:func:`commit`; the tables folder as a whole, replacing the previous run's), with the
   stop signals blocked.

A failing cell stops the run at once; so does SIGINT, SIGTERM or SIGHUP (tasks.py passes them
on, and sends SIGTERM if it dies itself). The kernels are killed, the stage is removed, and one
line names what failed or was running. ``notebooks/``, ``figures/``, ``data/processed/`` and
``site/`` are then exactly as they were before the run.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from helpers.article import ArticleError
from helpers.corpus import find_texts, select_articles
from helpers.io import write_text
from helpers.parameters import ALL, Setting, parameter_values
from helpers.paths import (
    NOTEBOOKS,
    OUTPUT,
    OUTPUT_ENV,
    OUTPUT_FOLDERS,
    ROOT,
    SITE_FOLDER,
    TABLES_FOLDER,
    shown_path,
)
from helpers.registry import load_registry
from helpers.stopping import Interrupted, StopSignals, blocked_signals, kill_process_group
from helpers.tables import DataError

# The notebook-level metadata we keep: no Python patch version or timing that varies by machine.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

STAGE_PREFIX = ".csto-stage-"  # a run in progress (or killed), inside the output root
COMPLETE = ".complete"  # in a stage: everything is staged, the moves into place have begun
LOCK = ".csto-run.lock"  # in the output root: held by the run in progress
KERNELS_GONE = 5.0  # seconds to wait for the execution thread once the kernels are killed


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The numbered notebooks (``01_*.ipynb`` ...) in the order they tell the story."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


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


PARAMETERS_TAG = "parameters"  # the cell that sets a notebook's parameters (papermill)
INJECTED_TAG = "injected-parameters"  # the cell a run adds after it, with the run's values


def inject_parameters(
    notebook: nbformat.NotebookNode, values: dict[str, object], name: str = "notebook"
) -> nbformat.NotebookNode:
    """Insert a code cell tagged ``injected-parameters`` that sets ``values`` (Python
    literals) right after the cell tagged ``parameters``, as papermill does; a cell injected
    before is replaced. No values: the notebook is left as it is. Raises ValueError naming
    ``name`` when the notebook has no parameters cell, or a value is not a plain literal."""
    if not values:
        return notebook
    cells = [c for c in notebook.cells if INJECTED_TAG not in c.metadata.get("tags", [])]
    tagged = [i for i, c in enumerate(cells) if PARAMETERS_TAG in c.metadata.get("tags", [])]
    if not tagged:
        raise ValueError(f"{name}: no cell tagged {PARAMETERS_TAG!r}: its parameters cannot be set")
    lines = ["# Parameters of this run (injected by python3 tasks.py run)"]
    for key, value in values.items():
        if not key.isidentifier() or _literal(value) is None:
            raise ValueError(f"{name}: parameter {key!r}: {value!r} is not a plain value")
        lines.append(f"{key} = {_literal(value)}")
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    cell["id"] = INJECTED_TAG  # fixed: the executed copy is the same on every run
    cells.insert(tagged[0] + 1, cell)
    notebook.cells = cells
    return notebook


def _literal(value: object) -> str | None:
    """``repr`` of a string, number, bool, None or list of them; None for anything else."""
    if isinstance(value, list):
        items = [_literal(v) for v in value]
        return None if None in items else "[" + ", ".join(items) + "]"
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    return None


# --- one notebook ---------------------------------------------------------------------------


@dataclass
class Job:
    """One notebook of a run: read from ``source``, written (executed) to ``target``."""

    source: Path
    target: Path
    parameters: dict[str, object] = field(default_factory=dict)  # injected (none: defaults)
    state: str = "waiting"  # waiting, running, done, failed
    cell: int | None = None  # index of the cell being executed
    kernel_manager: _KernelManager | None = None
    client: NotebookClient | None = None
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.source.stem

    def where(self) -> str:
        """``03_events (cell 12)`` (cells count from 1), or ``03_events (kernel starting)``."""
        if self.cell is None:
            return f"{self.name} (kernel starting)" if self.state == "running" else self.name
        return f"{self.name} (cell {self.cell + 1})"


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookFailed(Exception):
    """A notebook of the run failed: which one, in which cell, with which error."""

    def __init__(self, job: Job, notebook: nbformat.NotebookNode, error: BaseException) -> None:
        self.job, self.error = job, error
        self.source_line = ""
        if job.cell is not None and job.cell < len(notebook.cells):
            lines = notebook.cells[job.cell].source.strip().splitlines()
            self.source_line = lines[0] if lines else ""
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: the notebook, the cell (its number and first line) and the error."""
        error = self.error
        if isinstance(error, CellTimeoutError):
            what = "did not finish in time"
        elif isinstance(error, DeadKernelError):
            what = f"killed its kernel ({error})"
        elif isinstance(error, CellExecutionError):
            what = f"raised {error.ename}: {error.evalue}"
        else:
            what = f"could not be executed: {type(error).__name__}: {error}"
        name = shown_path(self.job.source)
        if self.job.cell is None:
            return f"{name} {what}"
        return f"{name}, cell {self.job.cell + 1} (`{self.source_line}`) {what}"

    def details(self) -> str:
        """The kernel's traceback without colour codes (empty for other errors)."""
        if isinstance(self.error, CellExecutionError):
            return _ANSI.sub("", str(self.error)).strip()
        return ""


class _KernelManager(AsyncKernelManager):
    """A kernel manager that keeps its kernel's process as soon as it is launched, so that a
    stopped run can kill it at once (nbclient's clean-up may drop the manager's own handle
    to a kernel that is still starting)."""

    process: subprocess.Popen | None = None

    def __init__(self, **kwargs: Any) -> None:
        # On POSIX the kernel talks over Unix sockets beside its connection file, not over
        # local TCP ports: nothing to eavesdrop on, so ipykernel does not warn about it.
        # The sockets' path is absolute: the kernel runs in the notebook's folder, this
        # process elsewhere (jupyter_client's default, "kernel-ipc", is relative).
        if os.name == "posix":
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault(
                "ip", str(Path(tempfile.gettempdir()) / f"csto-kernel-{uuid.uuid4().hex}")
            )
        super().__init__(**kwargs)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            self.process = getattr(self.provisioner, "process", None)

    def kill_now(self) -> None:
        """SIGKILL the kernel's process group, if it has been started and still runs, and
        remove its connection file."""
        if self.process is not None and self.process.poll() is None:
            kill_process_group(self.process.pid)
        if self.process is not None and self.connection_file:
            Path(self.connection_file).unlink(missing_ok=True)
        if self.process is not None and self.transport == "ipc":
            self.cleanup_ipc_files()


async def _execute_job(job: Job, env: dict[str, str], timeout: int) -> None:
    """Execute ``job``'s notebook in a new kernel (working directory: the notebook's folder,
    environment ``env``) and write it, normalised, to ``job.target``."""
    notebook = inject_parameters(
        nbformat.read(job.source, as_version=4), job.parameters, shown_path(job.source)
    )

    def running(cell: Any, cell_index: int) -> None:
        job.cell = cell_index

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        shutdown_kernel="immediate",  # its outputs are in: no need to wait for a clean exit
        resources={"metadata": {"path": str(job.source.parent)}},
        on_cell_execute=running,
        kernel_manager_class=_KernelManager,
    )
    client.km = job.kernel_manager = client.create_kernel_manager()
    job.client = client
    job.state = "running"
    started = time.perf_counter()
    try:
        await client.async_execute(env=env)
    except Exception as error:
        job.state = "failed"
        raise NotebookFailed(job, notebook, error) from error
    finally:  # nbclient leaves it registered when cancelled; it would fail at exit
        atexit.unregister(client._cleanup_kernel)
    job.seconds = time.perf_counter() - started
    job.cell = None
    write_text(job.target, nbformat.writes(normalise(notebook)) + "\n")
    job.state = "done"


def execute(path: Path, timeout: int = 600, target: Path | None = None) -> float:
    """Execute one notebook with its folder as working directory and write it (to ``target``,
    default: back to ``path``) atomically. Returns the seconds it took; raises
    :class:`NotebookFailed` naming the cell when one fails (nothing is written then)."""
    job = Job(Path(path), Path(target or path))
    asyncio.run(_execute_job(job, dict(os.environ), timeout))
    return job.seconds


class _Executor:
    """Runs the jobs, ``parallel`` at a time, in an event loop on a thread of its own, so that
    the main thread is free to take signals (nbclient's own signal handlers are then not
    installed: they only work on the main thread). The main thread stops it at the first
    failure."""

    def __init__(self, jobs: list[Job], parallel: int, env: dict[str, str], timeout: int):
        self.jobs, self.parallel, self.env, self.timeout = jobs, parallel, env, timeout
        self.failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._thread = threading.Thread(target=self._run, name="notebooks", daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by the main thread
            self.failure = self.failure or error

    async def _main(self) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        limit = asyncio.Semaphore(self.parallel)

        async def one(job: Job) -> None:
            async with limit:
                try:
                    await _execute_job(job, self.env, self.timeout)
                except Exception as error:  # the main thread raises it and stops the others
                    self.failure = self.failure or error

        await asyncio.gather(*(one(job) for job in self.jobs))

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        """Wait for every notebook, or the first failure, which is raised. A signal may
        interrupt the wait."""
        while self._thread.is_alive() and self.failure is None:
            self._thread.join(0.1)
        if self.failure is not None:
            raise self.failure

    def stop(self) -> None:
        """Kill every kernel now, cancel the loop, and wait (briefly) for the thread; what
        nbclient would clean up at exit is already done."""
        self._kill_kernels()
        if self._loop is not None and self._task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(KERNELS_GONE)
        self._kill_kernels()  # one that was starting while the others were killed

    def _kill_kernels(self) -> None:
        for job in self.jobs:
            if job.kernel_manager is not None:
                job.kernel_manager.kill_now()
            if job.client is not None:  # its clean-up at exit would wait for a dead kernel
                atexit.unregister(job.client._cleanup_kernel)


# --- the run: stage, commit, recover ---------------------------------------------------------


class RunError(Exception):
    """The run cannot start (another one is in progress, the site folder is not ours)."""


@contextlib.contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s run lock: one run at a time writes an output root."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the run ends)
    try:
        try:
            _lock_file(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunError(
                f"{path}: another run (pid {holder}) is writing {shown_path(out)}; wait until it "
                "has finished, or stop it, then start again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _lock_file(handle: Any) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _staged(stage: Path, folder: str) -> list[Path]:
    """The staged files of ``folder``, but the tables (moved as one folder)."""
    tables = stage / TABLES_FOLDER
    files = (stage / folder).rglob("*")
    return sorted(p for p in files if p.is_file() and not p.is_relative_to(tables))


def check_commit(stage: Path, out: Path) -> None:
    """Raise RunError if a staged file could not be renamed into place (the target is a
    folder, or its folder is not writable or on another file system), before anything moves."""
    device = stage.stat().st_dev
    for folder in OUTPUT_FOLDERS:
        for source in _staged(stage, folder):
            target = out / source.relative_to(stage)
            existing = next(p for p in (target.parent, *target.parents) if p.exists())
            problem = (
                "is a folder"
                if target.is_dir()
                else f"{shown_path(existing)} is not writable"
                if not os.access(existing, os.W_OK | os.X_OK)
                else f"{shown_path(existing)} is on another file system than the stage"
                if existing.stat().st_dev != device
                else None
            )
            if problem:
                raise RunError(f"{shown_path(target)} cannot be replaced: {problem}")


def commit(stage: Path, out: Path) -> dict[str, int]:
    """Move the staged outputs into place in ``out`` by renames, then the site; repeatable
    (what was moved already is no longer in the stage). Returns files moved per folder."""
    from helpers.site import install

    moved = {}
    for folder in OUTPUT_FOLDERS:
        staged = _staged(stage, folder)
        for source in staged:
            target = out / source.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        moved[folder] = len(staged)
    if (stage / TABLES_FOLDER).is_dir():
        moved[TABLES_FOLDER] = _replace_tables(stage, out)
    if (stage / SITE_FOLDER).is_dir():
        moved[SITE_FOLDER] = len(install(stage / SITE_FOLDER, out / SITE_FOLDER))
    return moved


def _replace_tables(stage: Path, out: Path) -> int:
    """Put the staged tables folder in place of the previous run's (moved into the stage, which
    is removed afterwards): a table never mixes partitions of two runs. Repeatable like
    :func:`commit`. Returns the number of table files."""
    new, target, old = stage / TABLES_FOLDER, out / TABLES_FOLDER, stage / ".previous-tables"
    count = sum(1 for p in new.rglob("*") if p.is_file())
    if target.exists():
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(new, target)
    return count


def recover(out: Path) -> None:
    """Deal with the staging folders killed runs left in ``out`` (call with the run lock held):
    one whose outputs were being moved into place is finished (the moves are repeated), any
    other is removed: the outputs are then never a mix of two runs."""
    for stage in sorted(out.glob(f"{STAGE_PREFIX}*")):
        if not stage.is_dir():
            continue
        if (stage / COMPLETE).is_file():
            print(f"{shown_path(stage)}: a killed run was moving its outputs into place: finishing")
            with blocked_signals():
                commit(stage, out)
        else:
            print(f"{shown_path(stage)}: removing the staging folder of a run that was killed")
        shutil.rmtree(stage)


def _site_notebooks(jobs: list[Job], out: Path) -> list[Path]:
    """The site's notebooks: the ones just executed (staged) and the others already in
    ``out``, in name order."""
    current = {p.name: p for p in notebook_paths(out / "notebooks")}
    chosen = {**current, **{job.target.name: job.target for job in jobs}}
    return [chosen[name] for name in sorted(chosen)]


def _names(stopped: list[tuple[str, str]], state: str) -> str:
    return ", ".join(where for where, now in stopped if now == state)


@dataclass(frozen=True)
class Corpus:
    """What a run's corpus pipeline runs on: the article files, the events table, the
    registered articles outside the run (their event rows are passed over), the engine."""

    files: tuple[Path, ...]
    events: Path
    others: frozenset[str]
    engine: str = "serial"
    workers: int = 2
    scheduler: str | None = None

    @classmethod
    def of(cls, args: argparse.Namespace) -> Corpus:
        """The selected articles whose text is found (as the notebooks find them: data/raw/
        and the corpus folders), without parsing them; the run's events table."""
        setting = Setting.of(args.corpus, args.articles or ALL, args.registry, args.events)
        found, _ = find_texts(setting.registry, list(setting.corpus))
        files = tuple(found[i] for i in setting.registry["article_id"] if i in found)
        others = frozenset(setting.full_registry["article_id"]) - set(found)
        from helpers.pipeline import engine_of  # pandas, networkx: only when a run needs them

        engine = engine_of(args.engine, args.scheduler)
        return cls(files, setting.events_path, others, engine, args.workers, args.scheduler)

    def run(self, out: Path) -> list[str]:
        """Run the pipeline into ``out``; its stage lines. Progress bars go to stderr when it
        is a terminal."""
        from helpers.pipeline import run_corpus

        result = run_corpus(
            self.files,
            out,
            engine=self.engine,
            workers=self.workers,
            scheduler=self.scheduler,
            events=self.events,
            others=self.others,
            progress=sys.stderr,
        )
        return result.lines()


class Run:
    """One main job into output root ``out``: see the module's docstring."""

    def __init__(
        self,
        sources: list[Path],
        out: Path,
        parallel: int,
        timeout: int = 600,
        parameters: dict[str, object] | None = None,
        corpus: Corpus | None = None,
    ):
        self.sources, self.out, self.parameters = sources, out, parameters or {}
        self.corpus = corpus
        self.parallel, self.timeout = max(1, min(parallel, len(sources) or 1)), timeout
        self.jobs: list[Job] = []
        self.stopped: list[tuple[str, str]] = []  # each job's place and state when stopped
        self.phase = "starting"

    def execute(self, stage: Path) -> None:
        """Every notebook into ``stage``, with the kernels' outputs redirected there."""
        self.jobs = [
            Job(source, stage / "notebooks" / source.name, self.parameters)
            for source in self.sources
        ]
        env = {**os.environ, OUTPUT_ENV: str(stage)}
        executor = _Executor(self.jobs, self.parallel, env, self.timeout)
        self.phase = "executing"
        executor.start()
        try:
            executor.wait()
        except BaseException:
            self.stopped = [(job.where(), job.state) for job in self.jobs]  # before the kill
            executor.stop()
            raise

    def run_pipeline(self, stage: Path) -> None:
        """The corpus pipeline into the stage's tables folder; one line per stage."""
        if self.corpus is None:
            return
        self.phase = "pipeline"
        lines = self.corpus.run(stage / TABLES_FOLDER)
        engine = self.corpus.engine
        for line in lines:
            print(f"pipeline ({engine}) {line}", flush=True)

    def build_site(self, stage: Path) -> int:
        from helpers.site import write_pages

        self.phase = "site"
        return len(write_pages(_site_notebooks(self.jobs, self.out), stage / SITE_FOLDER))

    def __call__(self, stop: StopSignals) -> int:
        """Stage, build, commit (``stop`` is disarmed before the commit); returns 0. Raises
        Interrupted, NotebookFailed, SiteError, with the stage removed and nothing replaced."""
        from helpers.site import check_install, owned_names

        started = time.perf_counter()
        site = self.out / SITE_FOLDER
        owned_names(site)  # a foreign site folder: refused before any work
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=self.out))
        try:
            self.run_pipeline(stage)
            self.execute(stage)
            for job in self.jobs:
                print(f"{shown_path(job.source)}: {job.seconds:.1f} s", flush=True)
            wall = time.perf_counter() - started
            print(
                f"{len(self.jobs)} notebooks executed in {wall:.1f} s ({self.parallel} at a time)"
            )
            pages = self.build_site(stage)
            check_install(stage / SITE_FOLDER, site)
            check_commit(stage, self.out)
            stop.disarm()  # from here on the run completes; a signal only waits
            self.phase = "commit"
            with blocked_signals():
                write_text(stage / COMPLETE, "moving into place\n")
                moved = self._commit(stage)
            self.phase = "done"
        finally:
            stop.disarm()
            if self.phase != "commit":  # a commit cut short is kept: the next run finishes it
                with blocked_signals():
                    shutil.rmtree(stage, ignore_errors=True)
        counts = ", ".join(
            f"{moved[f]} in {f}/" for f in (*OUTPUT_FOLDERS, TABLES_FOLDER) if f in moved
        )
        print(
            f"replaced: {counts}, and {shown_path(site)}/ ({pages} pages); "
            f"{time.perf_counter() - started:.1f} s in all",
            flush=True,
        )
        return 0

    def _commit(self, stage: Path) -> dict[str, int]:
        try:
            return commit(stage, self.out)
        except Exception as error:
            raise RunError(
                f"moving the outputs into place failed halfway ({error}); the rest is kept in "
                f"{shown_path(stage)} and the next run moves it into place first"
            ) from error

    def interrupted(self, signal: Interrupted) -> str:
        """The one line that says what the signal stopped."""
        cause = f"interrupted by {signal.name}"
        if signal.name == "SIGTERM" and os.getppid() != _PARENT:
            cause += f" (its parent, pid {_PARENT}, has died)"
        if self.phase == "executing":
            running, waiting = _names(self.stopped, "running"), _names(self.stopped, "waiting")
            what = f"notebooks {running} were running" if running else "no notebook was running"
            what += f", {waiting} had not started" if waiting else ""
        elif self.phase == "site":
            what = "all notebooks had run, the site was being built"
        elif self.phase == "pipeline":
            what = "the corpus pipeline was running"
        else:
            what = "the run was starting"
        return f"{cause}: {what}; nothing was replaced ({_OUTPUTS} are as before)"

    def failed(self, failure: NotebookFailed) -> str:
        """The lines that say which notebook and cell failed, and what else was stopped."""
        others = _names(self.stopped, "running")
        stopped = f" ({others}: stopped too)" if others else ""
        return (
            f"{failure.details()}\n{failure.summary()}\n"
            f"the run stopped{stopped}; nothing was replaced ({_OUTPUTS} are as before)"
        ).lstrip("\n")


def _check_sources(sources: list[Path]) -> str | None:
    """What is wrong with the notebooks asked for (missing, or two with the same name)."""
    seen: dict[str, Path] = {}
    for path in sources:
        if not path.is_file():
            return f"{path}: no such notebook"
        if path.name in seen:
            return f"{seen[path.name]} and {path}: two notebooks with the same name"
        seen[path.name] = path
    return None


RUNS = "runs"  # in the repository, git-ignored: the default home of runs with parameters


def default_out(corpus: list[Path]) -> Path:
    """``runs/<name>/``: the corpus folders' names joined by ``+`` (``runs/selection/`` without
    a corpus folder)."""
    name = "+".join(Path(folder).resolve().name for folder in corpus) or "selection"
    return ROOT / RUNS / name


def _check_parameters(args: argparse.Namespace) -> str | None:
    """What is wrong with the run's parameters that can be told before any notebook runs."""
    for folder in args.corpus:
        if not folder.is_dir():
            return f"--corpus {folder}: not a folder"
    for option, path in (("--registry", args.registry), ("--events", args.events)):
        if path is not None and not path.is_file():
            return f"{option} {path}: no such file"
    if args.articles:
        try:
            select_articles(load_registry(args.registry), args.articles)
        except DataError as error:
            return f"--articles: {error}"
    return None


_PHASES = {
    "starting": "starting",
    "pipeline": "running the corpus pipeline",
    "executing": "executing the notebooks",
    "site": "building the site",
    "commit": "moving the outputs into place",
}
_OUTPUTS = "notebooks/, figures/, data/processed/ and site/"
_PARENT = os.getppid()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="notebooks executed at once (each has its own kernel; they write different files)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of article texts (besides data/raw/); may be given more than once",
    )
    parser.add_argument(
        "--articles", nargs="+", metavar="ID", help="the article ids to analyse (default: all)"
    )
    parser.add_argument("--registry", type=Path, help="the article registry (data/articles.csv)")
    parser.add_argument("--events", type=Path, help="the coded events (data/events.csv)")
    parser.add_argument(
        "--engine",
        choices=("serial", "dask"),
        default="serial",
        help="the corpus pipeline's engine: this process, or a Dask cluster (default serial)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes of a local Dask cluster (2)"
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="a running Dask scheduler (implies --engine dask)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output root: executed notebooks go to OUT/notebooks/, figures to OUT/figures/, "
        "derived data to OUT/data/processed/, the site to OUT/site/ (default: the repository; "
        f"with any of the options above, {RUNS}/<name of the corpus folder>/)",
    )
    args = parser.parse_args(argv)
    from helpers.site import SiteError

    parameters = parameter_values(args.corpus, args.articles, args.registry, args.events)
    problem = _check_parameters(args)
    if problem:
        print(f"run: {problem}", file=sys.stderr)
        return 2
    out = (args.out or (default_out(args.corpus) if parameters else OUTPUT)).resolve()
    if parameters and out == ROOT.resolve():
        print(
            "run: --out is the repository, whose outputs are made with the notebooks' default "
            f"parameters only; choose another folder (default {RUNS}/<corpus name>/)",
            file=sys.stderr,
        )
        return 2
    if parameters:
        parameters["out"] = str(out)
    sources = [p.resolve() for p in (args.notebooks or notebook_paths())]
    problem = _check_sources(sources)
    if problem:
        print(f"run: {problem}", file=sys.stderr)
        return 2
    try:
        corpus = Corpus.of(args)
    except (DataError, ArticleError, ValueError) as error:
        print(f"run: {error}", file=sys.stderr)
        return 2
    run = Run(sources, out, args.jobs, parameters=parameters, corpus=corpus)
    with StopSignals() as stop:
        try:
            with run_lock(out):
                with blocked_signals():
                    recover(out)
                code = run(stop)
        except Interrupted as signal:
            print(run.interrupted(signal), file=sys.stderr, flush=True)
            return signal.exit_code
        except NotebookFailed as failure:
            print(run.failed(failure), file=sys.stderr, flush=True)
            return 1
        except (RunError, SiteError) as err:
            print(f"run: {err}", file=sys.stderr, flush=True)
            return 1
        except (DataError, ArticleError) as err:  # the corpus pipeline: a bad text or event row
            print(
                f"run: {err}\nthe run stopped while {_PHASES[run.phase]}; nothing was replaced "
                f"({_OUTPUTS} are as before)",
                file=sys.stderr,
                flush=True,
            )
            return 1
        except Exception as error:  # e.g. the site could not be rendered, the disk is full
            if not isinstance(error, OSError):
                traceback.print_exc()
            print(
                f"run: failed while {_PHASES[run.phase]}: {type(error).__name__}: {error}; "
                "nothing was "
                f"replaced ({_OUTPUTS} are as before)",
                file=sys.stderr,
                flush=True,
            )
            return 1
    if stop.received:  # came while the outputs were moved into place, so it waited
        print(
            f"interrupted by {Interrupted(stop.received[0]).name} after every output had been "
            "replaced: the run was complete",
            file=sys.stderr,
        )
        return 128 + stop.received[0]
    return code


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: after a stopped run, a kernel client's clean-up (zmq) can hang at exit.
    os._exit(code)
