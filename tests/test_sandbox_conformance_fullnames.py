"""Conformance: full names of users and organisations, as `whoami` (whoami-v2) shows them.

Set with `SandboxHub(fullnames={...})` or `--fullname NAME="Full Name"` on the command line; they
survive a restart on the same data folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import HfApi

from hub_widgets.sandbox import SandboxHub

ROOT = Path(__file__).resolve().parents[1]
ADA = "hf_sandbox_ada_write"
BEN = "hf_sandbox_ben_write"


def test_fullnames_in_whoami_and_likers(tmp_path):
    hub = SandboxHub(
        data_dir=tmp_path / "d",
        users={"ada": ADA, "ben": BEN},
        orgs={"lab": ["ada"]},
        fullnames={"ada": "Ada Lovelace", "lab": "Analytical Engines Lab"},
    )
    with hub:
        me = HfApi(endpoint=hub.endpoint, token=ADA).whoami()
        assert me["fullname"] == "Ada Lovelace"
        assert [(o["name"], o["fullname"]) for o in me["orgs"]] == [("lab", "Analytical Engines Lab")]
        assert HfApi(endpoint=hub.endpoint, token=BEN).whoami()["fullname"] == "Ben"  # the default
    # A restart that names no full name keeps the stored ones (the org's too).
    with SandboxHub(data_dir=tmp_path / "d", users={"ada": ADA}, orgs={"lab": ["ada"]}) as hub:
        me = HfApi(endpoint=hub.endpoint, token=ADA).whoami()
        assert (me["fullname"], me["orgs"][0]["fullname"]) == ("Ada Lovelace", "Analytical Engines Lab")
    with pytest.raises(ValueError, match="nobody"):
        SandboxHub(data_dir=tmp_path / "e", users={"ada": ADA}, fullnames={"nobody": "X"})


def test_cli_fullname(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "hub_widgets.sandbox", "--port", "0", "--data", str(tmp_path / "d")]
    command += ["--user", f"ada={ADA}", "--org", "lab=ada"]
    command += ["--fullname", "ada=Ada King, Countess of Lovelace", "--fullname", "lab=The Lab"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        line = proc.stdout.readline()
        endpoint = re.search(r"Sandbox Hub running at (http://127\.0\.0\.1:\d+)", line).group(1)
        me = HfApi(endpoint=endpoint, token=ADA).whoami()
        assert me["fullname"] == "Ada King, Countess of Lovelace"
        assert me["orgs"][0]["fullname"] == "The Lab"
    finally:
        proc.terminate()
        proc.wait(10)
    bad = subprocess.run(
        [*command[:5], "--data", str(tmp_path / "z"), "--user", f"ada={ADA}", "--fullname", "zed=Zed"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode != 0 and "zed" in bad.stderr and "Traceback" not in bad.stderr
