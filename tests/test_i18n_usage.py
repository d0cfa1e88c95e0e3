"""How messages are written: `_()` only on literals, no sentence glued from translated fragments.

An AST scan of every module of the package (the sandbox's pages too) and the extension's TypeScript:
- `_(...)`, `ngettext(...)` (also as methods: `self._(...)`) whose message is not a string literal
  (a variable, an f-string, a call, a concatenation): Babel cannot extract it, no catalog can hold it;
- `_("a") + _("b")` (or `+` with `.format()` of one): a sentence assembled from translated pieces,
  which no language can reorder;
- `trans.__` / `trans._n` / `trans._p` in labextension/src on anything but literals;
- `_()` run at import (module or class level): translated once, in the language of the import, so
  `set_language` and `language=` never reach it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hub_widgets"
sys.path.insert(0, str(ROOT / "scripts"))
import babel_typescript  # noqa: E402

MESSAGE_ARGS = {"_": 1, "ngettext": 2, "pgettext": 2}

# Offenders in modules other helpers are rewriting (issue 15) at the time of writing: the coordinator
# fixes them after the merges and empties this set. Keys: (path, source of the call).
KNOWN: set[tuple[str, str]] = set()


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    # `self._(...)`, `page.ngettext(...)`; not `translations(...).ngettext(message)`, which is the
    # translating itself (in _i18n and the pages' mixin).
    if isinstance(func, ast.Attribute) and func.attr in MESSAGE_ARGS and isinstance(func.value, ast.Name):
        return func.attr
    return None


# A list of separate facts ("3 commits · page 1/2") is not a sentence: separators that say so.
LIST_SEPARATORS = ("·", "|", "—", "\n")


def _is_list_separator(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(sep in node.value for sep in LIST_SEPARATORS)
    )


def _is_message(node: ast.AST) -> bool:
    """A translated piece: `_()` / `ngettext()` or `.format(...)` on one."""
    if not isinstance(node, ast.Call):
        return False
    if _name(node) in MESSAGE_ARGS:
        return True
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "format" and _is_message(func.value)


def _add_operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _add_operands(node.left) + _add_operands(node.right)
    return [node]


def offenders_in(source: str, path: str) -> list[tuple[str, str, int, str]]:
    """(path, source of the expression, line, why) for each badly written message in `source`."""
    found = []
    tree = ast.parse(source)
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in MESSAGE_ARGS:
            count = MESSAGE_ARGS[_name(node)]  # type: ignore[index]
            args = node.args[:count]
            if len(args) < count or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
            ):
                found.append((path, ast.unparse(node), node.lineno, "message is not a string literal"))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parent = parents.get(id(node))
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
                continue  # judged at the top of the chain
            operands = _add_operands(node)
            pieces = [op for op in operands if _is_message(op)]
            separated = any(_is_list_separator(op) for op in operands)
            if len(pieces) >= 2 and not separated:
                found.append((path, ast.unparse(node), node.lineno, "sentence glued from translated pieces"))
    return found


def import_time_messages(source: str) -> list[int]:
    """Lines of `_()` / `ngettext()` calls that run when the module is imported (outside any function)."""
    lines: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.Call) and _name(child) in MESSAGE_ARGS:
                lines.append(child.lineno)
            visit(child)

    visit(ast.parse(source))
    return lines


# Modules that translate at import (the playground's task registry, issue 15's): the coordinator moves
# their labels to call time (e.g. keep msgids in the specs, translate where the form is built).
KNOWN_IMPORT_TIME: set[str] = set()


def test_no_message_is_translated_at_import():
    found = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        lines = import_time_messages(file.read_text(encoding="utf-8"))
        if lines:
            found[str(file.relative_to(ROOT))] = lines
    unexpected = {path: lines for path, lines in found.items() if path not in KNOWN_IMPORT_TIME}
    assert unexpected == {}
    assert not KNOWN_IMPORT_TIME - set(found), "fixed since: remove from KNOWN_IMPORT_TIME"
    assert import_time_messages('A = _("x")\nclass B:\n    c = _("y")\ndef f():\n    return _("z")\n') == [
        1,
        3,
    ]


def package_offenders() -> list[tuple[str, str, int, str]]:
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        found += offenders_in(file.read_text(encoding="utf-8"), str(file.relative_to(ROOT)))
    return found


def typescript_offenders() -> list[tuple[str, str, int, str]]:
    found = []
    keywords = {"__": None, "_n": (1, 2), "_p": ((1, "c"), 2)}
    for file in sorted((ROOT / "labextension" / "src").rglob("*.ts")):
        with file.open("rb") as handle:
            for lineno, name, messages, _comments in babel_typescript.extract(handle, keywords, [], {}):
                count = 2 if name in ("_n", "_p") else 1
                if len(messages) < count or any(m is None for m in messages[:count]):
                    found.append((str(file.relative_to(ROOT)), f"trans.{name}(...)", lineno, "not a literal"))
    return found


def test_the_checker_finds_each_kind_of_offender() -> None:
    source = (
        "a = _(name)\n"
        'b = _(f"Hello {name}")\n'
        'c = _("Hello") + " " + _("world")\n'
        'd = self._("x {n}").format(n=1) + _("y")\n'
        'e = ngettext(one, "{n} files", n)\n'
        'f = _("Hello {name}").format(name=name) + "!"\n'
        'g = ngettext("{n} file", "{n} files", n).format(n=n)\n'
        'h = _("3 commits") + " · " + _("page 1")\n'
        "i = translations(lang).ngettext(singular, plural, n)\n"
    )
    found = [(line, why) for _p, _s, line, why in offenders_in(source, "x.py")]
    assert found == [
        (1, "message is not a string literal"),
        (2, "message is not a string literal"),
        (3, "sentence glued from translated pieces"),
        (4, "sentence glued from translated pieces"),
        (5, "message is not a string literal"),
    ]
    sample = b"trans.__('ok'); trans.__(label); trans._n('%1 file', plural, n); trans.__(`a ${b}`);"
    import io

    calls = list(babel_typescript.extract(io.BytesIO(sample), {"__": None, "_n": (1, 2)}, [], {}))
    assert [m for _l, _n, m, _c in calls] == [("ok",), (None,), ("%1 file", None, None), (None,)]


def test_no_message_is_dynamic_or_glued() -> None:
    found = package_offenders() + typescript_offenders()
    unexpected = [f"{p}:{line}: {why}: {src}" for p, src, line, why in found if (p, src) not in KNOWN]
    assert unexpected == [], "\n".join(unexpected)
    fixed = KNOWN - {(p, src) for p, src, _l, _w in found}
    assert not fixed, f"fixed since: remove from KNOWN: {sorted(fixed)}"
