"""`make demo` (scripts/demo.py) on a temporary checkout: the notebook copy under `.demo/`, the
Jupyter server's own runtime / workspace folders, and the sandbox stopping with the server."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import wait_for, write_tree

REPO = Path(__file__).resolve().parents[1]
SERVER_TOKEN = "demo-test-token"


def _load_demo(checkout: Path):
    """scripts/demo.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("hubw_demo_script", checkout / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _nb(text: str) -> str:
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A temporary checkout: scripts/demo.py and two notebooks (one in a subfolder)."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO / "scripts" / "demo.py", root / "scripts" / "demo.py")
    write_tree(
        root / "notebooks",
        {"a.ipynb": _nb("a"), "more/b.ipynb": _nb("b"), ".ipynb_checkpoints/a-checkpoint.ipynb": _nb("old")},
    )
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_demo_serves_a_copy_and_keeps_the_users_edits(checkout: Path) -> None:
    demo = _load_demo(checkout)
    before = _snapshot(checkout / "notebooks")
    dirs, said = demo.prepare(checkout)
    copy = checkout / ".demo" / "notebooks"
    assert dirs.notebooks == copy and "Copied" in said
    assert (copy / "a.ipynb").read_text() == _nb("a")
    assert (copy / "more" / "b.ipynb").read_text() == _nb("b")
    assert not (copy / ".ipynb_checkpoints").exists()
    for folder in (dirs.runtime, dirs.settings, dirs.workspaces, dirs.hf_home):
        assert folder.is_dir() and checkout / ".demo" in folder.parents

    # The user's edits (autosave) stay while the checkout's notebooks do not change.
    (copy / "a.ipynb").write_text(_nb("edited by the user"))
    (copy / "more" / "b.ipynb").unlink()
    _, said = demo.prepare(checkout)
    assert "as you left it" in said
    assert (copy / "a.ipynb").read_text() == _nb("edited by the user")
    assert (copy / "more" / "b.ipynb").read_text() == _nb("b")  # a missing file comes back

    # The checkout's notebooks change: a fresh copy, the edited one moved aside and named.
    (checkout / "notebooks" / "more" / "b.ipynb").write_text(_nb("b, version 2"))
    _, said = demo.prepare(checkout)
    assert (copy / "more" / "b.ipynb").read_text() == _nb("b, version 2")
    assert (copy / "a.ipynb").read_text() == _nb("a")
    aside = list((checkout / ".demo" / "previous").iterdir())
    assert len(aside) == 1 and str(aside[0]) in said
    assert (aside[0] / "a.ipynb").read_text() == _nb("edited by the user")

    # An untouched copy is simply replaced: nothing more set aside.
    (checkout / "notebooks" / "a.ipynb").write_text(_nb("a, version 2"))
    _, said = demo.prepare(checkout)
    assert (copy / "a.ipynb").read_text() == _nb("a, version 2")
    assert len(list((checkout / ".demo" / "previous").iterdir())) == 1 and "previous" not in said

    # The checkout itself was never written to.
    assert _snapshot(checkout / "notebooks") == {
        **before,
        "more/b.ipynb": _nb("b, version 2").encode(),
        "a.ipynb": _nb("a, version 2").encode(),
    }


def test_widget_outputs_of_an_earlier_run_are_cleared(checkout: Path) -> None:
    """A saved widget view of a kernel that is gone would show "model not found": it goes at start."""
    demo = _load_demo(checkout)
    dirs, _ = demo.prepare(checkout)
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "dead", "version_major": 2}}
    kept_view = {"application/vnd.jupyter.widget-view+json": {"model_id": "saved", "version_major": 2}}
    text = {"output_type": "stream", "name": "stdout", "text": "hello\n"}
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": "w",
            "execution_count": 1,
            "outputs": [
                {
                    "output_type": "execute_result",
                    "data": {**view, "text/plain": "VBox()"},
                    "metadata": {},
                    "execution_count": 1,
                },
                text,
            ],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "source": "s",
            "execution_count": 2,
            "outputs": [
                {"output_type": "display_data", "data": kept_view, "metadata": {}},
            ],
        },
    ]
    state = {"application/vnd.jupyter.widget-state+json": {"state": {"saved": {}}, "version_major": 2}}
    run = {"cells": cells, "metadata": {"widgets": state}, "nbformat": 4, "nbformat_minor": 5}
    (dirs.notebooks / "a.ipynb").write_text(json.dumps(run))

    _, said = demo.prepare(checkout)
    assert "Cleared 1 widget output" in said
    cleaned = json.loads((dirs.notebooks / "a.ipynb").read_text())
    assert cleaned["cells"][0]["outputs"] == [text]  # the user's other output stays
    assert cleaned["cells"][1]["outputs"] == cells[1]["outputs"]  # its state was saved: it still renders
    assert cleaned["metadata"] == run["metadata"]
    _, said = demo.prepare(checkout)
    assert "Cleared" not in said


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, with an error status
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _location(url: str) -> str:
    """Where `url` redirects to (JupyterLab's / goes to /lab, Notebook 7's to /tree)."""
    try:
        urllib.request.build_opener(_NoRedirect).open(url, timeout=10)
    except urllib.error.HTTPError as redirect:
        return redirect.headers.get("Location", "")
    return ""


