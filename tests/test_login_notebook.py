"""notebooks/01_login.ipynb runs unattended, shows the logged-in state, and the saved file holds no token."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.conftest import ALICE, BOB
from tests.test_notebooks import run_notebook

NOTEBOOK = Path(__file__).parent.parent / "notebooks" / "01_login.ipynb"


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{output.get('ename')}: {output.get('evalue')}"
            parts.append(output.get("text", ""))
    return "".join(parts)


def test_login_notebook_shows_alice_and_saves_no_token(sandbox, hf_home, tmp_path):
    nb = run_notebook(NOTEBOOK, sandbox, hf_home)
    text = outputs_text(nb)
    assert "state: logged_in" in text
    assert "Logged in as alice." in text
    assert "Log out" in text  # the compact menu

    saved = tmp_path / "01_login.saved.ipynb"
    nbformat.write(nb, saved)
    content = saved.read_text()
    # The widget state was stored (and shows alice), so the scan below looked at it.
    assert "application/vnd.jupyter.widget-state+json" in content
    assert "alice" in content
    assert ALICE not in content


def test_login_notebook_with_token_variable_warns_and_saves_no_token(sandbox, hf_home, tmp_path):
    # run_notebook removes HF_TOKEN; the client also reads its older name, HUGGING_FACE_HUB_TOKEN.
    nb = run_notebook(NOTEBOOK, sandbox, hf_home, extra_env={"HUGGING_FACE_HUB_TOKEN": BOB})
    text = outputs_text(nb)
    assert "overrides your stored login" in text
    saved = tmp_path / "01_login.saved.ipynb"
    nbformat.write(nb, saved)
    content = saved.read_text()
    assert "overrides your stored login" in content  # the warning is in the stored widget state
    assert BOB not in content and ALICE not in content
