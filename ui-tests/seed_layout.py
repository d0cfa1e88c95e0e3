"""Seed what layout.spec.ts shows: `python seed_layout.py ENDPOINT TOKEN REPO_ID ROOT`.

A model repo with a full card (tags, widget examples, a table), files in folders and a few commits, so
that every tab of every widget has something to lay out; and a local folder `ROOT/layout-push` with a
config, weights and a notebook for PushPanel.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_DISABLE_XET", "1")

from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402

CARD = """---
license: apache-2.0
language:
- en
- de
library_name: transformers
pipeline_tag: text-classification
tags:
- sentiment
- text-classification
- layout-check
datasets:
- imdb
metrics:
- accuracy
widget:
- text: I love this, it is wonderful.
  example_title: Positive review with a rather long example title
- text: This was a waste of time.
  example_title: Negative
---
# Layout demo model

A sentiment classifier card with the parts a real card has.

| metric | value |
| --- | --- |
| accuracy | 0.93 |
| f1 | 0.92 |

```python
from transformers import pipeline
classifier = pipeline("text-classification", model="{repo_id}")
```
"""


LONG_NAME = "distilbert-base-uncased-finetuned-sentiment-reviews-de-en-v2"


def seed(endpoint: str, token: str, repo_id: str, root: Path) -> None:
    api = HfApi(endpoint=endpoint, token=token)
    api.create_repo(repo_id, exist_ok=True)
    # A repo id as long as real ones get: the sidebar's "My repos" list must show it whole at 280 px.
    namespace = repo_id.split("/")[0]
    api.create_repo(f"{namespace}/{LONG_NAME}", exist_ok=True)
    files = {
        "README.md": CARD.replace("{repo_id}", repo_id),
        "config.json": json.dumps({"architectures": ["BertForSequenceClassification"], "num_labels": 2}),
        "model.safetensors": b"\0" * 4096,
        "tokenizer/vocab.txt": "[PAD]\n[UNK]\nhello\nworld\n",
        "tokenizer/a-file-with-a-rather-long-name-to-see-how-lists-cope.json": "{}",
        "notes/README.md": "# Notes\n\nSome notes.\n",
    }
    ops = [CommitOperationAdd(p, c.encode() if isinstance(c, str) else c) for p, c in files.items()]
    api.create_commit(repo_id, ops, commit_message="Add the model, its tokenizer and its card")
    api.create_commit(
        repo_id,
        [CommitOperationAdd("notes/changes.md", b"- first change\n")],
        commit_message="Write down the first change",
    )
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd(
                "config.json", json.dumps({"num_labels": 2, "id2label": {"0": "NEG", "1": "POS"}}).encode()
            )
        ],
        commit_message="Name the labels in the config",
    )
    folder = root / "layout-push"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"num_labels": 2}))
    (folder / "model.safetensors").write_bytes(b"\1" * 2048)
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# layout push\n")


if __name__ == "__main__":
    seed(sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4]))
