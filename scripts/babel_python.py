"""A Babel extractor for Python that reads the syntax tree: `_()` / `ngettext()` also inside f-strings.

On Python 3.11 an f-string is one token, so Babel's own (tokenizing) extractor misses the messages in
`f"<h2>{_('Files')}</h2>"`. This one walks `ast` instead: every call of a keyword (`_(...)`, or a
method of that name: `self._(...)`) yields its literal arguments (None for any other argument).
Registered in babel.cfg as `babel_python:extract`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        return node.func.attr  # self._("…"), page.ngettext(…)
    return None


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """Babel's extractor interface: (line number, function name, messages, comments) per call.

    Args:
        fileobj: The Python file.
        keywords: Babel's keyword specs (`_`, `ngettext:1,2`).
        comment_tags: Unused (no translator comments in the sources).
        options: The section's options from babel.cfg.
    """
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    for node in sorted(calls, key=lambda n: (n.lineno, n.col_offset)):
        name = _called(node)
        if name is None or name not in keywords:
            continue
        args = tuple(
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
        )
        yield node.lineno, name, args, []
