"""The house rules of DESIGN.md, as tests: calls go downward only; every package says what it exports."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent / "kenzy"

# package prefix -> prefixes it must never import
FORBIDDEN = {
    "kenzy.runtimes": ("kenzy.tools", "kenzy.agents", "kenzy.cli", "kenzy.mcp_server", "kenzy.api"),
    "kenzy.wordpress": ("kenzy.tools", "kenzy.agents", "kenzy.cli", "kenzy.mcp_server", "kenzy.api",
                        "kenzy.runtimes"),
    # The content writer is an agent the fill_content tool uses; the supervisor is above tools.
    "kenzy.tools": ("kenzy.cli", "kenzy.mcp_server", "kenzy.agents.supervisor", "kenzy.api"),
    "kenzy.agents.writer": ("kenzy.tools", "kenzy.cli", "kenzy.mcp_server"),
    # Backups drive a runtime they are handed; they never import one (nor anything above them).
    "kenzy.backups": ("kenzy.tools", "kenzy.agents", "kenzy.cli", "kenzy.mcp_server", "kenzy.api", "kenzy.runtimes"),
    "kenzy.store": ("kenzy.tools", "kenzy.runtimes", "kenzy.cli"),
    "kenzy.pipeline": ("kenzy.tools", "kenzy.runtimes", "kenzy.cli"),
    "kenzy.models": ("kenzy.tools", "kenzy.runtimes", "kenzy.cli"),
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v) if isinstance(v, str) else "")
def test_calls_go_downward_only(module: str, path: Path) -> None:
    for prefix, banned in FORBIDDEN.items():
        if module == prefix or module.startswith(prefix + "."):
            bad = {imp for imp in _imports(path) if imp.startswith(banned)}
            assert not bad, f"{module} imports {bad} (against DESIGN.md's layers)"


@pytest.mark.parametrize("package", ["kenzy", "kenzy.tools", "kenzy.runtimes.local", "kenzy.runtimes.k8s",
                                     "kenzy.backups", "kenzy.wordpress", "kenzy.cli"])
def test_packages_declare_exports(package: str) -> None:
    mod = importlib.import_module(package)
    assert isinstance(mod.__all__, list)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{package}.__all__ names missing {name}"
