"""`.gitignore` rules, as the Hub applies them at preupload (`shouldIgnore`): which paths a commit skips.

The usual git syntax: `#` comments, `!` to re-include, a trailing `/` for folders only, a `/` inside a
pattern anchors it at the repo root (else it matches at any depth), `*`, `?`, `[...]` and `**`. As in
git, a file inside an ignored folder stays ignored whatever a later `!` pattern says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_RULES = 10_000  # a .gitignore is untrusted input: bounded


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negate: bool
    folders_only: bool


def _translate(pattern: str) -> str:
    """The regex body of one glob (anchored or not is decided by the caller)."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i) and i + 2 == n and (i == 0 or pattern[i - 1] == "/"):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif pattern[i] == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def parse(text: str) -> list[_Rule]:
    """The rules of a `.gitignore` file's text (lines that are not valid patterns are skipped)."""
    rules = []
    for raw in text.splitlines()[:MAX_RULES]:
        line = raw.rstrip("\r")
        if not line.endswith("\\ "):
            line = line.rstrip(" ")
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate or line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        try:
            regex = re.compile(("" if anchored else "(?:.*/)?") + body + r"\Z", re.DOTALL)
        except re.error:
            continue
        rules.append(_Rule(regex, negate, folders_only))
    return rules


def is_ignored(rules: list[_Rule], path: str) -> bool:
    """Whether `path` (a file, 'a/b/c.txt') is ignored by `rules`.

    Args:
        rules: From `parse`.
        path: A normalised repo path.
    """
    if not rules:
        return False
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        candidate = "/".join(parts[:depth])
        is_folder = depth < len(parts)
        ignored = False
        for rule in rules:
            if (is_folder or not rule.folders_only) and rule.regex.match(candidate):
                ignored = not rule.negate
        if ignored and is_folder:
            return True  # git does not look inside an ignored folder
        if not is_folder:
            return ignored
    return False
