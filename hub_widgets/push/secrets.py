"""Find secrets in files about to be pushed: tokens, cloud keys, private keys, credential files.

Pure: a finding names the file, the line and the kind of secret, never the secret itself, so the
list can be shown, logged or saved without leaking anything.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hub_widgets._i18n import _

# Text files larger than this are not scanned (weights, data): secrets live in small files.
MAX_SCAN_BYTES = 10 * 1000 * 1000
# A NUL byte in the first bytes means a binary file (the test git itself uses).
BINARY_PROBE = 8000


@dataclass(frozen=True)
class Finding:
    """A probable secret: where it is and what it looks like (never its value)."""

    path: str
    line: int | None  # 1-based; None for a finding about the whole file (its name)
    kind: str

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.kind}"


def _kinds() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (
            _("Hugging Face token"),
            re.compile(r"(?<![A-Za-z0-9_])(?:hf_[A-Za-z0-9]{34}|api_org_[A-Za-z0-9]{34})(?![A-Za-z0-9])"),
        ),
        (
            _("AWS access key id"),
            re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}(?![A-Z0-9])"),
        ),
        (
            _("AWS secret access key"),
            re.compile(
                r"(?i)aws_?secret_?(?:access_?)?key\s*[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])"
            ),
        ),
        (_("GCP service-account key"), re.compile(r"\"type\"\s*:\s*\"service_account\"")),
        (_("Google API key"), re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")),
        (_("private key block"), re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
        (_("GitHub token"), re.compile(r"(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    ]


def _file_kinds() -> list[tuple[str, re.Pattern[str]]]:
    # Names that are credentials whatever they contain.
    return [
        (_(".env file (environment secrets)"), re.compile(r"^\.env(?:\..+)?$")),
        (_(".netrc file (passwords)"), re.compile(r"^[._]netrc$")),
        (
            _("credentials file"),
            re.compile(r"^(?:credentials|credentials\.json|\.git-credentials|\.pypirc|\.npmrc)$"),
        ),
        (_("SSH private key file"), re.compile(r"^id_(?:rsa|dsa|ecdsa|ed25519)$")),
    ]


_SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist")


def scan_name(path: str) -> list[Finding]:
    """Findings due to the file's name alone (`.env`, `.netrc`, `credentials`, `id_rsa`, ...)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name.endswith(_SAFE_ENV_SUFFIXES):
        return []
    return [Finding(path, None, kind) for kind, pattern in _file_kinds() if pattern.match(name)]


def scan_text(path: str, text: str) -> list[Finding]:
    """Findings in `text` (the content of `path`): one per kind and line."""
    findings = []
    kinds = _kinds()
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in kinds:
            if pattern.search(line):
                findings.append(Finding(path, number, kind))
    return findings


def scan_bytes(path: str, data: bytes) -> list[Finding]:
    """Findings in a file's content; binary content (a NUL byte) is skipped."""
    if b"\x00" in data[:BINARY_PROBE]:
        return []
    return scan_text(path, data.decode("utf-8", errors="replace"))


def scan_files(
    files: Iterable[tuple[str, str]], *, max_bytes: int = MAX_SCAN_BYTES, skip: Sequence[str] = ()
) -> list[Finding]:
    """Scan `(path in repo, local path)` pairs: names, then the content of text files up to `max_bytes`.

    Args:
        files: What will be pushed.
        max_bytes: Larger files are checked by name only.
        skip: Paths in repo not to read (e.g. files already known to be binary).
    """
    skipped = set(skip)
    findings: list[Finding] = []
    for path_in_repo, local_path in files:
        findings.extend(scan_name(path_in_repo))
        if path_in_repo in skipped:
            continue
        try:
            if os.path.getsize(local_path) > max_bytes:
                continue
            with open(local_path, "rb") as file:
                head = file.read(BINARY_PROBE)
                if b"\x00" in head:
                    continue  # binary (weights, archives): not read further
                data = head + file.read()
        except OSError:
            continue
        findings.extend(scan_bytes(path_in_repo, data))
    return findings


def summarize(findings: Sequence[Finding], limit: int = 20) -> list[str]:
    """One line per finding (at most `limit`, then "and N more")."""
    lines = [f.describe() for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(_("… and {n} more").format(n=len(findings) - limit))
    return lines
