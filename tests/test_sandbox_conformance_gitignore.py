"""Conformance: preupload honours `.gitignore` (`shouldIgnore`), so `upload_folder` leaves files out.

The rules come from the `.gitignore` being committed (the request's `gitIgnore` field) or else from the
one already in the repo, as on the Hub.
"""

from __future__ import annotations

import httpx
import pytest

from hub_widgets.sandbox import gitignore
from tests.conftest import ALICE, write_tree


def test_upload_folder_leaves_out_what_its_gitignore_names(api, repo_name, tmp_path):
    repo = api.create_repo(repo_name).repo_id
    folder = write_tree(
        tmp_path / "f",
        {
            ".gitignore": "# build output\n*.log\n!keep.log\nbuild/\n/top.tmp\n",
            "model.bin": b"\0" * 10,
            "run.log": "x",
            "keep.log": "kept",
            "sub/deep.log": "x",
            "sub/top.tmp": "nested, not anchored",
            "top.tmp": "x",
            "build/out.txt": "x",
            "src/build/x.txt": "a folder called build at any depth",
        },
    )
    api.upload_folder(folder_path=folder, repo_id=repo)
    assert sorted(api.list_repo_files(repo)) == [
        ".gitattributes",
        ".gitignore",
        "keep.log",
        "model.bin",
        "sub/top.tmp",
    ]


def test_the_repos_own_gitignore_applies(api, repo_name, tmp_path):
    repo = api.create_repo(repo_name).repo_id
    api.upload_file(path_or_fileobj=b"secret*\ncache/\n", path_in_repo=".gitignore", repo_id=repo)
    folder = write_tree(
        tmp_path / "g", {"secret.txt": "s", "notes/secret-2.md": "s", "cache/a": "c", "ok.txt": "ok"}
    )
    api.upload_folder(folder_path=folder, repo_id=repo)
    assert sorted(api.list_repo_files(repo)) == [".gitattributes", ".gitignore", "ok.txt"]


def test_preupload_should_ignore_over_http(api, repo_name, endpoint):
    repo = api.create_repo(repo_name).repo_id
    answer = httpx.post(
        f"{endpoint}/api/models/{repo}/preupload/main",
        json={
            "files": [{"path": p, "sample": "", "size": 1} for p in ("a.py", "a.pyc", "x/__pycache__/m.py")],
            "gitIgnore": "*.pyc\n__pycache__/\n",
        },
        headers={"Authorization": f"Bearer {ALICE}"},
    )
    assert answer.status_code == 200
    assert {f["path"]: f["shouldIgnore"] for f in answer.json()["files"]} == {
        "a.py": False,
        "a.pyc": True,
        "x/__pycache__/m.py": True,
    }


@pytest.mark.parametrize(
    ("rules", "path", "ignored"),
    [
        ("*.txt", "a/b/c.txt", True),
        ("/a.txt", "b/a.txt", False),
        ("a/**/z", "a/z", True),
        ("a/**/z", "a/b/c/z", True),
        ("**/logs", "x/logs/y", True),
        ("logs/**", "logs/a/b", True),
        ("d/\n!d/f", "d/f", True),  # a file in an ignored folder cannot be re-included
        ("*.txt\n!a.txt", "a.txt", False),
        ("f[0-9].bin", "f7.bin", True),
        ("f[!0-9].bin", "f7.bin", False),
        ("\\#hash", "#hash", True),
        ("# comment", "# comment", False),
    ],
)
def test_gitignore_rules(rules, path, ignored):
    assert gitignore.is_ignored(gitignore.parse(rules), path) is ignored
