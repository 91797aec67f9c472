"""A static, offline HTML site of the notebooks, rendered from their committed outputs."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import bleach
import jinja2
import nbformat
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from nbconvert import HTMLExporter

from helpers.execute import notebook_paths
from helpers.io import write_text
from helpers.paths import OUTPUT, SITE_FOLDER
from helpers.registry import RIGHTS_STATEMENT
from helpers.stopping import Interrupted, StopSignals, blocked_signals, signal_name

TEMPLATES = Path(__file__).resolve().parent / "site_templates"
TEMPLATE_NAME = "csto_site"  # site_templates/csto_site: nbconvert's lab template, offline
INDEX = "index.html"
SITE_TITLE = "csto-tensions: the notebooks"
SUMMARY_MARK = "**What this notebook does.**"

# The site folder's list of the files the build wrote: a later build replaces or removes only
# those, and a non-empty folder without it is refused (it holds someone else's files).
MANIFEST = ".csto-site-manifest"
_MANIFEST_HEADER = (
    "# The files of this folder written by the csto-tensions site build (helpers.site);\n"
    "# a later build replaces or removes only these.\n"
)
_PAGE_NAME = re.compile(r"[^./\\][^/\\]*\.html")
_STAGE_PREFIX = ".csto-build-"  # a build in progress, inside the site folder

# Every page: no script may run and nothing may be fetched except data: URIs (figures, fonts).
CSP = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

# What HTML outputs may keep: tables (pandas), text markup and links; anything else is escaped
# and so shown as text. <style> blocks (pandas' scoped one) are dropped with their content.
_TAGS = frozenset(
    "a abbr b blockquote br caption code col colgroup dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i "
    "ins kbd li ol p pre q s samp small span strong sub sup table tbody td tfoot th thead tr u "
    "ul".split()
)
_CELL = ["colspan", "rowspan", "style", "class", "title"]
_ATTRIBUTES = {
    "*": ["class", "title"],
    "a": ["href", "title", "class"],
    "table": ["border", "class"],
    "tr": ["style", "class"],
    "th": _CELL,
    "td": _CELL,
    "col": ["span"],
    "colgroup": ["span"],
    "ol": ["start"],
}
# Markdown cells (the authors' own text) may keep more: headings with their anchors, images
# embedded as data: URIs (nothing else: an image from elsewhere keeps only its alt text), code
# highlighting, and table alignment. Everything else (<meta>, <base>, <form>, <iframe>, <svg>,
# event handlers, javascript: and data: links) is escaped or dropped, as in outputs.
_MARKDOWN_TAGS = _TAGS | frozenset("img details summary".split())
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*\Z")


def _markdown_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "title"):
        return True
    if tag == "a":
        return name == "href" and not value.strip().lower().startswith("data:")
    if tag == "img":
        return name == "alt" or (name == "src" and _DATA_IMAGE.match(value) is not None)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return name == "id"  # the anchor that the heading's ¶ link points to
    return name in _ATTRIBUTES.get(tag, ())


_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_NOTEBOOK_LINK = re.compile(r'href="(\d\d_[^"/]*)\.ipynb(#[^"]*)?"')
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@dataclass(frozen=True)
class Page:
    """One notebook as a page of the site."""

    source: Path
    href: str
    title: str
    summary: str


def _clean(html: str, tags: frozenset[str], attributes: object, protocols: set[str]) -> str:
    cleaner = bleach.Cleaner(
        tags=tags,
        attributes=attributes,
        protocols=protocols,
        strip=False,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES),
    )
    return cleaner.clean(_STYLE_BLOCK.sub("", html))


def sanitize_output(html: str) -> str:
    """Make an output's HTML inert: allow-listed tags and attributes only (others are escaped,
    so they show as text), no <style> blocks, no scripts, event handlers or javascript: URLs."""
    return _clean(html, _TAGS, _ATTRIBUTES, {"http", "https", "mailto"})


def sanitize_markdown(html: str) -> str:
    """Make a markdown cell's rendered HTML inert, like :func:`sanitize_output`, keeping what
    markdown makes: headings with their anchors, links (not ``javascript:`` or ``data:``),
    tables, code, and images embedded as ``data:image/...`` URIs with their alt text. Raw HTML
    written in the markdown (``<meta http-equiv="refresh">``, ``<base>``, ``<form>``,
    ``<iframe>``, ``<img onerror=...>``, ``<style>``) is escaped or dropped."""
    protocols = {"http", "https", "mailto", "data"}  # data: only for <img>, see the filter
    return _clean(html, _MARKDOWN_TAGS, _markdown_attribute, protocols)


def plain_text(markdown: str) -> str:
    """Markdown inline markup reduced to one line of plain text (links keep their text)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = text.replace("`", "")
    return " ".join(text.split())


