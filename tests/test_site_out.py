"""``site --out DIR`` never deletes or overwrites what the site build did not write: a manifest
lists its own files, and a non-empty folder without one is refused (issue 10, row 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import helpers.site
from helpers.paths import OUTPUT_ENV, ROOT
from helpers.site import MANIFEST, SiteError, build_site, main, read_manifest


def _notebooks(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        cells = [new_markdown_cell(f"# {name}\n\nWhat {name} does."), new_code_cell("1 + 1")]
        nbformat.write(new_notebook(cells=cells), folder / f"{name}.ipynb")
        paths.append(folder / f"{name}.ipynb")
    return paths


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _users_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "01_my_notes.html").write_text("<p>my notes</p>\n")
    (folder / "99_final_report.html").write_text("<p>my report</p>\n")
    (folder / "index.html").write_text("<p>my index</p>\n")
    return folder


def test_row04_tasks_py_site_out_refuses_a_folder_of_the_users_own_pages(tmp_path):
    """Issue 10 row 4: the user's 01_my_notes.html and 99_final_report.html were deleted and
    their index.html overwritten. Now: refused, with a message naming the folder; nothing in
    it changes."""
    users = _users_folder(tmp_path / "mine")
    before = _state(users)
    env = {**os.environ}
    env.pop(OUTPUT_ENV, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "site", "--out", str(users)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert _state(users) == before and sorted(p.name for p in users.iterdir()) == sorted(before)
    assert result.stderr.startswith(f"site: {users}: holds 3 files or folders (01_my_notes.html")
    assert f"but no {MANIFEST}" in result.stderr and "nothing was changed" in result.stderr


def test_row04_build_site_refuses_before_rendering_anything(tmp_path, monkeypatch):
    users = _users_folder(tmp_path / "mine")
    before = _state(users)
    rendered = []
    monkeypatch.setattr(helpers.site, "write_pages", lambda *args: rendered.append(args))
    with pytest.raises(SiteError, match="nothing was changed"):
        build_site(_notebooks(tmp_path / "nb", "01_a"), users)
    assert rendered == [] and _state(users) == before


def test_a_new_folder_gets_a_manifest_and_a_rebuild_removes_only_its_own_pages(tmp_path):
    out = tmp_path / "new" / "site"
    a, b = _notebooks(tmp_path / "nb", "01_a", "02_b")
    written = build_site([a, b], out)
    assert [p.name for p in written] == ["index.html", "01_a.html", "02_b.html"]
    assert read_manifest(out) == ["index.html", "01_a.html", "02_b.html"]
    (out / "notes.txt").write_text("mine\n")
    (out / "00_mine.html").write_text("mine\n")
    build_site([a], out)  # 02_b is gone from the collection
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MANIFEST, "index.html", "01_a.html", "notes.txt", "00_mine.html"]
    )
    assert read_manifest(out) == ["index.html", "01_a.html"]


def test_an_empty_folder_is_used_and_a_page_the_build_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    a, b = _notebooks(tmp_path / "nb", "01_a", "02_b")
    build_site([a], out)
    (out / "02_b.html").write_text("the user's own page\n")
    before = _state(out)
    with pytest.raises(SiteError, match=r"02_b.html: exists but the site build did not write it"):
        build_site([a, b], out)
    assert _state(out) == before


def test_a_manifest_naming_a_file_outside_the_folder_is_refused(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("keep\n")
    (out / MANIFEST).write_text("index.html\n../victim.html\n")
    with pytest.raises(SiteError, match=r"line 2: '../victim.html' is not a page name"):
        build_site(_notebooks(tmp_path / "nb", "01_a"), out)
    assert victim.read_text() == "keep\n"


def test_a_build_that_fails_halfway_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "site"
    a, b = _notebooks(tmp_path / "nb", "01_a", "02_b")
    build_site([a, b], out)
    before = _state(out)
    real = helpers.site.render_page

    def fail_on_the_second(page, *args):
        if page.source == b:
            raise RuntimeError("disk full")
        return real(page, *args)

    monkeypatch.setattr(helpers.site, "render_page", fail_on_the_second)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site([b, a], out)
    assert _state(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(before)  # no staging folder left


def test_main_says_what_to_do_with_a_foreign_folder(tmp_path, capsys):
    users = _users_folder(tmp_path / "mine")
    assert main([str(p) for p in _notebooks(tmp_path / "nb", "01_a")] + ["--out", str(users)]) == 1
    message = capsys.readouterr().err
    assert "site --out NEW_FOLDER" in message and f"rm -r {users}" in message
