"""Print what a sandbox repo holds, through the real HfApi: `python hub_check.py ENDPOINT TOKEN REPO_ID`.

Output: one JSON line {"files": [...], "commits": [{"id": ..., "title": ...}, ...]}.
"""

from __future__ import annotations

import json
import sys

from huggingface_hub import HfApi


def main() -> int:
    endpoint, token, repo_id = sys.argv[1:4]
    api = HfApi(endpoint=endpoint, token=token)
    files = api.list_repo_files(repo_id)
    commits = [{"id": c.commit_id, "title": c.title} for c in api.list_repo_commits(repo_id)]
    print(json.dumps({"files": files, "commits": commits}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