def link_pages(html: str) -> str:
    """Links between notebooks (``href="02_actors.ipynb#x"``) point to their pages instead."""
    return _NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)


def _markdown(notebook: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def notebook_title(notebook: nbformat.NotebookNode, fallback: str) -> str:
    """The notebook's first markdown heading (any level) as plain text, else ``fallback``."""
    match = _HEADING.search(_markdown(notebook))
    return plain_text(match.group(1)) if match else fallback


def notebook_summary(notebook: nbformat.NotebookNode) -> str:
    """One line that says what the notebook does, taken from its introduction (the markdown
    between the title heading and the next heading): the paragraph that starts with
    ``**What this notebook does.**`` (without that label) if there is one, else the first
    paragraph; plain text, whitespace collapsed. Empty when there is no such paragraph."""
    markdown = _markdown(notebook)
    title = _HEADING.search(markdown)
    intro = markdown[title.end() :] if title else markdown
    following = _HEADING.search(intro)
    intro = intro[: following.start()] if following else intro
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", intro) if p.strip()]
    marked = [p for p in paragraphs if p.startswith(SUMMARY_MARK)]
    if marked:
        return plain_text(marked[0][len(SUMMARY_MARK) :])
    return plain_text(paragraphs[0]) if paragraphs else ""


def read_page(path: Path) -> Page:
    """The page for one notebook: ``NN_name.html`` with the notebook's title and summary."""
    notebook = nbformat.read(path, as_version=4)
    title = notebook_title(notebook, fallback=path.stem)
    return Page(path, f"{path.stem}.html", title, notebook_summary(notebook))


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        embed_images=True,  # markdown images become data: URIs, like the outputs' figures
        mathjax_url="",  # the template loads none of these; empty so no CDN address is left
        require_js_url="",
        mermaid_js_url="",
        jupyter_widgets_base_url="",
    )
    exporter.register_filter("sanitize_output", sanitize_output)
    exporter.register_filter("sanitize_markdown", sanitize_markdown)
    return exporter


def _link(page: Page | None) -> dict[str, str] | None:
    return {"href": page.href, "title": page.title} if page else None


def render_page(
    page: Page, previous: Page | None, following: Page | None, exporter: HTMLExporter
) -> str:
    """The HTML of one notebook page, from the notebook's stored outputs (nothing is run)."""
    notebook = nbformat.read(page.source, as_version=4)
    notebook.metadata["title"] = page.title  # the page's <title>
    site = {
        "index": INDEX,
        "prev": _link(previous),
        "next": _link(following),
        "csp": CSP,
        "css": (TEMPLATES / "site.css").read_text(encoding="utf-8"),
        "rights": RIGHTS_STATEMENT,
    }
    resources = {"metadata": {"name": page.source.stem, "path": str(page.source.parent)}}
    html, _ = exporter.from_notebook_node(notebook, resources={**resources, "site": site})
    return link_pages(html).rstrip("\n") + "\n"


def render_index(pages: list[Page]) -> str:
    """The index page: every notebook in order, its title (a link) and its summary."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True
    )
    return environment.get_template("site_index.html.j2").render(
        language="en",
        csp=CSP,
        css=(TEMPLATES / "site.css").read_text(encoding="utf-8"),
        title=SITE_TITLE,
        intro="The notebooks in the order they tell the story, rendered from their stored "
        "outputs. Every page links to the previous and the next notebook.",
        pages=pages,
        rights=RIGHTS_STATEMENT,
    )


class SiteError(Exception):
    """The site cannot be written into the folder asked for: the build does not own it."""


def read_manifest(folder: Path) -> list[str]:
    """The file names listed in ``folder``'s manifest, in build order (index first)."""
    path = folder / MANIFEST
    names = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if not _PAGE_NAME.fullmatch(line):
            raise SiteError(
                f"{path}, line {number}: {line!r} is not a page name the site build writes "
                "(NAME.html, no folders); the manifest was changed by hand: delete the folder"
            )
        names.append(line)
    return names


def _write_manifest(folder: Path, names: list[str]) -> None:
    write_text(folder / MANIFEST, _MANIFEST_HEADER + "".join(f"{name}\n" for name in names))


