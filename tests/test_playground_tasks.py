"""The playground's task registry: complete declarations, parity with the sandbox's engine table, and
object detection end to end (a new task added with one task file and one engine)."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from huggingface_hub import HfApi, InferenceClient

from hub_widgets.playground.tasks import (
    TASK_ALIASES,
    TASKS,
    RegistrationError,
    build_call,
    default_values,
    register,
    render_result,
)
from hub_widgets.playground.tasks.base import FILE_KINDS
from hub_widgets.sandbox.inference.images import encode_png
from hub_widgets.sandbox.inference.registry import CHAT_TASKS, ENGINES
from tests.conftest import ALICE
from tests.test_playground import open_playground, png_bytes, requests_to, run_and_wait, upload, wav_bytes

TIMEOUT = 60


def shapes_png() -> bytes:
    """64x48, white, a red rectangle at x 8-23, y 8-19 and a blue disc centred on (47, 31)."""
    rows = []
    for y in range(48):
        row = bytearray()
        for x in range(64):
            if 8 <= x < 24 and 8 <= y < 20:
                row += bytes((200, 40, 40))
            elif (x - 47) ** 2 + (y - 31) ** 2 <= 64:
                row += bytes((40, 90, 200))
            else:
                row += bytes((250, 250, 250))
        rows.append(bytes(row))
    return encode_png(64, 48, rows)


# -- the registry -------------------------------------------------------------------------------------


def test_every_task_has_a_sandbox_engine_and_every_engine_a_task():
    """The sandbox's engine table (read here: the widgets import nothing from the sandbox) and the
    playground's registry name the same tasks, with the same kind of input and the same streaming."""
    widget_tasks = {name for name in TASKS if name != "chat"}
    assert widget_tasks == set(ENGINES), (
        f"no sandbox engine for {sorted(widget_tasks - set(ENGINES))}; "
        f"no playground task for {sorted(set(ENGINES) - widget_tasks)}"
    )
    assert TASKS["chat"].method == "chat_completion" and CHAT_TASKS  # chat has its own sandbox route
    for name in widget_tasks:
        spec, engine = TASKS[name], ENGINES[name]
        uploads = any(f.kind in FILE_KINDS for f in spec.fields)
        assert engine.binary == uploads, f"{name}: the sandbox and the form disagree on binary input"
        assert engine.streams == spec.streams, f"{name}: the sandbox and the playground disagree on streaming"


def test_every_task_is_complete_and_names_an_inference_client_method():
    for name, spec in TASKS.items():
        assert callable(getattr(InferenceClient, spec.method, None)), (
            f"{name}: no InferenceClient.{spec.method}"
        )
        assert callable(spec.render) and callable(spec.build)
        if not any(f.kind in FILE_KINDS for f in spec.fields):
            assert build_call(name, default_values(name)).method == spec.method
    assert TASK_ALIASES == {
        "conversational": "chat",
        "image-text-to-text": "chat",
        "text2text-generation": "summarization",
    }


def test_a_task_without_a_renderer_is_a_registration_error():
    before = dict(TASKS)
    spec = TASKS["text-classification"]
    with pytest.raises(RegistrationError, match="no renderer"):
        register(replace(spec, name="sentiment-x", render=None))
    with pytest.raises(RegistrationError, match="twice"):
        register(spec)
    with pytest.raises(RegistrationError, match="field kind"):
        register(replace(spec, name="x", fields=(replace(spec.fields[0], kind="video"),)))
    with pytest.raises(RegistrationError, match="already opens"):
        register(replace(spec, name="y", aliases=("conversational",)))
    assert dict(TASKS) == before  # nothing half-registered
    with pytest.raises(TypeError):
        TASKS["z"] = spec  # type: ignore[index]  # read-only: tasks are added through register()


# -- every task against the sandbox --------------------------------------------------------------------


@pytest.fixture(scope="module")
def task_models(sandbox):
    """One public model per registered task (alice's), tagged with the task."""
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    models = {}
    for name in TASKS:
        if name == "chat":
            continue
        repo_id = f"alice/registry-{name}"
        card = f"---\nlicense: mit\npipeline_tag: {name}\n---\n# {name}\n"
        api.create_repo(repo_id, exist_ok=True)
        api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id)
        models[name] = repo_id
    return models


@pytest.mark.parametrize("task", [name for name in TASKS if name != "chat"])
def test_every_registered_task_shows_its_sandbox_answer_rendered_not_as_raw_json(
    hub_session, sandbox, task_models, task
):
    playground = open_playground(hub_session, task_models[task])
    assert playground.task.value == task
    form = playground.form()
    for field in TASKS[task].fields:
        if field.kind == "image":
            form.controls[field.name].value = upload("shapes.png", shapes_png(), "image/png")
        if field.kind == "audio":
            form.controls[field.name].value = upload("hello.wav", wav_bytes(), "audio/wav")
    run_and_wait(playground)
    lane = playground.lanes[0]
    assert lane.problem is None, lane.problem
    assert lane.output.value and "hubw-raw" not in lane.output.value
    assert playground.status.kind == "success"


