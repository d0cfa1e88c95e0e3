"""Demo content for the sandbox Hub, pushed THROUGH the real `huggingface_hub` client.

Seeding exercises the same paths as the widgets: create_repo, upload_folder (regular + LFS), create_commit,
create_branch, create_tag, create_pull_request. It runs once per data folder.
"""

from __future__ import annotations

import json
import random
from typing import Any

DEMO_USERS = {"demo": "Demo User", "ada": "Ada Lovelace"}
DEMO_ORG = "hf-demo-org"

# (repo id, pipeline tag, library, extra tags, license, languages/base model)
MODELS: list[tuple[str, str, str, list[str], str]] = [
    ("demo/tiny-sentiment", "text-classification", "transformers", ["sentiment", "bert"], "mit"),
    ("demo/tiny-gpt", "text-generation", "transformers", ["gpt2", "causal-lm"], "apache-2.0"),
    ("demo/tiny-chat", "text-generation", "transformers", ["conversational", "chat"], "apache-2.0"),
    (
        f"{DEMO_ORG}/mini-embedder",
        "sentence-similarity",
        "sentence-transformers",
        ["embeddings"],
        "apache-2.0",
    ),
    (f"{DEMO_ORG}/mini-features", "feature-extraction", "transformers", ["embeddings"], "mit"),
    ("demo/tiny-bert-mlm", "fill-mask", "transformers", ["bert"], "apache-2.0"),
    ("demo/tiny-ner", "token-classification", "transformers", ["ner"], "mit"),
    ("ada/zero-shot-mini", "zero-shot-classification", "transformers", ["nli"], "mit"),
    ("ada/tiny-qa", "question-answering", "transformers", ["squad"], "apache-2.0"),
    ("ada/tiny-summarizer", "summarization", "transformers", ["t5"], "apache-2.0"),
    ("ada/tiny-translator", "translation", "transformers", ["en-fr"], "apache-2.0"),
    ("demo/tiny-vit", "image-classification", "transformers", ["vision"], "apache-2.0"),
    ("demo/tiny-detr", "object-detection", "transformers", ["vision"], "apache-2.0"),
    ("ada/tiny-diffusion", "text-to-image", "diffusers", ["stable-diffusion"], "openrail"),
    ("demo/tiny-whisper", "automatic-speech-recognition", "transformers", ["audio"], "mit"),
]
# A gated model (gated="manual"): only its owner may use it, everybody else gets 403 GatedRepo.
GATED_MODEL = ("ada/gated-llm", "text-generation", "transformers", ["conversational", "gated"], "other")

# Widget examples, shaped like the `widget:` field of real model cards (YAML lines under `widget:`).
WIDGETS: dict[str, str] = {
    "text-classification": """- text: "I love this movie!"
  example_title: Positive
- text: "The plot was terrible and far too long."
  example_title: Negative""",
    "zero-shot-classification": """- text: "The team scored in the last minute and won the final."
  candidate_labels: "sports, politics, cooking"
  multi_class: false
  example_title: Sports""",
    "fill-mask": '''- text: "Paris is the [MASK] of France."
- text: "The sea was calm and the [MASK] was clear."''',
    "token-classification": '''- text: "My name is Sarah Jones and I live in London."
- text: "Ada Lovelace worked with Charles Babbage in London."''',
    "question-answering": """- text: "When was the Eiffel Tower built?"
  context: "The Eiffel Tower was built in 1889. It stands in Paris, the capital of France."
  example_title: Eiffel Tower""",
    "summarization": '''- text: "The harbour town woke early every morning. Fishermen carried their nets down to the boats,
    and the smell of fresh bread drifted from the bakery. The fish market opened at six. By noon the fish
    market was empty and the town was quiet again."''',
    "translation": """- text: "Hello my friend, the weather is good today."
  example_title: English to French""",
    "sentence-similarity": '''- source_sentence: "I like eating fresh bread"
  sentences:
  - "Eating bread is something I like"
  - "The car is parked on the road"
  - "Fresh bread from the bakery"''',
    "feature-extraction": '''- text: "Embeddings turn text into vectors."''',
    "text-generation": """- text: "Once upon a time, in a harbour town,"
  example_title: Story""",
    "text-to-image": '''- text: "A calm blue ocean under a clear sky"
  example_title: Ocean
- text: "A red fire in a dark forest"''',
    "image-classification": """- src: examples/snow.png
  example_title: Snow""",
    "object-detection": """- src: examples/shapes.png
  example_title: Shapes""",
    "automatic-speech-recognition": """- src: examples/tones.wav
  example_title: Three tones""",
}
CHAT_WIDGET = """- messages:
  - role: user
    content: "Tell me about the harbour town."
  example_title: Chat"""

