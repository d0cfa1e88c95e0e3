"""Closed widgets stop listening and working; the sidebar reuses its panels; a typed token does not linger."""

from __future__ import annotations

from pathlib import Path

import nbformat

from hub_widgets.browser.panel import RepoBrowser
from hub_widgets.card import ModelCardEditor
from hub_widgets.login import LoginWidget
from hub_widgets.playground.panel import InferencePlayground
from hub_widgets.push.panel import PushPanel
from hub_widgets.session import HubSession
from hub_widgets.sidebar import HubSidebar
from tests.conftest import ALICE, BOB, wait_for, write_tree
from tests.loopback import HangingServer
from tests.test_notebooks import run_notebook

TIMEOUT = 120


def make_panels(session: HubSession, repo_id: str, folder: Path, count: int = 20) -> list:
    makers = [
        lambda: LoginWidget(session=session),
        lambda: PushPanel(source=str(folder), repo_id=repo_id, session=session),
        lambda: RepoBrowser(query=repo_id.split("/")[1], session=session),
        lambda: RepoBrowser(repo_id=repo_id, session=session),
        lambda: ModelCardEditor(repo_id=repo_id, session=session),
        lambda: InferencePlayground(model=repo_id, session=session),
        lambda: HubSidebar(session=session),
    ]
    return [makers[i % len(makers)]() for i in range(count)]


def test_twenty_closed_panels_make_no_hub_request_on_a_login_change(
    hub_session, sandbox, api, repo_name, tmp_path
):
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    folder = write_tree(tmp_path / "src", {"a.txt": "a"})
    panels = make_panels(hub_session, repo_id, folder)
    assert hub_session.wait_idle(TIMEOUT)

    # Open, they all follow a login change (the count that closing must bring to zero).
    before = len(sandbox.request_log)
    hub_session.set_token(BOB)
    assert hub_session.wait_idle(TIMEOUT)
    assert len(sandbox.request_log) - before >= len(panels) // 2

    for panel in panels:
        panel.close()
    before = len(sandbox.request_log)
    hub_session.set_token(ALICE)
    assert hub_session.wait_idle(TIMEOUT)
    assert len(sandbox.request_log) == before
    assert hub_session._listeners == []


def test_closing_a_playground_aborts_its_running_call(hub_session):
    with HangingServer() as silent:
        playground = InferencePlayground(
            task="text-classification", endpoint=silent.url, session=hub_session, timeout=0
        )
        playground.run_button.click()
        wait_for(lambda: silent.count("requests") == 1, TIMEOUT, "the call reaching the endpoint")
        playground.close()
        wait_for(lambda: silent.count("closed") == 1, TIMEOUT, "the connection closing")
        assert hub_session.wait_idle(TIMEOUT)
        assert playground.session.pending == []


def test_closing_a_repo_browser_cancels_its_views_work(hub_session, api, repo_name):
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    browser = RepoBrowser(repo_id=repo_id, session=hub_session)
    browser.close()
    assert browser.session.pending == []
    assert browser.files.session.closed and browser.history.session.closed
    assert browser.files.comm is None and browser.history.comm is None


def test_the_sidebar_reuses_its_panels(hub_session, api, repo_name):
    first = api.create_repo(f"alice/{repo_name}-a").repo_id
    second = api.create_repo(f"alice/{repo_name}-b").repo_id
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    sidebar.repo_list.value = ("model", first)
    browser = sidebar.detail_widget
    assert isinstance(browser, RepoBrowser) and browser.repo_id == first
    browser.info_task.wait(TIMEOUT)
    listeners = len(hub_session._listeners)

    sidebar.repo_list.value = ("model", second)
    assert sidebar.detail_widget is browser
    assert browser.repo_id == second
    wait_for(lambda: second in browser.header.value, TIMEOUT, "the second repo's header")
    sidebar.search_button.click()
    assert sidebar.detail_widget is browser and browser.repo_view.layout.display == "none"

    playground = sidebar.open_playground(first)
    sidebar.close_button.click()
    assert sidebar.open_playground(second) is playground
    assert playground.lanes[0].model.value == second
    assert len(hub_session._listeners) == listeners  # the playground does not listen; nothing piled up

    sidebar.close()
    assert browser.comm is None and playground.comm is None
    assert hub_session.wait_idle(TIMEOUT)
    assert hub_session._listeners == []


