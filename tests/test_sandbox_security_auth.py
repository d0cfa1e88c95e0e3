"""Security of the sandbox's accounts (issue 13, parts 1 and 5): device login, secrets at rest, admin routes.

Each test runs its own SandboxHub on loopback and plays the attacker or the legitimate user with plain HTTP
(an httpx client per "browser", with its own cookie jar) or the real `huggingface_hub` client.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hub_widgets.sandbox import SandboxHub
from tests.conftest import approval_page_csrf, approve_on_page

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ROOT = Path(__file__).resolve().parents[1]


def tok(label: str) -> str:
    """A fresh test token (built at run time; shaped unlike a real hf_ token)."""
    return f"hf_sandbox_{label}_{secrets.token_hex(6)}"


ALICE, ALICE_READ, BOB = tok("alice"), tok("alice_read"), tok("bob")


@pytest.fixture
def hub():
    with SandboxHub(
        users={"alice": ALICE, "bob": BOB},
        read_tokens={"alice": ALICE_READ},
        passwords={"alice": "correct horse"},
        admins=["alice"],
    ) as hub:
        yield hub


def start_device(hub: SandboxHub, client_id: str = "hub-widgets-test") -> dict:
    response = httpx.post(f"{hub.endpoint}/oauth/device", data={"client_id": client_id})
    assert response.status_code == 200
    return response.json()


def status(hub: SandboxHub, device: dict) -> str:
    """The request's state on the server (a poll would answer slow_down when repeated at once)."""
    return hub.device.find(device["user_code"]).status


def poll(hub: SandboxHub, device: dict) -> dict:
    body = {"grant_type": DEVICE_GRANT, "device_code": device["device_code"]}
    return httpx.post(f"{hub.endpoint}/oauth/token", data=body).json()


class Browser:
    """One browser on the approval page: a cookie jar, and the CSRF token of the last page it got."""

    def __init__(self, hub: SandboxHub) -> None:
        self.url = f"{hub.endpoint}/oauth/device/verify"
        self.http = httpx.Client(follow_redirects=True, timeout=30)
        self.csrf: str | None = None
        self.last: httpx.Response | None = None

    def _keep(self, response: httpx.Response) -> httpx.Response:
        self.last = response
        if 'name="csrf"' in response.text:
            self.csrf = approval_page_csrf(response.text)
        return response

    def open(self, user_code: str | None = None, **params: str) -> httpx.Response:
        if user_code is not None:
            params["user_code"] = user_code
        return self._keep(self.http.get(self.url, params=params))

    def post(self, **fields: str | None) -> httpx.Response:
        data = {"csrf": self.csrf, **fields}
        return self._keep(self.http.post(self.url, data={k: v for k, v in data.items() if v is not None}))

    def sign_in(self, user_code: str = "", **credential: str) -> httpx.Response:
        if self.csrf is None:
            self.open(user_code or None)
        return self.post(action="signin", user_code=user_code, **credential)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browser(hub):
    opened: list[Browser] = []

    def make() -> Browser:
        opened.append(Browser(hub))
        return opened[-1]

    yield make
    for b in opened:
        b.close()


def whoami(hub: SandboxHub, token: str) -> dict:
    return HfApi(endpoint=hub.endpoint, token=token).whoami()


# -- the device flow, as an attacker -------------------------------------------------------------------


def test_the_old_one_request_approval_is_refused(hub):
    device = start_device(hub)
    old_form = {"user_code": device["user_code"], "user": "alice", "action": "approve"}
    response = httpx.post(f"{hub.endpoint}/oauth/device/verify", data=old_form)
    assert response.status_code == 403
    assert poll(hub, device)["error"] == "authorization_pending"


def test_the_page_signed_out_shows_no_user_and_no_code(hub, browser):
    victims = [start_device(hub)["user_code"] for _ in range(2)]
    page = browser().open()
    assert page.status_code == 200 and "Sign in" in page.text
    for code in victims:
        assert code not in page.text
    for name in ("alice", "bob"):
        assert name not in page.text
    assert "<select" not in page.text


