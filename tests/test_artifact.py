"""Issue 13: a research artifact others can cite, reuse and open: licences and rights, the
citation file, the version in one place, the changelog and the Binder configuration."""

from __future__ import annotations

import re
import tomllib

from helpers.paths import ROOT
from helpers.registry import RIGHTS_STATEMENT

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _flat(text: str) -> str:
    """``text`` with markdown quote marks dropped and every run of white space one space."""
    return " ".join(re.sub(r"^\s*>", "", text, flags=re.MULTILINE).split())


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


# --- licences and rights --------------------------------------------------------------------


def test_the_code_licence_is_the_mit_licence_pyproject_declares():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert _project()["license"] == {"text": "MIT"}
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the csto-tensions authors\n")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_data_licence_names_cc_by_its_address_and_the_attribution_line():
    text = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in text
    assert CC_BY in text
    assert "csto-tensions data, (c) 2026 the csto-tensions authors, CC BY 4.0" in text
    assert RIGHTS_STATEMENT in _flat(text)


def test_readme_and_codebook_name_both_licences_and_state_the_rights_line():
    for name in ("README.md", "data/README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for needed in ("`LICENSE`", "`LICENSE-DATA`", "CC BY 4.0", CC_BY, "MIT"):
            assert needed in text, f"{name} does not mention {needed}"
        assert RIGHTS_STATEMENT in _flat(text), f"{name} lacks the rights line"
