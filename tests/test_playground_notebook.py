"""Notebook 04 runs top to bottom logged out too (before 01_login, as a new user may open it)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.test_notebooks import run_notebook

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "04_inference_playground.ipynb"


@pytest.fixture(scope="module")
def demo_sandbox():
    """A sandbox seeded like `make demo`'s (its public demo models), nobody logged in."""
    from hub_widgets.sandbox import SandboxHub

    data = tempfile.mkdtemp(prefix="hubw-demo-sandbox-")
    hub = SandboxHub(data_dir=data, users={"demo": "hf_sandbox_demo_token"}, admins=["demo"], seed="demo")
    hub.start()
    yield hub
    hub.stop()
    shutil.rmtree(data, ignore_errors=True)


def outputs(nb) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            texts.append(output.get("text", "") or str(output.get("data", {}).get("text/plain", "")))
    text = "\n".join(texts)
    assert "Traceback" not in text
    return text


def test_notebook_04_logged_out_on_the_demo_sandbox(demo_sandbox, hf_home, tmp_path):
    nb = run_notebook(NOTEBOOK, demo_sandbox, hf_home, {"HF_TOKEN_PATH": str(tmp_path / "no-token")})
    text = outputs(nb)
    assert "Not logged in: using the demo's public models" in text
    assert "task: text-classification" in text and "Done." in text
    assert "token-classification [(" in text  # the entities of the demo's NER model
    assert "Skipped: the sandbox's fault switches need a logged-in admin" in text


def test_notebook_04_logged_out_where_the_demo_models_are_missing(sandbox, hf_home, tmp_path):
    """No demo models and no login: each widget says what is wrong in one line, no cell fails."""
    nb = run_notebook(NOTEBOOK, sandbox, hf_home, {"HF_TOKEN_PATH": str(tmp_path / "no-token")})
    text = outputs(nb)
    assert "Not logged in" in text
