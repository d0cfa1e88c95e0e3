"""Shared fixtures: an isolated Hugging Face home, and a real SandboxHub on loopback.

The environment is set at import time, before any test module imports huggingface_hub, because the
client reads HF_HOME, HF_HUB_DISABLE_XET and friends once, at import.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

_HOME = tempfile.mkdtemp(prefix="hubw-test-home-")
atexit.register(shutil.rmtree, _HOME, True)  # a run leaves no home behind
os.environ["HF_HOME"] = _HOME
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
for _name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "HF_ENDPOINT", "HF_TOKEN_PATH"):
    os.environ.pop(_name, None)
# The suite reads English: not the machine's locale or JupyterLab language (kernels started by nbclient
# inherit it too). The language tests set their own environment.
os.environ["HUB_WIDGETS_LANG"] = "en"

import pytest  # noqa: E402
from huggingface_hub import HfApi, constants  # noqa: E402

# Tokens of the test accounts. Shaped unlike real tokens on purpose (the leak checks look for hf_ + 34 chars).
ALICE = "hf_sandbox_alice_write"
ALICE_READ = "hf_sandbox_alice_read"
BOB = "hf_sandbox_bob_write"
CAROL = "hf_sandbox_carol_write"
ORG = "acme"


@pytest.fixture(scope="session")
def sandbox():
    """One SandboxHub for the whole run: alice (write + read token, admin), bob, carol; org acme = alice + bob."""
    from hub_widgets.sandbox import SandboxHub

    data = tempfile.mkdtemp(prefix="hubw-sandbox-")
    hub = SandboxHub(
        data_dir=data,
        users={"alice": ALICE, "bob": BOB, "carol": CAROL},
        read_tokens={"alice": ALICE_READ},
        orgs={ORG: ["alice", "bob"]},
        admins=["alice"],  # alice's write token may use the fault switches over HTTP
    )
    hub.start()
    yield hub
    hub.stop()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(autouse=True)
def hf_home(tmp_path, monkeypatch):
    """Each test gets its own HF_HOME (token files, cache) and no token in the environment."""
    home = tmp_path / "hf_home"
    home.mkdir()
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setattr(constants, "HF_HOME", str(home))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(home / "token"))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(home / "stored_tokens"))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(home / "hub"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    return home


@pytest.fixture
def endpoint(sandbox, monkeypatch):
    """The sandbox URL, also set as HF_ENDPOINT (and the client's constant) for code that reads it."""
    monkeypatch.setenv("HF_ENDPOINT", sandbox.endpoint)
    monkeypatch.setattr(constants, "ENDPOINT", sandbox.endpoint)
    # Derived from ENDPOINT at import: hf_hub_download builds its URLs from it.
    monkeypatch.setattr(
        constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        sandbox.endpoint + "/{repo_id}/resolve/{revision}/{filename}",
    )
    return sandbox.endpoint


@pytest.fixture
def api(endpoint) -> HfApi:
    """The real client, as alice."""
    return HfApi(endpoint=endpoint, token=ALICE)


@pytest.fixture
def hub_session(endpoint):
    """A HubSession on the sandbox with alice's token pinned."""
    from hub_widgets.session import HubSession

    session = HubSession(endpoint=endpoint, token=ALICE)
    yield session
    session.close()


@pytest.fixture
def repo_name(request) -> str:
    """A repo name unique to the test (the sandbox is shared by the whole run)."""
    import re
    import uuid

    base = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:40].strip("-")
    return f"{base}-{uuid.uuid4().hex[:6]}"


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    """Poll `condition()` until it is truthy and return its value (widget updates land on worker threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def write_tree(root: Path, files: dict[str, bytes | str]) -> Path:
    """Create files under `root` from a {relative path: content} mapping."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def approval_page_csrf(page_html: str) -> str:
    """The CSRF token of the forms on a device approval page."""
    import re

    match = re.search(r'name="csrf" value="([^"]+)"', page_html)
    assert match, "no CSRF field on the approval page"
    return match.group(1)


def approve_on_page(
    verification_uri: str,
    user_code: str,
    action: str = "approve",
    *,
    token: str | None = None,
    username: str | None = None,
    password: str | None = None,
):
    """What a person does in the browser: open the approval page, sign in, check the code, click `action`.

    Returns the last page (an httpx.Response); each call is a fresh browser (cookie jar).
    """
    import httpx

    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        page = browser.get(verification_uri, params={"user_code": user_code})
        signin = {"csrf": approval_page_csrf(page.text), "action": "signin", "user_code": user_code}
        if token is not None:
            signin["token"] = token
        else:
            signin.update(username=username or "", password=password or "")
        page = browser.post(verification_uri, data=signin)
        if page.status_code != 200:
            return page
        answer = {"csrf": approval_page_csrf(page.text), "action": action, "user_code": user_code}
        return browser.post(verification_uri, data=answer)