def _start(checkout: Path, *args: str) -> tuple[subprocess.Popen, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "HF_"))}
    env.update(SANDBOX_PORT="0", PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(checkout / "scripts" / "demo.py"), *args, "--"]
        + ["--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={SERVER_TOKEN}"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    return proc, lines


def _running(checkout: Path, lines: list[str]) -> tuple[dict, str]:
    """The server's runtime file (in the demo's own runtime folder) and the sandbox's URL."""
    runtime = checkout / ".demo" / "jupyter" / "runtime"
    found = wait_for(lambda: list(runtime.glob("jpserver-*.json")), 120, "the server's runtime file")
    info = json.loads(found[0].read_text())
    wait_for(lambda: _answers(f"{info['url']}api/status?token={SERVER_TOKEN}"), 120, "the server")
    endpoint = next(
        line.split(" at ", 1)[1].strip() for line in lines if line.startswith("Sandbox Hub running at")
    )
    return info, endpoint


def assert_one_stop_line(lines: list[str], ui: str, endpoint: str, checkout: Path) -> None:
    """The demo said once, in one line, that the sandbox stopped with the server, and where its data is."""
    stopped = [line for line in "".join(lines).splitlines() if "stopped" in line]
    assert stopped == [
        f"{ui} stopped, so the sandbox Hub at {endpoint} stopped too (its data stays in {checkout / '.demo' / 'hub'})."
    ]


def _stop(proc: subprocess.Popen, checkout: Path) -> None:
    """After a failure too: the demo stops its server on SIGTERM; a server left behind is stopped."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for runtime in (checkout / ".demo" / "jupyter" / "runtime").glob("jpserver-*.json"):
        try:
            pid = json.loads(runtime.read_text())["pid"]
            # Only a server of this checkout (a stale file's pid may belong to another process by now).
            if str(checkout).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError, KeyError):
            pass


def _request(url: str, method: str, body: dict | None = None) -> bytes:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Authorization": f"token {SERVER_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read()


def test_shutting_down_jupyterlab_stops_the_sandbox(checkout: Path) -> None:
    (checkout / "notebooks").joinpath("a.ipynb").write_text(_nb("a"))
    proc, lines = _start(checkout)
    try:
        info, endpoint = _running(checkout, lines)
        base = info["url"]
        assert _answers(endpoint + "/api/models")
        assert urllib.parse.urlsplit(_location(base)).path.rstrip("/").endswith("/lab")
        # The server serves the copy, not the checkout's folder.
        assert info["root_dir"] == str(checkout / ".demo" / "notebooks")
        listing = json.loads(_request(base + "api/contents", "GET"))
        assert {item["name"] for item in listing["content"]} == {"a.ipynb", "more"}
        # A saved workspace lands in the demo's own workspace folder.
        workspace = {"data": {}, "metadata": {"id": "demo-check"}}
        _request(base + "lab/api/workspaces/demo-check", "PUT", workspace)
        assert list((checkout / ".demo" / "jupyter" / "lab" / "workspaces").glob("demo-check*"))
        # File > Shut Down is this request.
        _request(base + "api/shutdown", "POST")
        assert proc.wait(60) == 0, "".join(lines)
        wait_for(lambda: "stopped too" in "".join(lines), 30, "the stop line")
        assert not _answers(endpoint + "/api/models")
        assert_one_stop_line(lines, "JupyterLab", endpoint, checkout)
    finally:
        _stop(proc, checkout)


def test_ctrl_c_stops_notebook7_and_the_sandbox(checkout: Path) -> None:
    proc, lines = _start(checkout, "--ui", "notebook")
    try:
        info, endpoint = _running(checkout, lines)
        assert urllib.parse.urlsplit(_location(info["url"])).path.rstrip("/").endswith("/tree")
        os.kill(proc.pid, signal.SIGINT)  # Ctrl+C in the terminal reaches the demo script
        assert proc.wait(60) == 0
        wait_for(lambda: "stopped too" in "".join(lines), 30, "the stop line")
        assert not _answers(endpoint + "/api/models")
        assert not _answers(f"{info['url']}api/status")
        # The server's process is gone too (not left running in its own session).
        with pytest.raises(ProcessLookupError):
            os.kill(info["pid"], 0)
        assert_one_stop_line(lines, "Notebook 7", endpoint, checkout)
    finally:
        _stop(proc, checkout)
