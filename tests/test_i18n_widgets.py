"""Widgets driven in each language show the catalog's text: login states, the push plan's plural counts,
errors from `problems`; browser events (comm messages) are handled in the widget's own language; the
token never shows, in any language.

Expected texts come from the catalogs themselves (`translations(lang)`), and each must differ from the
English: a catalog without the message fails here as it fails the completeness test.
"""

from __future__ import annotations

import re

import ipywidgets as W
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import RepositoryNotFoundError

from hub_widgets import _i18n
from hub_widgets._catalogs import translations
from hub_widgets.formats import format_bytes
from hub_widgets.login import LoginWidget
from hub_widgets.push.panel import PushPanel
from hub_widgets.session import HubSession, describe_error
from tests.conftest import ALICE, write_tree
from tests.test_login import assert_no_secret_in_widgets

LANGUAGES = ["zh_CN", "ja_JP", "de_DE"]
TIMEOUT = 120


def said(language: str, message: str, **values: object) -> str:
    """The catalog's translation of `message` (formatted), checked to be a translation."""
    text = translations(language).gettext(message)
    assert text != message, f"{language} has no translation of {message!r}"
    return text.format(**values)


def send(widget, **state) -> None:
    """What the browser sends when the user edits a control: a comm 'update' message."""
    widget.comm.handle_msg(
        {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []}
    )


