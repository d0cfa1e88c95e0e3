"""The playground's pure helpers: task inputs, examples from card data, backends, snippets, rendering."""

from __future__ import annotations

import pytest

from hub_widgets.errors import ValidationError
from hub_widgets.playground.backend import Backend, python_snippet
from hub_widgets.playground.render import feature_summary, highlight_spans, score_bars
from hub_widgets.playground.tasks import (
    TASKS,
    build_call,
    build_chat_call,
    default_values,
    examples_from_widget_data,
    task_for_model,
)


def test_fourteen_tasks_with_defaults_that_build_calls():
    assert len(TASKS) >= 14
    for task in TASKS:
        if any(f.kind in ("image", "audio") for f in TASKS[task].fields):
            continue  # needs an upload
        call = build_call(task, default_values(task))
        assert call.method == TASKS[task].method


def test_task_follows_pipeline_tag():
    assert task_for_model("text-generation", ["conversational"]) == "chat"
    assert task_for_model("text-generation", []) == "text-generation"
    assert task_for_model("image-text-to-text") == "chat"
    assert task_for_model("depth-estimation") is None
    assert task_for_model(None) is None


def test_examples_from_card_widget_data():
    qa = examples_from_widget_data(
        "question-answering", [{"text": "Who?", "context": "Ada wrote it.", "example_title": "Who"}]
    )
    assert qa == [("Who", {"question": "Who?", "context": "Ada wrote it."})]
    sim = examples_from_widget_data(
        "sentence-similarity", [{"source_sentence": "a", "sentences": ["b", "c"]}, "junk", {"other": 1}]
    )
    assert sim == [("a", {"source_sentence": "a", "sentences": "b\nc"})]
    chat = examples_from_widget_data(
        "chat",
        [{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]}],
    )
    assert chat[0][1] == {"system": "Be brief.", "message": "Hi"}
    assert examples_from_widget_data("fill-mask", None) == []


@pytest.mark.parametrize(
    ("task", "values", "message"),
    [
        ("text-classification", {"text": "   "}, "Enter some text first."),
        ("zero-shot-classification", {"text": "x", "candidate_labels": " , "}, "candidate label"),
        ("sentence-similarity", {"source_sentence": "x", "sentences": "\n"}, "at least one sentence"),
        ("image-classification", {"image": None}, "Upload an image first."),
        ("text-generation", {"text": "x", "max_new_tokens": 0, "temperature": 1}, "at least 1"),
        ("text-generation", {"text": "x", "max_new_tokens": 5, "temperature": 7}, "between 0 and 2"),
    ],
)
def test_bad_input_is_a_message(task, values, message):
    with pytest.raises(ValidationError, match=message):
        build_call(task, values)


def test_chat_call_checks_parameters():
    with pytest.raises(ValidationError, match="Top p"):
        build_chat_call([], {"max_tokens": 5, "temperature": 0.5, "top_p": 0}, None)
    call = build_chat_call([{"role": "user", "content": "hi"}], default_values("chat"), "org/model")
    assert call.kwargs["stream"] is True and call.kwargs["model"] == "org/model"


def test_backend_url_template_and_checks():
    backend = Backend(model="me/m", endpoint="http://host:1/models/{model}")
    assert backend.url == "http://host:1/models/me/m"
    assert backend.label() == "me/m @ host:1"
    with pytest.raises(ValidationError, match="enter a model id"):
        Backend(endpoint="http://h/{model}").check()
    with pytest.raises(ValidationError, match="http:// or https://"):
        Backend(endpoint="file:///etc/passwd").check()
    with pytest.raises(ValidationError, match="model id"):
        Backend().check()
    assert Backend(model="me/m").url is None and Backend(timeout=0).timeout_seconds is None


def test_snippet_withholds_the_token_for_other_hosts():
    call = build_call("text-classification", {"text": 'It\'s "great"\n'})
    code = python_snippet(Backend(model="me/m", endpoint="http://other:1/{model}"), call, token_allowed=False)
    assert 'headers={"authorization": ""}' in code
    compile(code, "snippet", "exec")
    code = python_snippet(Backend(model="me/m", provider="together"), call, token_allowed=True)
    assert "model='me/m'" in code and "provider='together'" in code and "headers" not in code
    image = build_call("image-classification", {"image": {"name": "cat.png", "content": b"\x89PNG"}})
    assert "client.image_classification('cat.png')" in python_snippet(Backend(model="a/b"), image, True)


def test_rendering_escapes_and_highlights():
    text = "Hi <b>Ada</b> from London"
    html = highlight_spans(text, [(6, 9, "PER", 0.9), (19, 25, "LOC", 0.8), (8, 12, "X", 0.1)])
    assert "&lt;b&gt;" in html and ">Ada<sub" in html and ">London<sub" in html
    assert html.count("<mark") == 2  # the overlapping span is skipped
    bars = score_bars([("<x>", 1.7), ("y", -0.2)], percent=False)
    assert "width:100.0%" in bars and "width:0.0%" in bars and "&lt;x&gt;" in bars
    assert "(2, 3)" in feature_summary([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def test_example_files_resolve_on_the_hub_only():
    from hub_widgets.playground.tasks import resolve_example_file

    assert resolve_example_file("examples/a.png", "me/m", "http://hub") == (
        "me/m",
        "model",
        "main",
        "examples/a.png",
    )
    assert resolve_example_file(
        "https://huggingface.co/datasets/mishig/sample_images/resolve/main/tiger.jpg", "me/m", "http://hub"
    ) == ("mishig/sample_images", "dataset", "main", "tiger.jpg")
    assert resolve_example_file("http://hub/me/x/resolve/v1/a/b.wav", "me/m", "http://hub") == (
        "me/x",
        "model",
        "v1",
        "a/b.wav",
    )
    assert resolve_example_file("https://example.com/cat.png", "me/m", "http://hub") is None
    assert resolve_example_file("../../etc/passwd", "me/m", "http://hub") is None
    examples = examples_from_widget_data("image-classification", [{"src": "https://x/y/cat.png"}])
    assert examples == [("cat.png", {"image": {"src": "https://x/y/cat.png"}})]
