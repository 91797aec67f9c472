"""ruff (lint and format) is clean on src/, tests/ and the notebooks."""

from __future__ import annotations

import subprocess
import sys

from helpers.paths import ROOT

TARGETS = ["src", "tests", "notebooks", "tasks.py"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ruff", *args, *TARGETS]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    result = ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
