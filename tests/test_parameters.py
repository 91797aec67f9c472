"""The notebooks' parameters (issue 11, item 6): every notebook has a ``parameters`` cell with
the defaults of helpers.parameters; a run injects its own values after it; the defaults read
only the committed collection; ``tasks.py run --corpus`` writes a folder of its own and leaves
the committed notebooks and outputs as they were."""

from __future__ import annotations

import ast
import gc
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import CORPUS
from helpers import corpus as corpus_module
from helpers.execute import INJECTED_TAG, default_out, inject_parameters, main, notebook_paths
from helpers.parameters import ALL, DEFAULTS, Setting, parameter_values, settle_imports
from helpers.paths import OUTPUT_ENV, OUTPUT_FOLDERS, REGISTRY, ROOT, TABLES_FOLDER
from helpers.pipeline import STAGES, TABLES
from helpers.tables import DataError

SEED = "39a6002ab68b"
INVENTED = ["235381425089", "41a399636cb8", "0a8b9d13d23b", "f342c5f54d45", "6ff9efe2b303"]


def _tasks():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the parameters cell of every notebook ----------------------------------------------------


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_every_notebook_starts_with_a_parameters_cell_holding_the_defaults(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and code[0] is tagged[0], "the first code cell is the parameters cell"
    values: dict = {}
    exec(compile(tagged[0].source, str(path), "exec"), {}, values)
    assert values == DEFAULTS
    assert not tagged[0].outputs
    assert all(INJECTED_TAG not in c.metadata.get("tags", []) for c in notebook.cells)


# --- injecting values ------------------------------------------------------------------------


def _with_parameters() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell("# title"),
            new_code_cell("corpus = []\nout = None", metadata={"tags": ["parameters"]}),
            new_code_cell("print(corpus, out)"),
        ]
    )


def test_values_are_injected_in_a_tagged_cell_right_after_the_parameters_cell():
    notebook = inject_parameters(_with_parameters(), {"corpus": ["/a b"], "out": "/o"})
    injected = notebook.cells[2]
    assert injected.metadata["tags"] == [INJECTED_TAG]
    assert injected.source.splitlines()[1:] == ["corpus = ['/a b']", "out = '/o'"]
    assert notebook.cells[3].source == "print(corpus, out)"
    again = inject_parameters(notebook, {"out": "/p"})  # replaces, never stacks
    assert [c.metadata.get("tags") for c in again.cells].count([INJECTED_TAG]) == 1
    assert again.cells[2].source.splitlines()[1:] == ["out = '/p'"]


def test_no_values_leave_the_notebook_as_it_is():
    notebook = _with_parameters()
    assert len(inject_parameters(notebook, {}).cells) == 3


def test_a_notebook_without_a_parameters_cell_or_a_strange_value_is_refused():
    bare = new_notebook(cells=[new_code_cell("x = 1")])
    with pytest.raises(ValueError, match="03_x: no cell tagged 'parameters'"):
        inject_parameters(bare, {"out": "/o"}, "03_x")
    with pytest.raises(ValueError, match="parameter 'out'"):
        inject_parameters(_with_parameters(), {"out": object()})
    with pytest.raises(ValueError, match="parameter 'x; import os'"):
        inject_parameters(_with_parameters(), {"x; import os": 1})


def test_injected_values_are_python_literals_that_read_back():
    values = parameter_values([CORPUS], ["a'b", SEED], "reg.csv", None, "o")
    cell = inject_parameters(_with_parameters(), values).cells[2]
    read = {t.id: ast.literal_eval(v) for t, v in _assignments(cell.source)}
    assert read == values
    assert read["corpus"] == [str(CORPUS)] and Path(read["registry"]).is_absolute()
    assert "events" not in read  # not given: the notebook keeps its default


def _assignments(source: str):
    for node in ast.parse(source).body:
        yield node.targets[0], ast.unparse(node.value)


# --- what the values mean ----------------------------------------------------------------------


def test_the_defaults_read_the_committed_collection_only(corpus_registry, monkeypatch):
    """A researcher's data/private/ (the corpus loader's default) is not searched by the
    notebooks' defaults: the committed outputs depend on committed files only."""
    monkeypatch.setattr(corpus_module, "DEFAULT_CORPUS", (CORPUS,))
    default = Setting.of(**DEFAULTS)
    assert default.registry.attrs["path"] == str(REGISTRY) and default.corpus == ()
    assert [a.id for a in default.texts().articles] == [SEED]
    mine = Setting.of(registry=corpus_registry)  # the invented texts registered, not searched
    assert [a.id for a in mine.texts().articles] == [SEED]
    assert sorted(mine.texts().missing["article_id"]) == sorted(INVENTED)


def test_a_corpus_folder_and_a_selection_of_articles(corpus_registry):
    setting = Setting.of([CORPUS], [INVENTED[2], SEED], corpus_registry, CORPUS / "events.csv")
    texts = setting.texts()
    assert [a.id for a in texts.articles] == [INVENTED[2], SEED]  # the order asked for
    assert setting.article(texts).id == INVENTED[2]
    events = setting.events(texts=texts)
    assert list(events["article_id"]) == [INVENTED[2]]  # the other invented rows left out
    assert events.attrs["offsets_not_checked"] == {}  # its text is here: offsets checked


def test_rows_of_a_selected_article_whose_text_is_absent_are_counted(corpus_registry):
    events = CORPUS / "events.csv"
    setting = Setting.of([], [INVENTED[0], INVENTED[3]], corpus_registry, events)
    loaded = setting.events()
    assert set(loaded["article_id"]) == {INVENTED[0], INVENTED[3]}
    assert loaded.attrs["offsets_not_checked"] == {INVENTED[0]: 2, INVENTED[3]: 2}
    with pytest.raises(DataError, match="none of the 2 selected articles has its text"):
        setting.article()


