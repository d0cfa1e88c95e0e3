"""hub.push against a real SandboxHub, without any widget: branches, plan (reads only), push."""

from __future__ import annotations

from hub_widgets.hub import push, repos
from tests.conftest import write_tree


def test_branches_plan_and_push(api, hub_session, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    folder = write_tree(tmp_path / "src", {"a.txt": "a\n", "sub/b.txt": "b\n"})
    request = push.PushRequest(source=str(folder), repo_id=repo_id, create_repo=True)

    planned = push.plan(hub_session, request)
    assert not planned.repo_exists
    assert sorted(e.path for e in planned.plan.new) == ["a.txt", "sub/b.txt"]
    assert not api.repo_exists(repo_id)  # a plan uploads nothing, creates nothing

    result = push.push(hub_session, request, planned=planned)
    assert result.created_repo and result.oid == api.repo_info(repo_id).sha
    assert repos.read_bytes(hub_session, repo_id, "sub/b.txt") == b"b\n"

    api.create_branch(repo_id, branch="dev")
    assert sorted(push.branches(hub_session, repo_id)) == ["dev", "main"]
    again = push.plan(hub_session, request)
    assert again.plan.is_empty and again.repo_exists
