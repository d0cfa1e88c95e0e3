"""A card as text: front matter and body, edited without disturbing what the user did not touch.

`huggingface_hub.RepoCard` re-dumps the whole YAML block on save (its comments, quoting and list
style are lost). The editor must change only the fields the user edited, so the front matter is
kept as text and only the top-level entries whose value changed are rewritten. Splitting uses the
library's own `REGEX_YAML_BLOCK`, the same expression the Hub uses.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from huggingface_hub.repocard import REGEX_YAML_BLOCK, TEMPLATE_DATASETCARD_PATH, TEMPLATE_MODELCARD_PATH
from huggingface_hub.utils import yaml_dump

from hub_widgets._i18n import _
from hub_widgets.errors import ValidationError

README = "README.md"


@dataclass
class CardDocument:
    """A README split the way the Hub splits it.

    Attributes:
        text: The whole file as loaded (the baseline for diffs).
        yaml_text: The front matter between the `---` fences ("" when there is none).
        body: The markdown after the front matter.
        metadata: The front matter parsed, keys in file order.
        line_break: The file's line break ("\\n", "\\r\\n" or "\\r").
        has_front_matter: Whether the file had a `---` block.
    """

    text: str
    yaml_text: str = ""
    body: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    line_break: str = "\n"
    has_front_matter: bool = False
    _opening: str = "---\n"
    _closing: str = "\n---\n"

    def render(self, metadata: dict[str, Any], body: str, yaml_base: tuple[str, dict] | None = None) -> str:
        """The README text with `metadata` and `body`; untouched front matter entries keep their text.

        Args:
            metadata: The new front matter.
            body: The new markdown body.
            yaml_base: `(yaml_text, metadata)` to rewrite from, instead of the loaded front matter.
        """
        base_text, base_meta = yaml_base if yaml_base is not None else (self.yaml_text, self.metadata)
        if not metadata:
            return body
        new_yaml = splice_yaml(base_text, base_meta, metadata, self.line_break)
        if self.has_front_matter:
            return f"{self._opening}{new_yaml}{self._closing}{body}"
        lb = self.line_break
        return f"---{lb}{new_yaml}{lb}---{lb}{body}"


def detect_line_break(text: str) -> str:
    """The first line break of `text` ("\\n" when there is none), like the Hub does."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def parse_card(text: str) -> CardDocument:
    """Split a README into front matter and body and parse the front matter.

    Raises:
        ValidationError: The front matter is not valid YAML or not a mapping.
    """
    match = REGEX_YAML_BLOCK.search(text)
    line_break = detect_line_break(text)
    if not match:
        return CardDocument(text=text, body=text, line_break=line_break)
    yaml_text = match.group(2)
    try:
        metadata = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (line {line})").format(line=mark.line + 2) if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValidationError(
            _("The front matter is not valid YAML{where}: {problem}").format(where=where, problem=problem)
        ) from exc
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ValidationError(_("The front matter must be a mapping of keys to values."))
    return CardDocument(
        text=text,
        yaml_text=yaml_text,
        body=text[match.end() :],
        metadata=metadata,
        line_break=line_break,
        has_front_matter=True,
        _opening=match.group(1),
        _closing=match.group(3),
    )


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (so `1` differs from `True` and `"1"`)."""
    return type(a) is type(b) and repr(a) == repr(b)


def dump_yaml(metadata: dict[str, Any], line_break: str = "\n") -> str:
    """Metadata as a YAML block (no trailing line break), the way `huggingface_hub` writes cards."""
    return line_break.join(yaml_dump(metadata, sort_keys=False).rstrip("\n").split("\n"))


def _top_level_lines(yaml_text: str) -> list[tuple[str, int]] | None:
    """(key, first line) of each top-level entry, or None when the block cannot be cut safely."""
    try:
        node = yaml.compose(yaml_text)
    except yaml.YAMLError:
        return None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        return None
    entries = []
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            return None
        if key_node.start_mark.column != 0:
            return None
        entries.append((key_node.value, key_node.start_mark.line))
    if len({key for key, _ in entries}) != len(entries):
        return None  # duplicate keys: the last wins in the parse, cutting would be ambiguous
    return entries


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def splice_yaml(yaml_text: str, old: dict[str, Any], new: dict[str, Any], line_break: str = "\n") -> str:
    """Rewrite only the top-level entries of `yaml_text` whose value differs between `old` and `new`.

    Unchanged entries keep their exact text (comments, quoting, order); removed entries disappear;
    new entries are appended at the end. Falls back to dumping `new` whole when the block's layout
    cannot be cut safely (flow style, duplicate or non-string keys); the result always parses to `new`.

    Args:
        yaml_text: The front matter as written in the file.
        old: What `yaml_text` parses to.
        new: The wanted front matter.
        line_break: Line break used for rewritten entries.
    """
    if list(old) == list(new) and all(same_value(old[k], new[k]) for k in new):
        return yaml_text
    entries = _top_level_lines(yaml_text)
    if entries is None or {k for k, _ in entries} != set(old):
        return dump_yaml(new, line_break)
    lines = yaml_text.splitlines()
    out: list[str] = lines[: entries[0][1]] if entries else list(lines)
    starts = [line for _, line in entries] + [len(lines)]
    for index, (key, start) in enumerate(entries):
        segment = lines[start : starts[index + 1]]
        if key in new and same_value(old[key], new[key]):
            out.extend(segment)
            continue
        # Comments and blank lines closing the segment usually introduce the next entry: keep them.
        tail_start = len(segment)
        while tail_start > 1 and _is_filler(segment[tail_start - 1]):
            tail_start -= 1
        if key in new:
            out.extend(dump_yaml({key: new[key]}, "\n").split("\n"))
        out.extend(segment[tail_start:])
    for key, value in new.items():
        if key not in old:
            out.extend(dump_yaml({key: value}, "\n").split("\n"))
    result = line_break.join(out)
    try:
        if yaml.safe_load(result) != new:
            return dump_yaml(new, line_break)
    except yaml.YAMLError:
        return dump_yaml(new, line_break)
    return result


_TEMPLATE_FIELD = re.compile(r"\{\{\s*(\w+)\s*(?:\|\s*default\(\"((?:[^\"\\]|\\.)*)\",\s*true\s*\))?\s*\}\}")


def template_body(repo_type: str = "model", **values: str) -> str:
    """The body (markdown after the front matter) of the library's default model or dataset card.

    Uses `ModelCard.from_template` / `DatasetCard.from_template` when Jinja2 is installed; without it,
    fills the same template file's `{{ name | default("...", true) }}` fields directly.

    Args:
        repo_type: "model" or "dataset" ("space" uses the model template, like the library).
        values: Template variables (`model_id`, `pretty_name`, `model_summary`, ...).
    """
    # The card modules themselves (templates, no I/O), not the package root with its clients.
    from huggingface_hub.repocard import DatasetCard, ModelCard
    from huggingface_hub.repocard_data import DatasetCardData, ModelCardData
    from huggingface_hub.utils import is_jinja_available

    if is_jinja_available():
        if repo_type == "dataset":
            return DatasetCard.from_template(DatasetCardData(), **values).text
        return ModelCard.from_template(ModelCardData(), **values).text
    path = TEMPLATE_DATASETCARD_PATH if repo_type == "dataset" else TEMPLATE_MODELCARD_PATH
    source = Path(path).read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name == "card_data":
            return ""
        return str(values.get(name) or (default or "").replace('\\"', '"'))

    match = REGEX_YAML_BLOCK.search(source)
    body = source[match.end() :] if match else source
    return _TEMPLATE_FIELD.sub(fill, body)


def template_card(repo_type: str = "model", metadata: dict[str, Any] | None = None, **values: str) -> str:
    """A whole README from the library's template, with `metadata` as front matter."""
    body = template_body(repo_type, **values)
    if not metadata:
        return body
    return f"---\n{dump_yaml(copy.deepcopy(metadata))}\n---\n{body}"


def card_diff(before: str, after: str, path: str = README, context: int = 3) -> str:
    """Unified diff of two versions of a card ("" when they are identical)."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
        n=context,
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)
