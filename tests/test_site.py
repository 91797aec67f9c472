"""The students' site: built from stored outputs, offline, escaped, checked in headless Chromium."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.execute import notebook_paths
from helpers.paths import ROOT
from helpers.registry import RIGHTS_STATEMENT
from helpers.site import (
    build_site,
    notebook_summary,
    notebook_title,
    plain_text,
    sanitize_markdown,
    sanitize_output,
)

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "install it with: apt-get install -y --no-install-recommends chromium"
NBCONVERT_PLACEHOLDER = "No description has been provided for this image"
WHO_CRITICISED = "05_who_criticised_russia"

# Article text that must stay text: each would set window.__pwned if it ever ran.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
TITLE_SCRIPT = "<script>window.__pwned=3</script>"
FIGURE_ALT = "A single blue dot in the middle of empty axes (test figure)."
SQUARE_ALT = "A small grey square (test image in a markdown cell)."


# --- building ---------------------------------------------------------------------------------


def _markdown_cell(title: str, body: str) -> nbformat.NotebookNode:
    return new_markdown_cell(f"# {title}\n\n**What this notebook does.** {body}")


def _escaping_notebook() -> nbformat.NotebookNode:
    """Article text with HTML and scripts in every kind of output, and in the title."""
    frame = pd.DataFrame({"quote": [SCRIPT, IMG, "Armenië’s ‘bondgenoten’ & <b>Rusland</b>"]})
    html = f'<p>Quote: {SCRIPT} {IMG} <a href="javascript:window.__pwned=5">link</a></p>'
    outputs = [
        new_output("execute_result", {"text/html": frame._repr_html_(), "text/plain": repr(frame)}),
        new_output("stream", name="stdout", text=f"{SCRIPT}\n{IMG}\n"),
        new_output("display_data", {"text/html": html, "text/plain": "quote"}),
        new_output("display_data", {"text/markdown": f"Markdown output: {SCRIPT}"}),
        new_output("display_data", {"application/javascript": "window.__pwned=6"}),
        new_output("error", ename="ValueError", evalue=SCRIPT, traceback=[f"ValueError: {SCRIPT}"]),
    ]
    stored = new_output("stream", name="stdout", text="stored output, never re-executed\n")
    return new_notebook(
        cells=[
            _markdown_cell(f"90 · Escaping `{TITLE_SCRIPT}`", f"Quotes `{IMG}` as text."),
            new_code_cell("frame", execution_count=1, outputs=outputs),
            new_code_cell('raise SystemExit("must not run")', execution_count=2, outputs=[stored]),
        ]
    )


def _figure_notebook(folder: Path) -> nbformat.NotebookNode:
    """A figure displayed the notebooks' way (helpers.plots.show_figure) and a markdown image."""
    from IPython.core.formatters import format_display_data
    from matplotlib.figure import Figure

    from helpers.plots import show_figure

    fig = Figure(figsize=(2, 1.5))
    fig.subplots().plot([0], [0], "o")
    data, metadata = format_display_data(show_figure(fig, "dot", FIGURE_ALT, folder=folder))
    figure = new_output("display_data", data, metadata=metadata)
    (folder / "square.png").write_bytes((folder / "dot.png").read_bytes())
    intro = f"Shows a figure; [back](90_escaping.ipynb#x).\n\n![{SQUARE_ALT}](square.png)"
    return new_notebook(
        cells=[
            _markdown_cell("91 · A figure", intro),
            new_code_cell("show_figure(fig, ...)", outputs=[figure]),
        ]
    )