def owned_names(out: Path) -> list[str]:
    """The files in ``out`` that earlier builds wrote (its manifest), or none when ``out`` is
    missing or empty. Raises SiteError for a folder with other files and no manifest: the
    build never deletes or overwrites what it did not write."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder; choose another --out folder")
    if (out / MANIFEST).is_file():
        return read_manifest(out)
    foreign = sorted(p.name for p in out.iterdir() if not p.name.startswith(_STAGE_PREFIX))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise SiteError(
            f"{out}: holds {len(foreign)} files or folders ({shown}) but no {MANIFEST}, so the "
            "site build did not write them; nothing was changed. Move them away, or build "
            "into a new or empty folder (site --out NEW_FOLDER); if they are a site built "
            f"before the build kept a manifest, delete the folder: rm -r {out}"
        )
    return []


def check_install(built: Path, out: Path) -> tuple[list[str], list[str]]:
    """The names ``out`` owns and the names of the new build in ``built``; SiteError when
    installing would overwrite a file in ``out`` that the build did not write."""
    old, new = owned_names(out), read_manifest(built)
    for name in new:
        if name not in old and (out / name).exists():
            raise SiteError(
                f"{out / name}: exists but the site build did not write it (it is not in "
                f"{MANIFEST}); nothing was changed. Move it away or choose another --out folder"
            )
    return old, new


def install(built: Path, out: Path) -> list[Path]:
    """Move a finished build (``built``, with its manifest) into ``out`` by renames, then remove
    the pages of earlier builds that the new one no longer has; nothing else in ``out`` is
    touched. Safe to repeat after an interruption. Returns the installed files, index first."""
    old, new = check_install(built, out)
    out.mkdir(parents=True, exist_ok=True)
    _write_manifest(out, old + [name for name in new if name not in old])  # covers both
    for name in new:
        if (built / name).exists():
            os.replace(built / name, out / name)
    for name in old:
        if name not in new and not (out / name).is_dir():
            (out / name).unlink(missing_ok=True)
    _write_manifest(out, new)
    return [out / name for name in new]


def write_pages(notebooks: list[Path], folder: Path) -> list[Path]:
    """Write ``index.html`` and one page per notebook (in the given order) into ``folder``,
    with a manifest listing them; same notebooks, same bytes. Returns the index, then the
    pages."""
    pages = [read_page(Path(path)) for path in notebooks]
    exporter = _exporter()
    written = [write_text(folder / INDEX, render_index(pages))]
    for i, page in enumerate(pages):
        previous = pages[i - 1] if i > 0 else None
        following = pages[i + 1] if i + 1 < len(pages) else None
        written.append(
            write_text(folder / page.href, render_page(page, previous, following, exporter))
        )
    _write_manifest(folder, [path.name for path in written])
    return written


def build_site(notebooks: list[Path], out: Path, stop: StopSignals | None = None) -> list[Path]:
    """Build the site into a staging folder inside ``out``, then move it into place
    (:func:`install`, with the stop signals blocked; ``stop`` is disarmed first, so a signal
    that comes then no longer interrupts): an interrupted or failed build leaves ``out`` as it
    was. ``out`` must be missing, empty, or a folder of an earlier build (SiteError otherwise).
    Returns the index, then the pages."""
    owned_names(out)  # refuse a foreign folder before any work
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(f"{_STAGE_PREFIX}*"):  # of a build that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=out))
    try:
        write_pages(notebooks, stage)
        if stop is not None:
            stop.disarm()
        with blocked_signals():
            return install(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not any(out.iterdir()):
            out.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUTPUT / SITE_FOLDER,
        help="default: site/. Must be new, empty, or a folder this build wrote before",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with StopSignals() as stop:
        try:
            written = build_site(args.notebooks or notebook_paths(), args.out, stop)
        except SiteError as err:
            print(f"site: {err}", file=sys.stderr)
            return 1
        except Interrupted as signal:
            print(f"interrupted by {signal.name}: the site was not built; {args.out} is as before")
            return signal.exit_code
    elapsed = time.perf_counter() - started
    for path in written:
        print(f"{path}: {path.stat().st_size / 1024:.0f} KiB")
    total = sum(path.stat().st_size for path in written) / 1024
    print(f"{len(written)} pages ({total:.0f} KiB) built in {elapsed:.1f} s: {written[0]}")
    if stop.received:  # came while the pages were moved into place, so it waited
        print(f"interrupted by {signal_name(stop.received[0])} after the site was complete")
        return 128 + stop.received[0]
    return 0


if __name__ == "__main__":
    sys.exit(main())