REVIEWS_CSV = """text,label
"I loved this movie, the acting was wonderful.",positive
"Terrible plot and far too long.",negative
"A pleasant surprise from start to finish.",positive
"The sound was awful and the story made no sense.",negative
"Great value for the price, would buy again.",positive
"It broke after two days.",negative
"Fast delivery and friendly support.",positive
"Not worth the money.",negative
"""


def _widget(task: str, tags: list[str]) -> str:
    examples = CHAT_WIDGET if "conversational" in tags else WIDGETS.get(task)
    return f"widget:\n{examples}\n" if examples else ""


def _model_card(repo_id: str, task: str, library: str, tags: list[str], license_: str) -> str:
    name = repo_id.split("/")[1]
    return f"""---
license: {license_}
language:
- en
library_name: {library}
pipeline_tag: {task}
tags:
{chr(10).join(f"- {t}" for t in tags)}
- sandbox-demo
datasets:
- demo/reviews
base_model: demo/tiny-base
{_widget(task, tags)}---
# {name}

A tiny demo model for **{task}**, served by the sandbox Hub. It exists to show the hub-widgets
(browse, push, model card, inference playground) without reaching huggingface.co.

## Intended use
Demos and tests only: the weights are random bytes.

## Training data
[demo/reviews](../datasets/demo/reviews): a handful of product and movie reviews.
"""


def _example_files(task: str) -> dict[str, bytes]:
    """The files the `src:` widget examples point to (generated, no download)."""
    if task == "image-classification":
        from .inference.images import solid_png

        return {"examples/snow.png": solid_png(64, 48, (238, 240, 245))}
    if task == "object-detection":
        from .inference.images import encode_png

        red, blue, white = bytes((200, 40, 40)), bytes((40, 90, 200)), bytes((250, 250, 250))
        rows = [
            white * 8 + red * 16 + white * 16 + blue * 16 + white * 8 if 8 <= y < 24 else white * 64
            for y in range(48)
        ]
        return {"examples/shapes.png": encode_png(64, 48, rows)}
    if task == "automatic-speech-recognition":
        from .inference.audio import encode_wav

        tones = [(440, 0.3, 0.27), (0, 0.2, 0), (660, 0.4, 0.27), (0, 0.3, 0), (330, 0.3, 0.27)]
        return {"examples/tones.wav": encode_wav(tones)}
    return {}


def _config(task: str) -> str:
    return (
        json.dumps({"model_type": "tiny", "task": task, "hidden_size": 32, "num_labels": 2}, indent=2) + "\n"
    )


def seed(hub: Any, name: str) -> None:
    """Fill `hub` (a started SandboxHub) with the content set `name` ("demo"). Does nothing if already there.

    Args:
        hub: The running SandboxHub.
        name: The content set; only "demo" exists.
    """
    if name != "demo":
        raise ValueError(f"Unknown seed {name!r}: use 'demo'.")
    from huggingface_hub import constants

    accounts = hub.accounts
    for user, fullname in DEMO_USERS.items():
        accounts.add_user(user, fullname)
    accounts.add_org(DEMO_ORG, list(DEMO_USERS))
    seeded = hub.store.get_repo("model", "demo", "tiny-sentiment") is not None
    gated_ns, gated_name = GATED_MODEL[0].split("/")
    if seeded and hub.store.get_repo("model", gated_ns, gated_name) is not None:
        return
    tokens = {user: accounts.new_token(user, "write", name="sandbox-seed") for user in DEMO_USERS}
    saved_xet = constants.HF_HUB_DISABLE_XET
    constants.HF_HUB_DISABLE_XET = True  # the sandbox speaks plain LFS only
    try:
        if not seeded:
            _seed_demo(hub, tokens)
        _seed_gated(hub, tokens)  # also added to data folders seeded before it existed
    finally:
        constants.HF_HUB_DISABLE_XET = saved_xet
        for token in tokens.values():
            accounts.revoke(token)