def _write(folder: Path, name: str, notebook: nbformat.NotebookNode) -> Path:
    path = folder / name
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Two sites under one root: ``real/`` (notebooks/) and ``synthetic/`` (made here)."""
    root = tmp_path_factory.mktemp("sites")
    source = root / "notebooks"
    source.mkdir()
    synthetic = [
        _write(source, "90_escaping.ipynb", _escaping_notebook()),
        _write(source, "91_figure.ipynb", _figure_notebook(source)),
    ]
    return {
        "real": build_site(notebook_paths(), root / "real"),
        "synthetic": build_site(synthetic, root / "synthetic"),
    }


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_index_lists_the_notebooks_in_order_with_title_and_summary(sites):
    index, *pages = sites["real"]
    items = _soup(index).select("ol.notebooks li")
    assert [li.a["href"] for li in items] == [f"{p.stem}.html" for p in notebook_paths()]
    assert [p.name for p in pages] == [f"{p.stem}.html" for p in notebook_paths()]
    for li, notebook in zip(items, notebook_paths(), strict=True):
        assert li.a.get_text() == notebook_title(nbformat.read(notebook, 4), notebook.stem)
        assert li.select_one("p.summary").get_text().strip()
    assert items[0].a.get_text().startswith("01 · The corpus")


def test_every_page_links_to_the_index_and_its_neighbours(sites):
    for group in (sites["real"][1:], sites["synthetic"][1:]):
        names = [p.name for p in group]
        for i, page in enumerate(group):
            for nav in _soup(page).select("nav.site-nav"):
                assert nav.select_one("a.site-nav-index")["href"] == "index.html"
                previous, following = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
                assert (previous["href"] if previous else None) == (names[i - 1] if i else None)
                expected = names[i + 1] if i + 1 < len(names) else None
                assert (following["href"] if following else None) == expected


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_the_build_is_deterministic_and_leaves_the_notebooks_alone(sites, tmp_path):
    before = _digests(notebook_paths())
    again = build_site(notebook_paths(), tmp_path / "again")
    assert _digests(again) == _digests(sites["real"])
    assert _digests(notebook_paths()) == before


def test_every_page_ends_with_the_rights_line(sites):
    """Issue 13: who owns the article texts, on every page (index and notebooks), once."""
    for page in _all_pages(sites):
        footers = _soup(page).select("footer.site-rights")
        assert [f.get_text(strip=True) for f in footers] == [RIGHTS_STATEMENT], page


def test_links_between_notebooks_point_to_their_pages(sites):
    links = [a["href"] for a in _soup(sites["synthetic"][2]).select(".jp-MarkdownOutput a")]
    assert "90_escaping.html#x" in links and not [h for h in links if ".ipynb" in h]


def test_pages_show_stored_outputs_without_running_anything(sites):
    text = _soup(sites["synthetic"][1]).get_text()
    assert "stored output, never re-executed" in text
    assert "must not run" in text  # the code, shown; its SystemExit never happened


def test_summary_is_the_what_this_notebook_does_paragraph_or_else_the_first():
    marked = new_notebook(cells=[_markdown_cell("02 · Actors", "Codes *who* `acts`.\n\nMore.")])
    assert notebook_summary(marked) == "Codes who acts."
    plain = new_notebook(cells=[new_markdown_cell("# 03 · Events\n\nFirst [one](x.md).\n\n## A")])
    assert (notebook_title(plain, "x"), notebook_summary(plain)) == ("03 · Events", "First one.")
    assert notebook_title(new_notebook(cells=[new_code_cell("1")]), "04_x") == "04_x"
    assert plain_text("**a**  `b`\n*c* d_e_f") == "a b c d_e_f"


# --- offline, alt text, escaping (static) ------------------------------------------------------

URL_ATTRIBUTES = ("src", "href", "srcset", "action", "formaction", "poster", "data", "background")


def _is_remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or urlsplit(url).scheme not in ("", "data")


def external_references(page: Path) -> list[str]:
    """Everything on a page that would make the browser fetch from another host (ordinary
    ``<a href>`` links are not fetched and are allowed); CSS comments are ignored."""
    soup = _soup(page)
    found = [
        f"<{tag.name} {name}={tag[name]}>"
        for tag in soup.find_all(True)
        for name in URL_ATTRIBUTES
        if tag.has_attr(name) and _is_remote(tag[name]) and (tag.name, name) != ("a", "href")
    ]
    blocks = [t.get_text() for t in soup.find_all("style")]
    css = " ".join(blocks + [t["style"] for t in soup.find_all(style=True)])
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found += [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if _is_remote(u)]
    return found + re.findall(r"@import[^;]*", css)


def _all_pages(sites: dict[str, list[Path]]) -> list[Path]:
    return [page for pages in sites.values() for page in pages]


def test_pages_fetch_nothing_from_other_hosts_and_carry_no_scripts(sites):
    for page in _all_pages(sites):
        assert external_references(page) == [], page
        soup = _soup(page)
        assert soup.find_all("script") == [], page
        assert soup.find_all("link") == [], page  # all CSS is inline
        assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}), page


def test_every_image_has_alt_text_that_says_what_it_shows(sites):
    images = [(page, img) for page in _all_pages(sites) for img in _soup(page).find_all("img")]
    for page, img in images:
        alt = img.get("alt", "").strip()
        assert alt and alt != NBCONVERT_PLACEHOLDER, f"{page.name}: {str(img)[:120]}"
        assert img["src"].startswith("data:image/"), f"{page.name}: figures are embedded"
    assert {FIGURE_ALT, SQUARE_ALT} <= {img["alt"] for _, img in images}


def test_every_png_output_of_the_notebooks_has_alt_text():
    missing = []
    for path in notebook_paths():
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            for output in cell.get("outputs", []):
                if "image/png" not in output.get("data", {}):
                    continue
                metadata = output.get("metadata", {})
                alt = metadata.get("image/png", {}).get("alt") or metadata.get("alt") or ""
                if not alt.strip():
                    missing.append(f"{path.name}, cell {number}: use helpers.plots.show_figure")
    assert missing == []


def test_sanitize_output_keeps_tables_and_makes_markup_inert():
    frame = pd.DataFrame({"quote": [SCRIPT, IMG]})
    cleaned = sanitize_output(frame._repr_html_())
    assert "<table" in cleaned and "<th>" in cleaned and "<style" not in cleaned
    cleaned = sanitize_output(f'{SCRIPT}{IMG}<a href="javascript:x()">a</a><p onclick="x()">p</p>')
    assert "<script" not in cleaned and "<img" not in cleaned
    assert "javascript:" not in cleaned and "onclick" not in cleaned
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in cleaned


# Raw HTML that a notebook's own markdown cell might hold (issue 10 row 16): each would navigate,
# fetch from elsewhere, run a script or change where links go if it reached the page as markup.
HOSTILE_MARKDOWN = [
    '<meta http-equiv="refresh" content="0;url=https://example.org/">',
    '<meta http-equiv="refresh" content="1;url=elsewhere.html">',
    '<base href="https://example.org/">',
    "<img src=x onerror=window.__pwned=7>",
    '<a href="javascript:window.__pwned=8">a javascript: link</a>',
    '<a href="data:text/html,<script>alert(1)</script>">a data: link</a>',
    '<iframe src="https://example.org/"></iframe>',
    '<form action="https://example.org/"><input name="q"><button>go</button></form>',
    "<style>body { background: url(https://example.org/bg.png) }</style>",
    '<link rel="stylesheet" href="https://example.org/x.css">',
    '<object data="https://example.org/x.swf"></object>',
    "<svg onload=window.__pwned=9></svg>",
    '<p onclick="window.__pwned=10" style="background:url(https://example.org/p.png)">p</p>',
    SCRIPT,
]
INERT_TAGS = ("meta", "base", "iframe", "form", "input", "style", "link", "object", "svg", "script")


def _inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(INERT_TAGS) == []
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")], str(tag)
        for name in ("href", "src", "style", "action"):
            value = tag.get(name, "")
            assert "javascript:" not in value and "example.org" not in value, str(tag)
            assert not value.startswith("data:") or value.startswith("data:image/png;"), str(tag)


def test_row16_sanitize_markdown_makes_raw_html_inert():
    """Issue 10 row 16: raw HTML in a markdown cell reached the site unchanged."""
    from nbconvert.filters.markdown import markdown2html

    rendered = markdown2html("# Hostile\n\n" + "\n\n".join(HOSTILE_MARKDOWN))
    cleaned = sanitize_markdown(rendered)
    _inert(cleaned)
    text = BeautifulSoup(cleaned, "html.parser").get_text()
    assert 'http-equiv="refresh"' in text and "<iframe" in text  # shown as text


def test_sanitize_markdown_keeps_what_markdown_makes():
    from nbconvert.filters.markdown import markdown2html

    png = "data:image/png;base64,iVBORw0KGgo="
    source = (
        "## A heading\n\n| left | right |\n|:--|--:|\n| 1 | 2 |\n\n"
        f'[a link](https://example.org/ "title") and [a page](02_actors.ipynb#x)\n\n'
        f"![a grey square]({png})\n\n```python\nx = 1\n```\n\n> *quoted* **bold** `code`"
    )
    soup = BeautifulSoup(sanitize_markdown(markdown2html(source)), "html.parser")
    assert soup.h2["id"] == "A-heading" and soup.h2.a["href"] == "#A-heading"
    assert [th.get_text() for th in soup.select("table th")] == ["left", "right"]
    assert soup.select_one("td")["style"] == "text-align:left;"
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs == ["#A-heading", "https://example.org/", "02_actors.ipynb#x"]
    assert (soup.img["src"], soup.img["alt"]) == (png, "a grey square")
    assert soup.select_one("div.highlight pre span.n").get_text() == "x"
    assert soup.blockquote.em and soup.blockquote.strong and soup.blockquote.code


def _structure(html: str) -> list[tuple]:
    soup = BeautifulSoup(html, "html.parser")
    tags = [(t.name, sorted((k, str(v)) for k, v in t.attrs.items())) for t in soup.find_all(True)]
    return [*tags, soup.get_text()]


def test_the_notebooks_markdown_renders_as_before_sanitising():
    """Sanitising changes nothing in the committed notebooks' own markdown: same elements,
    attributes and text (only the serialisation may differ, e.g. an entity for a pilcrow)."""
    from nbconvert.filters.markdown import markdown2html

    cells = [
        cell.source
        for path in notebook_paths()
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "markdown"
    ]
    assert len(cells) > 20
    for source in cells:
        rendered = markdown2html(source)
        assert _structure(sanitize_markdown(rendered)) == _structure(rendered), source[:80]


def test_article_text_in_outputs_and_titles_is_escaped(sites):
    index, escaping, _ = sites["synthetic"]
    assert TITLE_SCRIPT in _soup(index).select_one("ol.notebooks a").get_text()
    page = _soup(escaping)
    assert TITLE_SCRIPT in page.title.get_text()
    assert "window.__pwned" not in " ".join(str(s) for s in page.find_all("script"))
    assert not page.find_all(attrs={"onerror": True}) and not page.find_all("img")
    assert page.get_text().count(SCRIPT) >= 4 and page.get_text().count(IMG) >= 2


# --- in the browser ----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(sites) -> Iterator[str]:
    """The sites over http://127.0.0.1:<free port>/ from a threaded http.server."""
    root = sites["real"][0].parent.parent
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser test must run")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    executable = _chromium()
    if executable is None:
        _unavailable(f"Chromium is missing ({INSTALL_HINT})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing (pip install playwright)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Record:
    """What a page did while loading: every request, and everything that went wrong."""

    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "data" or (parts.scheme == "http" and parts.hostname == "127.0.0.1")


def _watch(page, record: Record) -> None:
    def on_request(request) -> None:
        record.requests.append(request.url)

    def on_failed(request) -> None:
        record.problems.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response) -> None:
        if response.status >= 400:
            record.problems.append(f"HTTP {response.status}: {response.url}")

    def on_console(message) -> None:
        if message.type == "error":
            record.problems.append(f"console error: {message.text}")

    def on_route(route) -> None:  # nothing leaves the machine, even while testing
        if _is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    page.on("request", on_request)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: record.problems.append(f"page error: {error}"))
    page.route("**/*", on_route)


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    record = Record()
    _watch(page, record)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, record


