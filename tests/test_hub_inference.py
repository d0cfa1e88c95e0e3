"""hub.inference against the sandbox's inference routes, without any widget."""

from __future__ import annotations

from collections.abc import Iterator

from huggingface_hub import CommitOperationAdd

from hub_widgets.hub import inference
from hub_widgets.playground.tasks import Call

CARD = "---\nlicense: mit\npipeline_tag: text-generation\ntags:\n- conversational\n---\n# chat\n"


def test_model_info_example_file_and_calls(api, hub_session, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        [CommitOperationAdd("README.md", CARD.encode()), CommitOperationAdd("examples/in.txt", b"hello")],
        commit_message="add",
    )
    info = inference.model_info(hub_session, repo_id, expand=["pipeline_tag", "tags"])
    assert info.pipeline_tag == "text-generation" and "conversational" in info.tags
    assert inference.example_file(hub_session, repo_id, "examples/in.txt") == b"hello"

    url = f"{hub_session.endpoint}/inference/models/{repo_id}"
    messages = [{"role": "user", "content": "Say something."}]
    answer = inference.run(hub_session, Call("chat_completion", (messages,), {"max_tokens": 8}), base_url=url)
    assert answer.choices[0].message.content
    # A streaming call: chunks keep coming while the caller holds only the iterator.
    chunks = inference.run(
        hub_session, Call("chat_completion", (messages,), {"max_tokens": 8, "stream": True}), base_url=url
    )
    assert isinstance(chunks, Iterator)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == answer.choices[0].message.content
