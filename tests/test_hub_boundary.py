"""The views make no Hub call of their own: every one goes through `hub_widgets.hub`.

An AST scan over the package's classes that derive from ipywidgets (directly or through another
such class) lists each direct Hub call in their methods: a use of the session's `HfApi`
(`session.api`), a call of anything imported from `huggingface_hub` (`hf_hub_download`,
`snapshot_download`, `HfFileSystem`, `InferenceClient`, `auth_switch`, `logout`, ...), the
`InferenceClient` a playground lane builds (`.client(...)`), and `open()` of a file (the views show
what `hub.repos` read for them). The list must stay empty.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hub_widgets"
WIDGET_BASES = {"ipywidgets", "W", "widgets"}
# HfApi methods the views used to call on `session.api` (a bare `api.<name>(...)` after `api = session.api`),
# and the session's own Hub calls (`session.whoami()`, `session.namespaces()`, `session.inference_client()`).
HF_API_METHODS = {
    "auth_check",
    "create_commit",
    "get_paths_info",
    "hf_hub_download",
    "inference_client",
    "list_datasets",
    "list_models",
    "list_repo_commits",
    "list_repo_refs",
    "list_repo_tree",
    "list_spaces",
    "model_info",
    "namespaces",
    "repo_info",
    "snapshot_download",
    "upload_file",
    "whoami",
}


def _hub_names(tree: ast.Module) -> set[str]:
    """Names a module imports from huggingface_hub's I/O (anywhere: functions import lazily too)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "huggingface_hub":
            if node.module in {"huggingface_hub.errors", "huggingface_hub.utils"}:
                continue  # error classes and helpers: no I/O
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _service_names(tree: ast.Module) -> set[str]:
    """Names bound to the package's Hub services (`from hub_widgets.hub import auth, repos`)."""
    names = {"hub"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hub_widgets.hub"):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _is_widget_class(node: ast.ClassDef, widget_classes: set[str]) -> bool:
    for base in node.bases:
        if (
            isinstance(base, ast.Attribute)
            and isinstance(base.value, ast.Name)
            and base.value.id in WIDGET_BASES
        ):
            return True
        if isinstance(base, ast.Name) and base.id in widget_classes:
            return True
    return False


def _calls_in(cls: ast.ClassDef, hub_names: set[str], services: set[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and node.attr == "api":
            # `self.session.api`, `session.api`: the views get results from hub/, not the client.
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and (func.id in hub_names or func.id == "open"):
                found.append((node.lineno, func.id))
            elif isinstance(func, ast.Attribute):
                owner = func.value
                on_client = isinstance(owner, ast.Name) and owner.id in {"api", "huggingface_hub"}
                on_service = isinstance(owner, ast.Name) and (owner.id == "self" or owner.id in services)
                if on_client or (func.attr in HF_API_METHODS and not on_service):
                    found.append((node.lineno, ast.unparse(func)))
                elif func.attr == "client" and not (isinstance(owner, ast.Name) and owner.id == "self"):
                    found.append((node.lineno, ast.unparse(func)))  # lane.client(backend): an InferenceClient
                elif func.attr == "open" and isinstance(owner, ast.Name) and owner.id == "fs":
                    found.append((node.lineno, ast.unparse(func)))
    # `self.session.api.x(...)` is both a use of `.api` and a call: count each line once, as its call.
    by_line: dict[int, str] = {}
    for line, call in sorted(found, key=lambda item: len(item[1])):
        by_line[line] = call
    return sorted(by_line.items())


def direct_hub_calls() -> list[str]:
    """`module:line call` for every direct Hub call in a widget class of the package (sandbox aside)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "sandbox" in path.relative_to(PACKAGE).parts or path.parts[-2:-1] == ("hub",):
            continue
        modules[path] = ast.parse(path.read_text(encoding="utf-8"))
    widget_classes: set[str] = set()
    changed = True
    while changed:  # classes deriving from the package's own widget classes, to a fixed point
        changed = False
        for tree in modules.values():
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in widget_classes
                    and _is_widget_class(node, widget_classes)
                ):
                    widget_classes.add(node.name)
                    changed = True
    found = []
    for path, tree in modules.items():
        hub_names, services = _hub_names(tree), _service_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in widget_classes:
                for line, call in _calls_in(node, hub_names, services):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{line} {node.name} {call}")
    return found


def test_no_widget_class_calls_the_hub_directly() -> None:
    calls = direct_hub_calls()
    assert calls == [], "\n".join(calls)


if __name__ == "__main__":  # pragma: no cover - the measure for the report
    print("\n".join(direct_hub_calls()))
    print(len(direct_hub_calls()))
