"""Import cost of hub_widgets relative to huggingface_hub, each in fresh processes.

Prints median wall times over interleaved runs and the ratios (goal for `import hub_widgets`: <= 1.5).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
STATEMENTS = {
    "baseline (python -c pass)": "pass",
    "import huggingface_hub": "import huggingface_hub",
    "from huggingface_hub import HfApi": "from huggingface_hub import HfApi",
    "import hub_widgets": "import hub_widgets",
    "hub_widgets.HubSession (session ready)": "import hub_widgets; hub_widgets.HubSession",
    "hub_widgets.LoginWidget (widgets loaded)": "import hub_widgets; hub_widgets.LoginWidget",
}


def timed(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(RUNS):  # interleaved, so machine noise hits every statement alike
        for name, statement in STATEMENTS.items():
            samples[name].append(timed(statement))
    median = {name: statistics.median(values) for name, values in samples.items()}
    base = median["baseline (python -c pass)"]
    hub = median["import huggingface_hub"] - base
    print(f"{'statement':45} {'median s':>9} {'net s':>7} {'/ hf_hub':>9}")
    for name, value in median.items():
        net = value - base
        print(f"{name:45} {value:9.3f} {net:7.3f} {net / hub:9.2f}")
    ratio = (median["import hub_widgets"] - base) / hub
    print(
        f"\nimport hub_widgets / import huggingface_hub = {ratio:.2f} (goal <= 1.5): {'PASS' if ratio <= 1.5 else 'MISS'}"
    )
    # The session needs HfApi anyway: what hub_widgets adds on top of the client it wraps.
    session = (median["hub_widgets.HubSession (session ready)"] - base) / (
        median["from huggingface_hub import HfApi"] - base
    )
    print(f"hub_widgets.HubSession / from huggingface_hub import HfApi = {session:.2f}")


if __name__ == "__main__":
    main()
