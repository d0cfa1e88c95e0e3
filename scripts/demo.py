"""`make demo`: the sandbox Hub with demo content, then JupyterLab on notebooks/ pointed at it.

The sandbox keeps its data in .demo/hub (seeded on the first run); the kernels get HF_ENDPOINT,
HF_HUB_DISABLE_XET=1, a project-local HF_HOME and no telemetry. Stopping JupyterLab stops the sandbox.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / ".demo"
DEMO_USER = "demo"
# A fixed, clearly fake token for the demo user (the sandbox only; shaped unlike real hf_ tokens).
DEMO_TOKEN = "hf_sandbox_demo_token"
PORT = int(os.environ.get("SANDBOX_PORT", "8765"))


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from hub_widgets.sandbox import SandboxHub

    (DEMO / "hf_home").mkdir(parents=True, exist_ok=True)
    # The demo user may also drive the inference fault switches over HTTP (notebook 04 does).
    options = {
        "data_dir": DEMO / "hub",
        "users": {DEMO_USER: DEMO_TOKEN},
        "admins": [DEMO_USER],
        "seed": "demo",
    }
    hub = SandboxHub(port=PORT, **options)
    try:
        hub.start()
    except RuntimeError:
        hub.stop()
        print(f"Port {PORT} is busy; using a free port instead (set SANDBOX_PORT to choose).", flush=True)
        hub = SandboxHub(port=0, **options).start()
    print(f"Sandbox Hub running at {hub.endpoint}", flush=True)
    env = {
        **os.environ,
        "HF_ENDPOINT": hub.endpoint,
        # The playground's default backend: the sandbox's inference routes (offline, no provider).
        "HUB_WIDGETS_INFERENCE_ENDPOINT": hub.endpoint + "/inference/models/{model}",
        "HF_HUB_DISABLE_XET": "1",
        "HF_HOME": str(DEMO / "hf_home"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("HF_TOKEN", None)
    lab = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--notebook-dir={ROOT / 'notebooks'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lab.append("--allow-root")  # containers often run as root
    if shutil.which("jupyter") is None and subprocess.call([sys.executable, "-c", "import jupyterlab"]) != 0:
        print(
            "JupyterLab is not installed: `pip install -e .[demo]`. The sandbox keeps running; Ctrl+C stops it."
        )
        lab = []
    print(
        "\nLog in as the demo user in a notebook (01_login) or in a terminal with:\n"
        f"    token: {DEMO_TOKEN}\n"
        "  either paste that token, or use the browser login: first open this one-time link, which signs\n"
        f"  your browser in as '{DEMO_USER}' on the sandbox's approval page:\n"
        f"    {hub.login_link(DEMO_USER)}\n"
        "  then click 'Log in with browser' and Approve on the page it opens.\n"
        "JupyterLab prints its URL (with its own access token) just below.\n",
        flush=True,
    )
    # SIGTERM (e.g. from a supervisor) stops Lab and the sandbox like Ctrl+C does.
    signal.signal(signal.SIGTERM, _interrupt)
    proc = None
    try:
        if lab:
            proc = subprocess.Popen(lab, env=env)
            return proc.wait()
        threading.Event().wait()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        hub.stop()
        print("Sandbox Hub stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