def test_values_of_the_wrong_kind_are_refused(corpus_registry):
    with pytest.raises(ValueError, match="corpus: give a list of folders"):
        Setting.of(str(CORPUS))
    with pytest.raises(ValueError, match="neither 'all' nor a list"):
        Setting.of([], SEED)
    with pytest.raises(ValueError, match="an empty list selects nothing"):
        Setting.of([], [])
    with pytest.raises(DataError, match="'000000000000' is not registered"):
        Setting.of([], ["000000000000"], corpus_registry)
    assert Setting.of([], ALL).articles is None


def test_relative_paths_are_taken_from_the_repository():
    setting = Setting.of(["tests/invented_corpus"], ALL, "data/articles.csv", "data/events.csv")
    assert setting.corpus == (CORPUS,) and setting.events_path == ROOT / "data" / "events.csv"


def test_outputs_go_to_a_runs_stage_else_to_out_else_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv(OUTPUT_ENV, raising=False)
    assert Setting.of().out == ROOT
    assert Setting.of(out=tmp_path).figures == tmp_path / "figures"
    monkeypatch.setenv(OUTPUT_ENV, str(tmp_path / "stage"))
    staged = Setting.of(out=tmp_path / "final")
    assert staged.processed == tmp_path / "stage" / "data" / "processed"


# --- the command --------------------------------------------------------------------------------


def test_tasks_py_makes_the_path_options_absolute_from_where_it_was_started(tmp_path):
    tasks = _tasks()
    args = ["--corpus", "a", "--articles", "x", "--out=o", "--registry", "/r.csv", "--jobs", "1"]
    assert tasks.absolute_paths(args, tmp_path) == [
        "--corpus", str(tmp_path / "a"), "--articles", "x", f"--out={tmp_path / 'o'}",
        "--registry", "/r.csv", "--jobs", "1",
    ]  # fmt: skip


def test_a_run_with_parameters_goes_to_runs_named_after_the_corpus():
    assert default_out([CORPUS]) == ROOT / "runs" / "invented_corpus"
    assert default_out([CORPUS, ROOT / "data"]) == ROOT / "runs" / "invented_corpus+data"
    assert default_out([]) == ROOT / "runs" / "selection"


def test_a_run_with_parameters_refuses_the_repository_and_bad_options(tmp_path, capsys):
    assert main(["--corpus", str(CORPUS), "--out", str(ROOT)]) == 2
    assert "--out is the repository" in capsys.readouterr().err
    assert main(["--corpus", str(tmp_path / "none"), "--out", str(tmp_path)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["--articles", "000000000000", "--out", str(tmp_path)]) == 2
    assert "'000000000000' is not registered" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def _bytes_of(folders) -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
    }


def _git_status() -> str:
    command = ["git", "status", "--porcelain", "--untracked-files=all"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_run_corpus_writes_its_own_folder_and_touches_nothing_committed(tmp_path, corpus_registry):
    """The issue's must-show: the invented articles added to a registry, then every notebook
    run on them into an out folder of its own, with figures and a site; the committed notebooks,
    figures and derived data keep their bytes and git status is what it was."""
    out = tmp_path / "run"
    before, status = _bytes_of(OUTPUT_FOLDERS), _git_status()
    env = {**os.environ, **_tasks().ENV}
    env.pop(OUTPUT_ENV, None)
    command = [sys.executable, "-m", "helpers.execute", "--corpus", str(CORPUS)]
    command += ["--registry", str(corpus_registry), "--events", str(CORPUS / "events.csv")]
    result = subprocess.run(
        [*command, "--out", str(out)], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert _bytes_of(OUTPUT_FOLDERS) == before and _git_status() == status
    names = [p.name for p in notebook_paths()]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == names
    assert {p.stem for p in (out / "figures").glob("*.png")} >= {"03_event_timeline"}
    assert (out / "data" / "processed" / "events.csv").is_file()
    assert sorted(p.name for p in (out / "site").glob("*.html")) == sorted(
        ["index.html", *(n.replace(".ipynb", ".html") for n in names)]
    )
    executed = nbformat.read(out / "notebooks" / "03_events.ipynb", as_version=4)
    injected = [c for c in executed.cells if INJECTED_TAG in c.metadata.get("tags", [])]
    assert f"corpus = [{str(CORPUS)!r}]" in injected[0].source
    exported = (out / "data" / "processed" / "events.csv").read_text(encoding="utf-8")
    assert {line.split(",")[0] for line in exported.splitlines()[1:]} == set(INVENTED)
    # The corpus pipeline ran first over the run's articles: one line per stage, its tables
    # in the run's own folder.
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("pipeline")]
    assert [words[2] for words in lines] == [*STAGES, "all"]
    assert lines[0][3] == "6"  # articles: the seed article and the five invented ones
    assert lines[4][5] == str(len(exported.splitlines()) - 1)  # every event row checked
    assert sorted(p.name for p in (out / TABLES_FOLDER).iterdir()) == sorted(TABLES)


def test_a_setting_settles_the_imports_once():
    """Setting.of moves the objects alive at its first call out of the collector's way
    (gc.freeze), once per process: objects made after it stay collectable."""
    settle_imports.cache_clear()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    Setting.of()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    later = [[]]  # a new object, tracked by the collector
    Setting.of()
    assert gc.get_freeze_count() == frozen  # not frozen again
    assert gc.is_tracked(later)
