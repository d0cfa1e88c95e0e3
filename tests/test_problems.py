"""hub_widgets.problems: real huggingface_hub exceptions (raised by its own `hf_raise_for_status` from
real httpx2 answers, as every HfApi and InferenceClient call raises them) become a `Problem` and one
sentence. Pure: no server, no widget."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from huggingface_hub.errors import LocalTokenNotFoundError, OfflineModeIsEnabled
from huggingface_hub.utils import hf_raise_for_status

from hub_widgets.errors import CancelledError, ValidationError
from hub_widgets.problems import Problem, classify, describe

# Built at run time: never a token-shaped literal in a tracked file.
SECRET = "hf_" + "Zq9x" * 9
ENDPOINT = "http://127.0.0.1:9"
WHOAMI = "https://huggingface.co/api/whoami-v2"
REPO_URL = "https://huggingface.co/api/models/alice/private-model"


def raised_by(
    status: int,
    headers: dict[str, str] | None = None,
    body: dict | None = None,
    url: str = WHOAMI,
) -> Exception:
    """The exception huggingface_hub raises for such an answer (its own mapping, no mock)."""
    response = httpx2.Response(
        status, headers=headers or {}, json=body or {}, request=httpx2.Request("GET", url)
    )
    try:
        hf_raise_for_status(response)
    except Exception as exc:  # noqa: BLE001 - the point is to capture it
        return exc
    raise AssertionError("hf_raise_for_status did not raise")


@pytest.mark.parametrize(
    ("status", "headers", "body", "url", "kind", "subject"),
    [
        (401, {}, {}, WHOAMI, "invalid_token", ""),
        (401, {}, {}, REPO_URL, "invalid_token", "repo"),  # the Hub cannot tell a bad token from no repo
        (404, {"X-Error-Code": "RepoNotFound"}, {}, REPO_URL, "not_found", "repo"),
        (404, {"X-Error-Code": "RevisionNotFound"}, {}, REPO_URL, "not_found", "revision"),
        (404, {"X-Error-Code": "EntryNotFound"}, {}, REPO_URL, "not_found", "file"),
        (404, {}, {}, WHOAMI, "not_found", ""),
        (403, {"X-Error-Code": "GatedRepo"}, {}, REPO_URL, "gated", ""),
        (403, {}, {}, WHOAMI, "forbidden", ""),
        (402, {}, {}, WHOAMI, "out_of_credits", ""),
        (409, {}, {}, WHOAMI, "conflict", ""),
        (412, {}, {}, WHOAMI, "precondition_failed", ""),
        (413, {}, {}, WHOAMI, "too_large", ""),
        (429, {}, {}, WHOAMI, "rate_limited", ""),
        (400, {}, {}, WHOAMI, "bad_request", ""),
        (422, {}, {}, WHOAMI, "bad_request", ""),
        (500, {}, {}, WHOAMI, "server_error", ""),
        (502, {}, {}, WHOAMI, "server_error", ""),
        (503, {}, {}, WHOAMI, "server_error", ""),
        (503, {}, {"error": "Model is loading", "estimated_time": 20}, WHOAMI, "loading", ""),
        (418, {}, {}, WHOAMI, "http_error", ""),
    ],
)
def test_each_answer_gets_its_kind_and_keeps_its_status(status, headers, body, url, kind, subject):
    problem = classify(raised_by(status, headers, body, url))
    assert (problem.kind, problem.subject, problem.status) == (kind, subject, status)


@pytest.mark.parametrize(
    ("status", "headers", "body", "seconds"),
    [
        (429, {"Retry-After": "17"}, {}, 17.0),
        (429, {"RateLimit": '"api";r=0;t=42'}, {}, 42.0),
        # An HTTP date in Retry-After is no number of seconds: the RateLimit header's t= is.
        (429, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT", "RateLimit": '"api";r=0;t=5'}, {}, 5.0),
        (429, {}, {}, None),
        (503, {}, {"error": "loading", "estimated_time": 12.5}, 12.5),
        (500, {"Retry-After": "3"}, {}, None),  # only a rate limit or a loading model says when to retry
    ],
)
def test_retry_after_is_read_once_from_headers_or_body(status, headers, body, seconds):
    assert classify(raised_by(status, headers, body)).retry_after == seconds


def test_the_same_problem_is_said_in_the_words_of_the_service_called():
    exc = raised_by(429, {"Retry-After": "7"})
    assert describe(classify(exc)) == "Rate limited by the Hub: retry after 7 s."
    assert describe(classify(exc, service="inference")) == "Rate limited: retry after 7 s."
    gated = raised_by(403, {"X-Error-Code": "GatedRepo"}, url=REPO_URL)
    assert "accept its access conditions" in describe(classify(gated))
    assert describe(classify(gated, service="inference", model="alice/m")).startswith("alice/m is gated")
    loading = raised_by(503, body={"error": "Model is loading", "estimated_time": 20})
    assert describe(classify(loading, service="inference", model="alice/m")) == (
        "alice/m is loading: ready in about 20 s."
    )
    assert describe(classify(loading)) == "The Hub had a server error (503): try again in a moment."


def test_the_server_message_is_kept_as_one_line_and_named_where_it_helps():
    exc = raised_by(403, body={"error": "You are not a member of org\nsecond line"})
    problem = classify(exc)
    assert problem.server_message == "You are not a member of org"
    assert describe(problem).endswith("(You are not a member of org)")


def test_links_point_to_the_page_that_fixes_it():
    base = dict(service="inference", endpoint=ENDPOINT, model="alice/m")
    gated = classify(raised_by(403, {"X-Error-Code": "GatedRepo"}, url=REPO_URL), **base)
    assert gated.link == f"{ENDPOINT}/alice/m"
    assert classify(raised_by(402), **base).link == f"{ENDPOINT}/settings/billing"
    assert classify(raised_by(401), **base).link == f"{ENDPOINT}/settings/tokens"
    assert classify(raised_by(500), **base).link is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 418, 422, 429, 500])
@pytest.mark.parametrize("service", ["hub", "inference"])
def test_no_token_ever_reaches_a_problem_or_its_sentence(status, service):
    other = "hf_" + "Kk7w" * 9  # token-shaped, not the session's: scrubbed by its shape
    exc = raised_by(status, {"X-Error-Message": f"echo {SECRET}"}, {"error": f"Bearer {SECRET} {other}"})
    problem = classify(exc, service=service, secrets=[SECRET])
    assert SECRET not in repr(problem) and other not in repr(problem)
    assert SECRET not in describe(problem) and other not in describe(problem)
    assert "Traceback" not in describe(problem)


def test_errors_without_an_answer():
    cases = [
        (httpx2.ReadTimeout("slow"), "timeout"),
        (httpx2.ConnectError("refused"), "unreachable"),
        (httpx2.RemoteProtocolError("peer closed"), "broken_connection"),
        (OfflineModeIsEnabled("offline"), "offline"),
        (LocalTokenNotFoundError("no token"), "not_logged_in"),
        (CancelledError("x"), "cancelled"),
        (ValidationError("Bad repo id."), "explained"),
        (FileNotFoundError(2, "No such file", "/tmp/nope"), "file_missing"),
        (ValueError("Model alice/m has no provider mapping for this task"), "not_found"),
        (RuntimeError("boom"), "unknown"),
    ]
    for exc, kind in cases:
        assert classify(exc).kind == kind, exc
    assert describe(classify(ValidationError("Bad repo id."))) == "Bad repo id."
    assert describe(classify(FileNotFoundError(2, "x", "/tmp/nope"))) == "File or folder not found: /tmp/nope"
    assert describe(classify(RuntimeError("boom\nat line 3"))) == "Unexpected error (RuntimeError): boom"
    where = describe(classify(httpx2.ConnectError("refused"), endpoint=ENDPOINT))
    assert where == f"Cannot reach {ENDPOINT}: check your network or the endpoint address."


def test_an_unreachable_inference_server_is_named_and_the_router_needs_the_internet():
    exc = httpx2.ConnectError("refused")
    router = describe(classify(exc, service="inference", model="alice/m"))
    assert "router.huggingface.co" in router and "need internet access" in router
    custom = describe(classify(exc, service="inference", url="http://127.0.0.1:8080/v1"))
    assert custom == "Cannot reach 127.0.0.1:8080: check the URL or that the server runs."


def test_a_problem_is_frozen_and_its_message_is_its_description():
    problem = classify(raised_by(413))
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.kind = "unknown"  # type: ignore[misc]
    assert (
        problem.message
        == describe(problem)
        == ("Too large for the Hub: split the file or push it as a large (LFS) file.")
    )
    assert describe(Problem("precondition_failed", status=412)).startswith("The repository changed")


def test_problems_imports_nothing_of_the_widgets():
    code = (
        "import sys, hub_widgets.problems, hub_widgets.vocab\n"
        "loaded = [m for m in sys.modules if m.startswith(('ipywidgets', 'hub_widgets.session', 'hub_widgets.ui'))]\n"
        "assert not loaded, loaded\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
