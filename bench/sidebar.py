"""F9: the JupyterLab sidebar's cost: the size of the extension's own JavaScript, and click-to-rendered.

Prints the size of hub_widgets/labextension/static/*.js (goal <= 100 KB). The click-to-rendered time
(kernel start included, goal <= 3 s) is measured in a real browser by the end-to-end suite
(`make test-browser`, test "F9"), which writes test-artifacts/f9.json; with `--browser` this script
runs that one test first (needs chromium and ui-tests/node_modules).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "hub_widgets" / "labextension" / "static"
F9_JSON = REPO / "test-artifacts" / "f9.json"
JS_GOAL_KB = 100.0
CLICK_GOAL_S = 3.0


def extension_js_bytes(static: Path = STATIC) -> int:
    """Total size of the built extension's JavaScript files (its own code, shared packages excluded).

    Args:
        static: The `static/` folder of the built extension.
    """
    return sum(path.stat().st_size for path in static.glob("*.js"))


def run_browser_f9() -> None:
    env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1", PYTHON=sys.executable)
    subprocess.run(["npx", "playwright", "test", "-g", "F9"], cwd=REPO / "ui-tests", env=env, check=True)


def main() -> int:
    if not STATIC.is_dir():
        print("sidebar: extension not built (hub_widgets/labextension/static missing): skipped")
        return 0
    size_kb = extension_js_bytes() / 1024
    verdict = "ok" if size_kb <= JS_GOAL_KB else "OVER GOAL"
    print(f"sidebar: extension JavaScript {size_kb:.1f} KB (goal <= {JS_GOAL_KB:.0f} KB: {verdict})")
    if "--browser" in sys.argv:
        run_browser_f9()
    if F9_JSON.exists():
        figures = json.loads(F9_JSON.read_text())
        cold, warm = figures["click_to_rendered_cold_s"], figures["click_to_rendered_warm_s"]
        verdict = "ok" if cold <= CLICK_GOAL_S else "OVER GOAL"
        print(
            f"sidebar: click-to-rendered {cold:.2f} s with kernel start (goal <= {CLICK_GOAL_S:.0f} s: {verdict}), "
            f"{warm:.2f} s on reconnect; ratio cold/warm {cold / warm:.1f}x (from {F9_JSON.name})"
        )
    else:
        print(
            "sidebar: click-to-rendered not measured (run `make test-browser` or this script with --browser)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