def _check_loaded(page, record: Record) -> None:
    assert record.problems == [], page.url
    assert [url for url in record.requests if not _is_local(url)] == [], page.url
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete && e.naturalWidth > 0, e.alt])"
    )
    assert [alt for loaded, alt in images if not loaded] == [], page.url


def _check_rights(page) -> None:
    """The rights line is shown (visible, as text) at the foot of the page (issue 13)."""
    footer = page.locator("footer.site-rights")
    assert footer.count() == 1 and footer.is_visible(), page.url
    assert footer.inner_text().strip() == RIGHTS_STATEMENT, page.url


def _screenshot(page, name: str, full_page: bool) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_every_page_loads_offline_in_chromium(browser, server, sites):
    pages = sites["real"][1:]
    page, record = _open(browser, f"{server}/real/index.html")
    _check_loaded(page, record)
    links = page.eval_on_selector_all("ol.notebooks a", "xs => xs.map(a => a.getAttribute('href'))")
    assert links == [p.name for p in pages]
    _check_rights(page)
    _screenshot(page, "site-index", full_page=True)
    page.close()
    for built in pages:
        page, record = _open(browser, f"{server}/real/{built.name}")
        _check_loaded(page, record)
        assert page.title() == _soup(built).title.get_text()
        _check_rights(page)
        _screenshot(page, f"site-{built.stem}", full_page=built.stem == WHO_CRITICISED)
        page.close()


