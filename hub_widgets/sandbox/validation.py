"""Rules for what the sandbox Hub accepts: file paths, repo and ref names, card metadata, request sizes.

Pure functions (no HTTP, no storage): each raises `Invalid` with a message meant for the client. The
server turns it into the Hub's status (422 for a bad path in a commit, 400 for a bad name or field).

Limits the Hub does not document are picked so that whatever is accepted can be downloaded on any
common file system: a path is at most 1,000 UTF-8 bytes, 64 segments deep, each segment at most 200
bytes (the client adds `.metadata` / `.lock` to file names under `local_dir`, and NAME_MAX is 255).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

MAX_PATH_BYTES = 1000
MAX_PATH_DEPTH = 64
MAX_SEGMENT_BYTES = 200
MAX_REF_LENGTH = 200
MAX_TITLE_LENGTH = 1000  # a commit summary (first line)
MAX_MESSAGE_LENGTH = 64 * 1024  # a commit description

# Front matter of a README: bigger or more nested YAML is refused (an alias "bomb" of a few hundred bytes
# otherwise expands into megabytes of JSON in every repo info answer).
MAX_YAML_BYTES = 1_000_000
MAX_YAML_ALIASES = 100
MAX_YAML_DEPTH = 50
MAX_YAML_NODES = 200_000  # after expanding aliases
MAX_YAML_CHARS = 2_000_000  # characters of all strings and keys, after expanding aliases

# Explicit bidi embeddings, overrides and isolates: they make a path read differently from what it is.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

REPO_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?")
REF_CHARS = re.compile(r"[A-Za-z0-9._/-]+")


class Invalid(ValueError):
    """A value the Hub would refuse; `str()` is the message for the client."""


@dataclass
class Limits:
    """Request limits of the sandbox server (sizes in bytes, times in seconds).

    Args:
        json_body: Most JSON bodies (repo creation, settings, branches, discussions, LFS batch).
        listing_body: Bodies that list many paths (preupload, paths-info) or carry a README (validate-yaml).
        media_body: Inference inputs (images, audio).
        commit_body: A whole NDJSON commit payload (regular files travel inline, base64-encoded).
        commit_line: One line of it (a regular file is < 10 MB, so < 13.4 MB once in base64).
        body_timeout: Seconds to receive a body; longer bodies get `size / min_rate` seconds instead.
        min_rate: Bytes per second a long body must at least arrive at (LFS uploads).
        header_timeout: Seconds to receive the request headers, and to keep an idle connection open.
        linger: Seconds a refused body is still read (and dropped) so the client can see the answer.
    """

    json_body: int = 1 << 20
    listing_body: int = 8 << 20
    media_body: int = 32 << 20
    commit_body: int = 512 << 20
    commit_line: int = 16 << 20
    body_timeout: float = 120.0
    min_rate: int = 64 * 1024
    header_timeout: float = 300.0
    linger: float = 2.0

    def timeout_for(self, length: int | None) -> float:
        """Seconds allowed to receive a body of `length` bytes (None: unknown length)."""
        return max(self.body_timeout, (length or 0) / max(1, self.min_rate))


# -- paths -------------------------------------------------------------------------------------------


def _bad_char(text: str) -> str | None:
    """A description of the first character a path or name must not contain, or None."""
    for char in text:
        if char in BIDI_CONTROLS:
            return f"the bidirectional control character U+{ord(char):04X}"
        category = unicodedata.category(char)
        if category == "Cc":
            return f"the control character U+{ord(char):04X}"
        if category == "Cs":
            return "an unpaired surrogate (not valid UTF-8)"
    return None


def check_path(path: Any) -> str:
    """The path of a file in a repo, normalised (no leading or trailing '/'), or `Invalid`.

    Args:
        path: The path as the client sent it.
    """
    if not isinstance(path, str):
        raise Invalid(f"Invalid path {path!r}: a path must be a string.")
    shown = path if len(path) <= 120 else path[:120] + "…"
    normalised = path.strip("/")
    if not normalised:
        raise Invalid(f"Invalid path {shown!r}: the path is empty.")
    bad = _bad_char(path)
    if bad:
        raise Invalid(f"Invalid path {shown!r}: it contains {bad}.")
    size = len(normalised.encode("utf-8"))
    if size > MAX_PATH_BYTES:
        raise Invalid(f"Invalid path {shown!r}: {size} bytes long, the limit is {MAX_PATH_BYTES} bytes.")
    if "\\" in normalised:
        raise Invalid(f"Invalid path {shown!r}: backslashes are not allowed (use '/' between folders).")
    parts = normalised.split("/")
    if len(parts) > MAX_PATH_DEPTH:
        raise Invalid(f"Invalid path {shown!r}: {len(parts)} levels deep, the limit is {MAX_PATH_DEPTH}.")
    for index, part in enumerate(parts):
        if part == "":
            raise Invalid(f"Invalid path {shown!r}: empty segment ('//').")
        if part in (".", ".."):
            raise Invalid(f"Invalid path {shown!r}: '{part}' segments are not allowed.")
        if len(part.encode("utf-8")) > MAX_SEGMENT_BYTES:
            raise Invalid(
                f"Invalid path {shown!r}: a file or folder name is longer than {MAX_SEGMENT_BYTES} bytes."
            )
        # Windows ignores trailing dots and spaces, and most file systems ignore case: '.GIT.' is '.git'.
        folded = part.rstrip(" .").lower()
        if folded == ".git":
            raise Invalid(f"Invalid path {shown!r}: a '.git' folder or file is not allowed.")
        if folded == ".cache" and index + 1 < len(parts) and parts[index + 1].lower() == "huggingface":
            raise Invalid(f"Invalid path {shown!r}: '.cache/huggingface' is reserved for the client's cache.")
    return normalised


# -- names -------------------------------------------------------------------------------------------


def check_repo_name(name: Any, what: str = "repo name") -> str:
    """A repo name (or namespace) as the Hub accepts it, or `Invalid`.

    Args:
        name: The name.
        what: How to call it in the message ('repo name', 'namespace').
    """
    if not isinstance(name, str) or not REPO_NAME.fullmatch(name) or "--" in name or ".." in name:
        raise Invalid(
            f"Invalid {what} {name!r}: use letters, digits, '-', '_' and '.'; '--' and '..' are forbidden, "
            "'-' and '.' cannot start or end the name, max length is 96."
        )
    if name.endswith(".git"):
        raise Invalid(f"Invalid {what} {name!r}: it cannot end with '.git'.")
    return name


def check_ref_name(name: Any, what: str = "branch") -> str:
    """A branch or tag name as git and the Hub accept it, or `Invalid`.

    Args:
        name: The name (without `refs/heads/` or `refs/tags/`).
        what: 'branch' or 'tag', for the message.
    """
    shown = name if not isinstance(name, str) or len(name) <= 120 else name[:120] + "…"
    if not isinstance(name, str) or not name:
        raise Invalid(f"Invalid {what} name {shown!r}: a name is required.")
    if len(name) > MAX_REF_LENGTH:
        raise Invalid(f"Invalid {what} name {shown!r}: longer than {MAX_REF_LENGTH} characters.")
    if not REF_CHARS.fullmatch(name):
        raise Invalid(f"Invalid {what} name {shown!r}: use letters, digits, '.', '_', '-' and '/'.")
    parts = name.split("/")
    if (
        any(p == "" or p.startswith(".") or p.endswith(".lock") for p in parts)
        or ".." in name
        or name.endswith(".")
        or name.startswith("-")
        or name.startswith("refs/")
        or name == "HEAD"
    ):
        raise Invalid(
            f"Invalid {what} name {shown!r}: no empty parts, no part starting with '.' or ending with "
            "'.lock', no '..', and it cannot start with '-' or 'refs/'."
        )
    if re.fullmatch(r"[0-9a-f]{40}", name):
        raise Invalid(f"Invalid {what} name {shown!r}: it would be taken for a commit id.")
    return name


def check_text(value: Any, field: str, limit: int) -> str:
    """A string field of a request (None is ''), at most `limit` characters, or `Invalid` naming it."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(f"Invalid {field}: expected a string, got {type(value).__name__}.")
    if len(value) > limit:
        raise Invalid(f"Invalid {field}: {len(value)} characters long, the limit is {limit}.")
    return value


