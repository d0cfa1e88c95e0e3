"""Seed the repos of pages.spec.ts and print the links the widgets would show, as JSON.

Usage: `python seed_pages.py ENDPOINT TOKEN REPO_ID PRIVATE_TOKEN PRIVATE_REPO_ID`

REPO_ID gets the XSS battery (seed_xss.py), a pull request opened by a commit (with a payload title and
comments) and a discussion; PRIVATE_REPO_ID is a private repo of the second token's user. The links are
built as the widgets build them: the repo URL by `HubSession.url`, the commit and pull request URLs as
huggingface_hub returns them (the push panel and the card editor show those), the tokens page as the
playground's problem hint links it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_DISABLE_XET", "1")

from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402
from seed_xss import seed  # noqa: E402

from hub_widgets.session import HubSession  # noqa: E402

PAYLOAD = '<img src=x onerror="window.__xss_2=1"><script>window.__xss_1=1</script>'


def main() -> int:
    endpoint, token, repo_id, private_token, private_id = sys.argv[1:6]
    seed(endpoint, token, repo_id)
    api = HfApi(endpoint=endpoint, token=token)
    pr = api.create_commit(
        repo_id,
        [CommitOperationAdd("docs/pr.md", f"# from a PR\n\n{PAYLOAD}\n".encode())],
        commit_message="PR " + PAYLOAD,
        commit_description="[js link](javascript:window.__xss_5=1) " + PAYLOAD,
        create_pr=True,
    )
    api.comment_discussion(repo_id, int(pr.pr_num), "A **bold** comment " + PAYLOAD)
    talk = api.create_discussion(repo_id, title="Question " + PAYLOAD, description="Plain _words_ " + PAYLOAD)
    private = HfApi(endpoint=endpoint, token=private_token)
    private.create_repo(private_id, private=True, exist_ok=True)
    private.upload_file(path_or_fileobj=b"# private card\n", path_in_repo="README.md", repo_id=private_id)
    session = HubSession(endpoint=endpoint, token=token)
    try:
        repo_url = session.url(repo_id)
        head = api.list_repo_commits(repo_id)[0]
        links = {
            "repo": repo_url,
            "commit": f"{repo_url}/commit/{head.commit_id}",
            "pr": pr.pr_url,
            "pr_commit": pr.commit_url,
            "discussion": talk.url,
            "tree": f"{repo_url}/tree/main/docs",
            "blob": f"{repo_url}/blob/main/docs/guide.md",
            "image": f"{repo_url}/blob/main/logo.png",
            "tokens": f"{session.endpoint}/settings/tokens",
            "private": session.url(private_id),
        }
    finally:
        session.close()
    print(json.dumps(links))
    return 0


if __name__ == "__main__":
    sys.exit(main())
