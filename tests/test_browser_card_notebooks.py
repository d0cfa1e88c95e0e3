"""Notebooks 03 (RepoBrowser) and 05 (ModelCardEditor) on a fresh sandbox: logged out and logged in,
in any order, with no traceback; what needs a login says so in one line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ALICE
from tests.test_notebooks import cell_texts, run_notebook

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


def _run(name: str, sandbox, hf_home, token: bool = True) -> list[str]:
    # Logged out: no stored token at all, as on a fresh `make demo`.
    return cell_texts(run_notebook(NOTEBOOKS / name, sandbox, hf_home, token=ALICE if token else None))


def test_card_then_browser_notebooks_run_logged_out(sandbox, hf_home, api, repo_name):
    # Something public to read anonymously (a fresh `make demo` has the seeded demo/tiny-sentiment).
    repo_id = api.create_repo(f"alice/{repo_name}-tiny-sentiment").repo_id
    api.upload_file(path_or_fileobj=b"# Tiny\n", path_in_repo="README.md", repo_id=repo_id)

    card = _run("05_model_card.ipynb", sandbox, hf_home, token=False)
    assert card[0].count("\n") == 1 and "needs a login" in card[0]
    assert "tags: ['demo', 'sentiment']" in card[2]
    assert "Saved to" in card[3]
    assert "'my_team': 'vision'" in card[4] and "'license': 'apache-2.0'" in card[4]

    browser = _run("03_repo_browser.ipynb", sandbox, hf_home, token=False)
    assert browser[0].count("\n") == 1 and "needs a login" in browser[0] and repo_id in browser[0]
    assert "README.md" in browser[2] and "no error" in browser[2]
    assert browser[3].startswith("Saved to ") and "README.md" in browser[3]
    assert "newest commit:" in browser[4]


def test_browser_then_card_notebooks_run_logged_in(sandbox, hf_home):
    browser = _run("03_repo_browser.ipynb", sandbox, hf_home)
    assert browser[0].startswith("demo repo: alice/browser-demo-")
    assert "train.csv" in browser[2] and "no error" in browser[2]
    assert browser[3].startswith("Saved to ") and "train.csv" in browser[3]
    assert "newest commit: {'added': set(), 'removed': set(), 'changed': {'config.json'}}" in browser[4]
    assert "compared: " in browser[4] and "data/notes.txt" in browser[4]

    card = _run("05_model_card.ipynb", sandbox, hf_home)
    assert card[0].startswith("Created alice/card-demo-")
    assert "Pull request opened." in card[3]
    assert "PR #1: Complete the model card" in card[4] and "'my_team': 'vision'" in card[4]
