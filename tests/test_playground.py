"""InferencePlayground against the sandbox's inference routes, driven like a user: type, click, read."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import ipywidgets as W
import pytest
from huggingface_hub import HfApi

from hub_widgets.playground.panel import InferencePlayground
from hub_widgets.sandbox.inference.audio import encode_wav
from hub_widgets.sandbox.inference.images import solid_png
from hub_widgets.session import HubSession
from tests.conftest import ALICE, wait_for

TIMEOUT = 60
MODELS = {
    "text-generation": "pg-gpt",
    "fill-mask": "pg-mlm",
    "text-classification": "pg-sentiment",
    "token-classification": "pg-ner",
    "zero-shot-classification": "pg-zero-shot",
    "question-answering": "pg-qa",
    "summarization": "pg-summarizer",
    "translation": "pg-translator",
    "sentence-similarity": "pg-similarity",
    "feature-extraction": "pg-features",
    "image-classification": "pg-vit",
    "text-to-image": "pg-diffusion",
    "automatic-speech-recognition": "pg-whisper",
}
CHAT_MODEL = "alice/pg-chat"


def png_bytes(rgb: tuple[int, int, int] = (250, 250, 240)) -> bytes:
    return solid_png(8, 8, rgb)


def wav_bytes() -> bytes:
    return encode_wav([(440, 1.0, 0.25)], rate=8000)


def upload(name: str, content: bytes, mime: str) -> tuple[dict, ...]:
    """What a FileUpload holds after the user picked a file."""
    return (
        {
            "name": name,
            "type": mime,
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.now(timezone.utc),
        },
    )


@pytest.fixture(scope="module")
def models(sandbox):
    """One public model per task on the sandbox (alice's), plus a chat model; some with widget examples."""
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    widget = {
        "text-classification": (
            "widget:\n- text: I hate rainy mondays.\n  example_title: Grumpy\n"
            "- text: Sunny days make me happy.\n  example_title: Sunny\n"
        ),
        "zero-shot-classification": (
            "widget:\n- text: The recipe needs two eggs and some flour.\n"
            "  candidate_labels: cooking, sports, politics\n"
        ),
    }
    for task, name in {**MODELS, "chat": "pg-chat"}.items():
        tag = "text-generation" if task == "chat" else task
        tags = "tags:\n- conversational\n" if task == "chat" else ""
        card = f"---\nlicense: mit\npipeline_tag: {tag}\n{tags}{widget.get(task, '')}---\n# {name}\n"
        api.create_repo(f"alice/{name}", exist_ok=True)
        api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=f"alice/{name}")
    return {task: f"alice/{name}" for task, name in MODELS.items()}


@pytest.fixture
def inference(sandbox):
    sandbox.inference.clear()
    yield sandbox.inference
    sandbox.inference.clear()
    sandbox.inference.token_delay = 0.01


def template(endpoint: str) -> str:
    return endpoint + "/inference/models/{model}"


def open_playground(session: HubSession, model: str, **kwargs) -> InferencePlayground:
    playground = InferencePlayground(
        model=model, endpoint=template(session.endpoint), session=session, **kwargs
    )
    wait_for(lambda: playground.status.kind in ("info", "warning", "error"), TIMEOUT, "model info")
    return playground


def run_and_wait(playground: InferencePlayground) -> None:
    playground.run_button.click()
    wait_for(lambda: not playground._running and playground._countdown is None, TIMEOUT, "the call")


def widget_tree(root: W.Widget) -> list[W.Widget]:
    """`root` and every widget below it (what the notebook would save as widget state)."""
    found, stack = [], [root]
    while stack:
        widget = stack.pop()
        found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


def requests_to(sandbox, path_part: str) -> list[dict]:
    return [
        entry for entry in sandbox.request_log if path_part in entry["path"] and entry["method"] == "POST"
    ]


