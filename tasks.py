#!/usr/bin/env python3
"""The project's two commands (and helpers to open JupyterLab and rebuild the site).

    python3 tasks.py run    # set up .venv, run the corpus pipeline, re-execute the notebooks,
                            # write figures/, site/ (--engine dask --workers N --scheduler A)
    python3 tasks.py run --corpus DIR   # the same on your own texts, into runs/DIR/
    python3 tasks.py test   # set up .venv, run unit tests, lint and nbval on notebooks/
    python3 tasks.py lab    # set up .venv, register its kernel and open JupyterLab
    python3 tasks.py site   # set up .venv, rebuild site/ from the committed notebooks
    python3 tasks.py add FILE...  # register article texts in data/articles.csv (not copied)
    python3 tasks.py suggest --out FILE.csv   # candidate events for a coder to review
    python3 tasks.py accept FILE.csv          # append the accepted rows to data/events.csv

Set-up creates ``.venv`` (or ``$CSTO_VENV``) with the running Python and installs the exact
pins of ``requirements.lock``. Every command first checks the environment (about half a
second): a venv whose interpreter or pip is broken is rebuilt, missing or wrong packages are
reinstalled.

run, test and site run their command as a child process that stops with tasks.py: SIGINT,
SIGTERM and SIGHUP are passed on, the child and everything it started (kernels included) are
gone within a few seconds, and on Linux the child gets SIGTERM if tasks.py itself is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CSTO_VENV", ROOT / ".venv"))
LOCK = ROOT / "requirements.lock"
WINDOWS = os.name == "nt"
LINUX = sys.platform.startswith("linux")

# Same value when executing and when checking notebooks: warnings then name a stable file.
ENV = {
    "IPYKERNEL_CELL_NAME": "<IPY-INPUT>",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
}
OUTPUT_ENV = "CSTO_OUTPUT"  # helpers.paths: where figures/ and data/processed/ are written


def bin_dir(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts" if WINDOWS else "bin")


def python_of(venv_dir: Path) -> Path:
    return bin_dir(venv_dir) / ("python.exe" if WINDOWS else "python")


PYTHON = python_of(VENV)


# --- the environment ----------------------------------------------------------------------

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;]+)\s*(?:;\s*(.+?))?\s*$")

# Run by the venv's interpreter: what is installed, and can pip and the modules be found.
_PROBE = r"""
import importlib.util, json, sys
from importlib import metadata
markers = json.loads(sys.argv[1])
report = {"pip": importlib.util.find_spec("pip") is not None, "installed": {}, "modules": {}}
try:
    try:
        from packaging.markers import Marker
    except ImportError:
        from pip._vendor.packaging.markers import Marker
    report["markers"] = {m: Marker(m).evaluate() for m in markers}
except Exception as error:
    report["markers_error"] = repr(error)
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    if name:
        report["installed"].setdefault(name, dist.version)
for module, dists in metadata.packages_distributions().items():
    if isinstance(module, str) and module.isidentifier() and not module.startswith("_"):
        report["modules"][module] = [dists, importlib.util.find_spec(module) is not None]
