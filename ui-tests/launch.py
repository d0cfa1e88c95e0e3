"""Start a SandboxHub and JupyterLab on it, for the browser tests; stop both on SIGTERM or SIGINT.

Usage: python ui-tests/launch.py INFO_JSON

Writes INFO_JSON once both are up: {"lab": url, "token": jupyter token, "endpoint": sandbox url,
"root": server root, "alice": alice's token, "pid": this process}. Everything binds to 127.0.0.1 on
free ports. The Jupyter server's environment has HF_ENDPOINT set to the sandbox and a fresh
HF_HOME with no login, so kernels (the sidebar's and notebooks') see the sandbox and log in there.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ALICE = "hf_sandbox_alice_write"
BOB = "hf_sandbox_bob_write"
LAB_TOKEN = "hub-widgets-ui-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def make_models(endpoint: str) -> None:
    """Models for the playground tests: two sentiment classifiers (the walkthrough compares them) and a
    chat model (alice's)."""
    os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=ALICE)
    for repo_id, header in (
        ("alice/e2e-sentiment", "pipeline_tag: text-classification"),
        ("alice/e2e-chat", "pipeline_tag: text-generation\ntags:\n- conversational"),
        ("alice/e2e-sentiment-b", "pipeline_tag: text-classification"),
    ):
        api.create_repo(repo_id, exist_ok=True)
        card = f"---\nlicense: mit\n{header}\n---\n# {repo_id}\n"
        api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id)


def main() -> int:
    info_path = Path(sys.argv[1]).resolve()
    from hub_widgets.sandbox import SandboxHub

    work = Path(tempfile.mkdtemp(prefix="hubw-ui-"))
    root = work / "root"
    root.mkdir()
    shutil.copytree(
        REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    hub = SandboxHub(
        data_dir=str(work / "sandbox"),
        users={"alice": ALICE, "bob": BOB},
        orgs={"acme": ["alice", "bob"]},
        admins=["alice"],  # notebook 04 sets an inference fault over HTTP, as the logged-in alice
    ).start()
    make_models(hub.endpoint)

    env = dict(os.environ)
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"):
        env.pop(name, None)
    env.update(
        HF_ENDPOINT=hub.endpoint,
        HF_HOME=str(work / "hf_home"),
        HF_HUB_DISABLE_XET="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        JUPYTER_CONFIG_DIR=str(work / "jupyter_config"),
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(work / "lab_settings"),
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        # The playground's default backend: the sandbox's inference routes.
        HUB_WIDGETS_INFERENCE_ENDPOINT=hub.endpoint + "/inference/models/{model}",
    )
    # No "get notified about Jupyter news?" toast over the screenshots.
    news = work / "lab_settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false"}))
    port = free_port()
    lab_log = open(work / "lab.log", "w")  # noqa: SIM115 - open for the server's whole life
    lab = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={LAB_TOKEN}",
            "--ServerApp.disable_check_xsrf=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.open_browser=False",
            "--allow-root",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ],
        env=env,
        cwd=root,
        stdout=lab_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stop = threading.Event()

    def teardown(*_args: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, teardown)
    signal.signal(signal.SIGINT, teardown)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/api/status?token={LAB_TOKEN}")
        info = {
            "lab": base,
            "token": LAB_TOKEN,
            "endpoint": hub.endpoint,
            "root": str(root),
            "alice": ALICE,
            "log": str(work / "lab.log"),
            "pid": os.getpid(),
        }
        info_path.write_text(json.dumps(info))
        while not stop.is_set() and lab.poll() is None:
            stop.wait(0.5)
    finally:
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGTERM)
            try:
                lab.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(lab.pid, signal.SIGKILL)
        lab_log.close()
        hub.stop()
        if os.environ.get("HUBW_KEEP_UI_WORKDIR") != "1":
            shutil.rmtree(work, ignore_errors=True)
        info_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
