"""tasks.py: the environment heals itself or says how (issue 10, row 14), ``lab`` passes its
arguments on and works as root (row 17), and a stopped command leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import venv
from pathlib import Path

import pytest

from helpers.paths import ROOT
from tasks_module import tasks

LOCK_LINES = """\
# a lock with markers, like the project's
networkx==3.6.1
PyYAML==6.0.3
colorama==0.4.6 ; sys_platform == 'win32'
numpy==2.4.6 ; python_full_version < '3.14'
numpy==2.5.5 ; python_full_version >= '3.14'
"""


def test_read_pins_keeps_names_versions_and_markers():
    pins = tasks.read_pins(LOCK_LINES)
    assert pins == [
        ("networkx", "3.6.1", None),
        ("pyyaml", "6.0.3", None),
        ("colorama", "0.4.6", "sys_platform == 'win32'"),
        ("numpy", "2.4.6", "python_full_version < '3.14'"),
        ("numpy", "2.5.5", "python_full_version >= '3.14'"),
    ]
    assert len(tasks.read_pins((ROOT / "requirements.lock").read_text())) > 50


def test_pin_problems_names_missing_wrong_and_moduleless_packages():
    pins = tasks.read_pins(LOCK_LINES)
    markers = {
        "sys_platform == 'win32'": False,
        "python_full_version < '3.14'": True,
        "python_full_version >= '3.14'": False,
    }
    healthy = {"networkx": "3.6.1", "PyYAML": "6.0.3", "numpy": "2.4.6"}
    modules = {"networkx": [["networkx"], True], "yaml": [["PyYAML"], True]}
    assert tasks.pin_problems(pins, markers, healthy, modules) == {}
    broken = {"PyYAML": "6.0.2", "numpy": "2.4.6", "colorama": "0.1"}  # no networkx
    gone = {**modules, "yaml": [["PyYAML"], True], "numpy": [["numpy"], False]}
    assert tasks.pin_problems(pins, markers, broken, gone) == {
        "networkx": "missing",
        "pyyaml": "6.0.2 instead of 6.0.3",
        "numpy": "installed, but its module numpy is missing",
    }


def test_the_projects_own_environment_passes_the_check():
    health = tasks.check(tasks.VENV, tasks.LOCK, ROOT)
    assert health.ok, health.broken or health.describe()


def test_a_missing_interpreter_means_a_rebuild(tmp_path):
    health = tasks.check(tmp_path / "venv", tasks.LOCK, None)
    assert health.broken == f"its interpreter {tasks.python_of(tmp_path / 'venv')} is missing"


def test_rebuild_never_deletes_a_folder_that_is_not_a_virtual_environment(tmp_path):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.docx").write_text("years of work")
    with pytest.raises(tasks.NotAVenv, match="is not a virtual environment"):
        tasks.rebuild(folder)
    assert (folder / "chapter1.docx").read_text() == "years of work"


def test_a_failed_set_up_says_the_command_that_starts_afresh(monkeypatch, capsys):
    def fail(*args):
        raise subprocess.CalledProcessError(1, ["pip", "install"])

    monkeypatch.setattr(tasks, "heal", fail)
    with pytest.raises(SystemExit) as stop:
        tasks.setup()
    assert f"to start afresh: rm -rf {tasks.VENV} && python3 tasks.py setup" in str(stop.value)


def _site_packages(venv_dir: Path) -> Path:
    return next((venv_dir / "lib").glob("python3*/site-packages"))


@pytest.mark.skipif(os.name == "nt", reason="the venv layout is the POSIX one")
def test_row14_a_venv_without_networkx_or_without_pip_is_healed(tmp_path, capsys):
    """Issue 10 row 14: a venv missing networkx passed the set-up check; a venv without pip
    failed every later run with 'No module named pip'. Both are now found and repaired
    (a small lock with the project's networkx pin keeps this quick)."""
    lock = tmp_path / "requirements.lock"
    pin = next(
        line for line in tasks.LOCK.read_text().splitlines() if line.startswith("networkx==")
    )
    lock.write_text(f"{pin}\ncolorama==0.4.6 ; sys_platform == 'win32'\n")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(tasks.python_of(env_dir))
    assert tasks.heal(env_dir, lock, None)  # networkx installed, colorama not (wrong platform)
    assert tasks.check(env_dir, lock, None).ok

    subprocess.run([python, "-m", "pip", "uninstall", "-y", "-q", "networkx"], check=True)
    assert tasks.check(env_dir, lock, None).packages == {"networkx": "missing"}
    capsys.readouterr()
    assert tasks.heal(env_dir, lock, None)
    assert "networkx missing; installing the pins" in capsys.readouterr().out
    assert tasks.check(env_dir, lock, None).ok

    for path in _site_packages(env_dir).glob("pip*"):  # half deleted: python stays, pip goes
        subprocess.run(["rm", "-rf", str(path)], check=True)
    health = tasks.check(env_dir, lock, None)
    assert health.broken == "pip is missing from it (No module named pip)"
    assert tasks.heal(env_dir, lock, None)
    assert "pip is missing from it (No module named pip); rebuilding it" in capsys.readouterr().out
    assert tasks.check(env_dir, lock, None).ok
    assert not tasks.heal(env_dir, lock, None)  # healthy: nothing to do


# --- lab -------------------------------------------------------------------------------------


def test_row17_lab_passes_extra_arguments_on_and_adds_allow_root_only_for_root(monkeypatch):
    """Issue 10 row 17: as root JupyterLab refused to start without --allow-root, and extra
    arguments were dropped, so it could not be passed."""
    calls = []
    monkeypatch.setattr(tasks, "setup", lambda: None)
    monkeypatch.setattr(tasks, "_run", lambda args: calls.append(args) or 0)
    for euid, extra, expected in [
        (0, ["--port", "9999", "--no-browser"], ["--port", "9999", "--no-browser", "--allow-root"]),
        (1000, ["--port", "9999"], ["--port", "9999"]),
        (0, ["--allow-root"], ["--allow-root"]),
        (0, ["--ServerApp.allow_root=True"], ["--ServerApp.allow_root=True"]),
    ]:
        calls.clear()
        monkeypatch.setattr(tasks.os, "geteuid", lambda euid=euid: euid, raising=False)
        monkeypatch.setattr(tasks.sys, "argv", ["tasks.py", "lab", *extra])
        assert tasks.lab() == 0
        register, jupyter = calls
        assert register[1:4] == ["-m", "ipykernel", "install"]
        assert jupyter == [
            str(tasks.bin_dir(tasks.VENV) / "jupyter"),
            "lab",
            "notebooks",
            *expected,
        ]


# --- stopping --------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_processes_the_child_leaves_behind_are_killed(tmp_path):
    """A child that dies at once on SIGTERM (as pytest does) and leaves a process of its own
    session behind (as nbval's kernels): tasks.py kills that one too."""
    pid_file = tmp_path / "orphan.pid"
    child = textwrap.dedent(
        f"""
        import subprocess, sys, time
        orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                                  start_new_session=True)
        open({str(pid_file)!r}, "w").write(str(orphan.pid))
        time.sleep(60)
        """
    )
    supervisor = (
        f"import importlib.util, sys; spec = importlib.util.spec_from_file_location('t', "
        f"{str(ROOT / 'tasks.py')!r}); t = importlib.util.module_from_spec(spec); "
        f"spec.loader.exec_module(t); "
        f"sys.exit(t.supervise([sys.executable, '-c', {child!r}], None, 'the probe'))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", supervisor], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    orphan = int(pid_file.read_text())
    started = tasks._processes()[orphan][1]
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert not tasks.alive({(orphan, started)})
    assert "interrupted by SIGTERM: the probe stopped; killed 1 processes it left running" in err
