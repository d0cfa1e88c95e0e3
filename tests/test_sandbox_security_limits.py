"""Security of the sandbox Hub, part "paths, names and limits" (issue 13, sections 3 and 4).

What a commit may contain (paths the Hub refuses are refused with 422, and the worst accepted path
leaves every read working), which repo, branch and tag names are accepted, and the limits that apply
before any work is done: bodies refused by size or identity before they are read (measured on a sandbox
subprocess's memory), read timeouts, card YAML parsed with limits, malformed commit fields answered 400
with the field named, commit title limits, and card metadata validated at commit time.

Tests drive the real client where it lets the request through; where the client refuses a value
itself, plain HTTP on loopback checks that the server refuses it too.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx2
import psutil
import pytest
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download, snapshot_download
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import ALICE

ROOT = Path(__file__).resolve().parents[1]

# The documented limits (hub_widgets/sandbox/validation.py); test_limits_are_the_documented_ones pins them.
MAX_PATH_BYTES = 1000
MAX_PATH_DEPTH = 64
MAX_SEGMENT_BYTES = 200
MAX_TITLE_LENGTH = 1000
MAX_MESSAGE_LENGTH = 64 * 1024
JSON_BODY_LIMIT = 1 << 20


def auth(token: str = ALICE) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ndjson(*lines: dict) -> bytes:
    return b"\n".join(json.dumps(line).encode() for line in lines) + b"\n"


def header(summary: object = "test", **extra: object) -> dict:
    return {"key": "header", "value": {"summary": summary, "description": "", **extra}}


def file_line(path: object, content: bytes = b"x\n") -> dict:
    return {
        "key": "file",
        "value": {"path": path, "content": base64.b64encode(content).decode(), "encoding": "base64"},
    }


def raw_commit(endpoint: str, repo_id: str, body: bytes, token: str = ALICE) -> httpx2.Response:
    return httpx2.post(
        f"{endpoint}/api/models/{repo_id}/commit/main",
        content=body,
        headers={**auth(token), "Content-Type": "application/x-ndjson"},
        timeout=60,
    )


def raw_preupload(endpoint: str, repo_id: str, path: object, size: object = 2) -> httpx2.Response:
    body = {"files": [{"path": path, "sample": base64.b64encode(b"x\n").decode(), "size": size}]}
    return httpx2.post(
        f"{endpoint}/api/models/{repo_id}/preupload/main", json=body, headers=auth(), timeout=60
    )


@pytest.fixture
def repo(api, repo_name) -> str:
    return api.create_repo(repo_name).repo_id


def test_limits_are_the_documented_ones():
    from hub_widgets.sandbox import validation

    assert validation.MAX_PATH_BYTES == MAX_PATH_BYTES
    assert validation.MAX_PATH_DEPTH == MAX_PATH_DEPTH
    assert validation.MAX_SEGMENT_BYTES == MAX_SEGMENT_BYTES
    assert validation.MAX_TITLE_LENGTH == MAX_TITLE_LENGTH
    assert validation.MAX_MESSAGE_LENGTH == MAX_MESSAGE_LENGTH
    assert validation.Limits().json_body == JSON_BODY_LIMIT


# -- paths -------------------------------------------------------------------------------------------

REFUSED_PATHS = {
    "dotdot": ("a/../b.txt", "'..'"),
    "dotdot-first": ("../b.txt", "'..'"),
    "dot": ("a/./b.txt", "'.'"),
    "backslash": ("dir\\file.txt", "backslash"),
    "backslash-dotdot": ("..\\..\\x", "backslash"),
    "empty-segment": ("a//b.txt", "empty segment"),
    "git-top": (".git/config", ".git"),
    "git-nested": ("sub/.git/config", ".git"),
    "git-hooks-nested": ("sub/.git/hooks/post-checkout", ".git"),
    "git-upper-case": ("sub/.GIT/config", ".git"),
    "git-trailing-dot": ("sub/.git./config", ".git"),
    "cache-top": (".cache/huggingface/download/x.metadata", ".cache/huggingface"),
    "cache-nested": ("sub/.cache/huggingface/x", ".cache/huggingface"),
    "nul": ("a\x00b.txt", "U+0000"),
    "control": ("a\x01b.txt", "U+0001"),
    "escape": ("a\x1b[31mb.txt", "U+001B"),
    "delete": ("a\x7fb.txt", "U+007F"),
    "newline": ("a\nb.txt", "U+000A"),
    "carriage-return": ("a\rb.txt", "U+000D"),
    "c1-control": ("a\x85b.txt", "U+0085"),
    "rtl-override": ("invoice\u202etxt.exe", "U+202E"),
    "ltr-embedding": ("a\u202ab.txt", "U+202A"),
    "rtl-isolate": ("a\u2067b.txt", "U+2067"),
    "pop-isolate": ("a\u2069b.txt", "U+2069"),
    "too-long": ("x" * (MAX_PATH_BYTES - 3) + "é.t", "bytes"),  # 1,001 bytes: é is two
    "very-long": ("x" * 100_000, "bytes"),
    "segment-too-long": ("a/" + "x" * (MAX_SEGMENT_BYTES + 1), f"{MAX_SEGMENT_BYTES} bytes"),
    "too-deep": ("/".join(["d"] * MAX_PATH_DEPTH) + "/f.txt", "levels deep"),
    "very-deep": ("/".join(["d"] * 10_000) + "/f.txt", "bytes"),  # length is checked first
}


def client_refuses(path: str) -> bool:
    """Whether huggingface_hub itself refuses `path` before sending anything."""
    try:
        CommitOperationAdd(path_in_repo=path, path_or_fileobj=b"x")
    except ValueError:
        return True
    return False


@pytest.mark.parametrize("path, reason", list(REFUSED_PATHS.values()), ids=list(REFUSED_PATHS))
def test_refused_path(path, reason, api, repo, endpoint):
    head = api.repo_info(repo).sha
    # The server refuses it in a commit and in preupload, with 422 and a message saying why.
    for answer in (
        raw_commit(endpoint, repo, ndjson(header(), file_line(path))),
        raw_preupload(endpoint, repo, path),
    ):
        assert answer.status_code == 422, answer.text[:300]
        message = answer.json()["error"]
        assert message.startswith("Invalid path") and reason in message, message[:300]
        assert len(message) < 1000, "the message quotes the path shortened"
    # The real client gets the same answer when it does not refuse the path itself.
    if not client_refuses(path):
        with pytest.raises(HfHubHTTPError) as info:
            api.upload_file(path_or_fileobj=b"x\n", path_in_repo=path, repo_id=repo)
        assert info.value.response.status_code == 422
        assert reason in info.value.server_message
    # An LFS pointer at that path is refused the same way.
    lfs = {"key": "lfsFile", "value": {"path": path, "algo": "sha256", "oid": "0" * 64, "size": 1}}
    assert raw_commit(endpoint, repo, ndjson(header(), lfs)).status_code == 422
    # Nothing was committed, and every read still works.
    assert api.repo_info(repo).sha == head
    assert [f.rfilename for f in api.repo_info(repo).siblings] == [".gitattributes"]
    assert [e.path for e in api.list_repo_tree(repo, recursive=True)] == [".gitattributes"]


def test_deleting_is_allowed_for_any_stored_path(api, repo, endpoint):
    # A delete is no way to smuggle a path in: it only removes what exists (old data may hold anything).
    line = {"key": "deletedFile", "value": {"path": "sub/.git/config"}}
    answer = raw_commit(endpoint, repo, ndjson(header(), line))
    assert answer.status_code == 404 and "not found" in answer.json()["error"]


def worst_path() -> str:
    """A path at every limit at once: MAX_PATH_BYTES bytes, MAX_PATH_DEPTH deep, a last segment of
    MAX_SEGMENT_BYTES bytes with non-ASCII characters, and folders with characters a URL must quote."""
    last = "é" * 50 + "f" * (MAX_SEGMENT_BYTES - 100 - 4) + ".bin"  # é is two bytes
    dirs = MAX_PATH_DEPTH - 1
    room = MAX_PATH_BYTES - len(last.encode()) - dirs  # one '/' after each folder
    names = []
    for i in range(dirs):
        width = room // dirs + (1 if i < room % dirs else 0)
        names.append(f"d{i:02d} #%&+".ljust(width, "y"))
    path = "/".join([*names, last])
    assert len(path.encode()) == MAX_PATH_BYTES and path.count("/") == MAX_PATH_DEPTH - 1
    assert max(len(p.encode()) for p in path.split("/")) == MAX_SEGMENT_BYTES
    return path


def test_worst_accepted_path_leaves_every_read_working(api, repo, endpoint, tmp_path, repo_name):
    path = worst_path()
    regular, binary = b"worst path\n", b"\0" + os.urandom(2000)  # the binary one goes through LFS
    lfs_path = path.rsplit("/", 1)[0] + "/" + "l" * MAX_SEGMENT_BYTES  # as long, in the same folder
    api.create_commit(
        repo,
        operations=[
            CommitOperationAdd(path_in_repo=path, path_or_fileobj=regular),
            CommitOperationAdd(path_in_repo=lfs_path, path_or_fileobj=binary),
        ],
        commit_message="worst path",
    )
    # One step past each limit is refused.
    assert raw_preupload(endpoint, repo, path + "x").status_code == 422
    deeper = "/".join(["d"] * MAX_PATH_DEPTH + ["f"])
    assert raw_preupload(endpoint, repo, deeper).status_code == 422

    info = api.repo_info(repo, files_metadata=True)
    assert {s.rfilename for s in info.siblings} == {".gitattributes", path, lfs_path}
    assert {
        e.path for e in api.list_repo_tree(repo, recursive=True) if e.path.count("/") == MAX_PATH_DEPTH - 1
    } == {
        path,
        lfs_path,
    }
    assert [e.path for e in api.list_repo_tree(repo, path_in_repo=path.rsplit("/", 1)[0])] == sorted(
        [path, lfs_path]
    )
    assert {p.path for p in api.get_paths_info(repo, [path, lfs_path])} == {path, lfs_path}
    commits = api.list_repo_commits(repo)
    assert commits[0].title == "worst path"
    listed = httpx2.get(f"{endpoint}/api/models", params={"search": repo_name, "full": "1"}, timeout=30)
    assert listed.status_code == 200
    assert {s["rfilename"] for s in listed.json()[0]["siblings"]} == {".gitattributes", path, lfs_path}
    assert [m.id for m in api.list_models(search=repo_name, full=True)] == [repo]
    assert (
        Path(
            hf_hub_download(repo, path, endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c")
        ).read_bytes()
        == regular
    )
    local = Path(snapshot_download(repo, endpoint=endpoint, token=ALICE, local_dir=tmp_path / "local"))
    assert (local / path).read_bytes() == regular and (local / lfs_path).read_bytes() == binary
    cached = Path(snapshot_download(repo, endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "cache"))
    assert (cached / path).read_bytes() == regular and (cached / lfs_path).read_bytes() == binary


def test_a_stored_deep_tree_is_read_without_recursion(tmp_path):
    """Data written before these limits (or by the Python API) may hold any depth: reads walk iteratively."""
    from hub_widgets.sandbox.store import Operation, Store

    store = Store(tmp_path)
    repo = store.create_repo("model", "alice", "deep", False, "alice")
    deep = "/".join(["d"] * (sys.getrecursionlimit() * 2)) + "/f.txt"
    oid = store.put_blob(b"deep\n")
    commit = store.apply_commit(repo, "main", [Operation("file", deep, oid=oid, size=5)], "deep", "", "alice")
    assert deep in store.files(commit)
    assert deep in {e["path"] for e in store.list_dir(commit, "", recursive=True)}
    store.close()


# -- names -------------------------------------------------------------------------------------------

BAD_REPO_NAMES = [
    "name\n",
    "<img src=x onerror=alert(1)>",
    "a--b",
    "a..b",
    "-abc",
    "abc-",
    ".abc",
    "abc.",
    "abc.git",
    "x" * 97,
    "a b",
    "caf\u00e9",
    "a\u202eb",
]


def test_repo_names_are_validated_at_creation(endpoint, api, repo_name):
    for name in BAD_REPO_NAMES:
        answer = httpx2.post(f"{endpoint}/api/repos/create", json={"name": name}, headers=auth(), timeout=30)
        assert answer.status_code == 400, (name, answer.text)
        assert "Invalid repo name" in answer.json()["error"]
    weird_namespace = {"name": repo_name, "organization": "<b>x</b>"}
    answer = httpx2.post(f"{endpoint}/api/repos/create", json=weird_namespace, headers=auth(), timeout=30)
    assert answer.status_code == 400 and "Invalid namespace" in answer.json()["error"]
    assert not [m for m in api.list_models(author="alice") if "\n" in m.id or "<" in m.id]


def test_repo_cannot_be_moved_to_a_bad_name(endpoint, api, repo):
    for name in BAD_REPO_NAMES:
        body = {"fromRepo": repo, "toRepo": f"alice/{name}", "type": "model"}
        answer = httpx2.post(f"{endpoint}/api/repos/move", json=body, headers=auth(), timeout=30)
        assert answer.status_code == 400, (name, answer.text)
        assert "Invalid repo name" in answer.json()["error"]
    assert api.repo_info(repo).id == repo
    api.move_repo(repo, repo + "-moved")  # a good name still moves
    assert api.repo_info(repo + "-moved").id == repo + "-moved"


BAD_REF_NAMES = [
    "dev\n",
    ".hidden",
    "a/.b",
    "x.lock",
    "-x",
    "a..b",
    "a//b",
    "a/",
    "HEAD",
    "refs/heads/x",
    "a" * 201,
    "0123456789abcdef0123456789abcdef01234567",
    "a b",
    "a\\b",
    "a\u202eb",
    "a:b",
    "a~1",
    "a^",
    "a@{1}",
]


def test_branch_and_tag_names_are_validated(endpoint, api, repo):
    for ref in BAD_REF_NAMES:
        with pytest.raises(HfHubHTTPError) as info:
            api.create_branch(repo, branch=ref)
        assert info.value.response.status_code == 400, ref
        assert "Invalid branch name" in info.value.server_message
        with pytest.raises(HfHubHTTPError) as info:
            api.create_tag(repo, tag=ref)
        assert info.value.response.status_code == 400, ref
        assert "Invalid tag name" in info.value.server_message
    refs = api.list_repo_refs(repo)
    assert [b.name for b in refs.branches] == ["main"] and refs.tags == []
    api.create_branch(repo, branch="feature/ok-1.0_x")
    api.create_tag(repo, tag="v1.0.0-rc.1")
    starting = httpx2.post(
        f"{endpoint}/api/models/{repo}/branch/other",
        json={"startingPoint": {"a": 1}},
        headers=auth(),
        timeout=30,
    )
    assert starting.status_code == 400 and "startingPoint" in starting.json()["error"]


# -- bodies before work ------------------------------------------------------------------------------


def _start_sandbox_process(tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """`python -m hub_widgets.sandbox` on a free port, as its own process (its RSS is its own)."""
    cmd = [sys.executable, "-m", "hub_widgets.sandbox", "--port", "0", "--data", str(tmp_path / "data")]
    cmd += ["--user", f"alice={ALICE}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for _ in range(200):  # bounded: the server prints a few lines, then its address
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(r"running at (http://\S+)", line)
        if match:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc, match.group(1).rstrip("/")
    proc.kill()
    raise AssertionError("sandbox did not start:\n" + "".join(seen))


class PeakRss:
    """Samples a process's RSS from a thread (best effort: peaks between samples can be missed)."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self.peak = max(self.peak, self.proc.memory_info().rss)