spec = importlib.util.find_spec("helpers")
report["helpers"] = spec.origin if spec else None
print(json.dumps(report))
"""


def normalise_name(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): ``PyYAML`` -> ``pyyaml``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> list[tuple[str, str, str | None]]:
    """The ``name==version ; marker`` lines of a lock file, as (name, version, marker)."""
    pins = []
    for line in text.splitlines():
        match = _PIN.match(line.strip())
        if match:
            pins.append((normalise_name(match[1]), match[2], match[3]))
    return pins


def pin_problems(
    pins: list[tuple[str, str, str | None]],
    markers: dict[str, bool],
    installed: dict[str, str],
    modules: dict[str, list],
) -> dict[str, str]:
    """Package -> what is wrong with it, for the pins that apply here (their marker holds):
    not installed, another version, or installed but a module of it cannot be found."""
    have = {normalise_name(name): version for name, version in installed.items()}
    wanted = {name: version for name, version, marker in pins if not marker or markers[marker]}
    problems = {}
    for name, version in wanted.items():
        if name not in have:
            problems[name] = "missing"
        elif have[name] != version:
            problems[name] = f"{have[name]} instead of {version}"
    for module, (dists, found) in modules.items():
        for dist in map(normalise_name, dists):
            if not found and dist in wanted and dist not in problems:
                problems[dist] = f"installed, but its module {module} is missing"
    return problems


class Health:
    """What is wrong with a virtual environment, as found by :func:`check`."""

    def __init__(self, broken: str | None = None, packages: dict | None = None, project=None):
        self.broken = broken  # the interpreter or pip: the venv must be rebuilt
        self.packages = packages or {}  # package -> problem: reinstall those pins
        self.project = project  # the project is not installed (editable) from this checkout

    @property
    def ok(self) -> bool:
        return not (self.broken or self.packages or self.project)

    def describe(self) -> str:
        parts = [f"{name} {problem}" for name, problem in sorted(self.packages.items())]
        return "; ".join([*parts, *([self.project] if self.project else [])])


def check(venv_dir: Path, lock: Path, project: Path | None) -> Health:
    """Ask the venv's interpreter what it has; compare with the lock's pins (and, if
    ``project`` is given, that ``helpers`` is imported from ``project/src``)."""
    python = python_of(venv_dir)
    if not python.exists():
        return Health(broken=f"its interpreter {python} is missing")
    pins = read_pins(lock.read_text(encoding="utf-8"))
    markers = sorted({marker for _, _, marker in pins if marker})
    try:
        result = subprocess.run(
            [str(python), "-I", "-c", _PROBE, json.dumps(markers)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Health(broken=f"its interpreter {python} does not run ({error})")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return Health(broken=f"its interpreter {python} does not run ({last})")
    report = json.loads(result.stdout)
    if not report["pip"]:
        return Health(broken="pip is missing from it (No module named pip)")
    if "markers" not in report:
        return Health(broken=f"pip cannot read the lock's markers ({report['markers_error']})")
    problems = pin_problems(pins, report["markers"], report["installed"], report["modules"])
    source = str(project / "src") if project else None
    wrong_project = None
    if source and not (report["helpers"] or "").startswith(source + os.sep):
        wrong_project = f"the project (helpers) is not installed from {project}"
    return Health(packages=problems, project=wrong_project)


class NotAVenv(RuntimeError):
    """The folder set up as the environment holds other things: it is never deleted."""


def rebuild(venv_dir: Path) -> None:
    """Remove the virtual environment (only if it looks like one) and create it afresh."""
    if venv_dir.exists():
        expected = {"bin", "lib", "lib64", "include", "share", "Scripts", "Lib", "Include"}
        expected |= {"pyvenv.cfg", ".gitignore", ".csto-installed"}
        others = sorted(p.name for p in venv_dir.iterdir() if p.name not in expected)
        if others and not (venv_dir / "pyvenv.cfg").exists():
            raise NotAVenv(
                f"{venv_dir} is not a virtual environment (no pyvenv.cfg; holds "
                f"{', '.join(others[:3])}): not deleting it. Remove it yourself or set "
                "CSTO_VENV to another folder"
            )
        shutil.rmtree(venv_dir)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)


def install_pins(venv_dir: Path, lock: Path, project: Path | None, force: list[str]) -> None:
    """Install the lock's pins (again, for the packages in ``force``) and the project."""
    pip = [str(python_of(venv_dir)), "-m", "pip", "install", "--quiet"]
    pip += ["--disable-pip-version-check", "--no-deps"]
    subprocess.run([*pip, "-r", str(lock)], check=True, cwd=lock.parent)
    if force:
        versions = {name: version for name, version, _ in read_pins(lock.read_text("utf-8"))}
        again = [f"{name}=={versions[name]}" for name in force if name in versions]
        subprocess.run([*pip, "--force-reinstall", *again], check=True, cwd=lock.parent)
    if project is not None:
        subprocess.run([*pip, "-e", str(project)], check=True)


def heal(venv_dir: Path, lock: Path, project: Path | None) -> bool:
    """Check the environment and repair it: rebuild a venv whose interpreter or pip is
    broken, reinstall what is missing or wrong. Returns whether anything had to be done;
    raises RuntimeError when it is still wrong afterwards."""
    health = check(venv_dir, lock, project)
    if health.ok:
        return False
    started = time.perf_counter()
    if health.broken:
        print(f"{venv_dir}: {health.broken}; rebuilding it", flush=True)
        rebuild(venv_dir)
        force = []
    else:
        print(f"{venv_dir}: {health.describe()}; installing the pins", flush=True)
        force = [n for n, problem in health.packages.items() if "module" in problem]
    print("installing the pinned packages from requirements.lock", flush=True)
    install_pins(venv_dir, lock, project, force)
    health = check(venv_dir, lock, project)
    if not health.ok:
        raise RuntimeError(f"still wrong after installing: {health.broken or health.describe()}")
    print(f"environment ready in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def fix_command(venv_dir: Path) -> str:
    """The command that starts the environment afresh."""
    if WINDOWS:
        return f'rmdir /s /q "{venv_dir}" && py -3 tasks.py setup'
    return f"rm -rf {venv_dir} && python3 tasks.py setup"


def setup() -> None:
    """Make the virtual environment match requirements.lock, repairing it if needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this file runs under any python3)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    try:
        heal(VENV, LOCK, ROOT)
    except NotAVenv as error:
        sys.exit(f"setting up failed: {error}")
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        sys.exit(f"setting up {VENV} failed: {error}\nto start afresh: {fix_command(VENV)}")


# --- running a command so that it stops with tasks.py -----------------------------------------

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
PASS_ON_AFTER = 2.0  # seconds; a child still running after a stop signal then gets SIGTERM
KILL_AFTER = 5.0  # seconds after the signal: whatever is left of the child's tree is killed


def _die_with_parent(parent: int) -> None:
    """In the child, before it starts (Linux): SIGTERM when tasks.py dies, even by SIGKILL."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # tasks.py died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def _processes() -> dict[int, tuple[int, int]]:
    """Pid -> (parent pid, start time) of every running process (Linux /proc; empty
    elsewhere). Zombies (dead, not yet reaped) are left out."""
    table = {}
    for entry in os.listdir("/proc") if LINUX else ():
        if entry.isdigit():
            try:
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] not in ("Z", "X"):
                table[int(entry)] = (int(fields[1]), int(fields[19]))
    return table


