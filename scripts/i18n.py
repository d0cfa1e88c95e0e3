"""The catalogs' tooling: `python scripts/i18n.py extract` (make i18n-extract) and `check` (make i18n-check).

extract: Babel collects the messages of hub_widgets/ (Python) and labextension/src (TypeScript, through
    scripts/babel_typescript.py) into hub_widgets/locale/hub_widgets.pot, updates each language's .po
    (translations kept; a changed message comes back fuzzy), and compiles them: hub_widgets.mo for
    Python, hub_widgets.json (Jed-style, the extension's messages only) for JupyterLab.
compile: only the .mo / .json, from the .po files as they are.
check: the .pot is current with the sources, each .po is complete (nothing untranslated or fuzzy),
    placeholders (`{name}`, `%1`) equal between msgid and every msgstr, the plural forms header is the
    language's, and the compiled .mo / .json equal a fresh compile. Exit status 1 with the problems listed.

The compiled files are kept in the repository (checked current here) rather than built at install
time: an editable install, an sdist and a wheel then all carry them, and no build step needs Babel.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "hub_widgets" / "locale"
DOMAIN = "hub_widgets"
POT = LOCALE / f"{DOMAIN}.pot"
LANGUAGES = ("zh_CN", "ja_JP", "de_DE")
EXTENSION_SOURCES = "labextension/"
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\d+")


def _pybabel(*args: str) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))  # babel.cfg names the TypeScript extractor by module
    here = os.getcwd()
    os.chdir(ROOT)  # locations in the .pot are relative to the repository
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    finally:
        os.chdir(here)
        sys.path.remove(str(ROOT / "scripts"))


def extract_pot(output: Path) -> None:
    """Extract every message of the sources into `output` (locations by file only: no line churn)."""
    _pybabel(
        "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords", "-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2",
        "--add-location=file", "--sort-by-file", "--project=hub-widgets", "--version=0.1",
        "--copyright-holder=hub-widgets authors", "-w", "110", "-o", str(output), ".",
    )  # fmt: skip


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def jed_json(catalog: Catalog, language: str) -> str:
    """The extension's messages in the Jed-style layout of JupyterLab's language packs."""
    data: dict[str, object] = {
        "": {
            "domain": DOMAIN,
            "language": language.replace("_", "-"),
            "plural_forms": catalog.plural_forms,
            "version": DOMAIN,
        }
    }
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if not any(path.startswith(EXTENSION_SOURCES) for path, _line in message.locations):
            continue
        strings = list(message.string) if message.pluralizable else [message.string]
        if not all(strings):
            continue
        key = message.id[0] if message.pluralizable else message.id
        data[f"{message.context}\x04{key}" if message.context else key] = strings
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def compile_all() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            continue
        catalog = read(path)
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        path.with_suffix(".json").write_text(jed_json(catalog, language), encoding="utf-8")


def _without_date(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text)


def extract() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract_pot(fresh)
        text = fresh.read_text(encoding="utf-8")
        # Only a change of messages or locations rewrites the template (not a new date each run).
        if not POT.exists() or _without_date(POT.read_text(encoding="utf-8")) != _without_date(text):
            POT.write_text(text, encoding="utf-8")
    for language in LANGUAGES:
        args = ["-D", DOMAIN, "-i", str(POT), "-d", str(LOCALE), "-l", language, "-w", "110"]
        if po_path(language).exists():
            _pybabel("update", *args, "--ignore-obsolete")
        else:
            _pybabel("init", *args)
    compile_all()


def _messages(catalog: Catalog) -> dict[tuple[object, str | None], object]:
    return {(m.id, m.context): sorted(p for p, _l in m.locations) for m in catalog if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def catalog_problems(language: str, catalog: Catalog) -> list[str]:
    """What keeps `catalog` from being complete and well-formed (one line each)."""
    problems = []
    expected = get_plural(language)
    if catalog.num_plurals != expected.num_plurals or catalog.plural_expr != expected.plural_expr:
        problems.append(
            f"{language}: Plural-Forms is {catalog.plural_forms!r}, expected {expected.plural_forms!r}"
        )
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if message.pluralizable else [message.id]
        strings = list(message.string) if message.pluralizable else [message.string]
        shown = ids[0][:70]
        if message.fuzzy:
            problems.append(f"{language}: fuzzy: {shown!r}")
        if message.pluralizable and len(strings) != expected.num_plurals:
            problems.append(
                f"{language}: {len(strings)} plural forms, expected {expected.num_plurals}: {shown!r}"
            )
        if not all(strings):
            problems.append(f"{language}: untranslated: {shown!r}")
            continue
        singular = placeholders(ids[0])
        wanted = sorted(set(singular) | set(placeholders(ids[1]))) if message.pluralizable else singular
        for index, string in enumerate(strings):
            found = placeholders(string)
            # The "one" form of a two-form language may say "eine Datei" without the count; every other
            # form (and a one-form language's only form, zh / ja) keeps every placeholder.
            one_form = message.pluralizable and index == 0 and expected.num_plurals > 1
            if found != wanted and not (one_form and set(found) <= set(wanted)):
                problems.append(f"{language}: placeholders {found} instead of {wanted}: {shown!r}")
    return problems


def check() -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract_pot(fresh)
        current = read(fresh)
        if not POT.exists() or _messages(read(POT)) != _messages(current):
            problems.append(f"{POT.relative_to(ROOT)} is not current with the sources: run make i18n-extract")
    wanted = {key for key in _messages(current)}
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            problems.append(f"{language}: no catalog {path.relative_to(ROOT)}")
            continue
        catalog = read(path)
        missing = wanted - set(_messages(catalog))
        if missing:
            problems.append(f"{language}: {len(missing)} messages of the .pot missing: run make i18n-extract")
        problems += catalog_problems(language, catalog)
        mo, js = path.with_suffix(".mo"), path.with_suffix(".json")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            problems.append(f"{language}: {mo.name} is not compiled from the .po: run make i18n-extract")
        if not js.exists() or js.read_text(encoding="utf-8") != jed_json(catalog, language):
            problems.append(f"{language}: {js.name} is not compiled from the .po: run make i18n-extract")
    return problems


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        extract()
        return 0
    if command == "compile":  # the .mo / .json from the .po files as they are (no extraction, no update)
        compile_all()
        return 0
    if command == "check":
        problems = check()
        for line in problems:
            print(line)
        print(
            f"i18n-check: {len(problems)} problem(s)"
            if problems
            else "i18n-check: catalogs complete and current"
        )
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
