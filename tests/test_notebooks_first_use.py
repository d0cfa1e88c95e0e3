"""The first notebooks on a fresh `make demo`: logged out, in any order, and the push demo ends clean."""

from __future__ import annotations

from pathlib import Path

from tests.test_notebooks import cell_texts, run_notebook

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"


def test_notebooks_00_to_02_run_logged_out_in_any_order(sandbox, hf_home):
    # A fresh demo: nobody logged in; 02 and 00 run before 01.
    pushed = cell_texts(run_notebook(NOTEBOOKS / "02_push_panel.ipynb", sandbox, hf_home, token=None))
    assert "Pushing needs a login" in pushed[0]
    assert all("log in to push" in text for text in pushed[2:] if text), pushed

    sandbox_nb = cell_texts(run_notebook(NOTEBOOKS / "00_sandbox.ipynb", sandbox, hf_home, token=None))
    whole = "".join(sandbox_nb)
    assert "Not logged in: public repos can be read anonymously" in sandbox_nb[0]
    assert sandbox.endpoint in sandbox_nb[0]  # the advice names the sandbox, not huggingface.co
    assert "huggingface.co" not in whole
    assert sandbox_nb[2].count("\n") == 1 and "needs a login" in sandbox_nb[2]  # one line

    login = cell_texts(run_notebook(NOTEBOOKS / "01_login.ipynb", sandbox, hf_home, token=None))
    assert "state: logged_out" in "".join(login)


def test_notebook_00_reads_a_public_repo_anonymously(sandbox, hf_home, api, repo_name):
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    api.upload_file(path_or_fileobj=b"public words\n", path_in_repo="data.txt", repo_id=repo_id)
    texts = cell_texts(run_notebook(NOTEBOOKS / "00_sandbox.ipynb", sandbox, hf_home, token=None))
    assert repo_id in texts[1]  # listed
    assert f"{repo_id}/data.txt: public words" in texts[4]  # downloaded without a token
    assert "Tags:" in texts[5]


def test_push_notebook_blocks_the_secret_then_pushes_without_it_and_ends_clean(sandbox, hf_home):
    texts = cell_texts(run_notebook(NOTEBOOKS / "02_push_panel.ipynb", sandbox, hf_home))
    blocked = next((t for t in texts if "Push blocked" in t), None)
    assert blocked is not None, texts
    assert "possible secret" in blocked
    after = texts[texts.index(blocked) + 1]
    assert after.startswith("Pushed 1 file"), after
    assert "Secrets box shown: False - button: Push" in after
    assert texts[-1].startswith("Pushed"), texts[-1]