def send_big_body(
    endpoint: str, path: str, total: int, headers: dict[str, str], chunked: bool = False
) -> tuple[int | None, int]:
    """POST a `total`-byte JSON body in 1 MiB pieces, stopping as soon as an answer arrives.

    Returns (status or None, bytes sent)."""
    host, port = endpoint.removeprefix("http://").split(":")
    chunk = b"a" * (1 << 20)
    head = f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {total}\r\n\r\n"
    sent = 0
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(head.encode())
        prefix, suffix = b'{"name": "', b'"}'
        middle = total - len(prefix) - len(suffix)
        pieces = [prefix, *[chunk] * (middle // len(chunk)), chunk[: middle % len(chunk)], suffix]
        for piece in pieces:  # bounded: about total / 1 MiB pieces
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered already
            data = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
            try:
                sock.sendall(data)
            except OSError:  # the server closed after answering: the answer is still readable
                break
            sent += len(piece)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    match = re.match(rb"HTTP/1\.1 (\d{3})", answer)
    return (int(match.group(1)) if match else None), sent


def test_big_bodies_are_refused_before_they_are_read(tmp_path):
    proc, endpoint = _start_sandbox_process(tmp_path)
    try:
        size = 200 * 1000 * 1000
        httpx2.get(f"{endpoint}/api/models", timeout=30)  # warm up (imports, first request)
        cases = [
            ("anonymous, Content-Length", "/api/repos/create", {}, False, 401),
            ("anonymous, chunked", "/api/repos/create", {}, True, 401),
            ("bad token", "/api/repos/create", {"Authorization": "Bearer nope"}, False, 401),
            ("authenticated, too large", "/api/repos/create", auth(), False, 413),
            ("authenticated, chunked, too large", "/api/repos/create", auth(), True, 413),
            ("anonymous commit to a missing repo", "/api/models/alice/x/commit/main", {}, False, 404),
        ]
        report = []
        for label, path, headers, chunked, expected in cases:
            before = psutil.Process(proc.pid).memory_info().rss
            with PeakRss(proc.pid) as rss:
                status, sent = send_big_body(endpoint, path, size, headers, chunked)
            after = psutil.Process(proc.pid).memory_info().rss
            report.append(
                f"{label}: {status}, sent {sent >> 20} MiB, RSS {before >> 20} -> peak {rss.peak >> 20} -> {after >> 20} MiB"
            )
            assert status == expected, report[-1]
            assert rss.peak - before < 20 * 1000 * 1000, report[-1]  # far below the 200 MB body
            assert sent < size // 2, report[-1]  # answered long before the body was through
        print("\n".join(report))
        # The server still works after all that.
        assert httpx2.get(f"{endpoint}/api/whoami-v2", headers=auth(), timeout=30).json()["name"] == "alice"
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_refused_small_body_still_gets_its_answer(endpoint, sandbox):
    # A refusal before the body is read must not reset the connection under a client still sending.
    for _ in range(20):
        answer = httpx2.post(
            f"{endpoint}/api/repos/create", content=b'{"name": "x"}' + b" " * 300_000, timeout=30
        )
        assert answer.status_code == 401


@pytest.fixture
def strict_hub():
    """A sandbox of its own with short read timeouts."""
    from hub_widgets.sandbox import SandboxHub
    from hub_widgets.sandbox.validation import Limits

    hub = SandboxHub(
        users={"alice": ALICE}, limits=Limits(body_timeout=1.0, header_timeout=1.0, commit_line=4096)
    )
    hub.start()
    yield hub
    hub.stop()


def _wait_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or 30 s pass: then the test fails)."""
    sock.settimeout(30)
    received = b""
    try:
        while data := sock.recv(65536):
            received += data
    except TimeoutError:
        raise AssertionError("the server kept the connection open") from None
    except ConnectionResetError:
        pass
    return received


def test_a_trickled_body_is_cut_by_the_body_timeout(strict_hub):
    host, port = strict_hub.endpoint.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            f"POST /api/repos/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ALICE}\r\n"
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":'.encode()
        )
        assert _wait_closed(sock) == b""  # cut without an answer: the request never arrived whole
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET /api/models HTTP/1.1\r\nHost: x\r\n")  # headers that never end
        assert _wait_closed(sock) == b""
    assert not strict_hub.store.get_repo("model", "alice", "x")


def test_a_too_long_commit_line_is_refused(strict_hub, repo_name):
    api = HfApi(endpoint=strict_hub.endpoint, token=ALICE)
    repo = api.create_repo(repo_name).repo_id
    answer = raw_commit(strict_hub.endpoint, repo, ndjson(header(), file_line("big.txt", b"x" * 5000)))
    assert answer.status_code == 413 and "Line 2" in answer.json()["error"]
    api.upload_file(path_or_fileobj=b"small\n", path_in_repo="small.txt", repo_id=repo)  # small lines pass


def test_lfs_upload_larger_than_its_ticket_is_refused(endpoint, api, repo, sandbox):
    data = b"\0" * 100
    import hashlib

    oid = hashlib.sha256(data).hexdigest()
    batch = httpx2.post(
        f"{endpoint}/{repo}.git/info/lfs/objects/batch",
        json={"operation": "upload", "transfers": ["basic"], "objects": [{"oid": oid, "size": len(data)}]},
        headers={**auth(), "Accept": "application/vnd.git-lfs+json"},
        timeout=30,
    )
    href = batch.json()["objects"][0]["actions"]["upload"]["href"]
    too_big = httpx2.put(href, content=data + b"\0" * 1000, timeout=30)
    assert too_big.status_code == 413
    assert not any(sandbox.data_dir.joinpath("tmp").iterdir()), "nothing of the refused body is kept"
    assert httpx2.put(href, content=data, timeout=30).status_code == 200  # the ticket still works
    used = httpx2.put(href, content=b"\0" * (2 << 20), timeout=30)  # a used ticket, a big body: 403 first
    assert used.status_code == 403 and "invalid, expired or already used" in used.json()["error"]


# -- YAML, fields, titles, metadata ------------------------------------------------------------------


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefgh":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "---\n" + "\n".join(lines) + "\n---\n# bomb\n"


def test_yaml_alias_bomb_is_refused(endpoint, api, repo):
    readme = alias_bomb()
    assert len(readme) < 450
    check = httpx2.post(
        f"{endpoint}/api/validate-yaml", json={"content": readme, "repoType": "model"}, timeout=30
    )
    assert check.status_code == 400 and "aliases" in check.json()["errors"][0]["message"]
    with pytest.raises(ValueError, match="aliases"):  # the client checks the README with the server first
        api.upload_file(path_or_fileobj=readme.encode(), path_in_repo="README.md", repo_id=repo)
    answer = raw_commit(endpoint, repo, ndjson(header(), file_line("README.md", readme.encode())))
    assert answer.status_code == 400 and "aliases" in answer.json()["error"]
    info = httpx2.get(f"{endpoint}/api/models/{repo}", headers=auth(), timeout=30)
    assert len(info.content) < 10_000 and "cardData" not in info.json()
    deep = "---\nx: " + "[" * 60 + "]" * 60 + "\n---\n"
    answer = raw_commit(endpoint, repo, ndjson(header(), file_line("README.md", deep.encode())))
    assert answer.status_code == 400 and "nested deeper" in answer.json()["error"]


def test_a_stored_alias_bomb_does_not_blow_up_repo_info(tmp_path):
    from hub_widgets.sandbox.store import Operation, Store

    store = Store(tmp_path)
    repo = store.create_repo("model", "alice", "bomb", False, "alice")
    data = alias_bomb().encode()
    oid = store.put_blob(data)
    store.apply_commit(
        repo, "main", [Operation("file", "README.md", oid=oid, size=len(data))], "c", "", "alice"
    )
    assert store.get_repo("model", "alice", "bomb").card == {}
    store.close()


MALFORMED = {
    "lfs-size-text": (
        [
            header(),
            {"key": "lfsFile", "value": {"path": "w.bin", "algo": "sha256", "oid": "a" * 64, "size": "abc"}},
        ],
        "lfsFile.size",
    ),
    "lfs-size-negative": (
        [
            header(),
            {"key": "lfsFile", "value": {"path": "w.bin", "algo": "sha256", "oid": "a" * 64, "size": -1}},
        ],
        "lfsFile.size",
    ),
    "lfs-oid-number": (
        [header(), {"key": "lfsFile", "value": {"path": "w.bin", "oid": 5, "size": 1}}],
        "lfsFile.oid",
    ),
    "lfs-algo": (
        [header(), {"key": "lfsFile", "value": {"path": "w.bin", "algo": "md5", "oid": "a" * 64, "size": 1}}],
        "lfsFile.algo",
    ),
    "summary-object": ([header(summary={"a": 1}), file_line("a.txt")], "header.summary"),
    "summary-list": ([header(summary=["a"]), file_line("a.txt")], "header.summary"),
    "description-number": ([header(description=5), file_line("a.txt")], "header.description"),
    "parent-object": ([header(parentCommit={"x": 1}), file_line("a.txt")], "header.parentCommit"),
    "content-number": ([header(), {"key": "file", "value": {"path": "a.txt", "content": 5}}], "file.content"),
    "encoding": (
        [header(), {"key": "file", "value": {"path": "a.txt", "content": "", "encoding": "hex"}}],
        "file.encoding",
    ),
    "deleted-path-number": ([header(), {"key": "deletedFile", "value": {"path": 5}}], "deletedFile.path"),
    "path-number": (
        [header(), {"key": "file", "value": {"path": 5, "content": ""}}],
        "path: expected a string",
    ),
    "value-list": ([header(), {"key": "file", "value": ["a"]}], "line 2: expected"),
    "key-list": ([header(), {"key": ["file"], "value": {}}], "line 2"),
}


@pytest.mark.parametrize("lines, field", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_commit_field_is_400_naming_it(lines, field, endpoint, api, repo):
    answer = raw_commit(endpoint, repo, ndjson(*lines))
    assert answer.status_code == 400, answer.text
    assert field in answer.json()["error"]
    assert [s.rfilename for s in api.repo_info(repo).siblings] == [".gitattributes"]


def test_malformed_preupload_size_is_400_naming_it(endpoint, repo):
    answer = raw_preupload(endpoint, repo, "a.txt", size="abc")
    assert answer.status_code == 400 and "files.size" in answer.json()["error"]


def test_commit_title_and_message_have_a_length_limit(api, repo):
    with pytest.raises(HfHubHTTPError) as info:
        api.upload_file(
            path_or_fileobj=b"x",
            path_in_repo="a.txt",
            repo_id=repo,
            commit_message="t" * (MAX_TITLE_LENGTH + 1),
        )
    assert info.value.response.status_code == 400 and "header.summary" in info.value.server_message
    with pytest.raises(HfHubHTTPError) as info:
        api.upload_file(
            path_or_fileobj=b"x",
            path_in_repo="a.txt",
            repo_id=repo,
            commit_message="ok",
            commit_description="d" * (MAX_MESSAGE_LENGTH + 1),
        )
    assert info.value.response.status_code == 400 and "header.description" in info.value.server_message
    api.upload_file(
        path_or_fileobj=b"x",
        path_in_repo="a.txt",
        repo_id=repo,
        commit_message="t" * MAX_TITLE_LENGTH,
        commit_description="d" * MAX_MESSAGE_LENGTH,
    )
    assert api.list_repo_commits(repo)[0].title == "t" * MAX_TITLE_LENGTH


@pytest.mark.parametrize(
    "readme, message",
    [
        ("---\nlicense: not-a-license\n---\n# card\n", '"license" must be one of'),
        ("---\npipeline_tag: not-a-task\n---\n# card\n", '"pipeline_tag" must be one of'),
        ("---\nlicense: [unclosed\n---\n# card\n", "Invalid YAML"),
        ("---\n- just\n- a list\n---\n# card\n", "must be a YAML mapping"),
    ],
    ids=["license", "pipeline-tag", "yaml", "not-a-mapping"],
)
def test_commit_with_invalid_card_metadata_is_refused(readme, message, endpoint, api, repo):
    answer = raw_commit(endpoint, repo, ndjson(header(), file_line("README.md", readme.encode())))
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error.startswith("Invalid metadata in README.md.") and message in error
    assert not api.file_exists(repo, "README.md")
    api.upload_file(path_or_fileobj=b"---\nlicense: mit\n---\n# ok\n", path_in_repo="README.md", repo_id=repo)
    assert api.model_info(repo).card_data["license"] == "mit"