def test_next_links_walk_through_every_notebook_and_back_to_the_index(browser, server, sites):
    page, record = _open(browser, f"{server}/real/index.html")
    page.click("ol.notebooks a >> nth=0")
    visited = [page.url.rsplit("/", 1)[1]]
    while page.locator("nav.site-nav-top a[rel=next]").count():
        page.click("nav.site-nav-top a[rel=next]")
        visited.append(page.url.rsplit("/", 1)[1])
    assert visited == [p.name for p in sites["real"][1:]]
    page.click("nav.site-nav-bottom a.site-nav-index")
    assert page.url.endswith("/real/index.html") and record.problems == []
    page.close()


def test_article_text_with_scripts_never_runs_and_reads_as_text(browser, server, sites):
    for built in sites["synthetic"]:
        page, record = _open(browser, f"{server}/synthetic/{built.name}")
        _check_loaded(page, record)  # a CSP violation (a script that got through) fails here
        assert page.evaluate("typeof window.__pwned") == "undefined"
        _check_rights(page)
        text = page.inner_text("body")
        if built.name == "index.html":
            assert TITLE_SCRIPT in text
        elif built.name.startswith("90_"):
            assert text.count(SCRIPT) >= 4 and text.count(IMG) >= 2
            assert TITLE_SCRIPT in page.title()
        page.close()