EXPECTED_HTML = {
    "text-generation": "hubw-text",
    "fill-mask": "hubw-bar",
    "text-classification": "hubw-bar",
    "token-classification": "hubw-entity",
    "zero-shot-classification": "hubw-bar",
    "question-answering": "hubw-entity",
    "summarization": "hubw-text",
    "translation": "hubw-text",
    "sentence-similarity": "hubw-bar",
    "feature-extraction": "hubw-shape",
    "image-classification": "data:image/png;base64,",
    "text-to-image": "data:image/png;base64,",
    "automatic-speech-recognition": "<audio class='hubw-audio' controls src='data:audio/wav;base64,",
}


@pytest.mark.parametrize("task", list(MODELS))
def test_every_task_runs_on_the_sandbox_and_shows_its_result(hub_session, sandbox, models, task, inference):
    model = models[task]
    playground = open_playground(hub_session, model)
    assert playground.task.value == task  # from the model's pipeline tag
    form = playground.form()
    if task == "image-classification":
        form.controls["image"].value = upload("photo.png", png_bytes(), "image/png")
    if task == "automatic-speech-recognition":
        form.controls["audio"].value = upload("hello.wav", wav_bytes(), "audio/wav")
    before = len(requests_to(sandbox, f"/inference/models/{model}"))

    run_and_wait(playground)

    lane = playground.lanes[0]
    assert lane.problem is None, lane.problem
    assert EXPECTED_HTML[task] in lane.output.value
    streamed = task == "text-generation"
    assert ("first token" if streamed else "answered in") in lane.latency.value
    assert playground.status.kind == "success"
    assert len(requests_to(sandbox, f"/inference/models/{model}")) == before + 1
    playground.raw_toggle.value = True
    assert lane.raw.layout.display == ""
    raw = lane.raw.value.split(">", 1)[1].rsplit("</pre>", 1)[0]
    assert json.loads(
        raw.replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def test_results_follow_the_input(hub_session, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    form = playground.form()
    # The card's widget example is loaded first.
    assert form.controls["text"].value == "I hate rainy mondays."
    assert [label for label, _i in playground.examples.options] == ["Grumpy", "Sunny"]
    playground.examples.value = 1  # pick the second example
    assert form.controls["text"].value == "Sunny days make me happy."
    playground.examples.value = 0
    assert form.controls["text"].value == "I hate rainy mondays."
    run_and_wait(playground)
    grumpy = playground.lanes[0].result
    form.controls["text"].value = "I love this, it is wonderful and great."
    run_and_wait(playground)
    happy = playground.lanes[0].result
    assert grumpy[0].label != happy[0].label

    qa = open_playground(hub_session, models["question-answering"])
    qa.form().controls["question"].value = "Where does Sarah live?"
    qa.form().controls["context"].value = "My name is Sarah and I live in London. I have a cat."
    run_and_wait(qa)
    answer = qa.lanes[0].result
    assert "My name is Sarah and I live in London. I have a cat."[answer.start : answer.end] == answer.answer
    assert f">{answer.answer}<sub" in qa.lanes[0].output.value  # highlighted in the context


def test_zero_shot_examples_fill_labels(hub_session, models, inference):
    playground = open_playground(hub_session, models["zero-shot-classification"])
    assert playground.form().controls["candidate_labels"].value == "cooking, sports, politics"
    run_and_wait(playground)
    labels = [item.label for item in playground.lanes[0].result]
    assert sorted(labels) == ["cooking", "politics", "sports"]


def chat_playground(session: HubSession, **kwargs) -> InferencePlayground:
    playground = open_playground(session, CHAT_MODEL, **kwargs)
    assert playground.task.value == "chat"
    return playground


def test_chat_streams_and_keeps_the_conversation(hub_session, sandbox, models, inference):
    playground = chat_playground(hub_session)
    form = playground.form()
    form.controls["message"].value = "Tell me about the moon and the stars."
    form.controls["max_tokens"].value = 40
    run_and_wait(playground)
    lane = playground.lanes[0]
    assert [m["role"] for m in lane.history] == ["user", "assistant"]
    assert lane.history[1]["content"] and lane.history[1]["content"] in lane.output.value
    assert form.controls["message"].value == ""  # sent
    stats = lane.stats
    assert stats.prompt_tokens and stats.completion_tokens and stats.completion_tokens <= 40
    assert "completion tokens" in lane.latency.value and "first token" in lane.latency.value
    assert f"served by {CHAT_MODEL} (sandbox engine)" in lane.latency.value

    form.controls["message"].value = "And what about the sun?"
    run_and_wait(playground)
    assert [m["role"] for m in lane.history] == ["user", "assistant", "user", "assistant"]
    assert "And what about the sun?" in lane.output.value and "Tell me about the moon" in lane.output.value

    playground.new_chat_button.click()
    assert lane.history == []


def test_streamed_answers_are_shown_in_batches(hub_session, models, inference):
    inference.token_delay = 0.002  # ~500 tokens a second: far more than the screen needs
    playground = chat_playground(hub_session)
    form = playground.form()
    form.controls["message"].value = "Tell me a long story about the sea."
    form.controls["max_tokens"].value = 400
    run_and_wait(playground)
    stats = playground.lanes[0].stats
    streamed = stats.finished - stats.first_chunk
    assert stats.chunks >= 100
    assert stats.updates <= 20 * streamed + 2  # at most ~20 redraws a second
    times = stats.update_times
    assert all(times[i + 20] - times[i] >= 0.95 for i in range(len(times) - 20))
    assert (
        stats.update_times[0] == stats.first_shown >= stats.first_token
    )  # shown at once (timed in bench F7)
    assert playground.lanes[0].history[-1]["content"] in playground.lanes[0].output.value


def test_stop_ends_a_streamed_answer_early(hub_session, models, inference):
    inference.token_delay = 0.05
    playground = chat_playground(hub_session)
    form = playground.form()
    form.controls["message"].value = "Write a very long story."
    form.controls["max_tokens"].value = 400
    playground.run_button.click()
    lane = playground.lanes[0]
    wait_for(lambda: lane.stats.chunks >= 3, TIMEOUT, "the first tokens")
    playground.stop_button.click()
    wait_for(lambda: lane.stats.finished is not None, TIMEOUT, "the stream to stop")
    assert lane.stats.chunks < 100
    assert "stopped" in lane.latency.value
    assert playground.status.text == "Stopped."
    assert not playground.run_button.disabled
    assert lane.history[-1]["role"] == "assistant"  # the partial answer stays in the conversation


def test_compare_runs_both_sides_on_the_same_input(hub_session, sandbox, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    playground.compare.value = True
    right = playground.lanes[1]
    assert right.config.layout.display == ""
    right.model.value = models["zero-shot-classification"]  # another model, same text
    right.endpoint.value = template(hub_session.endpoint) + "?task=text-classification"
    playground.form().controls["text"].value = "What a wonderful day."
    run_and_wait(playground)
    for lane in playground.lanes:
        assert lane.problem is None and "hubw-bar" in lane.output.value and "ms" in lane.latency.value
        assert lane.view.layout.display == ""
    assert requests_to(sandbox, f"/inference/models/{models['zero-shot-classification']}")
    playground.save_result("pg_compared")
    import __main__

    assert len(__main__.pg_compared) == 2


def test_compare_chat_holds_two_conversations(hub_session, models, inference):
    playground = chat_playground(hub_session)
    playground.compare.value = True
    playground.lanes[1].model.value = models["text-generation"]
    playground.form().controls["message"].value = "Hello there"
    run_and_wait(playground)
    for lane in playground.lanes:
        assert [m["role"] for m in lane.history] == ["user", "assistant"]


@pytest.mark.parametrize(
    ("kind", "kwargs", "expected", "link", "problem_kind"),
    [
        ("loading", {"estimated_time": 20}, "is loading: ready in about 20 s", None, "loading"),
        ("rate_limit", {"retry_after": 7}, "retry after 7 s", None, "rate_limited"),
        ("credits", {}, "Out of inference credits", "/settings/billing", "out_of_credits"),
        ("gated", {}, "is gated: accept its terms", "/alice/pg-sentiment", "gated"),
        ("server_error", {}, "Server error 500", None, "server_error"),
    ],
)
def test_each_error_is_one_clear_line(
    hub_session, models, inference, kind, kwargs, expected, link, problem_kind
):
    model = models["text-classification"]
    inference.fail(kind, model=model, **kwargs)
    playground = open_playground(hub_session, model)
    text_before = playground.form().controls["text"].value
    run_and_wait(playground)
    lane = playground.lanes[0]
    assert lane.problem is not None and lane.problem.kind == problem_kind
    assert expected in lane.problem_view.value
    assert expected in playground.status.text
    assert "Traceback" not in lane.problem_view.value and ALICE not in lane.problem_view.value
    if link:
        assert link in lane.problem_view.value
    assert playground.form().controls["text"].value == text_before  # nothing lost
    retry_shown = playground.retry_button.layout.display != "none"
    assert retry_shown == (kind in ("loading", "rate_limit"))


def test_loading_model_wait_and_retry_counts_down_then_succeeds(hub_session, models, inference):
    model = models["text-classification"]
    inference.fail("loading", model=model, times=1, estimated_time=1)
    playground = open_playground(hub_session, model)
    run_and_wait(playground)
    assert playground.lanes[0].problem.kind == "loading"
    playground.retry_button.click()
    wait_for(lambda: "Retrying in" in playground.status.text, 10, "the countdown")
    wait_for(lambda: playground.status.kind == "success", TIMEOUT, "the retried call")
    assert "hubw-bar" in playground.lanes[0].output.value


def test_auto_retry_waits_for_a_loading_model(hub_session, models, inference):
    model = models["text-classification"]
    inference.fail("loading", model=model, times=1, estimated_time=1)
    playground = open_playground(hub_session, model)
    playground.auto_retry.value = True
    playground.run_button.click()
    wait_for(lambda: playground.status.kind == "success", TIMEOUT, "the automatic retry")
    assert playground.lanes[0].result


def test_stop_cancels_the_retry_countdown(hub_session, models, inference):
    model = models["text-classification"]
    inference.fail("loading", model=model, estimated_time=30)
    playground = open_playground(hub_session, model)
    run_and_wait(playground)
    playground.retry_button.click()
    wait_for(lambda: "Retrying in" in playground.status.text, 10, "the countdown")
    playground.stop_button.click()
    assert playground.status.text == "Stopped."
    assert not playground.run_button.disabled


def test_invalid_token_timeout_and_unreachable_endpoint(endpoint, sandbox, models, inference):
    model = models["text-classification"]
    bad = HubSession(endpoint=endpoint, token="hf_sandbox_not_a_real_token")
    try:
        playground = InferencePlayground(
            model=model, task="text-classification", endpoint=template(endpoint), session=bad
        )
        run_and_wait(playground)
        assert playground.lanes[0].problem.kind == "invalid_token"
        assert "not_a_real_token" not in playground.lanes[0].problem_view.value
    finally:
        bad.close()

    session = HubSession(endpoint=endpoint)
    try:
        inference.fail("slow", model=model, delay=3)
        slow = InferencePlayground(
            model=model, task="text-classification", endpoint=template(endpoint), session=session
        )
        slow.timeout.value = 0.5
        run_and_wait(slow)
        assert slow.lanes[0].problem.kind == "timeout"
        assert "in time" in slow.status.text

        gone = InferencePlayground(
            model=model, task="text-classification", endpoint="http://127.0.0.1:9/", session=session
        )
        run_and_wait(gone)
        assert gone.lanes[0].problem.kind == "unreachable"
        assert "Cannot reach 127.0.0.1:9" in gone.status.text
    finally:
        session.close()


def test_an_error_in_the_middle_of_a_stream_keeps_the_message(hub_session, models, inference):
    inference.fail("midstream", model=CHAT_MODEL, after_tokens=3)
    playground = chat_playground(hub_session)
    playground.form().controls["message"].value = "Are you there?"
    run_and_wait(playground)
    lane = playground.lanes[0]
    assert lane.problem is not None and lane.problem.kind == "generation_failed"
    assert lane.history == []
    assert playground.form().controls["message"].value == "Are you there?"  # given back to retype nothing


def test_bad_input_is_a_message_and_sends_nothing(hub_session, sandbox, models, inference):
    model = models["zero-shot-classification"]
    playground = open_playground(hub_session, model)
    playground.form().controls["candidate_labels"].value = " , "
    before = len(requests_to(sandbox, model))
    playground.run_button.click()
    assert playground.status.kind == "error" and "candidate label" in playground.status.text
    playground.lanes[0].backend_kind.value = "endpoint"
    playground.lanes[0].endpoint.value = "ftp://nowhere"
    playground.run_button.click()
    assert "http:// or https://" in playground.status.text
    image = open_playground(hub_session, models["image-classification"])
    image.run_button.click()
    assert image.status.text == "Upload an image first."
    assert len(requests_to(sandbox, model)) == before
    with pytest.raises(ValueError):
        InferencePlayground(task="no-such-task", session=hub_session)


def test_token_goes_to_hugging_face_hosts_only_unless_opted_in(endpoint, sandbox, models, inference):
    model = models["text-classification"]
    session = HubSession(endpoint=endpoint, token=ALICE)
    try:

        def authorized_calls(url: str) -> list[bool]:
            playground = InferencePlayground(
                model=model, task="text-classification", endpoint=url, session=session
            )
            sandbox.state.request_log.clear()
            run_and_wait(playground)
            assert playground.lanes[0].problem is None, playground.lanes[0].problem
            return [
                e["authorization"] for e in requests_to(sandbox, f"/inference/models/{model}")
            ], playground

        # The session's own Hub: the token was issued there.
        sent, _p = authorized_calls(template(endpoint))
        assert sent == [True]
        # Another host (same server, reached by another name): not a Hugging Face host.
        other = template(endpoint.replace("127.0.0.1", "localhost"))
        sent, playground = authorized_calls(other)
        assert sent == [False]
        assert "not sent" in playground.lanes[0].token_note.value
        assert playground.lanes[0].send_token.layout.display == ""
        snippet = playground.snippet()
        assert '"authorization": ""' in snippet and ALICE not in snippet
        # Opted in.
        playground.lanes[0].send_token.value = True
        sandbox.state.request_log.clear()
        run_and_wait(playground)
        assert [e["authorization"] for e in requests_to(sandbox, f"/inference/models/{model}")] == [True]
        assert "opted in" in playground.lanes[0].token_note.value
        # Never in any widget's state.
        tree = widget_tree(playground)
        assert len(tree) > 30
        states = json.dumps([w.get_state() for w in tree], default=str)
        assert ALICE not in states
    finally:
        session.close()


@pytest.mark.parametrize("task", ["text-classification", "image-classification", "text-generation"])
def test_copy_as_python_reproduces_the_call(hub_session, models, inference, task, tmp_path, monkeypatch):
    playground = open_playground(hub_session, models[task])
    if task == "image-classification":
        content = png_bytes(rgb=(10, 20, 30))
        playground.form().controls["image"].value = upload("dark.png", content, "image/png")
        (tmp_path / "dark.png").write_bytes(content)
    run_and_wait(playground)
    assert "hubw-copy" in playground.copy_view.value and "disabled" not in playground.copy_view.value
    code = playground.snippet()
    assert "InferenceClient(" in code and ALICE not in code
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "snippet", "exec"), namespace)
    result = namespace["result"]
    expected = playground.lanes[0].result
    if task == "text-generation":
        assert result == expected
    else:
        assert [(r.label, round(r.score, 6)) for r in result] == [
            (r.label, round(r.score, 6)) for r in expected
        ]


def test_chat_snippet_runs_and_save_result(hub_session, models, inference, capsys):
    playground = chat_playground(hub_session)
    playground.form().controls["message"].value = "Hi!"
    playground.form().controls["temperature"].value = 0.0
    run_and_wait(playground)
    namespace: dict = {}
    exec(compile(playground.snippet(), "snippet", "exec"), namespace)
    assert namespace["result"] == playground.lanes[0].history[-1]["content"]

    playground.save_name.value = "not valid"
    playground.save_button.click()
    assert playground.status.kind == "error" and "not a valid Python variable name" in playground.status.text
    playground.save_name.value = "answer"
    playground.save_button.click()
    import __main__

    assert __main__.answer == playground.lanes[0].history[-1]["content"]


def test_an_example_file_from_the_card_is_fetched_from_the_repo(
    hub_session, api, sandbox, inference, repo_name
):
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    card = "---\nlicense: mit\npipeline_tag: image-classification\nwidget:\n- src: examples/bright.png\n  example_title: Bright\n---\n"
    api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id)
    api.upload_file(
        path_or_fileobj=png_bytes(rgb=(250, 250, 250)), path_in_repo="examples/bright.png", repo_id=repo_id
    )
    playground = InferencePlayground(model=repo_id, endpoint=template(sandbox.endpoint), session=hub_session)
    upload_control = playground.form("image-classification").controls["image"]
    wait_for(lambda: upload_control.value, TIMEOUT, "the example image")
    assert upload_control.value[0]["name"] == "bright.png"
    assert [label for label, _i in playground.examples.options] == ["Bright"]
    run_and_wait(playground)
    assert playground.lanes[0].problem is None and "hubw-bar" in playground.lanes[0].output.value


