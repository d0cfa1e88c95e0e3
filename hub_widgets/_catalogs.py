"""The translation catalogs, shared by the widgets (`hub_widgets._i18n`) and the sandbox's pages.

A leaf: it imports nothing of the package (an import contract keeps it so), which is why the sandbox,
which must import nothing of the widgets, may use it. One gettext domain, `hub_widgets`, holds the
Python widgets', the sandbox pages' and the JupyterLab extension's messages:
``locale/<lang>/LC_MESSAGES/hub_widgets.{po,mo,json}`` (the .json is the extension's Jed-style copy).
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from pathlib import Path

DOMAIN = "hub_widgets"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
# The catalogs we ship, by language subtag. English is the source language (no catalog).
LANGUAGES = {"zh": "zh_CN", "ja": "ja_JP", "de": "de_DE"}
# Chinese scripts other than Simplified get English rather than the wrong script.
_ZH_SIMPLIFIED = {"", "cn", "sg", "hans", "hans_cn", "hans_sg"}
_TAG = re.compile(r"^[A-Za-z]{1,8}([_-][A-Za-z0-9]{1,8})*$")


def normalize(tag: str | None) -> str | None:
    """The catalog for a language tag, ``"en"`` for English or an unknown language, None for no tag.

    Accepts BCP 47 and POSIX spellings: ``zh-CN``, ``zh_CN``, ``zh``, ``zh-Hans``, ``ja``, ``de-AT``,
    ``de_DE.UTF-8``, ``en-US``. ``C`` and ``POSIX`` (a process locale that names no language) are English.

    Args:
        tag: The language tag; None or blank names none.
    """
    if tag is None:
        return None
    tag = tag.strip().split(".", 1)[0].split("@", 1)[0]  # de_DE.UTF-8@euro -> de_DE
    if not tag:
        return None
    if not _TAG.match(tag) or tag.upper() in ("C", "POSIX"):
        return ENGLISH
    primary, _sep, rest = tag.replace("-", "_").lower().partition("_")
    catalog = LANGUAGES.get(primary)
    if catalog is None or (primary == "zh" and rest not in _ZH_SIMPLIFIED):
        return ENGLISH
    return catalog


def from_accept_language(header: str | None) -> str:
    """The catalog a browser asks for in its ``Accept-Language`` header (by q-value), else English.

    Args:
        header: The header's value, e.g. ``"ja,en-US;q=0.9,en;q=0.8"``.
    """
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            choices.append((-quality, index, tag.strip()))
    for _q, _i, tag in sorted(choices):
        if tag == "*":
            return ENGLISH
        catalog = normalize(tag)
        if catalog is not None and (catalog != ENGLISH or tag.lower().startswith("en")):
            return catalog
    return ENGLISH


@lru_cache(maxsize=8)
def translations(catalog: str) -> gettext.NullTranslations:
    """The compiled catalog (``hub_widgets.mo``) of ``catalog``; English (no translation) if absent.

    Args:
        catalog: A value of `normalize` (``"zh_CN"``, ``"en"``...).
    """
    if catalog == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog], fallback=True)
