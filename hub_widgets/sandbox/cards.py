"""Repo card (README.md front matter) rules of the sandbox Hub: what the Hub refuses, what it warns about."""

from __future__ import annotations

from typing import Any

from . import validation
from .store import parse_front_matter
from .validation import Invalid
from .vocab import LICENSES, PIPELINE_TAGS


def validate_card_metadata(content: str, repo_type: str) -> list[str]:
    """Problems the Hub reports for a README's front matter (invalid YAML, unknown license or task).

    The YAML is parsed with limits (size, nesting, aliases, expanded size): beyond them it is invalid.

    Args:
        content: The README's text.
        repo_type: "model", "dataset" or "space" (only model cards have a pipeline_tag to check).
    """
    try:
        data = validation.parse_card(content)
    except Invalid as exc:
        return [str(exc)]
    errors = []
    licenses = data.get("license")
    for lic in licenses if isinstance(licenses, list) else [licenses] if licenses is not None else []:
        if str(lic) not in LICENSES:
            errors.append(f'"license" must be one of [{", ".join(LICENSES)}]')
            break
    task = data.get("pipeline_tag")
    if repo_type == "model" and task is not None and str(task) not in PIPELINE_TAGS:
        errors.append(
            f'"pipeline_tag" must be one of [{", ".join(sorted(PIPELINE_TAGS)[:8])}, ...]; got {task!r}'
        )
    if "model-index" in data:
        errors += model_index_errors(data["model-index"])
    return errors


def model_index_errors(value: Any) -> list[str]:
    """What the Hub's schema says of a `model-index` (evaluation results), in its wording.

    An entry has a `name` and `results`; a result a `task` (with a `type`), a `dataset` (with a `type`
    and a `name`) and `metrics` (each with a `type` and a `value`). At most 20 problems are listed.

    Args:
        value: The `model-index` field of the metadata.
    """
    errors: list[str] = []

    def check(obj: Any, where: str, required: dict[str, type | None], optional: dict[str, type]) -> bool:
        if not isinstance(obj, dict):
            errors.append(f'"{where}" must be of type object')
            return False
        for key, kind in required.items():
            if obj.get(key) is None:
                errors.append(f'"{where}.{key}" is required')
            elif kind is not None and not isinstance(obj[key], kind):
                errors.append(f'"{where}.{key}" must be {_KIND[kind]}')
        for key, kind in optional.items():
            if obj.get(key) is not None and not isinstance(obj[key], kind):
                errors.append(f'"{where}.{key}" must be {_KIND[kind]}')
        return True

    if not isinstance(value, list):
        return ['"model-index" must be an array']
    for i, entry in enumerate(value):
        where = f"model-index[{i}]"
        if not check(entry, where, {"name": str, "results": list}, {}):
            continue
        for j, result in enumerate(
            entry.get("results") or [] if isinstance(entry.get("results"), list) else []
        ):
            at = f"{where}.results[{j}]"
            if not check(result, at, {"task": dict, "dataset": dict, "metrics": list}, {}):
                continue
            if isinstance(result.get("task"), dict):
                check(result["task"], f"{at}.task", {"type": str}, {"name": str})
            if isinstance(result.get("dataset"), dict):
                check(
                    result["dataset"],
                    f"{at}.dataset",
                    {"type": str, "name": str},
                    {"config": str, "split": str, "revision": str},
                )
            for k, metric in enumerate(
                result.get("metrics") if isinstance(result.get("metrics"), list) else []
            ):
                check(
                    metric,
                    f"{at}.metrics[{k}]",
                    {"type": str, "value": None},
                    {"name": str, "verified": bool},
                )
        if len(errors) >= 20:
            break
    return errors[:20]


_KIND: dict[type, str] = {str: "a string", list: "an array", dict: "of type object", bool: "a boolean"}


def card_report(content: str, repo_type: str) -> tuple[list[str], dict[str, Any]]:
    """(errors, metadata) of a README: the metadata only when there is no error."""
    errors = validate_card_metadata(content, repo_type)
    return errors, ({} if errors else parse_front_matter(content))


def card_warnings(card: dict[str, Any], repo_type: str) -> list[str]:
    """What the Hub's YAML validator warns about in valid metadata."""
    if not card:
        return ["Empty or missing yaml metadata in repo card"]
    if "license" not in card and repo_type in ("model", "dataset"):
        return ["license is not set: consider adding a license to the metadata"]
    return []


def readme_error(errors: list[str]) -> str:
    """A commit's refusal of a README, worded as the client words the same answer from /api/validate-yaml."""
    return "Invalid metadata in README.md.\n" + "\n".join(f"- {e}" for e in errors)


# What the Hub picks from for a new Space's card (the emoji written as escapes: no emoji in the sources).
_SPACE_EMOJIS = ("\U0001f680", "\U0001f4ca", "\U0001f525", "\U0001f984", "\U0001f3c3", "\U0001f4da")
_SPACE_COLORS = ("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")


def space_readme(name: str, sdk: str) -> bytes:
    """The README.md the Hub writes into a new Space: its configuration front matter and a pointer to
    the configuration reference (emoji and colours chosen from the name, so the same name gives the same card).

    Args:
        name: The Space's name (without namespace); its title.
        sdk: The Space SDK (gradio, streamlit, docker, static).
    """
    seed = sum(name.encode("utf-8"))
    color_from = _SPACE_COLORS[seed % len(_SPACE_COLORS)]
    color_to = _SPACE_COLORS[(seed // len(_SPACE_COLORS) + 1) % len(_SPACE_COLORS)]
    lines = [
        "---",
        f"title: {name}",
        f"emoji: {_SPACE_EMOJIS[seed % len(_SPACE_EMOJIS)]}",
        f"colorFrom: {color_from}",
        f"colorTo: {color_to}",
        f"sdk: {sdk}",
    ]
    if sdk in ("gradio", "streamlit"):
        lines.append("app_file: app.py")
    lines += [
        "pinned: false",
        "---",
        "",
        "Check out the configuration reference at https://huggingface.co/docs/hub/spaces-config-reference",
        "",
    ]
    return "\n".join(lines).encode("utf-8")
