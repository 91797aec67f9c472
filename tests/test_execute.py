"""The notebook runner: stable metadata, no widget ids, notebooks in story order."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.execute import KERNELSPEC, WIDGET_VIEW, normalise, notebook_paths
from helpers.interactive import FALLBACK, TimeWindowControl
from helpers.paths import NOTEBOOKS


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


def test_a_failing_notebook_is_reported_and_left_untouched(tmp_path, capsys):
    from helpers.execute import main

    good, bad = tmp_path / "01_good.ipynb", tmp_path / "02_bad.ipynb"
    for path, source in ((good, "print(6 * 7)"), (bad, "1 / 0")):
        notebook = new_notebook(metadata={"kernelspec": KERNELSPEC})
        notebook.cells.append(new_code_cell(source))
        nbformat.write(notebook, path)
    before = bad.read_bytes()
    assert main([str(good), str(bad), "--jobs", "2"]) == 1
    assert bad.read_bytes() == before  # a failed run writes nothing
    outputs = nbformat.read(good, as_version=4).cells[0].outputs
    assert outputs[0]["text"] == "42\n"
    assert "ZeroDivisionError" in capsys.readouterr().err
