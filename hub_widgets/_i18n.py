"""The one translation function for every user-facing string (gettext), and the choice of language.

Catalogs: ``hub_widgets/locale/<lang>/LC_MESSAGES/hub_widgets.mo`` (`hub_widgets._catalogs`); English
is the source language. ``make i18n-extract`` collects the messages, ``make i18n-check`` checks them.

The language, first that applies:

1. the language of the widget being built or handling its work: ``language=`` on a widget, or any
   code run inside ``use_language(...)`` (a context variable, so two widgets in two languages can live
   in one kernel; `HubWidget` sets it while the widget builds, in its submitted work and its callbacks);
2. ``hub_widgets.set_language("zh-CN")`` (the sidebar extension calls it with JupyterLab's language);
3. the ``HUB_WIDGETS_LANG`` environment variable;
4. JupyterLab's display language, from its user settings
   (``<jupyter config dir>/lab/user-settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings``,
   key ``locale``; ``JUPYTERLAB_SETTINGS_DIR`` moves the settings folder, as in JupyterLab);
5. the process locale: ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (the first one set);
6. English.

The first source that names a language decides; a language without a catalog means English (quietly).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

from hub_widgets._catalogs import ENGLISH, date_text, normalize, number_text, translations

__all__ = [
    "N_",
    "_",
    "format_date",
    "format_number",
    "language_in_use",
    "marked",
    "ngettext",
    "pgettext",
    "scoped_language",
    "set_language",
    "use_language",
]

ENV_VAR = "HUB_WIDGETS_LANG"
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
JUPYTERLAB_SETTINGS = Path("@jupyterlab", "translation-extension", "plugin.jupyterlab-settings")

_scoped: contextvars.ContextVar[str | None] = contextvars.ContextVar("hub_widgets_language", default=None)
_explicit: str | None = None
_settings_cache: tuple[tuple[str, int], str | None] = (("", -1), None)


def set_language(language: str | None = None) -> str:
    """Show hub-widgets' messages in ``language`` from now on (widgets created afterwards).

    Args:
        language: A language tag: ``"zh-CN"``, ``"zh_CN"``, ``"zh"``, ``"ja"``, ``"de-DE"``, ``"en"``...
            A language without a catalog means English. None goes back to the environment's choice
            (``HUB_WIDGETS_LANG``, JupyterLab's display language, the process locale).

    Returns:
        The catalog now in use (``"zh_CN"``, ``"ja_JP"``, ``"de_DE"`` or ``"en"``).
    """
    global _explicit
    _explicit = normalize(language)
    return language_in_use()


def language_in_use() -> str:
    """The catalog `_` translates with here and now (see the module's docstring for the order)."""
    return _scoped.get() or _explicit or environment_language()


@contextlib.contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Translate into ``language`` inside the block (this thread or task only); None: no change.

    Args:
        language: A language tag, as for `set_language`.
    """
    chosen = normalize(language) if language is not None else language_in_use()
    token = _scoped.set(chosen)
    try:
        yield chosen or ENGLISH
    finally:
        _scoped.reset(token)


def scoped_language() -> str | None:
    """The language set by `use_language` for this thread or task, if any (what a worker inherits)."""
    return _scoped.get()


def environment_language() -> str:
    """The language named by ``HUB_WIDGETS_LANG``, JupyterLab's setting or the process locale, else English."""
    chosen = normalize(os.environ.get(ENV_VAR))
    if chosen is None:
        chosen = jupyterlab_language()  # read only when the variable names no language
    if chosen is None:
        chosen = process_language()
    return chosen or ENGLISH


def jupyterlab_settings_file() -> Path:
    """Where JupyterLab keeps its display language for this user."""
    names = ("JUPYTERLAB_SETTINGS_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_PLATFORM_DIRS", "HOME")
    return _settings_file(tuple(os.environ.get(name) for name in names))


@functools.lru_cache(maxsize=4)
def _settings_file(_environment: tuple[str | None, ...]) -> Path:
    # Cached by the variables it depends on: jupyter_config_dir() costs ~0.3 ms, and `_` asks each call.
    folder = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if not folder:
        from jupyter_core.paths import jupyter_config_dir  # lazy: `import hub_widgets` stays cheap

        folder = os.path.join(jupyter_config_dir(), "lab", "user-settings")
    return Path(folder) / JUPYTERLAB_SETTINGS


_COMMENT = re.compile(r'("(?:\\.|[^"\\])*")|//[^\n]*|/\*.*?\*/', re.DOTALL)


def jupyterlab_language() -> str | None:
    """JupyterLab's display language from its settings file, or None when it names none.

    JupyterLab does not pass the language to kernels; the file is read again only when it changes.
    """
    global _settings_cache
    path = jupyterlab_settings_file()
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if stamp == _settings_cache[0]:
        return _settings_cache[1]
    chosen: str | None = None
    try:
        # JupyterLab writes JSON5-ish text (comments); strings are kept, comments dropped.
        text = _COMMENT.sub(lambda m: m.group(1) or "", path.read_text(encoding="utf-8"))
        value = json.loads(text).get("locale")
        chosen = normalize(value) if isinstance(value, str) and value != "default" else None
    except (OSError, ValueError, AttributeError):
        chosen = None
    _settings_cache = (stamp, chosen)
    return chosen


def process_language() -> str | None:
    """The language of the process locale (gettext's variables, in gettext's order), or None."""
    for name in LOCALE_VARS:
        value = os.environ.get(name, "")
        if not value:
            continue
        if name == "LANGUAGE":  # a list: the first language we have a catalog for
            for tag in value.split(":"):
                chosen = normalize(tag)
                if chosen is not None and (chosen != ENGLISH or tag.lower().startswith("en")):
                    return chosen
            continue
        return normalize(value)
    return None


def _(message: str) -> str:
    """Translate ``message``; format placeholders after translating: ``_("Hello {name}").format(...)``."""
    return translations(language_in_use()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count (``{n}`` is still to be formatted).

    Args:
        singular: The English message for one.
        plural: The English message for several.
        n: The count that picks the language's plural form.
    """
    return translations(language_in_use()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context``: one English word that needs two translations ("More" as a
    button that loads more results, and as a heading over further actions) gets one msgctxt each.

    Args:
        context: What the message is, for translators (``"heading"``).
        message: The English message.
    """
    return translations(language_in_use()).pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for the marker
    """Mark ``message`` for extraction without translating it (a module-level label, built once).

    Where it is shown, `marked(label)` translates it into the language in use at that moment, so a
    label defined at import still follows `set_language` and a widget's ``language=``.
    """
    return message


def format_number(value: float, decimals: int = 0) -> str:
    """``value`` as the language in use writes it, with ``decimals`` digits after the separator and its
    thousands grouped: ``1,234.5`` in English, Chinese and Japanese, ``1.234,5`` in German.

    Args:
        value: The number.
        decimals: Digits after the decimal separator.
    """
    return number_text(value, decimals, language_in_use())


def format_date(when: datetime.datetime, with_time: bool = False, language: str | None = None) -> str:
    """``when`` as the language writes a date: ``2026-12-01``, ``01.12.2026``, ``2026年12月1日``.

    Args:
        when: The date (shown in its own time zone).
        with_time: Add hours and minutes (``13:05``, the same in every catalog's language).
        language: A catalog (``"de_DE"``); None: the language in use.
    """
    return date_text(when, language or language_in_use(), with_time)


def marked(message: str) -> str:
    """Translate a message marked with `N_` where it is defined (the only `_` on a non-literal)."""
    return translations(language_in_use()).gettext(message)