def _seed_demo(hub: Any, tokens: dict[str, str]) -> None:
    from huggingface_hub import CommitOperationAdd, HfApi

    apis = {
        user: HfApi(endpoint=hub.endpoint, token=token, library_name="sandbox-seed")
        for user, token in tokens.items()
    }
    rng = random.Random(42)

    def api_for(repo_id: str) -> HfApi:
        owner = repo_id.split("/")[0]
        return apis.get(owner, apis["demo"])

    for repo_id, task, library, tags, license_ in MODELS:
        api = api_for(repo_id)
        api.create_repo(repo_id, exist_ok=True)
        ops = [
            CommitOperationAdd("README.md", _model_card(repo_id, task, library, tags, license_).encode()),
            CommitOperationAdd("config.json", _config(task).encode()),
        ]
        ops += [CommitOperationAdd(path, data) for path, data in _example_files(task).items()]
        api.create_commit(repo_id, ops, commit_message="Add model card and config")
        namespace, name = repo_id.split("/")
        repo = hub.store.get_repo("model", namespace, name)
        hub.store.set_counters(repo, downloads=rng.randint(20, 5000), likes=rng.randint(0, 60))

    # The showcase model: LFS weights, several commits, a branch, a tag and an open pull request.
    api = apis["demo"]
    repo_id = "demo/tiny-sentiment"
    weights = rng.randbytes(3 * 1024 * 1024)
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("model.safetensors", weights),
            CommitOperationAdd(
                "tokenizer.json", json.dumps({"vocab": {"[PAD]": 0, "good": 1, "bad": 2}}).encode()
            ),
        ],
        commit_message="Upload weights and tokenizer",
        commit_description="Random weights: this is a demo model.",
    )
    api.upload_file(
        path_or_fileobj=b"Evaluation: accuracy 0.91 on demo/reviews (made up).\n",
        path_in_repo="eval/results.txt",
        repo_id=repo_id,
        commit_message="Add evaluation results",
    )
    api.create_tag(repo_id, tag="v1.0", tag_message="First release")
    api.create_branch(repo_id, branch="dev")
    api.upload_file(
        path_or_fileobj=b'{"experimental": true}\n',
        path_in_repo="experimental.json",
        repo_id=repo_id,
        revision="dev",
        commit_message="Try an experimental setting",
    )
    card = _model_card(repo_id, "text-classification", "transformers", ["sentiment", "bert"], "mit")
    api.upload_file(
        path_or_fileobj=(
            card + "\n## Limitations\nTrained on eight reviews: do not use it for anything real.\n"
        ).encode(),
        path_in_repo="README.md",
        repo_id=repo_id,
        commit_message="Document the limitations",
    )
    apis["ada"].upload_file(
        path_or_fileobj=b"# Usage\n\n```python\nfrom transformers import pipeline\n```\n",
        path_in_repo="USAGE.md",
        repo_id=repo_id,
        create_pr=True,
        commit_message="Add usage notes",
        commit_description="A short usage section, as discussed.",
    )

    # A dataset, a space and a private repo.
    api.create_repo("demo/reviews", repo_type="dataset", exist_ok=True)
    api.create_commit(
        "demo/reviews",
        [
            CommitOperationAdd(
                "README.md",
                b"---\nlicense: cc-by-4.0\nlanguage:\n- en\ntask_categories:\n- text-classification\n"
                b"tags:\n- reviews\n- sandbox-demo\nsize_categories:\n- n<1K\n---\n# Reviews\n\n"
                b"Eight short reviews labelled positive or negative.\n",
            ),
            CommitOperationAdd("reviews.csv", REVIEWS_CSV.encode()),
        ],
        commit_message="Add the reviews dataset",
        repo_type="dataset",
    )
    api.create_repo("demo/hello-space", repo_type="space", space_sdk="gradio", exist_ok=True)
    api.create_commit(
        "demo/hello-space",
        [
            CommitOperationAdd(
                "README.md",
                b"---\ntitle: Hello Space\nsdk: gradio\nsdk_version: 4.0.0\napp_file: app.py\nlicense: mit\n---\n"
                b"# Hello Space\n",
            ),
            CommitOperationAdd(
                "app.py",
                b'import gradio as gr\n\ngr.Interface(lambda name: f"Hello {name}!", "text", "text").launch()\n',
            ),
            CommitOperationAdd("requirements.txt", b"gradio\n"),
        ],
        commit_message="Add the app",
        repo_type="space",
    )
    api.create_repo("demo/private-notes", private=True, exist_ok=True)
    api.upload_file(
        path_or_fileobj=b"---\nlicense: other\ntags:\n- notes\n---\n# Private notes\n\nOnly demo (and nobody else) can see this repo.\n",
        path_in_repo="README.md",
        repo_id="demo/private-notes",
        commit_message="Private notes",
    )


def _seed_gated(hub: Any, tokens: dict[str, str]) -> None:
    """ada/gated-llm: a chat model with gated="manual" (only ada may run it or read its files)."""
    from huggingface_hub import CommitOperationAdd, HfApi

    repo_id, task, library, tags, license_ = GATED_MODEL
    owner = repo_id.split("/")[0]
    api = HfApi(endpoint=hub.endpoint, token=tokens[owner], library_name="sandbox-seed")
    api.create_repo(repo_id, exist_ok=True)
    card = _model_card(repo_id, task, library, tags, license_) + (
        "\n## Access\nThis model is gated: ask the owner for access (on the sandbox only its owner may use it).\n"
    )
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("README.md", card.encode()),
            CommitOperationAdd("config.json", _config(task).encode()),
        ],
        commit_message="Add model card and config",
    )
    api.update_repo_settings(repo_id, gated="manual")
