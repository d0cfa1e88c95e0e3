"""The catalogs: complete and well formed per language, current with the sources and compiled, and
the extension's copy reaches JupyterLab through the `jupyterlab.locale` entry point."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402

LANGUAGES = list(i18n.LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_is_complete_and_well_formed(language):
    path = i18n.po_path(language)
    assert path.exists(), f"no catalog for {language}"
    catalog = i18n.read(path)
    template = {key for key in i18n._messages(i18n.read(i18n.POT))}
    missing = template - set(i18n._messages(catalog))
    assert not missing, f"{len(missing)} messages missing: {sorted(map(str, missing))[:5]}"
    problems = i18n.catalog_problems(language, catalog)
    assert problems == [], "\n".join(problems[:40])
    # The header's Language (pybabel init / update); Babel spells zh_CN with its script, zh_Hans_CN.
    locale = catalog.locale
    assert (locale.language, locale.territory) == tuple(language.split("_"))


def test_no_message_formats_its_own_numbers():
    # `{seconds:.0f}` in a msgid writes English decimals into every language: numbers are formatted with
    # `format_number` before they reach the placeholder.
    with_spec = [
        str(message.id)
        for message in i18n.read(i18n.POT)
        if message.id and re.search(r"\{\w*:[^}]*\}", str(message.id))
    ]
    assert with_spec == []


def test_the_check_finds_untranslated_fuzzy_and_mismatched_placeholders():
    catalog = Catalog(locale="de_DE")
    catalog.add("Logged in as {user}.", "Angemeldet als {user}.")  # fine
    catalog.add("Log in", "")  # untranslated
    catalog.add("Cancel", "Abbrechen", flags=["fuzzy"])
    catalog.add("Pushed to {repo}.", "Nach {repo_id} hochgeladen.")  # renamed placeholder
    catalog.add(("{n} file", "{n} files"), ("eine Datei", "Dateien"))  # the plural form lost {n}
    catalog.add(("{n} file", "{n} files"), ("{n} Datei", "{n} Dateien"), context="ok")
    catalog.add("Log in to %1", "Bei %2 anmelden")  # the extension's placeholders
    problems = i18n.catalog_problems("de_DE", catalog)
    assert problems == [
        "de_DE: untranslated: 'Log in'",
        "de_DE: fuzzy: 'Cancel'",
        "de_DE: placeholders ['{repo_id}'] instead of ['{repo}']: 'Pushed to {repo}.'",
        "de_DE: placeholders [] instead of ['{n}']: '{n} file'",
        "de_DE: placeholders ['%2'] instead of ['%1']: 'Log in to %1'",
    ]
    one_form = Catalog(locale="zh_CN")
    one_form.add(("{n} file", "{n} files"), ("一个文件",))  # one form for every count: it needs {n}
    assert i18n.catalog_problems("zh_CN", one_form) == [
        "zh_CN: placeholders [] instead of ['{n}']: '{n} file'"
    ]
    wrong = Catalog(locale="ja_JP")
    wrong._num_plurals, wrong._plural_expr = 2, "(n != 1)"
    assert i18n.catalog_problems("ja_JP", wrong)[0].startswith("ja_JP: Plural-Forms is")


def test_make_i18n_check_passes():
    """The template is current with the sources, every catalog complete, the .mo and .json compiled from it."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_the_extension_catalogs_reach_jupyterlab_with_the_language_packs(tmp_path):
    """jupyterlab_server (what /lab/api/translations/<locale> answers) merges our hub_widgets.json,
    found through the package's `jupyterlab.locale` entry point, with JupyterLab's language packs."""
    dist = tmp_path / "hub_widgets_locale_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hub-widgets-locale-probe\nVersion: 0\n")
    # The entry point exactly as pyproject.toml declares it (read from there).
    declared = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points."jupyterlab.locale"]\nhub_widgets = "hub_widgets"' in declared
    (dist / "entry_points.txt").write_text("[jupyterlab.locale]\nhub_widgets = hub_widgets\n")
    script = textwrap.dedent(
        """
        import json, sys
        from jupyterlab_server.translation_utils import get_language_pack, get_language_packs
        packs, _ = get_language_packs("en")
        result = {"packs": sorted(packs)}
        for locale in sys.argv[1:]:
            data, _ = get_language_pack(locale)
            result[locale] = {"domains": sorted(data), "hub_widgets": data.get("hub_widgets")}
        print(json.dumps(result))
        """
    )
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script, *LANGUAGES], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"zh_CN", "ja_JP", "de_DE"} <= set(result["packs"])  # the three language packs are installed
    for language in LANGUAGES:
        got = result[language]
        assert "jupyterlab" in got["domains"] and "hub_widgets" in got["domains"], got["domains"]
        ours = got["hub_widgets"]
        assert ours[""]["domain"] == "hub_widgets" and ours[""]["language"] == language.replace("_", "-")
        catalog = i18n.read(i18n.po_path(language))
        assert ours[""]["plural_forms"] == catalog.plural_forms
        for message in catalog:  # every message of the extension's sources, translated
            if message.id and any(p.startswith("labextension/") for p, _l in message.locations):
                key = message.id[0] if message.pluralizable else message.id
                key = f"{message.context}\x04{key}" if message.context else key
                strings = list(message.string) if message.pluralizable else [message.string]
                assert ours.get(key) == strings, key
