"""The choice of language: tags, the order of the sources (each through a fresh process where the
environment matters), `language=` on a widget, and the sandbox's pages by `Accept-Language`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from hub_widgets import _i18n
from hub_widgets._catalogs import from_accept_language, normalize, translations
from hub_widgets.browser.search import format_age, format_count
from hub_widgets.formats import format_bytes
from hub_widgets.ui.html import truncated_note
from tests.conftest import ALICE

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")


@pytest.mark.parametrize(
    ("tag", "catalog"),
    [
        ("zh-CN", "zh_CN"), ("zh_CN", "zh_CN"), ("zh", "zh_CN"), ("zh-Hans", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"),
        ("ja", "ja_JP"), ("ja-JP", "ja_JP"), ("ja_JP.eucJP", "ja_JP"),
        ("de-DE", "de_DE"), ("de", "de_DE"), ("de_AT", "de_DE"), ("de_DE.UTF-8@euro", "de_DE"),
        ("en", "en"), ("en-US", "en"), ("fr", "en"), ("zh-TW", "en"), ("C", "en"), ("POSIX", "en"),
        ("C.UTF-8", "en"), ("not a tag!", "en"), ("", None), ("  ", None), (None, None),
    ],
)  # fmt: skip
def test_language_tags(tag, catalog):
    assert normalize(tag) == catalog


@pytest.mark.parametrize(
    ("header", "catalog"),
    [
        ("ja,en-US;q=0.9,en;q=0.8", "ja_JP"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "de_DE"),  # no French catalog: the next language asked for
        ("de;q=0.3, zh-CN", "zh_CN"),  # by quality, not by position
        ("zh-TW,zh;q=0.5", "zh_CN"),
        ("ja;q=0, de", "de_DE"),  # q=0 means "not this one"
        ("*", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_accept_language(header, catalog):
    assert from_accept_language(header) == catalog


def resolved(env: dict[str, str], code: str = "", tmp_path: Path | None = None) -> tuple[str, str]:
    """(language in use, stderr) in a fresh interpreter with only `env` (plus what Python needs)."""
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
    if tmp_path is not None:  # no JupyterLab setting unless the test writes one
        base["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-config")
        base["HOME"] = str(tmp_path)
    script = f"from hub_widgets import _i18n\n{code}\nprint(_i18n.language_in_use())"
    done = subprocess.run(
        [sys.executable, "-c", script], env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), done.stderr


def jupyterlab_setting(tmp_path: Path, locale: str, comment: bool = True) -> None:
    path = tmp_path / "jupyter-config" / "lab" / "user-settings" / SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"locale": locale})
    if comment:  # JupyterLab writes comments into its settings files
        text = (
            '{\n    // @jupyterlab/translation-extension:plugin\n    "locale": "' + locale + '" /* set */\n}'
        )
    path.write_text(text, encoding="utf-8")


def test_english_when_nothing_names_a_language(tmp_path):
    assert resolved({}, tmp_path=tmp_path) == ("en", "")


def test_process_locale_in_gettext_order(tmp_path):
    assert resolved({"LANG": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "de_DE"
    assert resolved({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, tmp_path=tmp_path)[0] == "ja_JP"
    assert resolved({"LC_MESSAGES": "ja_JP.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, tmp_path=tmp_path)[0] == "zh_CN"
    # LANGUAGE is a list: the first language with a catalog, or English if English comes first.
    assert resolved({"LANGUAGE": "fr:ja", "LC_ALL": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "ja_JP"
    assert resolved({"LANGUAGE": "en:ja", "LANG": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "en"
    assert resolved({"LANG": "C.UTF-8"}, tmp_path=tmp_path)[0] == "en"


def test_jupyterlab_display_language_comes_before_the_process_locale(tmp_path):
    jupyterlab_setting(tmp_path, "zh_CN")
    assert resolved({"LANG": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "zh_CN"
    jupyterlab_setting(tmp_path, "en", comment=False)  # chosen in JupyterLab: English, not the locale
    assert resolved({"LANG": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "en"


def test_jupyterlab_settings_dir_is_honoured(tmp_path):
    folder = tmp_path / "lab-settings" / SETTINGS
    folder.parent.mkdir(parents=True)
    folder.write_text('{"locale": "ja_JP"}', encoding="utf-8")
    env = {"JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"), "LANG": "de_DE.UTF-8"}
    assert resolved(env, tmp_path=tmp_path)[0] == "ja_JP"


def test_environment_variable_comes_before_jupyterlab(tmp_path):
    jupyterlab_setting(tmp_path, "zh_CN")
    assert resolved({"HUB_WIDGETS_LANG": "ja", "LANG": "de_DE.UTF-8"}, tmp_path=tmp_path)[0] == "ja_JP"


def test_set_language_comes_first_and_none_gives_the_environment_back(tmp_path):
    jupyterlab_setting(tmp_path, "zh_CN")
    env = {"HUB_WIDGETS_LANG": "ja"}
    assert resolved(env, 'import hub_widgets; hub_widgets.set_language("de-DE")', tmp_path) == ("de_DE", "")
    code = 'import hub_widgets; hub_widgets.set_language("de"); hub_widgets.set_language(None)'
    assert resolved(env, code, tmp_path)[0] == "ja_JP"


def test_unknown_languages_mean_english_quietly(tmp_path):
    assert resolved({"HUB_WIDGETS_LANG": "fr", "LANG": "de_DE.UTF-8"}, tmp_path=tmp_path) == ("en", "")
    jupyterlab_setting(tmp_path, "klingon")
    assert resolved({"LANG": "de_DE.UTF-8"}, tmp_path=tmp_path) == ("en", "")
    assert resolved({}, 'import hub_widgets; hub_widgets.set_language("xx-YY")', tmp_path) == ("en", "")


def test_a_changed_jupyterlab_setting_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(tmp_path))
    for name in ("HUB_WIDGETS_LANG", *_i18n.LOCALE_VARS):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / SETTINGS
    path.parent.mkdir(parents=True)
    path.write_text('{"locale": "ja_JP"}', encoding="utf-8")
    assert _i18n.environment_language() == "ja_JP"
    path.write_text('{"locale": "de_DE"}', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert _i18n.environment_language() == "de_DE"


def test_use_language_is_per_context_and_set_language_is_global():
    previous = _i18n._explicit
    try:
        assert _i18n.set_language("zh-CN") == "zh_CN"
        with _i18n.use_language("de") as chosen:
            assert chosen == "de_DE" and _i18n.language_in_use() == "de_DE"
        assert _i18n.language_in_use() == "zh_CN"
    finally:
        _i18n._explicit = previous


# -- the sandbox's pages ---------------------------------------------------------------------------


def page(endpoint: str, path: str, language: str | None) -> str:
    headers = {"Accept": "text/html"}
    if language:
        headers["Accept-Language"] = language
    answer = httpx.get(endpoint + path, headers=headers, timeout=30)
    assert answer.status_code in (200, 404), answer.status_code
    return answer.text


@pytest.mark.parametrize(
    ("header", "catalog"), [("zh-CN,zh;q=0.9", "zh_CN"), ("ja", "ja_JP"), ("de-DE", "de_DE")]
)
def test_sandbox_pages_follow_accept_language(sandbox, header, catalog):
    tr = translations(catalog)
    approval = page(sandbox.endpoint, "/oauth/device/verify", header)
    assert f'lang="{catalog.replace("_", "-")}"' in approval
    for message in ("Sandbox Hub: connect a device", "Sign in", "Password:"):
        assert tr.gettext(message) != message, f"{catalog} lacks {message!r}"
        assert tr.gettext(message) in approval
    missing = page(sandbox.endpoint, "/alice/no-such-repo-here", header)
    assert tr.gettext("Not found") in missing and tr.gettext("Sign in") in missing
    assert ALICE not in approval + missing


def test_sandbox_pages_stay_english_without_a_known_language(sandbox):
    for header in (None, "fr-FR,fr;q=0.9"):
        approval = page(sandbox.endpoint, "/oauth/device/verify", header)
        assert 'lang="en"' in approval and "Sandbox Hub: connect a device" in approval


@pytest.mark.parametrize(
    ("language", "number", "size", "count", "grouped"),
    [
        ("en", "1,234.5", "2.1 kB", "1.2k", "1,500,000"),
        ("zh_CN", "1,234.5", "2.1 kB", "1.2k", "1,500,000"),
        ("ja_JP", "1,234.5", "2.1 kB", "1.2k", "1,500,000"),
        ("de_DE", "1.234,5", "2,1 kB", "1,2k", "1.500.000"),
    ],
)
def test_numbers_are_written_as_the_language_writes_them(language, number, size, count, grouped):
    with _i18n.use_language(language):
        assert _i18n.format_number(1234.5, 1) == number
        assert format_bytes(2_100) == size
        assert format_count(1_234) == count
        assert grouped in truncated_note(1_500_000)


@pytest.mark.parametrize(
    ("language", "date", "with_time"),
    [
        ("en", "2026-12-01", "2026-12-01 13:05"),
        ("zh_CN", "2026年12月1日", "2026年12月1日 13:05"),
        ("ja_JP", "2026年12月1日", "2026年12月1日 13:05"),
        ("de_DE", "01.12.2026", "01.12.2026 13:05"),
    ],
)
def test_dates_are_written_as_the_language_writes_them(language, date, with_time):
    when = datetime(2026, 12, 1, 13, 5, tzinfo=timezone.utc)
    with _i18n.use_language(language):
        assert _i18n.format_date(when) == date
        assert _i18n.format_date(when, with_time=True) == with_time
        assert format_age(when, now=when + timedelta(days=40)) == date  # older than a month: the date


def test_sandbox_pages_write_dates_in_the_page_language(sandbox, api, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    commit = api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo_id).oid
    german = page(sandbox.endpoint, f"/{repo_id}/commit/{commit}", "de-DE")
    english = page(sandbox.endpoint, f"/{repo_id}/commit/{commit}", None)
    iso = r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">'
    assert re.search(iso + r"\d\d\.\d\d\.\d{4} \d\d:\d\d UTC</time>", german), german[:2000]
    assert re.search(iso + r"\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>", english), english[:2000]