def test_inference_providers_mode_explains_what_is_missing(endpoint, models, inference):
    """Providers mode without a token, and for a model no provider serves: one clear line each, no network."""
    session = HubSession(endpoint=endpoint)  # logged out
    try:
        chat = InferencePlayground(model=CHAT_MODEL, session=session)
        chat.info_task.wait(TIMEOUT)
        assert chat.lanes[0].backend_kind.value == "providers"
        assert "router only" in chat.lanes[0].token_note.value
        chat.form().controls["message"].value = "Hello"
        chat.run()
        chat.wait(TIMEOUT)
        assert chat.lanes[0].problem.kind == "not_logged_in"
        assert chat.form().controls["message"].value == "Hello"

        classifier = InferencePlayground(model=models["text-classification"], session=session)
        classifier.info_task.wait(TIMEOUT)
        classifier.run()
        classifier.wait(TIMEOUT)
        assert classifier.lanes[0].problem.kind == "not_found"
        assert "No Inference Provider serves" in classifier.status.text
    finally:
        session.close()


class SlowToReturnSession(HubSession):
    """A session whose `submit` returns late: the call is over (or waits for its callbacks) by then."""

    def submit(self, fn, *args, **kwargs):
        task = super().submit(fn, *args, **kwargs)
        time.sleep(0.3)
        return task


def test_an_answer_that_arrives_before_run_returns_still_enables_run(endpoint, models, inference):
    session = SlowToReturnSession(endpoint=endpoint, token=ALICE)
    try:
        playground = InferencePlayground(
            model=models["text-classification"],
            task="text-classification",
            endpoint=template(endpoint),
            session=session,
        )
        playground.compare.value = True
        playground.run_button.click()
        assert playground.wait(TIMEOUT)
        assert playground._running == {}
        assert not playground.run_button.disabled and playground.stop_button.disabled
        assert playground.status.kind == "success"
        assert all("hubw-bar" in lane.output.value for lane in playground.lanes)
    finally:
        session.close()


def test_compare_chat_keeps_the_message_where_it_was_answered(hub_session, models, inference):
    inference.fail("server_error", model=models["text-generation"])
    playground = chat_playground(hub_session)
    playground.compare.value = True
    playground.lanes[1].model.value = models["text-generation"]
    playground.form().controls["message"].value = "Hello there"
    run_and_wait(playground)
    left, right = playground.lanes
    assert [m["role"] for m in left.history] == ["user", "assistant"]
    assert right.history == [] and right.problem.kind == "server_error"
    assert playground.form().controls["message"].value == ""  # one side has it: not put back