def test_a_wrong_token_or_password_signs_nobody_in(hub, browser):
    device = start_device(hub)
    code = device["user_code"]
    attacker = browser()
    assert attacker.sign_in(code, token=tok("guess"), user="alice").status_code == 403
    assert attacker.sign_in(code, username="alice", password="wrong").status_code == 403
    assert attacker.sign_in(code, username="alice", password="").status_code == 403
    # Still signed out: approving (even naming a user, as the old form did) is refused.
    answer = attacker.post(action="approve", user_code=code, user="alice")
    assert answer.status_code == 401
    assert poll(hub, device)["error"] == "authorization_pending"


def test_a_signed_in_user_sees_no_other_code_and_no_other_user(hub, browser):
    alices = start_device(hub, client_id="alice-laptop")
    bobs = browser()
    page = bobs.sign_in(token=BOB)
    assert page.status_code == 200 and "Signed in as bob" in page.text
    assert alices["user_code"] not in page.text and "alice" not in page.text
    # Only with the code typed in does the page show that request, and it shows the client asking.
    own = start_device(hub, client_id="bob-desktop")
    page = bobs.post(action="continue", user_code=own["user_code"])
    assert own["user_code"] in page.text and "bob-desktop" in page.text
    assert alices["user_code"] not in page.text and "alice-laptop" not in page.text


def test_approval_without_the_right_csrf_token_is_refused(hub, browser):
    device = start_device(hub)
    code = device["user_code"]
    user = browser()
    assert user.sign_in(code, token=ALICE).status_code == 200
    good = user.csrf
    other = browser()
    other.open()  # an attacker's own session: a valid token, but of another session
    for csrf in (None, "", "forged", other.csrf):
        fields = {"action": "approve", "user_code": code}
        if csrf is not None:
            fields["csrf"] = csrf
        response = user.http.post(user.url, data=fields)
        assert response.status_code == 403, csrf
        assert status(hub, device) == "pending"
    user.csrf = good
    assert user.post(action="approve", user_code=code).status_code == 200
    assert whoami(hub, poll(hub, device)["access_token"])["name"] == "alice"


def test_a_read_credential_approves_only_a_read_token(hub, browser):
    device = start_device(hub)
    user = browser()
    page = user.sign_in(device["user_code"], token=ALICE_READ)
    assert "with a <b>read</b> token" in page.text
    # A forged "role" field changes nothing: the role comes from the credential.
    assert user.post(action="approve", user_code=device["user_code"], role="write").status_code == 200
    granted = poll(hub, device)
    assert whoami(hub, granted["access_token"])["auth"]["accessToken"]["role"] == "read"
    with pytest.raises(HfHubHTTPError) as info:
        HfApi(endpoint=hub.endpoint, token=granted["access_token"]).create_repo("minted")
    assert info.value.response.status_code == 403
    # Refreshing does not upgrade it either.
    body = {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]}
    renewed = httpx.post(f"{hub.endpoint}/oauth/token", data=body).json()
    assert whoami(hub, renewed["access_token"])["auth"]["accessToken"]["role"] == "read"


def test_failed_sign_ins_are_limited_per_session(hub, browser):
    device = start_device(hub)
    attacker = browser()
    for _ in range(5):
        assert attacker.sign_in(token=tok("guess")).status_code == 403
    # The sixth try is refused without being checked, even with the right token.
    assert attacker.sign_in(device["user_code"], token=ALICE).status_code == 429
    assert poll(hub, device)["error"] == "authorization_pending"


def test_failed_sign_ins_naming_a_code_deny_that_code(hub, browser):
    device = start_device(hub)
    for _ in range(5):  # five fresh browsers: the per-session limit does not help the attacker
        assert browser().sign_in(device["user_code"], username="alice", password="guess").status_code == 403
    assert poll(hub, device)["error"] == "access_denied"
    late = approve_on_page(device["verification_uri"], device["user_code"], token=ALICE)
    assert late.status_code == 400