# -- card metadata -----------------------------------------------------------------------------------

# Leading blank lines before the first '---' are allowed, as the Hub (and the client's REGEX_YAML_BLOCK) allow.
_FRONT_MATTER = re.compile(r"^\s*---[ \t]*\r?\n(.*?)\r?\n?---[ \t]*(\r?\n|$)", re.DOTALL)


def front_matter_text(content: str) -> str | None:
    """The YAML between the leading '---' lines of a README, or None if there is none."""
    match = _FRONT_MATTER.match(content)
    return match.group(1) if match else None


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML with limits on size, nesting, aliases and expanded size; `Invalid` beyond them.

    The event stream is read first (iteratively, in C when libyaml is there), so deep nesting or an
    alias bomb is refused before any Python object is built.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise Invalid(f"Invalid YAML in the metadata: more than {MAX_YAML_BYTES} bytes.")
    aliases = depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_YAML_ALIASES:
                    raise Invalid(f"Invalid YAML in the metadata: more than {MAX_YAML_ALIASES} aliases.")
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise Invalid(
                        f"Invalid YAML in the metadata: nested deeper than {MAX_YAML_DEPTH} levels."
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise Invalid(f"Invalid YAML in the metadata: {str(exc).splitlines()[0]}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an unhashable mapping key
        if isinstance(exc, Invalid):
            raise
        raise Invalid(f"Invalid YAML in the metadata: {exc}") from None
    if aliases:
        _check_expanded_size(data)
    return data


def _check_expanded_size(data: Any) -> None:
    """Walk `data` as JSON would write it (aliases repeated), stopping as soon as it is too big."""
    nodes = chars = 0
    stack = [data]
    while stack:
        item = stack.pop()
        nodes += 1
        if isinstance(item, dict):
            for key, value in item.items():
                chars += len(str(key))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            chars += len(item)
        if nodes > MAX_YAML_NODES or chars > MAX_YAML_CHARS:
            raise Invalid("Invalid YAML in the metadata: its aliases expand to too much data.")


def parse_card(content: str) -> dict[str, Any]:
    """The front matter of a README as a dict: {} when there is none, `Invalid` when it is not valid."""
    text = front_matter_text(content)
    if text is None:
        return {}
    data = load_yaml(text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid("The metadata must be a YAML mapping (key: value).")
    return data


__all__ = [
    "Invalid",
    "Limits",
    "check_path",
    "check_ref_name",
    "check_repo_name",
    "check_text",
    "load_yaml",
    "parse_card",
]
