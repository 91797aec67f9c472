#!/usr/bin/env python3
"""The project's two commands (and a helper to open JupyterLab), for a fresh machine.

    python3 tasks.py run    # set up .venv, re-execute the notebooks in order, write figures/, site/
    python3 tasks.py test   # set up .venv, run unit tests, lint and nbval on notebooks/
    python3 tasks.py lab    # set up .venv, register its kernel and open JupyterLab
    python3 tasks.py add FILE...  # register article texts in data/articles.csv (not copied)

Set-up creates ``.venv`` (or ``$CSTO_VENV``) with the running Python when it is missing and
installs the exact pins of ``requirements.lock``; it is skipped while the lock is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CSTO_VENV", ROOT / ".venv"))
LOCK = ROOT / "requirements.lock"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

# Same value when executing and when checking notebooks: warnings then name a stable file.
ENV = {
    "IPYKERNEL_CELL_NAME": "<IPY-INPUT>",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
}


def _stamp() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    digest.update(str(ROOT).encode())  # a venv shared by two checkouts serves the last one set up
    return digest.hexdigest()


def setup() -> None:
    """Create the virtual environment when missing and install the pinned packages."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this file runs under any python3)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    stamp_file = VENV / ".csto-installed"
    if PYTHON.exists() and stamp_file.exists() and stamp_file.read_text() == _stamp():
        return
    started = time.perf_counter()
    if not PYTHON.exists():
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print("installing the pinned packages from requirements.lock", flush=True)
    subprocess.run([*pip, "--no-deps", "-r", str(LOCK)], check=True, cwd=ROOT)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    stamp_file.write_text(_stamp())
    print(f"environment ready in {time.perf_counter() - started:.0f} s", flush=True)


def _run(args: list[str]) -> int:
    env = {**os.environ, **ENV}
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def run() -> int:
    """The main job: re-execute every notebook in place, in order (they write figures/ and
    data/processed/), then build the students' site (site/, git-ignored) from them."""
    setup()
    code = _run([str(PYTHON), "-m", "helpers.execute", *sys.argv[2:]])
    return code or _run([str(PYTHON), "-m", "helpers.site"])


def site() -> int:
    """Rebuild only the students' site from the committed notebooks (nothing is executed)."""
    setup()
    return _run([str(PYTHON), "-m", "helpers.site", *sys.argv[2:]])


def add() -> int:
    """Register article files in data/articles.csv (``add FILE... [--outlet NAME] [--url URL]
    [--title TEXT] [--rights included|not_redistributed]``); the texts are not copied."""
    setup()
    return _run([str(PYTHON), "-m", "helpers.registry", "add", *sys.argv[2:]])


def test() -> int:
    """Every test: unit tests, lint, and strict nbval on the committed notebooks."""
    setup()
    args = [
        str(PYTHON),
        "-m",
        "pytest",
        "tests",
        "notebooks",
        "--nbval",
        *sys.argv[2:],
    ]
    return _run(args)


def lab() -> int:
    """Register the environment's kernel for the user and open JupyterLab on notebooks/."""
    setup()
    kernel = ["--name", "csto-tensions", "--display-name", "Python 3 (csto-tensions)"]
    _run([str(PYTHON), "-m", "ipykernel", "install", "--user", *kernel])
    return _run([str(BIN / "jupyter"), "lab", "notebooks"])


COMMANDS = {
    "run": run,
    "test": test,
    "lab": lab,
    "site": site,
    "add": add,
    "setup": lambda: setup() or 0,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [extra arguments]")
    sys.exit(COMMANDS[sys.argv[1]]())