def press(button) -> None:
    """What the browser sends when the user clicks a button."""
    button.comm.handle_msg(
        {"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []}
    )


@pytest.fixture
def session(sandbox):
    s = HubSession(endpoint=sandbox.endpoint)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def english_elsewhere():
    """Each widget gets its language from `language=` only: the process default stays English."""
    previous = _i18n._explicit
    _i18n.set_language("en")
    yield
    _i18n._explicit = previous


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_states_in_each_language(session, language):
    widget = LoginWidget(session=session, language=language)
    widget.wait(TIMEOUT)
    assert widget.widget_language == language
    assert widget.state == "logged_out"
    assert widget.status.text == said(language, "Not logged in.")
    assert widget.login_button.description == said(language, "Log in")

    bad = "hf_" + "Zz9" * 12  # token-shaped, unknown to the sandbox
    send(widget.token_input, value=bad)
    widget.wait(TIMEOUT)
    assert widget.status.text == said(
        language, "This token is invalid, expired or revoked: check it on your Hub settings page."
    )

    send(widget.token_input, value=ALICE)
    widget.wait(TIMEOUT)
    assert widget.state == "logged_in", widget.status.text
    assert widget.status.text == said(language, "Logged in as {user}.", user="alice")
    assert widget.logout_button.description == said(language, "Log out")
    assert_no_secret_in_widgets(ALICE, bad)
    for text in (widget.status.value, widget.info_view.value):
        assert ALICE not in text and bad not in text
    widget.close()


def test_two_widgets_in_two_languages_in_one_kernel(session):
    german = LoginWidget(session=session, language="de-DE")
    japanese = LoginWidget(session=session, language="ja")
    english = LoginWidget(session=session)
    for widget in (german, japanese, english):
        widget.wait(TIMEOUT)
    assert german.status.text == said("de_DE", "Not logged in.")
    assert japanese.status.text == said("ja_JP", "Not logged in.")
    assert english.status.text == "Not logged in."
    press(german.login_button)  # an empty token: the German widget answers in German
    press(japanese.login_button)
    assert german.status.text != japanese.status.text
    assert german.status.text == translations("de_DE").gettext(english_empty_token_message(session))
    for widget in (german, japanese, english):
        widget.close()


def english_empty_token_message(session) -> str:
    widget = LoginWidget(session=session)
    widget.wait(TIMEOUT)
    widget.login_button.click()
    text = widget.status.text
    widget.close()
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_push_plan_counts_in_each_language(hub_session, repo_name, tmp_path, language):
    one = write_tree(tmp_path / "one", {"README.md": "# one\n"})
    three = write_tree(tmp_path / "three", {"README.md": "# three\n", "a.txt": "a", "b.txt": "b"})
    tr = translations(language)
    for folder, n in ((one, 1), (three, 3)):
        panel = PushPanel(
            source=str(folder), repo_id=f"alice/{repo_name}-{n}", session=hub_session, language=language
        )
        press(panel.plan_button)
        panel.wait(TIMEOUT)
        plan = panel._plan
        assert plan is not None and len(plan.to_upload) == n, panel.status.text
        wanted = tr.ngettext("Push {n} file ({size})", "Push {n} files ({size})", n)
        assert wanted != ("Push {n} file ({size})" if n == 1 else "Push {n} files ({size})")
        assert panel.push_button.description == wanted.format(n=n, size=format_bytes(plan.upload_bytes))
        panel.close()


def test_a_german_widget_writes_sizes_as_german_does(hub_session, repo_name, tmp_path):
    folder = write_tree(tmp_path / "data", {"data.txt": "x" * 2100})
    panel = PushPanel(source=str(folder), repo_id=f"alice/{repo_name}", session=hub_session, language="de_DE")
    press(panel.plan_button)
    panel.wait(TIMEOUT)
    assert re.search(r"\(\d+,\d kB\)$", panel.push_button.description), panel.push_button.description
    panel.close()
    english = PushPanel(source=str(folder), repo_id=f"alice/{repo_name}", session=hub_session, language="en")
    press(english.plan_button)
    english.wait(TIMEOUT)
    assert re.search(r"\(\d+\.\d kB\)$", english.push_button.description), english.push_button.description
    english.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_from_problems_in_each_language(endpoint, language):
    api = HfApi(endpoint=endpoint, token=ALICE)
    with pytest.raises(RepositoryNotFoundError) as caught:
        api.model_info("alice/this-repo-does-not-exist")
    with _i18n.use_language(language):
        text = describe_error(caught.value)
    assert said(language, "Repository not found, or it is private and your token cannot see it.") in text
    assert ALICE not in text


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_no_message_in_any_language_can_carry_a_token(language):
    """No message names a token placeholder or holds a token-shaped string, in English or translated."""
    import re

    from babel.messages.pofile import read_po

    from hub_widgets._catalogs import DOMAIN, LOCALE_DIR

    path = (
        LOCALE_DIR / f"{DOMAIN}.pot"
        if language == "en"
        else LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle)
    shaped = re.compile(r"hf_[A-Za-z0-9]{20,}|api_org_[A-Za-z0-9]{20,}")
    carrier = re.compile(r"\{(token|secret|password|hf_token|access_token)\}")
    count = 0
    for message in catalog:
        if not message.id:
            continue
        count += 1
        texts = list(message.id if message.pluralizable else [message.id])
        texts += [s for s in (message.string if message.pluralizable else [message.string]) if s]
        for text in texts:
            assert not shaped.search(text), text
            assert not carrier.search(text), text
    assert count > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_playground_labels_defined_at_import_follow_the_language_of_each_widget(language, session):
    """Task names and field labels are module constants: each playground shows them in its own language."""
    from hub_widgets.playground.panel import InferencePlayground

    english = InferencePlayground(session=session)
    translated = InferencePlayground(session=session, language=language)
    try:
        assert ("Text classification", "text-classification") in english.task.options
        assert (said(language, "Text classification"), "text-classification") in translated.task.options
        label = translated.form("zero-shot-classification").controls["candidate_labels"].description
        assert label == said(language, "Labels (comma-separated)")
        english_label = english.form("zero-shot-classification").controls["candidate_labels"].description
        assert english_label == "Labels (comma-separated)"
    finally:
        english.close()
        translated.close()


def test_one_english_word_two_translations(session):
    # "More" loads more search results in the browser and heads further actions in the sidebar: in
    # Japanese one is もっと見る (see more), the other その他 (others), by their msgctxt.
    from hub_widgets.browser.panel import RepoBrowser
    from hub_widgets.sidebar import HubSidebar

    tr = translations("ja_JP")
    heading, button = tr.pgettext("heading", "More"), tr.gettext("More")
    assert heading != button and "More" not in (heading, button)
    sidebar = HubSidebar(session=session, language="ja_JP")
    browser = RepoBrowser(session=session, language="ja_JP")
    try:
        assert f"<b>{heading}</b>" in _html_values(sidebar)
        assert browser.more_button.description == button
    finally:
        sidebar.close()
        browser.close()


def _html_values(root) -> list[str]:
    """The values of the HTML widgets under `root`."""
    found = [root.value] if isinstance(root, W.HTML) else []
    for child in getattr(root, "children", ()):
        found += _html_values(child)
    return found


def test_language_shows_in_each_widgets_signature():
    # help(PushPanel) and the notebook's Shift+Tab list the keyword every widget takes.
    import inspect

    import hub_widgets

    for cls in (
        hub_widgets.LoginWidget,
        hub_widgets.PushPanel,
        hub_widgets.RepoBrowser,
        hub_widgets.InferencePlayground,
        hub_widgets.ModelCardEditor,
    ):
        language = inspect.signature(cls).parameters.get("language")
        assert language is not None and language.kind is inspect.Parameter.KEYWORD_ONLY, cls
        assert language.default is None
