"""The sandbox's structure (issue 14): the store owns all SQL, every handler is mounted in one place, the
schema is versioned and migrated. The import contracts (no cycle, sandbox apart from the widgets) are
checked by `lint-imports` in `make lint`."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import sqlite3
from pathlib import Path

import pytest
import tornado.web

import hub_widgets.sandbox as sandbox_pkg
from hub_widgets.sandbox import routes as routes_pkg
from hub_widgets.sandbox.app import AREAS, make_routes
from hub_widgets.sandbox.auth import Accounts
from hub_widgets.sandbox.faults import Faults
from hub_widgets.sandbox.http.base import BaseHandler, NotFoundHandler, ServerState
from hub_widgets.sandbox.oauth import DeviceFlow
from hub_widgets.sandbox.store import SCHEMA_VERSION, Store, StoreError

SANDBOX = Path(sandbox_pkg.__file__).parent
SQL = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|ALTER|REPLACE)\s+\S")


def sql_statements(path: Path) -> list[int]:
    """Lines of `path` with a string constant (or f-string) that starts like an SQL statement."""
    lines = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        text = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            text = str(node.values[0].value)
        if text is not None and SQL.match(text):
            lines.add(node.lineno)
    return sorted(lines)


def test_no_sql_outside_the_store():
    found = {
        str(path.relative_to(SANDBOX)): sql_statements(path)
        for path in SANDBOX.rglob("*.py")
        if path.relative_to(SANDBOX).parts[0] != "store"
    }
    assert {name: lines for name, lines in found.items() if lines} == {}
    # The scan does find statements: the store has them.
    assert len(sql_statements(SANDBOX / "store" / "accounts.py")) >= 10


@pytest.fixture
def state(tmp_path):
    store = Store(tmp_path)
    accounts = Accounts(store)
    yield ServerState(store, accounts, Faults(), oauth=DeviceFlow(accounts))
    store.close()


def handlers_defined_in(module) -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, tornado.web.RequestHandler)
        and cls.__module__ == module.__name__
        and any(name.startswith("do_") for name in vars(cls))
    }


def test_every_route_module_is_mounted_and_every_handler_has_a_route(state):
    modules = [
        importlib.import_module(f"{routes_pkg.__name__}.{info.name}")
        for info in pkgutil.iter_modules(routes_pkg.__path__)
    ]
    assert sorted(m.__name__ for m in modules) == sorted(m.__name__ for m in AREAS)
    rules = make_routes(state)
    mounted = [handler for _, handler, _ in rules]
    assert all(kwargs == {"state": state} for _, _, kwargs in rules)
    assert all(issubclass(handler, BaseHandler) for handler in mounted)
    assert mounted[-1] is NotFoundHandler and rules[-1][0] == r".*"
    defined = set().union(*map(handlers_defined_in, modules))
    defined |= handlers_defined_in(importlib.import_module("hub_widgets.sandbox.inference.handlers"))
    assert defined - set(mounted) == set()  # a handler nobody can reach is a forgotten route
    for module in modules:
        assert module.ROUTES, module.__name__
        assert all(isinstance(p, str) and issubclass(h, BaseHandler) for p, h in module.ROUTES)
    # The git-style patterns also match some /api/ paths: every /api/ route is tried before them.
    first_other = next(i for i, rule in enumerate(rules) if not rule[0].startswith("/api/"))
    assert all(not rule[0].startswith("/api/") for rule in rules[first_other:])


def tables(path: Path) -> dict[str, list[str]]:
    db = sqlite3.connect(path)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {name: [r[1] for r in db.execute(f"PRAGMA table_info({name})")] for name in names}
    finally:
        db.close()


def test_a_version_0_folder_ends_with_the_schema_of_a_new_one(tmp_path):
    """Migrations and the schema agree: an old folder, once opened, has the tables and columns of a new one."""
    Store(tmp_path / "new").close()
    old = tmp_path / "old"
    old.mkdir()
    db = sqlite3.connect(old / "hub.sqlite3")
    db.executescript(  # what the first sandboxes wrote: plain tokens, no LFS ownership, no version
        "CREATE TABLE repos (rowid INTEGER PRIMARY KEY, type TEXT, namespace TEXT, name TEXT, private INTEGER,"
        " gated TEXT, created_at REAL, last_modified REAL, downloads INTEGER DEFAULT 0,"
        " likes INTEGER DEFAULT 0, card TEXT DEFAULT '{}', UNIQUE(type, namespace, name));"
        "CREATE TABLE commits (oid TEXT PRIMARY KEY, repo INTEGER, parent TEXT, tree TEXT, title TEXT,"
        " message TEXT, author TEXT, date REAL, card TEXT DEFAULT '{}');"
        "CREATE TABLE tree_entries (tree TEXT, name TEXT, is_dir INTEGER, oid TEXT, size INTEGER, lfs TEXT,"
        " PRIMARY KEY (tree, name)) WITHOUT ROWID;"
        "CREATE TABLE tokens (token TEXT PRIMARY KEY, user TEXT, role TEXT, name TEXT, created REAL);"
        "CREATE TABLE refresh_tokens (token TEXT PRIMARY KEY, user TEXT, access TEXT, created REAL);"
    )
    db.close()
    Store(old).close()
    assert tables(old / "hub.sqlite3") == tables(tmp_path / "new" / "hub.sqlite3")
    for folder in (old, tmp_path / "new"):
        db = sqlite3.connect(folder / "hub.sqlite3")
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        db.close()


def test_a_folder_of_a_newer_sandbox_is_refused(tmp_path):
    Store(tmp_path).close()
    db = sqlite3.connect(tmp_path / "hub.sqlite3")
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError) as info:
        Store(tmp_path)
    assert info.value.status == 500 and "newer sandbox" in info.value.message
