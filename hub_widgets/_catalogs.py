"""The translation catalogs, shared by the widgets (`hub_widgets._i18n`) and the sandbox's pages.

A leaf: it imports nothing of the package (an import contract keeps it so), which is why the sandbox,
which must import nothing of the widgets, may use it. One gettext domain, `hub_widgets`, holds the
Python widgets', the sandbox pages' and the JupyterLab extension's messages:
``locale/<lang>/LC_MESSAGES/hub_widgets.{po,mo,json}`` (the .json is the extension's Jed-style copy).
"""

from __future__ import annotations

import datetime
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


# Decimal and group separators of the catalogs' languages that differ from English (CLDR): German writes
# 1.234,5; Chinese and Japanese write numbers as English does.
_SEPARATORS = {"de_DE": (",", ".")}

# How each catalog's language writes a date (CLDR's short forms); English keeps ISO 8601, as the Hub's
# own pages and the `hf` CLI show dates.
_DATE_PATTERNS = {
    ENGLISH: "{y:04d}-{m:02d}-{d:02d}",
    "de_DE": "{d:02d}.{m:02d}.{y:04d}",
    "zh_CN": "{y}年{m}月{d}日",
    "ja_JP": "{y}年{m}月{d}日",
}


def number_text(value: float, decimals: int, catalog: str) -> str:
    """`value` with `decimals` digits, thousands grouped, as `catalog`'s language writes numbers."""
    text = f"{value:,.{decimals}f}"
    decimal, group = _SEPARATORS.get(catalog, (".", ","))
    return text.translate(str.maketrans({",": group, ".": decimal}))


def date_text(when: datetime.datetime, catalog: str, with_time: bool = False) -> str:
    """The date of `when` (and its hours and minutes) as `catalog`'s language writes dates."""
    pattern = _DATE_PATTERNS.get(catalog, _DATE_PATTERNS[ENGLISH])
    text = pattern.format(y=when.year, m=when.month, d=when.day)
    return f"{text} {when.hour:02d}:{when.minute:02d}" if with_time else text
