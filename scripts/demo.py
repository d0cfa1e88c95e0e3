"""`make demo`: the sandbox Hub with demo content, then JupyterLab (or Notebook 7) pointed at it.

Usage: python scripts/demo.py [--ui lab|notebook] [-- extra Jupyter server options]

Everything the demo writes lives under `.demo/` (git-ignored), so the checkout stays clean and two
checkouts never share state:
- `.demo/hub`: the sandbox's data (seeded on the first run);
- `.demo/notebooks`: the served copy of `notebooks/` (autosave writes there, not into the checkout;
  widget outputs of an earlier run, whose kernel is gone, are cleared at start);
- `.demo/jupyter/`: JupyterLab's workspaces, user settings and runtime files;
- `.demo/hf_home`: the kernels' HF_HOME (login, cache).
The kernels get HF_ENDPOINT, HF_HUB_DISABLE_XET=1 and no telemetry. Stopping the Jupyter server
(Ctrl+C here, or File > Shut Down) stops the sandbox too, and says so in one line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_USER = "demo"
# A fixed, clearly fake token for the demo user (the sandbox only; shaped unlike real hf_ tokens).
DEMO_TOKEN = "hf_sandbox_demo_token"
PORT = int(os.environ.get("SANDBOX_PORT", "8765"))
UIS = {"lab": ("JupyterLab", "jupyterlab"), "notebook": ("Notebook 7", "notebook")}
# What the copy holds of the checkout's notebooks: {relative path: sha256}, written with each copy.
MANIFEST = "notebooks.json"


@dataclass(frozen=True)
class DemoDirs:
    """The folders of one checkout's demo, all under `<checkout>/.demo`."""

    root: Path
    hub: Path
    notebooks: Path
    hf_home: Path
    runtime: Path
    settings: Path
    workspaces: Path

    @classmethod
    def of(cls, checkout: Path) -> DemoDirs:
        """The demo folders of `checkout`.

        Args:
            checkout: The project checkout (the folder holding `notebooks/`).
        """
        root = checkout / ".demo"
        return cls(
            root=root,
            hub=root / "hub",
            notebooks=root / "notebooks",
            hf_home=root / "hf_home",
            runtime=root / "jupyter" / "runtime",
            settings=root / "jupyter" / "lab" / "user-settings",
            workspaces=root / "jupyter" / "lab" / "workspaces",
        )


