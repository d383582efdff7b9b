"""The notebooks in notebooks/ run top to bottom, so they never rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import needs_stack
from kenzy.api import Kenzy

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


pytestmark = pytest.mark.anyio


async def _run(path: Path) -> object:
    """Execute a notebook in this test's event loop (nbclient's sync wrapper leaks a loop)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    await client.async_execute()
    return notebook


async def test_explore_blueprint_notebook() -> None:
    notebook = await _run(NOTEBOOKS / "01_explore_blueprint.ipynb")
    text = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)  # type: ignore[attr-defined]
    assert "Restaurante do João" in text and "field_groups" not in text and "Restaurant" in text


@needs_stack
async def test_create_site_notebook(kz: Kenzy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KENZY_HOME", str(kz.settings.home))
    monkeypatch.setenv("KENZY_HTTP_PORT", str(kz.settings.http_port))
    monkeypatch.setenv("KENZY_STACK_USER", kz.settings.stack_user)
    notebook = await _run(NOTEBOOKS / "02_create_site.ipynb")
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]  # type: ignore[attr-defined]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the screenshot, inline
    text = "".join(o.get("text", "") for o in outputs)
    assert "200 Clínica Bem Viver" in text
