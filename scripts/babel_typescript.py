"""A Babel extractor for the JupyterLab extension's TypeScript: `trans.__`, `trans._n`, `trans._p` calls.

JupyterLab's `TranslationBundle` methods take the message first: `__(msgid, ...args)`,
`_n(singular, plural, n, ...args)`, `_p(context, msgid, ...args)`. String literals ('…', "…", and
`…` without `${}`), also joined by `+`, are messages; any other argument is None (Babel then skips the
call if a message position is not a literal). Registered in babel.cfg as `babel_typescript:extract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

# `trans.__(`, `this._trans._n(`, `trans._p(`: the receiver is any name containing "trans".
_CALL = re.compile(r"\b[\w$]*trans[\w$]*\s*\.\s*(__|_n|_p)\s*\(", re.IGNORECASE)
_STRING = re.compile(r"""'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\$]|\$(?!\{))*`""", re.DOTALL)
_SPACE = re.compile(r"\s*(?://[^\n]*\n\s*|/\*.*?\*/\s*)*", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(literal: str) -> str:
    body = literal[1:-1]

    def escape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char.startswith("u"):
            return chr(int(char[1:].strip("{}"), 16))
        if char.startswith("x"):
            return chr(int(char[1:], 16))
        if char == "\n":  # a line continuation
            return ""
        return _ESCAPES.get(char, char)

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", escape, body, flags=re.DOTALL)


def _arguments(source: str, pos: int) -> list[str | None]:
    """The call's arguments from `pos` (just after the opening parenthesis): literals as text, else None."""
    args: list[str | None] = []
    while True:
        pos = _SPACE.match(source, pos).end()  # type: ignore[union-attr]
        parts: list[str] = []
        while (literal := _STRING.match(source, pos)) is not None:
            parts.append(_unquote(literal.group(0)))
            pos = _SPACE.match(source, literal.end()).end()  # type: ignore[union-attr]
            if source.startswith("+", pos):
                pos = _SPACE.match(source, pos + 1).end()  # type: ignore[union-attr]
                continue
            break
        if parts and source[pos : pos + 1] in (",", ")"):
            args.append("".join(parts))
        else:
            args.append(None)
            pos = _skip_expression(source, pos)
        if source[pos : pos + 1] != ",":
            return args
        pos += 1


def _skip_expression(source: str, pos: int) -> int:
    """The position of the `,` or `)` ending the argument starting at `pos` (brackets and strings skipped)."""
    depth = 0
    while pos < len(source):
        literal = _STRING.match(source, pos)
        if literal is not None:
            pos = literal.end()
            continue
        char = source[pos]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return pos
            depth -= 1
        elif char == "," and depth == 0:
            return pos
        pos += 1
    return pos


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """Babel's extractor interface: (line number, function name, messages, comments) per call.

    Args:
        fileobj: The TypeScript file.
        keywords: Babel's keyword specs (the section's `keywords` option names `__`, `_n:1,2`, `_p:1c,2`).
        comment_tags: Unused (no translator comments in the TypeScript yet).
        options: The section's options from babel.cfg.
    """
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for match in _CALL.finditer(source):
        name = match.group(1)
        if name not in keywords:
            continue
        lineno = source.count("\n", 0, match.start()) + 1
        yield lineno, name, tuple(_arguments(source, match.end())), []