def _digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of the files under `folder` (no checkpoints)."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and ".ipynb_checkpoints" not in rel.parts:
            found[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def copy_notebooks(source: Path, dirs: DemoDirs) -> str:
    """Bring `dirs.notebooks` up to date with `source` and say in one line what was done.

    The copy is replaced only when the checkout's notebooks changed since it was made; a copy the user
    edited is then moved aside to `.demo/previous/notebooks-<UTC time>` (never deleted). While the
    checkout's notebooks stay the same, the copy is kept as the user left it (files missing from it
    are copied again).

    Args:
        source: The checkout's `notebooks/` folder.
        dirs: The demo folders.
    """
    wanted = _digest(source)
    manifest = dirs.root / MANIFEST
    try:
        copied = json.loads(manifest.read_text())
    except (OSError, ValueError):
        copied = None
    ignore = shutil.ignore_patterns(".ipynb_checkpoints")
    if dirs.notebooks.is_dir() and copied == wanted:
        missing = [rel for rel in wanted if not (dirs.notebooks / rel).exists()]
        for rel in missing:
            (dirs.notebooks / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, dirs.notebooks / rel)
        extra = f" ({len(missing)} missing file(s) copied again)" if missing else ""
        return f"Serving {dirs.notebooks} as you left it{extra}."
    kept = ""
    if dirs.notebooks.exists():
        if _digest(dirs.notebooks) == copied:
            shutil.rmtree(dirs.notebooks)  # untouched since it was copied: nothing to keep
        else:
            aside = dirs.root / "previous" / time.strftime("notebooks-%Y%m%d-%H%M%S", time.gmtime())
            aside.parent.mkdir(parents=True, exist_ok=True)
            dirs.notebooks.rename(aside)
            kept = f"; your previous copy is in {aside}"
    shutil.copytree(source, dirs.notebooks, ignore=ignore)
    manifest.write_text(json.dumps(wanted, indent=1))
    return f"Copied the checkout's notebooks to {dirs.notebooks}{kept}."


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def drop_dead_widget_views(folder: Path) -> int:
    """Remove the widget outputs of a previous server from the notebooks under `folder`; return how many.

    A saved widget view names a model of the kernel it was made in; once that kernel is gone (any new
    `make demo`), JupyterLab shows "Error displaying widget: model not found" in its place. A view whose
    state the notebook saved (`metadata.widgets`) still renders, so it stays.

    Args:
        folder: The served notebook copy.
    """
    dropped = 0
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.relative_to(folder).parts:
            continue
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            saved = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
            before = dropped
            for cell in notebook.get("cells", []):
                kept = []
                for out in cell.get("outputs", []):
                    view = out.get("data", {}).get(WIDGET_VIEW) if isinstance(out, dict) else None
                    if isinstance(view, dict) and view.get("model_id") not in saved:
                        dropped += 1
                    else:
                        kept.append(out)
                if "outputs" in cell:
                    cell["outputs"] = kept
        except (OSError, ValueError, AttributeError, TypeError):
            continue  # not a notebook this can read: left as it is
        if dropped > before:
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return dropped


def prepare(checkout: Path) -> tuple[DemoDirs, str]:
    """Make the demo folders of `checkout` and its notebook copy; return them and what was copied.

    Args:
        checkout: The project checkout.
    """
    dirs = DemoDirs.of(checkout)
    for folder in (dirs.root, dirs.hf_home, dirs.runtime, dirs.settings, dirs.workspaces):
        folder.mkdir(parents=True, exist_ok=True)
    said = copy_notebooks(checkout / "notebooks", dirs)
    dropped = drop_dead_widget_views(dirs.notebooks)
    if dropped:
        said += f" Cleared {dropped} widget output(s) of the last run (their kernel is gone: run those cells again)."
    return dirs, said


def server_env(dirs: DemoDirs, endpoint: str, checkout: Path) -> dict[str, str]:
    """The Jupyter server's (and so the kernels') environment for a sandbox at `endpoint`.

    Args:
        dirs: The demo folders.
        endpoint: The sandbox's URL.
        checkout: The project checkout (put on the kernels' PYTHONPATH).
    """
    env = {
        **os.environ,
        "HF_ENDPOINT": endpoint,
        # The playground's default backend: the sandbox's inference routes (offline, no provider).
        "HUB_WIDGETS_INFERENCE_ENDPOINT": endpoint + "/inference/models/{model}",
        "HF_HUB_DISABLE_XET": "1",
        "HF_HOME": str(dirs.hf_home),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH")])),
        # This checkout's own workspace, settings and runtime files (JupyterLab's and Notebook 7's).
        "JUPYTER_RUNTIME_DIR": str(dirs.runtime),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs.settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs.workspaces),
    }
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"):
        env.pop(name, None)
    return env


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the demo until the Jupyter server stops.

    Args:
        argv: The command line (default `sys.argv[1:]`).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ui", choices=sorted(UIS), default="lab", help="JupyterLab (default) or Notebook 7")
    parser.add_argument("server_args", nargs="*", help="after --: options for the Jupyter server")
    args = parser.parse_args(argv)
    ui_name, ui_module = UIS[args.ui]

    sys.path.insert(0, str(ROOT))
    from hub_widgets.sandbox import SandboxHub

    dirs, copied = prepare(ROOT)
    # The demo user may also drive the inference fault switches over HTTP (notebook 04 does).
    options = {
        "data_dir": dirs.hub,
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
    endpoint = hub.endpoint  # (no longer readable once the hub is stopped)
    print(f"Sandbox Hub running at {endpoint}", flush=True)
    print(copied, flush=True)
    server = [sys.executable, "-m", ui_module, "--no-browser", f"--ServerApp.root_dir={dirs.notebooks}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        server.append("--allow-root")  # containers often run as root
    server += args.server_args
    if subprocess.call([sys.executable, "-c", f"import {ui_module}"], stderr=subprocess.DEVNULL) != 0:
        print(
            f"{ui_name} is not installed: `pip install -e .[demo]`. The sandbox keeps running; Ctrl+C stops it."
        )
        server = []
    print(
        "\nLog in as the demo user in a notebook (01_login) or in a terminal with:\n"
        f"    token: {DEMO_TOKEN}\n"
        "  either paste that token, or use the browser login: first open this one-time link, which signs\n"
        f"  your browser in as '{DEMO_USER}' on the sandbox's approval page:\n"
        f"    {hub.login_link(DEMO_USER)}\n"
        "  then click 'Log in with browser' and Approve on the page it opens.\n"
        f"{ui_name} prints its URL (with its own access token) just below; Ctrl+C stops everything.\n",
        flush=True,
    )
    # SIGTERM (e.g. from a supervisor) stops the server and the sandbox like Ctrl+C does.
    signal.signal(signal.SIGTERM, _interrupt)
    proc = None
    try:
        if server:
            # Its own session: Ctrl+C reaches this script only, which stops the server at once (no
            # "Shutdown this Jupyter server (y/[n])?" question, cut short by our own exit).
            proc = subprocess.Popen(server, env=server_env(dirs, endpoint, ROOT), start_new_session=True)
            proc.wait()
        else:
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
                proc.wait()
        hub.stop()
        what = ui_name if server else "The demo"
        print(
            f"\n{what} stopped, so the sandbox Hub at {endpoint} stopped too (its data stays in {dirs.hub}).",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