# -- object detection ------------------------------------------------------------------------------


def boxes_shown(output: str) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(label, (left, top, width, height) in %) of each box drawn over the image."""
    found = re.findall(
        r"<div class='hubw-box'[^>]*left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%"
        r".*?<span class='hubw-box-label'[^>]*>(.*?) \d+%</span>",
        output,
    )
    return [(html.unescape(label), tuple(float(v) for v in box)) for *box, label in found]


def test_object_detection_draws_the_boxes_over_the_uploaded_image(hub_session, sandbox, task_models):
    model = task_models["object-detection"]
    playground = open_playground(hub_session, model)
    assert playground.task.value == "object-detection"
    playground.run_button.click()
    assert playground.status.text == "Upload an image first."
    content = shapes_png()
    playground.form().controls["image"].value = upload("shapes.png", content, "image/png")
    before = len(requests_to(sandbox, f"/inference/models/{model}"))

    run_and_wait(playground)

    lane = playground.lanes[0]
    assert lane.problem is None, lane.problem
    output = lane.output.value
    assert "class='hubw-detections'" in output and "data:image/png;base64," in output
    assert boxes_shown(output) == [
        ("red rectangle", (12.5, 16.67, 25.0, 25.0)),  # x 8-24 of 64, y 8-20 of 48
        ("blue circle", (60.94, 47.92, 26.56, 35.42)),  # x 39-56, y 23-40
    ]
    assert "hubw-bar" in output  # the scores listed below
    assert [(r.label, r.box.xmin, r.box.ymax) for r in lane.result] == [
        ("red rectangle", 8, 20),
        ("blue circle", 39, 40),
    ]
    assert playground.status.kind == "success"
    assert len(requests_to(sandbox, f"/inference/models/{model}")) == before + 1

    playground.form().controls["threshold"].value = 1.0  # above every score
    run_and_wait(playground)
    assert "No objects found." in lane.output.value and "hubw-box" not in lane.output.value


def test_object_detection_snippet_reproduces_the_call(hub_session, task_models, tmp_path, monkeypatch):
    playground = open_playground(hub_session, task_models["object-detection"])
    (tmp_path / "shapes.png").write_bytes(shapes_png())
    playground.form().controls["image"].value = upload("shapes.png", shapes_png(), "image/png")
    run_and_wait(playground)
    code = playground.snippet()
    assert "client.object_detection('shapes.png', threshold=0.5)" in code
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "snippet", "exec"), namespace)
    assert [(r.label, r.box) for r in namespace["result"]] == [
        (r.label, r.box) for r in playground.lanes[0].result
    ]


def test_object_detection_escapes_labels_and_keeps_boxes_inside_the_image():
    values = {"image": {"name": "a.png", "type": "image/png", "content": png_bytes()}}  # 8x8
    result = [
        {
            "label": "<img src=x onerror=alert(1)>",
            "score": 0.9,
            "box": {"xmin": -5, "ymin": 2, "xmax": 99, "ymax": "x"},
        },
        {"label": "ok", "score": 0.8, "box": {"xmin": float("nan"), "ymin": 0, "xmax": 4, "ymax": 4}},
    ]
    output = render_result("object-detection", result, values)
    assert "<img src=x" not in output and "&lt;img src=x onerror=alert(1)&gt;" in output
    assert boxes_shown(output) == [
        ("<img src=x onerror=alert(1)>", (0.0, 25.0, 100.0, 0.0)),
        ("ok", (0.0, 0.0, 50.0, 50.0)),
    ]
    # Without a readable picture the detections are still listed, never as raw JSON.
    listed = render_result("object-detection", result, {"image": {"name": "a.bin", "content": b"junk"}})
    assert "hubw-bar" in listed and "hubw-box" not in listed and "hubw-raw" not in listed


def test_the_sandbox_detects_shapes_through_the_inference_client(sandbox, task_models):
    client = InferenceClient(
        base_url=f"{sandbox.endpoint}/inference/models/{task_models['object-detection']}"
    )
    found = client.object_detection(shapes_png())  # raw bytes (no parameters)
    assert [(r.label, (r.box.xmin, r.box.ymin, r.box.xmax, r.box.ymax)) for r in found] == [
        ("red rectangle", (8, 8, 24, 20)),
        ("blue circle", (39, 23, 56, 40)),
    ]
    assert client.object_detection(shapes_png(), threshold=1.0) == []  # base64 JSON with parameters
    assert client.object_detection(png_bytes()) == []  # a plain picture holds no object
