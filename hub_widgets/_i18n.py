"""The one translation function for every user-facing string (gettext-style).

Catalogs live in ``hub_widgets/locale/<lang>/LC_MESSAGES/hub_widgets.mo``. English is the source
language, so with no catalog the message is returned unchanged. Extract strings with
``xgettext --keyword=_ --keyword=ngettext:1,2 -o hub_widgets.pot hub_widgets/**/*.py``.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "hub_widgets"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.translation(DOMAIN, LOCALE_DIR, fallback=True)


def set_language(*languages: str) -> None:
    """Switch the catalog at run time, e.g. ``set_language("de")``; no argument means the environment's."""
    global _translation
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=list(languages) or None, fallback=True)


def _(message: str) -> str:
    """Translate ``message``; format placeholders after translating: ``_("Hello {name}").format(...)``."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message that depends on a count."""
    return _translation.ngettext(singular, plural, n)
