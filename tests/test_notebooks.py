"""Every demo notebook runs top to bottom in a real kernel against the sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ALICE

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def cell_texts(nb) -> list[str]:
    """The printed text of each code cell of an executed notebook (no cell may end in an error or print a
    traceback)."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            parts.append(output.get("text", ""))
        text = "".join(parts)
        assert "Traceback" not in text
        texts.append(text)
    return texts


def run_notebook(
    path: Path,
    sandbox,
    hf_home: Path,
    extra_env: dict[str, str] | None = None,
    token: str | None = ALICE,
):
    """Execute `path` in a fresh kernel whose environment points at the sandbox; return the notebook.

    `token`: the stored login the kernel starts with (None: logged out, as on a fresh `make demo`).
    """
    nb = nbformat.read(path, as_version=4)
    # As if the user had logged in before (the demo user logs in with 01_login instead).
    if token is not None:
        (hf_home / "token").write_text(token)
    env = {
        **os.environ,
        "HF_ENDPOINT": sandbox.endpoint,
        "HF_HOME": str(hf_home),
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        **(extra_env or {}),
    }
    env.pop("HF_TOKEN", None)
    client = NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    original = os.environ.copy()
    os.environ.clear()
    os.environ.update(env)
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(original)
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, sandbox, hf_home):
    nb = run_notebook(path, sandbox, hf_home)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (
                f"{path.name}: {output.get('ename')}: {output.get('evalue')}"
            )
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            assert "Traceback" not in text, f"{path.name} printed a traceback"
