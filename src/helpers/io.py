"""Atomic file output: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from helpers.paths import RAW


def _check_target(path: Path) -> None:
    resolved = path.resolve()
    if resolved == RAW.resolve() or RAW.resolve() in resolved.parents:
        raise PermissionError(f"{path}: data/raw/ holds raw data and is never written to")


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], object]) -> Path:
    """Call ``write(handle)`` on a temporary file in the target's folder, then rename it over
    ``path``; an interrupted run leaves the old file (or none), never half a file."""
    path = Path(path)
    _check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    return atomic_write(path, lambda handle: handle.write(data))


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line endings, atomically."""
    return write_bytes(path, text.encode("utf-8"))
