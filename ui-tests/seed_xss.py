"""Seed the XSS payload repo for xss.spec.ts: `python seed_xss.py ENDPOINT TOKEN REPO_ID`.

The repo holds the battery of tests/xss_payloads.py in its README, a .md, an .html and an .ipynb
file, an image the card links relatively, and a commit whose message is a payload.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_DISABLE_XET", "1")

from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402

from hub_widgets.sandbox.inference.images import solid_png  # noqa: E402
from tests import xss_payloads as X  # noqa: E402


def seed(endpoint: str, token: str, repo_id: str) -> None:
    """Create `repo_id` with the payload files and the payload commit (also used by seed_pages.py)."""
    api = HfApi(endpoint=endpoint, token=token)
    api.create_repo(repo_id, exist_ok=True)
    files = {
        "README.md": X.readme(),
        "logo.png": solid_png(48, 48, (200, 30, 30)),
        "docs/guide.md": X.LEGIT_MARKDOWN + X.payload_markdown(),
        "page.html": X.html_document(),
        "nb.ipynb": X.notebook(),
    }
    ops = [CommitOperationAdd(p, c.encode() if isinstance(c, str) else c) for p, c in files.items()]
    api.create_commit(repo_id, ops, commit_message="add the payloads")
    message = '<img src=x onerror="window.__xss_2=1"> <a href="javascript:window.__xss_6=1">commit</a>'
    api.create_commit(
        repo_id,
        [CommitOperationAdd("notes.txt", b"<script>window.__xss_1=1</script>\n")],
        commit_message=message,
        commit_description=message,
    )


def main() -> int:
    seed(*sys.argv[1:4])
    return 0


if __name__ == "__main__":
    sys.exit(main())
