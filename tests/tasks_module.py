"""``tasks.py`` loaded as a module (it is a script beside the package), for the runner's tests."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from helpers.paths import ROOT


def load_tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tasks = load_tasks()
