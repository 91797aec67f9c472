"""The notebook runner: stable metadata, story order, and the main job's all-or-nothing runs
that stop when told (issue 10, rows 1 to 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.events import load_events
from helpers.execute import (
    COMPLETE,
    KERNELSPEC,
    LOCK,
    STAGE_PREFIX,
    WIDGET_VIEW,
    RunError,
    check_commit,
    commit,
    main,
    normalise,
    notebook_paths,
    recover,
    run_lock,
)
from helpers.interactive import FALLBACK, TimeWindowControl
from helpers.paths import NOTEBOOKS, OUTPUT_ENV, ROOT, TABLES_FOLDER
from helpers.pipeline import STAGES, TABLES
from helpers.site import MANIFEST
from tasks_module import tasks

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the process tree is read from /proc"
)


def test_normalise_drops_machine_specific_metadata_and_widget_views():
    info = {"name": "python", "version": "3.11.7"}
    notebook = new_notebook(metadata={"language_info": info, "widgets": {}})
    cell = new_code_cell("x", metadata={"execution": {"iopub.status.busy": "2026"}})
    view = {"model_id": "8f1c", "version_major": 2, "version_minor": 0}
    cell.outputs = [new_output("display_data", data={WIDGET_VIEW: view, "text/plain": FALLBACK})]
    notebook.cells.append(cell)
    out = normalise(notebook)
    assert out.metadata["kernelspec"] == KERNELSPEC
    assert "version" not in out.metadata["language_info"] and "widgets" not in out.metadata
    assert "execution" not in out.cells[0].metadata
    assert out.cells[0].outputs[0]["data"] == {"text/plain": FALLBACK}
    nbformat.validate(out)


def test_notebooks_run_in_numbered_order():
    paths = notebook_paths(NOTEBOOKS)
    assert paths, "no notebooks found"
    numbers = [p.name[:2] for p in paths]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    assert numbers[0] == "01"


def test_time_window_control_redraws_and_falls_back_to_text():
    calls = []

    def draw(first, last):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        calls.append((first, last))
        return plt.figure()

    control = TimeWindowControl(["2022-01", "2022-02", "2022-03"], draw)
    bundle = control._repr_mimebundle_()
    assert bundle["text/plain"] == FALLBACK and WIDGET_VIEW in bundle
    assert calls == []  # nothing drawn until the slider moves: no figure in the saved output
    control.slider.index = (1, 2)
    assert calls == [("2022-02", "2022-03")]


# --- all or nothing, and stopping ----------------------------------------------------------

# A notebook cell that writes a figure and a data file where helpers.paths says, and prints
# their paths relative to the output root (as notebooks 03 and 04 do).
WRITE_OUTPUTS = """\
from helpers.io import write_text
from helpers.paths import FIGURES, OUTPUT, PROCESSED
written = [
    write_text(FIGURES / "{name}.txt", "{text}\\n"),
    write_text(PROCESSED / "{name}.csv", "{text}\\n"),
]
print(sorted(str(path.relative_to(OUTPUT)) for path in written))"""


def _notebook(path: Path, *sources: str) -> Path:
    cells = [new_markdown_cell(f"# {path.stem}")] + [new_code_cell(s) for s in sources]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), path)
    return path


def _snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the output root (but the run lock): its bytes and mtime."""
    return {
        path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != LOCK
    }


def _env() -> dict[str, str]:
    env = {**os.environ, **tasks.ENV}
    env.pop(OUTPUT_ENV, None)  # each test names its own output root
    return env


def _execute(*args: str | Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "helpers.execute", *map(str, args)]
    return subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)