def process_tree(pid: int) -> set[tuple[int, int]]:
    """The process ``pid`` and all its descendants, as (pid, start time) pairs."""
    table = _processes()
    if pid not in table:
        return set()
    tree, todo = {(pid, table[pid][1])}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, start) in table.items():
            if ppid == parent:
                tree.add((child, start))
                todo.append(child)
    return tree


def alive(processes: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of ``processes`` still running (same pid and start time: not a reused pid)."""
    table = _processes()
    return {(pid, start) for pid, start in processes if table.get(pid, (0, None))[1] == start}


def _kill(processes: set[tuple[int, int]], signum: int) -> None:
    for pid, _ in alive(processes):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def supervise(args: list[str], env: dict[str, str] | None, what: str) -> int:
    """Run ``args`` and return its exit code. SIGTERM and SIGHUP are passed on to the child;
    SIGINT is not (Ctrl-C reaches the whole process group, the child included; passing it on
    too would interrupt pytest's own clean-up), but a child still running ``PASS_ON_AFTER``
    seconds after any of them gets SIGTERM. ``KILL_AFTER`` seconds after the signal, the child
    and everything it started are killed, as is anything it started that outlives it.
    Returns 128 + the signal's number."""
    parent = os.getpid()
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, preexec_fn=(lambda: _die_with_parent(parent)) if LINUX else None
    )
    received: list[int] = []
    tree: set[tuple[int, int]] = set()

    def on_signal(signum: int, frame: object) -> None:
        received.append(signum)
        tree.update(process_tree(child.pid))  # before it can die and orphan its kernels
        if signum != signal.SIGINT:  # a SIGINT (Ctrl-C) goes to the child's group: it has it
            child.send_signal(signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    try:
        while child.poll() is None and not received:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.5)
        if not received:
            return child.returncode
        return _stop(child, received, tree, what)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop(child: subprocess.Popen, received: list[int], tree: set, what: str) -> int:
    """After a stop signal: wait for the child, pass SIGTERM on, kill what is left."""
    started, passed_on, forced = time.monotonic(), False, set()
    while child.poll() is None:
        tree.update(process_tree(child.pid))
        waited = time.monotonic() - started
        if waited > PASS_ON_AFTER and not passed_on:
            child.send_signal(signal.SIGTERM)
            passed_on = True
        if waited > KILL_AFTER:
            forced |= alive(tree)
            _kill(tree, signal.SIGKILL)
        time.sleep(0.05)
    left = alive(tree)  # e.g. the kernels of a child that died before stopping them
    if left:
        forced |= left
        _kill(left, signal.SIGTERM)
        deadline = time.monotonic() + 1.0
        while alive(left) and time.monotonic() < deadline:
            time.sleep(0.05)
        _kill(left, signal.SIGKILL)
    code = 128 + received[0]
    if child.returncode != code or forced:  # else the child has said what it stopped
        extra = f"; killed {len(forced)} processes it left running" if forced else ""
        name = signal.Signals(received[0]).name
        print(f"interrupted by {name}: {what} stopped{extra}", file=sys.stderr, flush=True)
    return code


def _run(args: list[str]) -> int:
    env = {**os.environ, **ENV}
    return subprocess.run(args, cwd=ROOT, env=env).returncode


# --- the commands -----------------------------------------------------------------------------


PATH_OPTIONS = ("--corpus", "--registry", "--events", "--out")


def absolute_paths(args: list[str], cwd: Path) -> list[str]:
    """``args`` with the value of each path option (``--out DIR`` or ``--out=DIR``) made
    absolute from ``cwd``: the command itself runs in the repository."""
    result, expect_path = [], False
    for arg in args:
        option, equals, value = arg.partition("=")
        if expect_path:
            arg = str(cwd / arg)
        elif equals and option in PATH_OPTIONS:
            arg = f"{option}={cwd / value}"
        expect_path = arg in PATH_OPTIONS
        result.append(arg)
    return result


def run() -> int:
    """The main job: run the corpus pipeline over the run's articles (one line per stage; its
    Parquet tables into data/processed/tables/, git-ignored), re-execute every notebook (into a
    staging folder; they write figures/ and data/processed/ there), build the students' site
    (site/, git-ignored) from them, and only when all of that worked, move everything into
    place. ``--engine serial|dask``, ``--workers N``, ``--scheduler ADDRESS``: where the
    pipeline runs (default: serially, in the run's own process). See helpers/execute.py.

    ``run --corpus DIR [--corpus DIR2] [--articles ID...] [--registry FILE] [--events FILE]
    [--out DIR]`` runs the notebooks with those parameters into ``runs/<name>/`` (or OUT): the
    committed notebooks and outputs are not touched."""
    setup()
    args = [str(PYTHON), "-m", "helpers.execute", *absolute_paths(sys.argv[2:], Path.cwd())]
    return supervise(args, {**os.environ, **ENV}, "the main job")


def site() -> int:
    """Rebuild only the students' site from the committed notebooks (nothing is executed)."""
    setup()
    args = [str(PYTHON), "-m", "helpers.site", *sys.argv[2:]]
    return supervise(args, {**os.environ, **ENV}, "the site build")


def add() -> int:
    """Register article files in data/articles.csv (``add FILE... [--outlet NAME] [--url URL]
    [--title TEXT] [--rights included|not_redistributed]``); the texts are not copied."""
    setup()
    return _run([str(PYTHON), "-m", "helpers.registry", "add", *sys.argv[2:]])


def suggest() -> int:
    """Write a review sheet of candidate events (``suggest [--corpus DIR] [--articles ID...]
    [--registry F] --out FILE.csv``); nothing enters data/events.csv (see helpers/suggest.py)."""
    setup()
    args = absolute_paths(sys.argv[2:], Path.cwd())
    return _run([str(PYTHON), "-m", "helpers.suggest", "suggest", *args])


def accept() -> int:
    """Append the rows a coder marked ``accept`` in a review sheet to data/events.csv, after the
    checks of every events.csv row (``accept FILE.csv [--events F]``), or write nothing."""
    setup()
    args = absolute_paths(sys.argv[2:], Path.cwd())
    if args and not args[0].startswith("-"):
        args[0] = str(Path.cwd() / args[0])
    return _run([str(PYTHON), "-m", "helpers.suggest", "accept", *args])


def test() -> int:
    """Every test: unit tests, lint, and strict nbval on the committed notebooks. The notebooks'
    figures and data are written to a temporary folder, never into the working tree."""
    setup()
    args = [str(PYTHON), "-m", "pytest", "tests", "notebooks", "--nbval", *sys.argv[2:]]
    output = tempfile.mkdtemp(prefix="csto-test-output-")
    try:
        return supervise(args, {**os.environ, **ENV, OUTPUT_ENV: output}, "the tests")
    finally:
        shutil.rmtree(output, ignore_errors=True)


def lab_command(extra: list[str], euid: int | None) -> list[str]:
    """``jupyter lab notebooks`` with the user's extra arguments; as root (user id 0) with
    ``--allow-root``, which JupyterLab needs then, unless the user gave it already."""
    command = [str(bin_dir(VENV) / "jupyter"), "lab", "notebooks", *extra]
    given = any(arg.split("=")[0] in ("--allow-root", "--ServerApp.allow_root") for arg in extra)
    if euid == 0 and not given:
        command.append("--allow-root")
    return command


def lab() -> int:
    """Register the environment's kernel for the user and open JupyterLab on notebooks/;
    extra arguments go to ``jupyter lab``."""
    setup()
    kernel = ["--name", "csto-tensions", "--display-name", "Python 3 (csto-tensions)"]
    _run([str(PYTHON), "-m", "ipykernel", "install", "--user", *kernel])
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    previous = signal.signal(signal.SIGINT, lambda *_: None)  # JupyterLab asks on Ctrl-C itself
    try:
        return _run(lab_command(sys.argv[2:], euid))
    finally:
        signal.signal(signal.SIGINT, previous)


COMMANDS = {
    "run": run,
    "test": test,
    "lab": lab,
    "site": site,
    "add": add,
    "suggest": suggest,
    "accept": accept,
    "setup": lambda: setup() or 0,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [extra arguments]")
    sys.exit(COMMANDS[sys.argv[1]]())
