"""Issue 15 for LoginWidget, PushPanel, HubSidebar and StatusLine: no emoji icons, layouts with no fixed widths.

The layout rules checked here are what keeps a control whole from a 260 px sidebar to a wide notebook
(the Chromium check in ui-tests/tests/layout.spec.ts measures the result): a labelled button sizes
to its label (ipywidgets' default fixed width cuts "Log in with browser"), a field or checkbox never
keeps the default 300 px width, and a row of controls wraps. The widgets are the real ones, against
the sandbox, in the states a user sees.
"""

from __future__ import annotations

import re

import ipywidgets as W
import pytest

from hub_widgets.auth_state import save_login
from hub_widgets.login import LoginWidget
from hub_widgets.push.panel import PushPanel
from hub_widgets.session import HubSession
from hub_widgets.sidebar import HubSidebar
from hub_widgets.ui import StatusLine
from tests.conftest import ALICE, BOB, write_tree

TIMEOUT = 60
# Emoji and pictographs used as icons (⏳ ✓ ⚠ ✗ 🔒 📁 📄): Font Awesome replaces them.
ICON_CHARS = re.compile("[\u23f3\u2713\u2714\u26a0\u2717\u2718\U0001f300-\U0001faff]")
FIELDS = (W.Text, W.Password, W.Dropdown, W.Combobox, W.Textarea, W.Checkbox, W.Select)


def tree(root, skip=()):
    """`root` and every widget below it (through `children`), minus the subtrees in `skip`."""
    found, stack = [], [root]
    while stack:
        widget = stack.pop()
        if any(widget is s for s in skip):
            continue
        found.append(widget)
        stack.extend(getattr(widget, "children", ()) or ())
    return found


def html_of(widgets) -> str:
    return " ".join(
        w.value for w in widgets if isinstance(w, W.HTML) and isinstance(getattr(w, "value", None), str)
    )


def layout_problems(root, skip=()) -> list[str]:
    problems = []
    if "hubw" not in root._dom_classes:
        problems.append("root without the hubw class (the package stylesheet keys on it)")
    for widget in tree(root, skip):
        name = f"{type(widget).__name__}({getattr(widget, 'description', '') or ''!r})"
        width = widget.layout.width if hasattr(widget, "layout") else None
        # A row of a RowList (ui/rows.py) is full width on purpose: its label wraps (the browser spec checks).
        row_button = "hubw-row-button" in widget._dom_classes and width == "100%"
        if isinstance(widget, W.Button) and widget.description and width != "auto" and not row_button:
            problems.append(f"{name}: width {width!r} (ipywidgets' fixed default cuts the label)")
        if isinstance(widget, FIELDS) and width not in ("auto", "100%"):
            problems.append(f"{name}: width {width!r} (a fixed or default width overflows a sidebar)")
        wraps = "wrap" in (getattr(widget.layout, "flex_flow", None) or "")
        if isinstance(widget, W.HBox) and len(widget.children) > 1 and not wraps:
            problems.append(f"HBox of {[type(c).__name__ for c in widget.children]} does not wrap")
    return problems


def test_status_line_icons_are_font_awesome():
    status = StatusLine()
    for kind, icon in (
        ("busy", "spinner"),
        ("success", "check"),
        ("warning", "exclamation-triangle"),
        ("error", "times-circle"),
    ):
        status.show("Something <b>happened</b>", kind)
        assert f'<i class="fa fa-{icon}' in status.value, status.value
        assert not ICON_CHARS.search(status.value), status.value
        assert "Something &lt;b&gt;happened&lt;/b&gt;" in status.value
    status.info("plain")
    assert "<i " not in status.value


@pytest.fixture
def session(sandbox):
    s = HubSession(endpoint=sandbox.endpoint)
    yield s
    s.close()


@pytest.mark.parametrize("compact", [False, True], ids=["notebook", "compact"])
def test_login_widget_logged_out_and_in_has_no_fixed_widths_nor_emoji(session, compact, monkeypatch):
    widget = LoginWidget(session=session, compact=compact)
    widget.wait(TIMEOUT)
    assert widget.state == "logged_out"
    assert layout_problems(widget) == []
    # Logged in with HF_TOKEN overriding the stored login: the warning carries an icon.
    save_login(ALICE, "alice-token")
    monkeypatch.setenv("HF_TOKEN", BOB)
    widget.refresh()
    widget.wait(TIMEOUT)
    assert widget.state == "logged_in"
    assert "fa-exclamation-triangle" in widget.override_warning.value
    assert not ICON_CHARS.search(html_of(tree(widget)))
    assert layout_problems(widget) == []


def test_push_panel_layout_and_secret_warning_icon(hub_session, tmp_path):
    fake = "hf_" + "Q7r5" * 9
    folder = write_tree(tmp_path / "m", {"config.json": "{}", "train.py": f"TOKEN = '{fake}'\n"})
    for compact in (False, True):
        panel = PushPanel(str(folder), repo_id="alice/layout-check", session=hub_session, compact=compact)
        assert layout_problems(panel) == []
        panel.plan_button.click()
        panel.wait(TIMEOUT)
        assert "fa-exclamation-triangle" in panel.secrets_view.value
        assert not ICON_CHARS.search(html_of(tree(panel)))
        assert "hubw-push-button" in panel.push_button._dom_classes


def test_compact_push_panel_leaves_out_the_title_and_description(hub_session, tmp_path):
    folder = write_tree(tmp_path / "m", {"config.json": "{}"})
    full = PushPanel(str(folder), session=hub_session)
    compact = PushPanel(str(folder), session=hub_session, compact=True)
    assert "Push to the Hugging Face Hub" in html_of(tree(full))
    shown = [w for w in compact.children if w.layout.display != "none"]
    assert "Push to the Hugging Face Hub" not in html_of(shown)
    assert compact.commit_description.layout.display == "none"
    assert "hubw-compact" in compact._dom_classes


def test_sidebar_layout_has_no_fixed_widths_nor_emoji(hub_session, api, repo_name):
    api.create_repo(f"alice/{repo_name}", private=True)
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.login_widget.wait(TIMEOUT)
    assert layout_problems(sidebar, skip=[sidebar.detail]) == []
    labels = [label for label, _value in sidebar.repo_list.options]
    assert f"alice/{repo_name} · private" in labels
    assert not any(ICON_CHARS.search(label) for label in labels)
    assert not ICON_CHARS.search(html_of(tree(sidebar)))