def test_a_run_writes_every_output_under_its_output_root(tmp_path):
    source, out = tmp_path / "source", tmp_path / "out"
    source.mkdir()
    good = _notebook(source / "01_good.ipynb", WRITE_OUTPUTS.format(name="01_good", text="one"))
    unexecuted = good.read_bytes()
    result = _execute(good, "--out", out)
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(out / "notebooks" / "01_good.ipynb", as_version=4)
    printed = executed.cells[1].outputs[0]["text"]
    assert printed == "['data/processed/01_good.csv', 'figures/01_good.txt']\n"
    assert (out / "figures" / "01_good.txt").read_text() == "one\n"
    assert (out / "data" / "processed" / "01_good.csv").read_text() == "one\n"
    assert (out / "site" / MANIFEST).read_text().splitlines()[-2:] == [
        "index.html",
        "01_good.html",
    ]
    assert good.read_bytes() == unexecuted  # the source is read, the executed copy written
    assert not list(out.glob(f"{STAGE_PREFIX}*")), "the staging folder was left behind"
    assert "replaced: 1 in notebooks/, 1 in figures/, 1 in data/processed/" in result.stdout
    # Before the notebooks, the corpus pipeline over the run's articles (the seed article):
    # one line per stage, its tables in data/processed/tables/ (moved as one folder).
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("pipeline")]
    assert [words[2] for words in lines] == [*STAGES, "all"]
    assert [words[3] for words in lines] == ["1"] * 6  # articles
    assert lines[4][5:7] == [str(len(load_events())), "rows"]  # every row of data/events.csv
    tables = out / TABLES_FOLDER
    assert sorted(p.name for p in tables.iterdir()) == sorted(TABLES)
    assert "7 in data/processed/tables/" in result.stdout
    if os.name == "posix":  # kernels on Unix sockets: no warning about unencrypted TCP
        assert "without encryption" not in result.stderr, result.stderr


def test_commit_replaces_the_tables_folder_as_a_whole(tmp_path):
    """A run's tables replace the previous run's folder: no partition of an older, larger run
    is left beside them (a table would mix two runs)."""
    stage, out = tmp_path / "stage", tmp_path / "out"
    (out / TABLES_FOLDER / "times").mkdir(parents=True)
    (out / TABLES_FOLDER / "times" / "part-00001.parquet").write_text("old run\n")
    (stage / TABLES_FOLDER / "times").mkdir(parents=True)
    (stage / TABLES_FOLDER / "times" / "part-00000.parquet").write_text("this run\n")
    (stage / "data" / "processed" / "events.csv").write_text("this run\n")
    moved = commit(stage, out)
    tables = out / TABLES_FOLDER
    assert [p.relative_to(tables).as_posix() for p in tables.rglob("*.parquet")] == [
        "times/part-00000.parquet"
    ]
    assert (moved["data/processed"], moved[TABLES_FOLDER]) == (1, 1)
    assert TABLES_FOLDER not in commit(stage, out)  # repeated (a recovered run): nothing to do
    assert (tables / "times" / "part-00000.parquet").read_text() == "this run\n"


def test_row03_a_failing_notebook_replaces_nothing_and_names_the_cell(tmp_path):
    """Issue 10 row 3: one notebook raises; the others' outputs and the figures its own cells
    wrote before the error must not be kept: every output stays as it was."""
    source, out = tmp_path / "source", tmp_path / "out"
    source.mkdir()
    first = _notebook(source / "01_first.ipynb", WRITE_OUTPUTS.format(name="01_first", text="1"))
    second = _notebook(source / "02_second.ipynb", WRITE_OUTPUTS.format(name="02_second", text="1"))
    assert _execute(first, second, "--out", out).returncode == 0
    before = _snapshot(out)
    assert "figures/02_second.txt" in before and "site/02_second.html" in before

    _notebook(first, WRITE_OUTPUTS.format(name="01_first", text="2"))
    _notebook(second, WRITE_OUTPUTS.format(name="02_second", text="2"), "x = 1", "1 / 0")
    result = _execute(first, second, "--out", out, "--jobs", "2")
    assert result.returncode == 1
    assert _snapshot(out) == before  # bytes and modification times
    assert not list(out.glob(f"{STAGE_PREFIX}*"))
    last = result.stderr.strip().splitlines()[-2:]
    assert last[0] == (f"{second}, cell 4 (`1 / 0`) raised ZeroDivisionError: division by zero"), (
        result.stderr
    )
    assert last[1].startswith("the run stopped") and "nothing was replaced" in last[1]


def test_a_second_run_is_refused_while_the_first_holds_the_lock(tmp_path, capsys):
    out = tmp_path / "out"
    notebook = _notebook(tmp_path / "01_x.ipynb", "1")
    with run_lock(out):
        assert main([str(notebook), "--out", str(out)]) == 1
    message = capsys.readouterr().err
    assert f"another run (pid {os.getpid()}) is writing {out}" in message
    assert not (out / "notebooks").exists()