def test_the_content_security_policy_stops_a_script_that_got_past_the_sanitiser(
    browser, server, sites
):
    """The second line of defence: a built page with a script slipped in (as if a sanitiser
    had missed it); the page's CSP refuses to run it."""
    out = sites["synthetic"][0].parent
    html = sites["synthetic"][2].read_text(encoding="utf-8").replace("<body", f"{SCRIPT}<body", 1)
    (out / "93_slipped.html").write_text(html, encoding="utf-8")
    page, record = _open(browser, f"{server}/synthetic/93_slipped.html")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert any("Content Security Policy" in problem for problem in record.problems)
    page.close()


def test_row16_raw_html_in_markdown_neither_navigates_nor_fetches_nor_runs(
    browser, server, sites, tmp_path
):
    """Issue 10 row 16: a <meta http-equiv=refresh> in a notebook's markdown cell survived into
    the site, and headless Chromium followed it to an outside address despite the CSP."""
    body = "\n\n".join(HOSTILE_MARKDOWN)
    notebook = new_notebook(
        cells=[new_markdown_cell(f"# 94 · Hostile markdown\n\n{body}\n\n[a link](#top)")]
    )
    build_site([_write(tmp_path, "94_hostile.ipynb", notebook)], tmp_path / "site")
    out = sites["synthetic"][0].parent
    shutil.copy(tmp_path / "site" / "94_hostile.html", out / "94_hostile.html")
    _inert(_soup(out / "94_hostile.html").select_one(".jp-MarkdownCell").decode())
    url = f"{server}/synthetic/94_hostile.html"
    page = browser.new_page()
    record = Record()
    _watch(page, record)
    dialogs, navigations = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(2500)  # longer than the refresh delays (0 and 1 s)
    assert (page.url, navigations, record.requests) == (url, [url], [url])  # stayed, fetched none
    for text in ("a javascript: link", "a data: link", "a link"):
        page.get_by_text(text, exact=True).click()  # a javascript: href would run here
    page.wait_for_timeout(300)
    # the only navigations: the page itself, then the ordinary in-page link (clicks do work)
    assert navigations == [url, f"{url}#top"] and page.url == f"{url}#top"
    assert record.requests == [url] and record.problems == []
    assert dialogs == [] and page.evaluate("typeof window.__pwned") == "undefined"
    assert 'http-equiv="refresh"' in page.inner_text(".jp-MarkdownCell")  # as text
    page.close()