def test_failed_attempts_are_limited_per_address(hub, browser):
    for _ in range(20):
        assert browser().sign_in(username="alice", password="guess").status_code == 403
    device = start_device(hub)
    assert approve_on_page(device["verification_uri"], device["user_code"], token=ALICE).status_code == 429
    assert poll(hub, device)["error"] == "authorization_pending"


def test_guessing_codes_is_limited_per_session(hub, browser):
    device = start_device(hub)
    guesser = browser()
    guesser.sign_in(token=BOB)
    for _ in range(5):
        assert guesser.post(action="continue", user_code="BCDF-GHJK").status_code == 400
    assert guesser.post(action="continue", user_code=device["user_code"]).status_code == 429


# -- the device flow, as the legitimate user -----------------------------------------------------------


def test_approve_with_token_gives_a_working_token_of_that_user(hub, browser, monkeypatch):
    from huggingface_hub import constants
    from huggingface_hub.utils import _oauth_device

    monkeypatch.setattr(constants, "ENDPOINT", hub.endpoint)
    info = _oauth_device.request_device_code()  # the real client asks for a code
    user = browser()
    first = user.open(info["user_code"])  # verification_uri_complete
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
    signed_out_id = user.http.cookies["sandbox_device_session"]
    page = user.sign_in(info["user_code"], token=ALICE)
    assert user.http.cookies["sandbox_device_session"] != signed_out_id  # a new session on sign-in
    assert info["user_code"] in page.text and "with a <b>write</b> token" in page.text
    done = user.post(action="approve", user_code=info["user_code"])
    assert done.status_code == 200 and "Approved" in done.text
    token = _oauth_device.poll_device_token(info)
    who = whoami(hub, token["access_token"])
    assert who["name"] == "alice" and who["auth"]["accessToken"]["role"] == "write"
    assert token["access_token"] != ALICE


def test_approve_with_user_name_and_password(hub):
    device = start_device(hub)
    page = approve_on_page(
        device["verification_uri"], device["user_code"], username="alice", password="correct horse"
    )
    assert page.status_code == 200 and "Approved" in page.text
    assert whoami(hub, poll(hub, device)["access_token"])["name"] == "alice"


def test_revoking_the_token_signed_in_with_ends_the_page_session(hub, browser):
    device = start_device(hub)
    spare = hub.accounts.new_token("bob", name="spare")
    user = browser()
    assert user.sign_in(device["user_code"], token=spare).status_code == 200
    hub.revoke_token(spare)
    assert user.post(action="approve", user_code=device["user_code"]).status_code == 401
    assert status(hub, device) == "pending"


def test_deny_needs_a_signed_in_user_too(hub, browser):
    device = start_device(hub)
    stranger = browser()
    stranger.open()
    assert stranger.post(action="deny", user_code=device["user_code"]).status_code == 401
    assert poll(hub, device)["error"] == "authorization_pending"
    assert (
        approve_on_page(device["verification_uri"], device["user_code"], "deny", token=BOB).status_code == 200
    )
    assert poll(hub, device)["error"] == "access_denied"


def test_one_time_login_link_signs_a_browser_in_once(hub, browser):
    link = hub.login_link("bob")
    device = start_device(hub)
    user = browser()
    page = user._keep(user.http.get(f"{link}&user_code={device['user_code']}"))
    assert "Signed in as bob" in page.text and device["user_code"] in page.text
    assert "login=" not in str(page.url)  # the secret left the address bar
    assert user.post(action="approve", user_code=device["user_code"]).status_code == 200
    assert whoami(hub, poll(hub, device)["access_token"])["name"] == "bob"
    again = browser()
    assert again.http.get(link).status_code == 403


# -- secrets at rest -----------------------------------------------------------------------------------