def test_missing_or_same_named_notebooks_are_refused_before_anything_runs(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = (
        _notebook(tmp_path / "a" / "01_x.ipynb", "1"),
        _notebook(tmp_path / "b" / "01_x.ipynb", "1"),
    )
    assert main([str(one), str(two), "--out", str(tmp_path / "out")]) == 2
    assert main([str(tmp_path / "02_gone.ipynb"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "two notebooks with the same name" in err and "02_gone.ipynb: no such notebook" in err
    assert not (tmp_path / "out").exists()


def _stage(out: Path, complete: bool) -> Path:
    stage = out / f"{STAGE_PREFIX}killed"
    (stage / "figures").mkdir(parents=True)
    (stage / "figures" / "a.png").write_bytes(b"new")
    (stage / "site").mkdir()
    (stage / "site" / "index.html").write_text("new index")
    (stage / "site" / MANIFEST).write_text("index.html\n")
    if complete:
        (stage / COMPLETE).write_text("moving into place\n")
    return stage


def test_row02_a_killed_runs_stage_is_removed_at_the_next_start(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "a.png").write_bytes(b"old")
    stage = _stage(out, complete=False)
    before = _snapshot(out / "figures")
    recover(out)
    assert not stage.exists() and _snapshot(out / "figures") == before


def test_a_run_killed_while_moving_its_outputs_into_place_is_finished(tmp_path):
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "a.png").write_bytes(b"old")
    stage = _stage(out, complete=True)
    recover(out)
    assert not stage.exists()
    assert (out / "figures" / "a.png").read_bytes() == b"new"
    assert (out / "site" / "index.html").read_text() == "new index"
    assert (out / "site" / MANIFEST).read_text().splitlines()[-1] == "index.html"


def test_a_staged_file_that_cannot_be_renamed_into_place_stops_the_run_before_any_move(
    tmp_path,
):
    out = tmp_path / "out"
    (out / "figures" / "a.png").mkdir(parents=True)  # a folder where a figure goes
    (out / "notebooks").mkdir()
    (out / "notebooks" / "01_x.ipynb").write_text("old\n")
    stage = out / f"{STAGE_PREFIX}x"
    for name, text in (("notebooks/01_x.ipynb", "new\n"), ("figures/a.png", "png")):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_text(text)
    with pytest.raises(RunError, match=r"figures/a.png cannot be replaced: is a folder"):
        check_commit(stage, out)
    assert (out / "notebooks" / "01_x.ipynb").read_text() == "old\n"


def test_a_move_that_fails_halfway_is_finished_by_the_next_run(tmp_path, monkeypatch):
    import helpers.execute

    out = tmp_path / "out"
    stage = _stage(out, complete=True)
    (stage / "figures" / "b.png").write_bytes(b"new b")
    real, calls = os.replace, []

    def replace_once(source, target):
        calls.append(target)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        real(source, target)

    monkeypatch.setattr(helpers.execute.os, "replace", replace_once)
    with pytest.raises(RunError, match="the next run moves it into place first"):
        helpers.execute.Run([], out, 1)._commit(stage)
    monkeypatch.undo()
    assert (stage / COMPLETE).exists()
    recover(out)
    assert (out / "figures" / "a.png").read_bytes() == b"new"
    assert (out / "figures" / "b.png").read_bytes() == b"new b"
    assert (out / "site" / "index.html").read_text() == "new index" and not stage.exists()


def _slow_notebook(path: Path, marks: Path) -> Path:
    """The last cell says it has started (so the runner already knows it is running), sleeps,
    then would write a canary file."""
    started, canary = marks / f"started-{path.stem}", marks / f"canary-{path.stem}"
    return _notebook(
        path,
        WRITE_OUTPUTS.format(name=path.stem, text="new"),
        f"import time\nopen({str(started)!r}, 'w').close()\n"
        f"time.sleep(60)\nopen({str(canary)!r}, 'w').close()",
    )


def _previous_outputs(out: Path, names: list[str]) -> None:
    """What an earlier run left: notebooks, figures, data and a site of its own."""
    for folder in ("notebooks", "figures", "data/processed", "site"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for name in names:
        (out / "notebooks" / f"{name}.ipynb").write_text("old notebook\n")
        (out / "figures" / f"{name}.txt").write_text("old\n")
        (out / "data" / "processed" / f"{name}.csv").write_text("old\n")
        (out / "site" / f"{name}.html").write_text("old page\n")
    (out / "site" / MANIFEST).write_text("".join(f"{name}.html\n" for name in names))


def _wait_for(paths: list[Path], process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not all(p.exists() for p in paths):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the notebooks never started"
        time.sleep(0.1)


def _gone(tree: set, seconds: float = 10) -> set:
    deadline = time.monotonic() + seconds
    while tasks.alive(tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    return tasks.alive(tree)


@linux_only
@pytest.mark.parametrize(
    ("to_group", "signum"),
    [
        (True, signal.SIGINT),
        (False, signal.SIGINT),
        (False, signal.SIGTERM),
        (False, signal.SIGKILL),
    ],
    ids=["ctrl-c-to-the-group", "sigint-to-tasks.py", "sigterm-to-tasks.py", "sigkill-to-tasks.py"],
)
def test_row01_row02_stopping_tasks_py_run_stops_every_process_and_replaces_nothing(
    tmp_path, to_group, signum
):
    """Issue 10 rows 1 and 2: Ctrl-C to tasks.py's process group, SIGTERM to tasks.py alone,
    and SIGKILL to tasks.py (its children then get SIGTERM from the kernel): the notebook
    kernels and the runner are gone, nothing is written afterwards, outputs are unchanged."""
    source, out, marks = tmp_path / "source", tmp_path / "out", tmp_path / "marks"
    source.mkdir()
    marks.mkdir()
    names = ["01_slow", "02_slow"]
    notebooks = [_slow_notebook(source / f"{name}.ipynb", marks) for name in names]
    _previous_outputs(out, names)
    before = _snapshot(out)
    command = [sys.executable, str(ROOT / "tasks.py"), "run", *map(str, notebooks)]
    process = subprocess.Popen(
        [*command, "--out", str(out), "--jobs", "2"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as in a terminal
    )
    _wait_for([marks / f"started-{name}" for name in names], process)
    tree = tasks.process_tree(process.pid)
    assert len(tree) >= 4  # tasks.py, helpers.execute, two kernels
    if to_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    _, err = process.communicate(timeout=60)
    assert not _gone(tree), "processes of the run are still alive"
    assert not list(marks.glob("canary-*"))
    assert _snapshot(out) == before
    assert not list(out.glob(f"{STAGE_PREFIX}*"))
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        assert "(its parent, pid" in err and "nothing was replaced" in err
    elif not to_group and signum == signal.SIGINT:  # passed on as SIGTERM after 2 s
        assert process.returncode == 128 + signum
        assert "interrupted by SIGTERM: notebooks 01_slow (cell 3), 02_slow (cell 3)" in err
        assert err.splitlines()[-1] == "interrupted by SIGINT: the main job stopped"
    else:
        assert process.returncode == 128 + signum
        line = [x for x in err.splitlines() if x.startswith("interrupted by")]
        assert line == [
            f"interrupted by {signal.Signals(signum).name}: notebooks 01_slow (cell 3), "
            "02_slow (cell 3) were running; nothing was replaced (notebooks/, figures/, "
            "data/processed/ and site/ are as before)"
        ], err


@linux_only
def test_row01_ctrl_c_to_tasks_py_test_leaves_no_kernel_running(tmp_path):
    """nbval's kernels are children of pytest: interrupting the test command stops them too."""
    marks = tmp_path / "marks"
    marks.mkdir()
    probe = _slow_notebook(tmp_path / "zzprobe.ipynb", marks)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tasks.py"), "test", "-k", "zzprobe", str(probe)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    _wait_for([marks / "started-zzprobe"], process)
    tree = tasks.process_tree(process.pid)
    assert any("ipykernel" in Path(f"/proc/{pid}/cmdline").read_text() for pid, _ in tree)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGINT
    assert not _gone(tree), "a kernel of the tests is still alive"
    assert not list(marks.glob("canary-*"))
    assert "interrupted by SIGINT: the tests stopped" in err