def test_a_typed_token_is_cleared_when_the_form_goes_or_the_widget_closes(endpoint):
    session = HubSession(endpoint=endpoint)
    typed = "hf_" + "Zq7" * 12
    try:
        waiting = LoginWidget(session=session)
        waiting.wait()
        assert waiting.state == "logged_out"
        waiting.token_input.value = typed  # typed, never submitted

        closing = LoginWidget(session=session)
        closing.wait()
        closing.token_input.value = typed
        closing.close()
        assert closing.token_input.value == ""

        # Another widget logs in: the first one leaves the logged-out state and forgets the typing.
        other = LoginWidget(session=session)
        other.wait()
        other.token_input.value = ALICE
        other.login_button.click()
        other.wait()
        wait_for(lambda: waiting.state == "logged_in", TIMEOUT, "the first widget's check")
        assert waiting.token_input.value == ""
    finally:
        session.close()


NOTEBOOK_CELLS = [
    "import os\nfrom pathlib import Path\nfrom huggingface_hub import logout\n"
    "stored = Path(os.environ['HF_HOME'], 'token').read_text()\nlogout()  # start logged out",
    "from hub_widgets import LoginWidget\n"
    "typed = 'hf_' + 'Zq7' * 12\n"
    "waiting = LoginWidget()\nwaiting.wait()\nprint('waiting:', waiting.state)\n"
    "waiting.token_input.value = typed  # typed, not submitted\n"
    "closing = LoginWidget()\nclosing.wait()\n"
    "closing.token_input.value = typed[::-1]\nclosing.close()",
    "other = LoginWidget()\nother.wait()\n"
    "other.token_input.value = stored\nother.login_button.click()\nother.wait()\n"
    "import time\n"
    "deadline = time.monotonic() + 60\n"
    "while waiting.state != 'logged_in' and time.monotonic() < deadline:\n"
    "    time.sleep(0.05)\n"
    "print('waiting:', waiting.state)",
]


def test_the_saved_widget_state_holds_no_typed_token(sandbox, hf_home, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS]
    path = tmp_path / "typed.ipynb"
    nbformat.write(nb, path)
    done = run_notebook(path, sandbox, hf_home)
    printed = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []))
    assert "waiting: logged_out" in printed and "waiting: logged_in" in printed, printed

    saved = tmp_path / "typed.saved.ipynb"
    nbformat.write(done, saved)
    content = saved.read_text()
    state = done.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    passwords = [m for m in state.values() if m["model_name"] == "PasswordModel"]
    assert len(passwords) == 3  # the scan below looked at every token field
    typed = "hf_" + "Zq7" * 12
    assert typed not in content and typed[::-1] not in content
    assert ALICE not in content


def test_closing_a_playground_closes_the_forms_of_tasks_not_shown(hub_session):
    from ipywidgets.widgets.widget import _instances as live_widgets

    playground = InferencePlayground(session=hub_session, task="text-classification")
    playground.task.value = "summarization"
    playground.task.value = "fill-mask"  # two forms off screen, one shown
    forms = [playground.form(task) for task in ("text-classification", "summarization", "fill-mask")]
    assert hub_session.wait_idle(TIMEOUT)  # the model lists each task switch loads
    controls = [w for form in forms for w in (form, *form.controls.values())]
    assert all(w.model_id in live_widgets for w in controls)
    ids = [w.model_id for w in controls]
    playground.close()
    assert [w for w in controls if w.comm is not None] == []
    assert not set(ids) & set(live_widgets)
