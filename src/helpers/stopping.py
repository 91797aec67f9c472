"""Stopping when told: the signals that end a run, and the steps that must not be cut short.

``python3 tasks.py`` passes SIGINT, SIGTERM and SIGHUP on to the command it runs (and SIGTERM
when tasks.py itself dies, on Linux). The main job and the site build turn the first of them
into :class:`Interrupted`, which unwinds the run: kernels are killed, the staging folder is
removed, one line says what was stopped. Moving finished outputs into place runs with the
signals blocked, so it is never left half done by a signal.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def signal_name(signum: int) -> str:
    """``SIGINT`` for 2, and so on."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class Interrupted(BaseException):
    """A stop signal arrived; raised once, by the first one.

    Parameters
    ----------
    signum : int
        The signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """The signal's name, e.g. ``SIGINT``."""
        return signal_name(self.signum)

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by this signal: 128 + its number."""
        return 128 + self.signum


class StopSignals:
    """While active, the first stop signal raises :class:`Interrupted` in the main thread;
    after :meth:`disarm`, signals are only recorded (in :attr:`received`)."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.armed = True
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)
        if self.armed:
            self.armed = False
            raise Interrupted(signum)

    def disarm(self) -> None:
        """From now on a signal no longer interrupts: the run is finishing or cleaning up."""
        self.armed = False

    def __enter__(self) -> StopSignals:
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def blocked_signals() -> Iterator[None]:
    """Hold the stop signals back (POSIX) until the block ends; they are delivered then."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def kill_process_group(pid: int) -> None:
    """SIGKILL the process group led by ``pid`` (a kernel: jupyter_client starts each one in a
    session of its own), or the process alone if it leads no group. Gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg") and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:  # not a group leader: never take this process's own group along
            os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
