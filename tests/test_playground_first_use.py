"""The playground as a new user meets it (issue 15): nothing stale, nothing empty, models on offer, one-click copy."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import ipywidgets as W
from huggingface_hub import constants

from hub_widgets.playground.panel import InferencePlayground
from tests import test_playground
from tests.conftest import wait_for
from tests.test_playground import (
    CHAT_MODEL,
    TIMEOUT,
    open_playground,
    run_and_wait,
    template,
    widget_tree,
)

# The playground tests' fixtures: one model per task on the sandbox, and its inference switches.
models = test_playground.models
inference = test_playground.inference


class Buttons(HTMLParser):
    """The <button> elements of an HTML value (entity-decoded attributes and text), and the hidden text
    a copy button copies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.copy_texts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button":
            self.found.append({**attrs, "text": ""})
            self._in = "button"
        elif "hubw-copy-text" in (attrs.get("class") or ""):
            assert "hidden" in attrs
            self.copy_texts.append("")
            self._in = "copy"

    def handle_endtag(self, tag):
        if tag in ("button", "span"):
            self._in = None

    def handle_data(self, data):
        if self._in == "button":
            self.found[-1]["text"] += data
        elif self._in == "copy":
            self.copy_texts[-1] += data


def parse(value: str) -> Buttons:
    parser = Buttons()
    parser.feed(value)
    parser.close()
    return parser


def buttons(value: str) -> list[dict]:
    return parse(value).found


def html_values(playground: InferencePlayground) -> str:
    return "".join(
        str(getattr(w, "value", "")) for w in widget_tree(playground) if type(w).__name__ == "HTML"
    )


def copied_text(playground: InferencePlayground) -> str:
    """What a click on "Copy as Python" puts on the clipboard: the hidden text its constant script reads."""
    from hub_widgets.ui.html import COPY_ONCLICK

    parsed = parse(playground.copy_view.value)
    (button,) = parsed.found
    assert "disabled" not in button
    assert button["onclick"] == COPY_ONCLICK  # the one constant script: no data in it
    assert (button["data-label"], button["data-done"]) == ("Copy as Python", "Copied")
    (text,) = parsed.copy_texts
    return text


