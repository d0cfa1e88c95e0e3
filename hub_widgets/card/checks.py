"""Checks of a card's front matter: locally (known license, known task, types) and by the Hub.

Local checks are pure and instant; the Hub's check (`/api/validate-yaml`, asked by
`hub_widgets.hub.cards.validate`) is the authority and runs on a worker. Both produce `CardIssue`s
attached to a front matter key, so the editor can show each one next to its field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hub_widgets._i18n import _
from hub_widgets.card.hub_data import LICENSES, SPECIAL_LANGUAGES
from hub_widgets.vocab import TASKS

ERROR = "error"
WARNING = "warning"

_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class CardIssue:
    """One thing wrong with the front matter.

    Attributes:
        key: The front matter key it concerns ("" for the card as a whole).
        message: One user-facing sentence.
        severity: "error" (blocks saving) or "warning".
        source: "local" or "hub".
    """

    key: str
    message: str
    severity: str = ERROR
    source: str = "local"


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check_str_or_list(key: str, value: Any) -> list[CardIssue]:
    if isinstance(value, str) or _is_str_list(value):
        return []
    return [CardIssue(key, _("{key} must be a text or a list of texts.").format(key=key))]


def _check_str(key: str, value: Any) -> list[CardIssue]:
    if isinstance(value, str):
        return []
    return [CardIssue(key, _("{key} must be a text, not {kind}.").format(key=key, kind=type(value).__name__))]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def check_metadata(metadata: dict[str, Any], repo_type: str = "model") -> list[CardIssue]:
    """Check the keys the Hub interprets: license, language, tags, datasets, metrics, tasks, base model.

    Unknown keys are not checked (the Hub keeps them as they are).

    Args:
        metadata: The parsed front matter.
        repo_type: "model", "dataset" or "space" (datasets may list several licenses).

    Returns:
        The problems found, in field order.
    """
    problems: list[CardIssue] = []
    if "license" in metadata:
        value = metadata["license"]
        if repo_type == "dataset":
            problems += _check_str_or_list("license", value)
        else:
            problems += _check_str("license", value)
        if not problems:
            for item in _as_list(value):
                if item not in LICENSES:
                    problems.append(
                        CardIssue(
                            "license",
                            _("Unknown license “{license}”: use a Hub license id (e.g. apache-2.0, mit), "
                              "or “other” with license_name and license_link.").format(license=item),
                        )
                    )  # fmt: skip
            if "other" in _as_list(value) and not metadata.get("license_name"):
                problems.append(
                    CardIssue(
                        "license", _("With license “other”, set license_name and license_link."), WARNING
                    )
                )
    if "language" in metadata:
        value = metadata["language"]
        found = _check_str_or_list("language", value)
        problems += found
        if not found:
            for item in _as_list(value):
                if item not in SPECIAL_LANGUAGES and not _LANGUAGE.match(item):
                    problems.append(
                        CardIssue(
                            "language",
                            _("“{code}” is not an ISO 639 language code (e.g. en, fr, zh).").format(
                                code=item
                            ),
                        )
                    )
    for key in ("tags", "metrics"):
        if key in metadata and not _is_str_list(metadata[key]):
            problems.append(CardIssue(key, _("{key} must be a list of texts.").format(key=key)))
    for key in ("datasets", "base_model"):
        if key in metadata:
            problems += _check_str_or_list(key, metadata[key])
    if "base_model" in metadata and not problems_for(problems, "base_model"):
        for item in _as_list(metadata["base_model"]):
            if not re.match(r"^[\w.\-]+(/[\w.\-]+)?$", item):
                problems.append(
                    CardIssue("base_model", _("“{id}” is not a model id (owner/name).").format(id=item))
                )
    if "library_name" in metadata:
        problems += _check_str("library_name", metadata["library_name"])
    if "pipeline_tag" in metadata:
        value = metadata["pipeline_tag"]
        found = _check_str("pipeline_tag", value)
        problems += found
        if not found and value not in TASKS:
            problems.append(
                CardIssue(
                    "pipeline_tag",
                    _("Unknown task “{task}”: choose one of the Hub's tasks.").format(task=value),
                )
            )
    if "task_categories" in metadata:
        value = metadata["task_categories"]
        found = _check_str_or_list("task_categories", value)
        problems += found
        if not found:
            for item in _as_list(value):
                if item not in TASKS:
                    problems.append(
                        CardIssue("task_categories", _("Unknown task “{task}”.").format(task=item))
                    )
    return problems


def problems_for(problems: list[CardIssue], key: str) -> list[CardIssue]:
    """The problems about `key`."""
    return [p for p in problems if p.key == key]


def has_errors(problems: list[CardIssue]) -> bool:
    return any(p.severity == ERROR for p in problems)


_QUOTED_KEY = re.compile(r"\"([A-Za-z_][\w\-]*)(?:[.\[][^\"]*)?\"")


def _key_of(message: str, known_keys: set[str]) -> str:
    """The front matter key a Hub message is about (`"license" must be one of [...]`), or ""."""
    for match in _QUOTED_KEY.finditer(message):
        if match.group(1) in known_keys:
            return match.group(1)
    return ""


def _messages(items: Any) -> list[str]:
    out = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            item = item.get("message") or item.get("error") or json.dumps(item)
        if item:
            out.append(str(item).strip())
    return out


def parse_hub_answer(status: int, text: str, metadata: dict[str, Any]) -> list[CardIssue]:
    """Turn the Hub's `/api/validate-yaml` answer into problems, each attached to its key if named.

    The Hub answers `{"errors": [{"message": ...}], "warnings": [...]}`: 200 when the card is fine,
    400 when it is not (a plain-text or `{"error": ...}` body is understood too).

    Args:
        status: HTTP status of the answer.
        text: Its body.
        metadata: The checked front matter (to recognise key names in messages).
    """
    keys = set(metadata)
    try:
        payload = json.loads(text) if text.strip() else {}
    except ValueError:
        payload = None
    errors: list[str] = []
    warnings: list[str] = []
    if isinstance(payload, dict):
        errors = _messages(payload.get("errors", [])) + _messages(payload.get("error") or [])
        warnings = _messages(payload.get("warnings", []))
    elif status >= 400:
        errors = [line.strip() for line in text.splitlines() if line.strip()]
    if status >= 400 and not errors:
        errors = [_("The Hub rejected the front matter.")]
    # The Hub can say the same thing in "errors" and in "error": each message counts once.
    errors = list(dict.fromkeys(errors))
    warnings = [m for m in dict.fromkeys(warnings) if m not in errors]
    problems = [CardIssue(_key_of(m, keys), m, ERROR, "hub") for m in errors]
    problems += [CardIssue(_key_of(m, keys), m, WARNING, "hub") for m in warnings]
    return problems


def merge_issues(local: list[CardIssue], hub: list[CardIssue]) -> list[CardIssue]:
    """The local problems, then the Hub's that add something: one mistake is one problem.

    A Hub problem about a key the local check already flagged with the same severity says the same
    thing in the Hub's words (e.g. the whole license list): it is left out. Identical messages count once.

    Args:
        local: What `check_metadata` found.
        hub: What the Hub's check found (`parse_hub_answer`).
    """
    flagged = {(p.key, p.severity) for p in local if p.key}
    merged: list[CardIssue] = []
    seen: set[tuple[str, str, str]] = set()
    for problem in [*local, *hub]:
        if problem.source == "hub" and (problem.key, problem.severity) in flagged:
            continue
        ident = (problem.key, problem.severity, problem.message)
        if ident not in seen:
            seen.add(ident)
            merged.append(problem)
    return merged


def count_mistakes(problems: list[CardIssue]) -> int:
    """How many things the user has to fix: the errors, one per key (a key's several messages are one)."""
    return len({p.key or p.message for p in problems if p.severity == ERROR})