def files_containing(folder: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_tokens_are_stored_as_hashes_only(tmp_path):
    data = tmp_path / "hub"
    given = tok("given")
    with SandboxHub(data_dir=data, users={"ann": given}, passwords={"ann": "pw-ann-secret"}) as hub:
        created = hub.accounts.new_token("ann", name="made")
        device = start_device(hub)
        assert (
            approve_on_page(device["verification_uri"], device["user_code"], token=given).status_code == 200
        )
        granted = poll(hub, device)
        secrets_ = [given, created, granted["access_token"], granted["refresh_token"], "pw-ann-secret"]
        assert whoami(hub, created)["name"] == "ann"
        for secret in secrets_:  # the database, its WAL and the blobs, while running
            assert files_containing(data, secret) == [], secret
        rows = hub.store.query("SELECT hash FROM tokens")
        assert hashlib.sha256(given.encode()).hexdigest() in {r["hash"] for r in rows}
    for secret in secrets_:
        assert files_containing(data, secret) == [], secret


def modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


def test_data_folder_is_private_whatever_the_umask(tmp_path):
    data = tmp_path / "new" / "hub"
    old = os.umask(0o022)
    try:
        with SandboxHub(data_dir=data, users={"ann": ALICE}) as hub:
            api = HfApi(endpoint=hub.endpoint, token=ALICE)
            repo = api.create_repo("private-bits").repo_id
            api.upload_file(path_or_fileobj=b"line\n" * 20_000, path_in_repo="big.txt", repo_id=repo)
            api.upload_file(path_or_fileobj=os.urandom(2048), path_in_repo="w.bin", repo_id=repo)  # LFS
            found = modes(data)
            assert any(name.endswith("-wal") for name in found)
            assert any(name.startswith("blobs/") and len(name) > 10 for name in found)
            assert any(name.startswith("lfs/") and len(name) > 10 for name in found)
    finally:
        os.umask(old)
    for name, mode in found.items():
        is_dir = (data / name).is_dir() if name != "." else True
        assert mode == (0o700 if is_dir else 0o600), f"{name}: {oct(mode)}"


# main's schema (before hashing), verbatim: what an existing --data folder holds.
MAIN_SCHEMA = """
CREATE TABLE IF NOT EXISTS repos (
    rowid INTEGER PRIMARY KEY, type TEXT, namespace TEXT, name TEXT, private INTEGER, gated TEXT,
    created_at REAL, last_modified REAL, downloads INTEGER DEFAULT 0, likes INTEGER DEFAULT 0,
    card TEXT DEFAULT '{}', UNIQUE(type, namespace, name));
CREATE TABLE IF NOT EXISTS commits (
    oid TEXT PRIMARY KEY, repo INTEGER, parent TEXT, tree TEXT, title TEXT, message TEXT,
    author TEXT, date REAL, card TEXT DEFAULT '{}');
CREATE TABLE IF NOT EXISTS refs (
    repo INTEGER, kind TEXT, name TEXT, target TEXT, PRIMARY KEY (repo, kind, name));
CREATE TABLE IF NOT EXISTS tree_entries (
    tree TEXT, name TEXT, is_dir INTEGER, oid TEXT, size INTEGER, lfs TEXT,
    PRIMARY KEY (tree, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS commits_by_repo ON commits(repo);
CREATE INDEX IF NOT EXISTS repos_by_namespace ON repos(type, namespace);
CREATE TABLE IF NOT EXISTS small_blobs (oid TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lfs_objects (sha256 TEXT PRIMARY KEY, size INTEGER);
CREATE TABLE IF NOT EXISTS discussions (
    repo INTEGER, num INTEGER, title TEXT, description TEXT, author TEXT, is_pr INTEGER,
    status TEXT, created_at REAL, base TEXT, merge_commit TEXT, events TEXT DEFAULT '[]',
    PRIMARY KEY (repo, num));
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, fullname TEXT, is_org INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, user TEXT, role TEXT, name TEXT, created REAL);
CREATE TABLE IF NOT EXISTS members (org TEXT, user TEXT, PRIMARY KEY (org, user));
CREATE TABLE IF NOT EXISTS refresh_tokens (token TEXT PRIMARY KEY, user TEXT, access TEXT, created REAL);
"""


def test_a_data_folder_of_the_old_schema_is_migrated(tmp_path):
    data = tmp_path / "old"
    old = os.umask(0o022)
    try:
        for sub in ("", "blobs", "blobs/ab", "lfs", "tmp"):
            (data / sub).mkdir(parents=True, exist_ok=True)
        (data / "blobs" / "ab" / "cdef").write_bytes(b"a large blob of an old folder")
        write, read, refresh = tok("old_write"), tok("old_read"), "hf_oauth_rt_" + secrets.token_hex(20)
        db = sqlite3.connect(data / "hub.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(MAIN_SCHEMA)
        db.execute("INSERT INTO users VALUES ('olga', 'Olga', 0)")
        db.execute("INSERT INTO tokens VALUES (?, 'olga', 'write', 'olga-write', 1.0)", (write,))
        db.execute("INSERT INTO tokens VALUES (?, 'olga', 'read', 'olga-read', 1.0)", (read,))
        db.execute("INSERT INTO refresh_tokens VALUES (?, 'olga', ?, 1.0)", (refresh, write))
        db.commit()
        db.close()
        assert files_containing(data, write)
        assert stat.S_IMODE((data / "hub.sqlite3").stat().st_mode) == 0o644
    finally:
        os.umask(old)

    with SandboxHub(data_dir=data) as hub:
        assert whoami(hub, write)["name"] == "olga"
        assert whoami(hub, read)["auth"]["accessToken"]["role"] == "read"
        body = {"grant_type": "refresh_token", "refresh_token": refresh}
        assert whoami(hub, httpx.post(f"{hub.endpoint}/oauth/token", data=body).json()["access_token"])
        assert hub.store.query("PRAGMA user_version")[0][0] >= 1
        HfApi(endpoint=hub.endpoint, token=write).create_repo("after-migration")
        for secret in (write, read, refresh):
            assert files_containing(data, secret) == [], secret
        assert {m for m in modes(data).values()} <= {0o700, 0o600}
    with SandboxHub(data_dir=data) as hub:  # opening again changes nothing
        assert whoami(hub, write)["name"] == "olga"


# -- restart with another user list, revocation ----------------------------------------------------------


def test_restart_with_another_user_list_revokes_only_the_tokens_no_longer_given(tmp_path):
    data = tmp_path / "hub"
    ann, ben = tok("ann"), tok("ben")
    with SandboxHub(data_dir=data, users={"ann": ann, "ben": ben}, passwords={"ben": "ben-pw"}) as hub:
        assert hub.notices == []
        HfApi(endpoint=hub.endpoint, token=ben).create_repo("bens-model")
        device = start_device(hub)
        approve_on_page(device["verification_uri"], device["user_code"], token=ben)
        ben_login = poll(hub, device)["access_token"]
    with SandboxHub(data_dir=data, users={"ann": ann}) as hub:
        assert len(hub.notices) == 2, hub.notices
        assert "Revoked 1 token(s)" in hub.notices[0] and "(ben)" in hub.notices[0]
        assert "password of ben" in hub.notices[1]
        with pytest.raises(HfHubHTTPError) as info:
            whoami(hub, ben)
        assert info.value.response.status_code == 401
        assert whoami(hub, ann)["name"] == "ann"
        assert whoami(hub, ben_login)["name"] == "ben"  # a login's token stays, and so does the user
        assert HfApi(endpoint=hub.endpoint, token=ann).model_info("ben/bens-model").id == "ben/bens-model"
        device = start_device(hub)
        refused = approve_on_page(
            device["verification_uri"], device["user_code"], username="ben", password="ben-pw"
        )
        assert refused.status_code == 403
    with SandboxHub(data_dir=data) as hub:  # no user list at all: kept as they are, and said so
        assert (
            len(hub.notices) == 1
            and hub.notices[0].startswith("Kept 1 token(s)")
            and "(ann)" in hub.notices[0]
        )
        assert whoami(hub, ann)["name"] == "ann"


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "hub_widgets.sandbox", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        **kwargs,
    )


def test_cli_restart_says_what_happened_to_tokens_no_longer_given(tmp_path):
    data = tmp_path / "hub"
    with SandboxHub(data_dir=data, users={"ann": ALICE, "ben": BOB}):
        pass
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "hub_widgets.sandbox",
        "--port",
        "0",
        "--data",
        str(data),
        "--user",
        f"ann={ALICE}",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "Sandbox Hub running at" in proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(30)
    notices = [line for line in proc.stderr.read().splitlines() if "token" in line]
    assert len(notices) == 1 and "Revoked 1 token(s)" in notices[0] and "(ben)" in notices[0]


def test_revoke_a_token_from_python(hub):
    extra = hub.accounts.new_token("bob", name="extra")
    assert whoami(hub, extra)["name"] == "bob"
    assert hub.revoke_token(extra) == 1
    with pytest.raises(HfHubHTTPError) as info:
        whoami(hub, extra)
    assert info.value.response.status_code == 401
    listed = {t["name"]: t for t in hub.tokens("alice")}
    assert ALICE not in str(hub.tokens())
    assert hub.revoke_token(token_id=listed["alice-read"]["id"]) == 1
    with pytest.raises(HfHubHTTPError):
        whoami(hub, ALICE_READ)
    assert whoami(hub, ALICE)["name"] == "alice"
    assert hub.revoke_token(user="bob") >= 1
    with pytest.raises(HfHubHTTPError):
        whoami(hub, BOB)


def test_revoking_a_device_login_token_revokes_its_refresh_token(hub):
    device = start_device(hub)
    approve_on_page(device["verification_uri"], device["user_code"], token=BOB)
    granted = poll(hub, device)
    assert hub.revoke_token(granted["access_token"]) == 1
    body = {"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]}
    assert httpx.post(f"{hub.endpoint}/oauth/token", data=body).json()["error"] == "invalid_grant"


def test_revoke_a_token_from_the_command_line_while_the_hub_runs(tmp_path):
    data = tmp_path / "hub"
    with SandboxHub(data_dir=data, users={"ann": ALICE}) as hub:
        doomed = hub.accounts.new_token("ann", name="laptop")
        assert whoami(hub, doomed)["name"] == "ann"
        listing = run_cli("tokens", "list", "--data", str(data))
        assert listing.returncode == 0, listing.stderr
        assert doomed not in listing.stdout and ALICE not in listing.stdout
        line = next(line for line in listing.stdout.splitlines() if line.endswith("laptop"))
        revoked = run_cli("tokens", "revoke", "--data", str(data), line.split()[0])
        assert revoked.returncode == 0 and "Revoked 1 token(s)" in revoked.stdout, revoked.stderr
        with pytest.raises(HfHubHTTPError) as info:
            whoami(hub, doomed)
        assert info.value.response.status_code == 401
        assert whoami(hub, ALICE)["name"] == "ann"
        assert run_cli("tokens", "revoke", "--data", str(data), "--user", "ann").returncode == 0
        with pytest.raises(HfHubHTTPError):
            whoami(hub, ALICE)


# -- admin routes --------------------------------------------------------------------------------------


def test_fault_switches_need_an_admin_write_token(hub):
    url = f"{hub.endpoint}/inference/_control"
    arm = {"action": "fail", "kind": "server_error"}
    assert httpx.post(url, json=arm).status_code == 401
    assert httpx.get(url).status_code == 401
    for token in (BOB, ALICE_READ, tok("unknown")):  # not an admin; an admin's read token; nobody
        response = httpx.post(url, json=arm, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (401, 403), token
    assert hub.inference.active() == []
    admin = {"Authorization": f"Bearer {ALICE}"}
    assert httpx.post(url, json=arm, headers=admin).status_code == 200
    assert [f["kind"] for f in hub.inference.active()] == ["server_error"]
    hub.inference.clear()
    hub.inference.fail("loading", times=1)  # from Python: no token needed
    assert httpx.get(url, headers=admin).json()["faults"][0]["kind"] == "loading"