def test_copy_as_python_is_one_button_that_copies_the_last_call(hub_session, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    (before,) = buttons(playground.copy_view.value)
    assert (
        "disabled" in before
        and "Copy as Python" in before["text"]
        and "Run something first" in before["title"]
    )
    playground.form().controls[
        "text"
    ].value = 'It said "</button><img src=x onerror=alert(1)>" \u2028 and left.'
    run_and_wait(playground)
    assert copied_text(playground) == playground.snippet()
    assert "onerror=alert(1)" in playground.snippet()  # the text is in the snippet, as data only
    # One copy button in the whole widget, and it is the styled one.
    everything = buttons(html_values(playground))
    assert len(everything) == 1 and "fa-clipboard" in playground.copy_view.value
    assert "var(--jp-layout-color2" in everything[0]["style"]

    playground.compare.value = True
    playground.lanes[1].model.value = models["text-classification"]
    run_and_wait(playground)
    assert (
        copied_text(playground) == playground.snippet()
        and playground.snippet().count("InferenceClient(") == 2
    )


def test_no_empty_result_box_before_the_first_run(hub_session, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    lane = playground.lanes[0]
    assert lane.view.layout.display == "none"
    playground.compare.value = True
    assert playground.lanes[1].view.layout.display == "none"  # lane B's settings show, no empty box
    assert playground.lanes[1].config.layout.display == ""
    run_and_wait(playground)
    assert all(
        lane.view.layout.display == "" and "hubw-bar" in lane.output.value for lane in playground.lanes
    )
    playground.compare.value = False
    assert playground.lanes[1].view.layout.display == "none"

    chat = open_playground(hub_session, CHAT_MODEL)
    assert chat.lanes[0].view.layout.display == "none"
    chat.form().controls["message"].value = "Hello"
    run_and_wait(chat)
    assert chat.lanes[0].view.layout.display == "" and chat.lanes[0].history
    chat.new_chat_button.click()
    assert chat.lanes[0].view.layout.display == "none"


def test_the_example_dropdown_lets_go_of_an_edited_input(hub_session, sandbox, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    text = playground.form().controls["text"]
    labels = dict((i, title) for title, i in playground.examples.options)
    assert labels == {0: "Grumpy", 1: "Sunny"} and playground.examples.value == 0
    assert text.value == "I hate rainy mondays."

    text.value = "My own sentence."
    assert playground.examples.value is None  # the dropdown no longer claims "Grumpy"
    run_and_wait(playground)
    assert playground.examples.value is None and playground.lanes[0].problem is None
    assert playground.lanes[0].last_call.args == ("My own sentence.",)

    playground.examples.value = 0  # choosing the example again restores it
    assert text.value == "I hate rainy mondays."
    text.value = "Edited again."
    playground.examples.value = 1
    assert text.value == "Sunny days make me happy." and playground.examples.value == 1


def test_compare_lane_b_is_a_model_of_lane_a_task(hub_session, api, models, inference):
    playground = open_playground(hub_session, models["text-classification"])
    playground.lanes[0].model.value = models["token-classification"]  # another task for lane A
    wait_for(lambda: playground.task.value == "token-classification", TIMEOUT, "the new task")
    playground.compare.value = True
    wait_for(lambda: playground.status.kind != "busy", TIMEOUT, "model info")
    playground.wait()
    lane_b = playground.lanes[1].model.value
    assert api.model_info(lane_b).pipeline_tag == "token-classification", lane_b

    # A model the user chooses for lane B stays, whatever lane A does next.
    playground.lanes[1].model.value = models["text-classification"]
    playground.lanes[0].model.value = models["fill-mask"]
    wait_for(lambda: playground.task.value == "fill-mask", TIMEOUT, "the new task")
    playground.wait()
    assert playground.lanes[1].model.value == models["text-classification"]
    playground.lanes[1].model.value = ""  # cleared: it follows lane A's task again
    playground.compare.value = False
    playground.compare.value = True
    assert api.model_info(playground.lanes[1].model.value).pipeline_tag == "fill-mask"


def test_opened_without_a_model_it_offers_recent_and_suggested_models(
    hub_session, sandbox, api, models, inference
):
    # A gated chat model, more downloaded still: not offered (most users could not run it).
    gated = api.create_repo(f"alice/pg-gated-chat-{os.getpid()}", exist_ok=True).repo_id
    card = "---\npipeline_tag: text-generation\ntags:\n- conversational\n---\n"
    api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=gated)
    api.update_repo_settings(gated, gated="manual")
    # The most downloaded of their task (other tests leave many models of every task behind).
    for repo_id, downloads in ((CHAT_MODEL, 10**9), (models["text-classification"], 10**9), (gated, 10**10)):
        repo = sandbox.store.get_repo("model", *repo_id.split("/"))
        sandbox.store.set_counters(repo, downloads=downloads)
    playground = InferencePlayground(endpoint=template(hub_session.endpoint), session=hub_session)
    assert "Choose a model" in playground.status.text
    picker = playground.model_picker
    wait_for(lambda: len(picker.options) > 1, TIMEOUT, "suggested chat models")
    offered = [value for _label, value in picker.options if value]
    assert offered[0] == CHAT_MODEL and gated not in offered
    for model in offered:  # chat: conversational text-generation models only
        info = api.model_info(model)
        assert info.pipeline_tag == "text-generation" and "conversational" in info.tags, model

    playground.task.value = "text-classification"
    wait_for(lambda: models["text-classification"] in [v for _l, v in picker.options], TIMEOUT, "classifiers")
    assert picker.options[1][1] == models["text-classification"]  # most downloaded first
    assert all(api.model_info(v).pipeline_tag == "text-classification" for _l, v in picker.options if v)
    picker.value = models["text-classification"]  # choosing one loads it
    assert playground.lanes[0].model.value == models["text-classification"] and picker.value == ""
    wait_for(
        lambda: playground.status.kind == "info" and "Text classification" in playground.status.text, TIMEOUT
    )
    run_and_wait(playground)
    assert "hubw-bar" in playground.lanes[0].output.value

    # The next playground offers it as a recent model, from a small file of ours in HF_HOME.
    path = os.path.join(constants.HF_HOME, "hub_widgets", "recent_models.json")
    with open(path, encoding="utf-8") as f:
        assert models["text-classification"] in f.read()
    again = InferencePlayground(endpoint=template(hub_session.endpoint), session=hub_session)
    wait_for(lambda: len(again.model_picker.options) > 1, TIMEOUT, "the picker")
    label, value = again.model_picker.options[1]
    assert value == models["text-classification"] and "recent" in label
    again.model_picker.value = value
    wait_for(lambda: again.task.value == "text-classification", TIMEOUT, "the recent model's task")


def test_layout_pieces_for_every_width_and_no_emoji_icons(hub_session, models, inference):
    """What the Chromium layout spec (ui-tests/tests/layout.spec.ts) measures rests on these pieces."""
    from hub_widgets.ui.style import STYLESHEET

    playground = open_playground(hub_session, models["text-classification"])
    first = playground.children[0]
    assert "hubw" in playground._dom_classes and "hubw-style" in first._dom_classes
    rows = [w for w in widget_tree(playground) if "hubw-row" in getattr(w, "_dom_classes", ())]
    assert any(
        playground.run_button in row.children and playground.stop_button in row.children for row in rows
    )
    # No fixed pixel widths: they overflow a 260 px sidebar or cut German labels.
    fixed = [
        (type(w).__name__, w.layout.width)
        for w in widget_tree(playground)
        if isinstance(getattr(w, "layout", None), W.Layout) and (w.layout.width or "").endswith("px")
    ]
    assert fixed == []
    # Compare lanes stack below the narrow width (a container query on the widget's own width).
    assert all("hubw-lanes" in box._dom_classes for box in (playground.configs_box, playground.views_box))
    narrow = STYLESHEET.split("@container hubw", 1)[1]
    assert ".hubw-playground .hubw-lanes { flex-direction: column; }" in narrow

    inference.fail("server_error", model=models["text-classification"])
    run_and_wait(playground)
    shown = html_values(playground)
    assert "fa-times-circle" in shown
    assert not any(ch in shown for ch in "✗✓⚠⏳🔒📁📄")
