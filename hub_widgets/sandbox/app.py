"""Assembly of the sandbox Hub's tornado application: every area's routes, mounted in one place.

It sits above `http` (the base handler) and `routes` (which build on it), so neither imports the other
back: the sandbox's packages form no import cycle (checked by import-linter).
"""

from __future__ import annotations

from typing import Any

import tornado.web

from .http.base import CHUNK, NotFoundHandler, Rule, ServerState, bind
from .routes import (
    account,
    commits,
    discussions,
    files,
    git,
    inference,
    lfs,
    likes,
    nonamespace,
    oauth,
    pages,
    refs,
    repos,
)
from .validation import Limits

# Matching order: the first pattern that matches a path answers it. `likes` comes before `repos`
# (`/api/models/gpt2/like` would otherwise be the info of a repo `gpt2/like`); `nonamespace` comes
# after the API areas: its patterns take any path under a one-segment repo id, which no other route
# serves. `git` (smart HTTP: `/{namespace}/{name}(.git)/info/refs`, ...) comes before them and the pages, which
# would take its URLs. The website's pages go last: their patterns (`/{namespace}/{name}/...`) are the broadest, and
# every API route must win over them.
AREAS = (
    account,
    likes,
    repos,
    files,
    commits,
    refs,
    discussions,
    lfs,
    git,
    oauth,
    inference,
    nonamespace,
    pages,
)


def make_routes(state: ServerState) -> list[Rule]:
    """The URL table: every area's routes, then a JSON 404 for anything else.

    Args:
        state: Handed to every handler.
    """
    rules = [rule for area in AREAS for rule in bind(state, area.ROUTES)]
    # /api/ routes go first: the git-style patterns (`/{namespace}/{name}/resolve/...`, LFS) also match
    # some /api/ paths, which must stay API calls.
    api = [rule for rule in rules if rule[0].startswith("/api/")]
    rest = [rule for rule in rules if not rule[0].startswith("/api/")]
    return api + rest + bind(state, [(r".*", NotFoundHandler)])


def make_app(state: ServerState) -> tornado.web.Application:
    """The tornado application of one sandbox Hub.

    Args:
        state: What its handlers share (store, accounts, faults, limits, ...).
    """
    # The request log lives in `state.request_log`; tornado's access log would only clutter stderr.
    return tornado.web.Application(
        make_routes(state), compress_response=False, serve_traceback=False, log_function=lambda handler: None
    )


def body_limits(limits: Limits | None = None) -> dict[str, Any]:
    """HTTPServer settings: every handler sets its own body limit and timeout before reading a body, so
    the defaults here (the JSON limit, the plain body timeout) only apply to what no handler sees."""
    limits = limits or Limits()
    return {
        "max_body_size": limits.json_body,
        "max_buffer_size": 64 * CHUNK,
        "chunk_size": CHUNK,
        "body_timeout": limits.body_timeout,
        "idle_connection_timeout": limits.header_timeout,
    }
