"""Find secrets in files about to be pushed: tokens, cloud keys, private keys, credential files.

Pure and streaming: `FileScanner.feed()` takes a file's bytes chunk by chunk (the same chunks the plan
hashes, so the data is read once), keeps an overlap so a secret cut by a chunk boundary is found, and
looks inside what ML repos push: gzip / bzip2 / xz streams and zip members (decompressed on the fly,
within a size and ratio budget, so a zip bomb only costs the budget), UTF-16 text, notebook outputs,
the safetensors `__metadata__` header and the strings of pickles (read with `pickletools`, never
unpickled). Binary data is scanned too: only its printable runs go through the patterns.

A finding names the file, the line (text) or byte offset (binary, archive member), the kind of secret
and a masked excerpt, never the secret itself, so findings can be shown, logged or sent between
processes without leaking anything. Kinds are stable codes; `Finding.kind` is the translated label.
"""

from __future__ import annotations

import bz2
import codecs
import hashlib
import io
import json
import lzma
import os
import pickletools
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hub_widgets._i18n import _

CHUNK = 4 * 1024 * 1024
# Bytes kept from one window to the next: a secret shorter than OVERLAP - GUARD is never cut.
OVERLAP = 4096
# Context kept before the owned part of a window, for the patterns' look-behinds.
GUARD = 64
# A NUL byte in the first bytes means binary (the test git itself uses).
BINARY_PROBE = 8000
# Binary data: only runs of at least this many printable bytes can hold a secret.
MIN_RUN = 12
# Decompression budget per pushed file (plus 16x its compressed bytes), and the ratio that marks a
# bomb (after RATIO_FLOOR bytes).
MAX_EXPANDED = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 8 * 1024 * 1024
MAX_DEPTH = 3  # archives inside archives
# Structured views (notebooks, pickles) are parsed whole when at most this big; raw bytes are always scanned.
MAX_PARSED = 64 * 1024 * 1024
MAX_SAFETENSORS_HEADER = 100 * 1000 * 1000

_KIND_LABELS: dict[str, Callable[[], str]] = {
    "hf_token": lambda: _("Hugging Face token"),
    "openai_key": lambda: _("OpenAI API key"),
    "anthropic_key": lambda: _("Anthropic API key"),
    "github_token": lambda: _("GitHub token"),
    "gitlab_token": lambda: _("GitLab token"),
    "slack_token": lambda: _("Slack token"),
    "stripe_key": lambda: _("Stripe secret key"),
    "google_api_key": lambda: _("Google API key"),
    "aws_key_id": lambda: _("AWS access key id"),
    "aws_secret": lambda: _("AWS secret access key"),
    "gcp_service_account": lambda: _("GCP service-account key"),
    "private_key": lambda: _("private key block"),
    "url_password": lambda: _("URL with an embedded password"),
    "jwt": lambda: _("JSON web token"),
    "env_file": lambda: _(".env file (environment secrets)"),
    "netrc_file": lambda: _(".netrc file (passwords)"),
    "credentials_file": lambda: _("credentials file"),
    "ssh_key_file": lambda: _("SSH private key file"),
    "scan_limit": lambda: _("not fully scanned: expands too much (possible zip bomb)"),
    "not_scanned": lambda: _("not scanned (encrypted or unsupported archive member)"),
}

# Each kind has its pattern, and literal anchors a match must contain: the data is searched for the
# anchors (bytes.find, C speed) and a pattern runs only where one is found. `back` is how far before
# the anchor the match may start.
_PLAIN = rb"[^\s:/@\"'<>{}$\x00-\x1f\x7f-\xff]"
_KIND_RE: dict[str, re.Pattern[bytes]] = {
    "gcp_key_field": re.compile(rb'"private_key"\s*:\s*"'),
    "private_key": re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    # Also glued after "_" or any word character (MY_TOKEN_hf_...), and followed by more letters.
    "hf_token": re.compile(rb"(?:hf_|api_org_)[A-Za-z0-9]{34,}"),
    "anthropic_key": re.compile(rb"(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{20,}"),
    "openai_key": re.compile(
        rb"(?<![A-Za-z0-9])sk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z_-]{0,80}[0-9])[A-Za-z0-9_-]{32,}"
    ),
    "github_token": re.compile(rb"(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
    "gitlab_token": re.compile(rb"glpat-[A-Za-z0-9_-]{20,}"),
    "slack_token": re.compile(rb"xox[abpr]-(?=[A-Za-z-]{0,20}[0-9])[A-Za-z0-9-]{10,}"),
    "stripe_key": re.compile(rb"(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{24,}"),
    "google_api_key": re.compile(rb"AIza[0-9A-Za-z_-]{35}"),
    "aws_key_id": re.compile(rb"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"),
    "aws_secret": re.compile(
        rb"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?(?P<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
    ),
    "jwt": re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}"),
    "url_password": re.compile(
        rb"(?<=[A-Za-z0-9])://" + _PLAIN + rb"{1,64}:(?P<v>(?![*x]+@)" + _PLAIN + rb"{3,128})@[A-Za-z0-9.-]+"
    ),
}
_ANCHORS: list[tuple[bytes, tuple[str, ...], int]] = [
    (b"hf_", ("hf_token",), 0),
    (b"api_org_", ("hf_token",), 0),
    (b"sk-", ("anthropic_key", "openai_key"), 0),
    *((f"gh{c}_".encode(), ("github_token",), 0) for c in "pousr"),
    (b"github_pat_", ("github_token",), 0),
    (b"glpat-", ("gitlab_token",), 0),
    (b"xox", ("slack_token",), 0),
    (b"k_live_", ("stripe_key",), 1),
    (b"AIza", ("google_api_key",), 0),
    (b"AKIA", ("aws_key_id",), 0),
    (b"ASIA", ("aws_key_id",), 0),
    (b"ecret", ("aws_secret",), 5),
    (b"ECRET", ("aws_secret",), 5),
    (b"-----BEGIN ", ("private_key",), 0),
    (b"eyJ", ("jwt",), 0),
    (b"://", ("url_password",), 0),
    (b'"private_key"', ("gcp_key_field",), 0),
    (b'"service_account"', ("gcp_type",), 0),
]
_BACK = max(back for _n, _k, back in _ANCHORS) + 1
_VALUE_GROUPS = {"aws_secret", "url_password"}

_PRINTABLE = bytes(1 if (0x20 <= b < 0x7F or b in (9, 10, 13)) else 0 for b in range(256))
_RUN = b"\x01" * MIN_RUN
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

_FILE_KINDS = [
    ("env_file", re.compile(r"^\.env(?:\..+)?$")),
    ("netrc_file", re.compile(r"^[._]netrc$")),
    (
        "credentials_file",
        re.compile(r"^(?:credentials|credentials\.json|\.git-credentials|\.pypirc|\.npmrc)$"),
    ),
    ("ssh_key_file", re.compile(r"^id_(?:rsa|dsa|ecdsa|ed25519)$")),
]
_SAFE_ENV_SUFFIXES = (".example", ".sample", ".template", ".dist")


@dataclass(frozen=True)
class Finding:
    """A probable secret: where it is and what it looks like, masked (never its value).

    Attributes:
        path: The file's path in the repo.
        line: 1-based line in a text file (or in a decoded stream), else None.
        code: Stable kind code (see `kind` for the label).
        offset: Byte offset in a binary file or archive member, else None.
        member: The archive member or decoded view it was found in ("data/x.txt", "__metadata__").
        excerpt: The secret masked: its first characters, then its length.
    """

    path: str
    line: int | None
    code: str
    offset: int | None = None
    member: str | None = None
    excerpt: str = ""

    @property
    def kind(self) -> str:
        label = _KIND_LABELS.get(self.code)
        return label() if label else self.code

    def describe(self) -> str:
        where = self.path
        if self.member:
            where += " " + _("(member {member})").format(member=self.member)
        if self.line:
            where += f":{self.line}"
        elif self.offset is not None:
            where += " " + _("at byte {offset}").format(offset=self.offset)
        return f"{where}: {self.kind}" + (f" ({self.excerpt})" if self.excerpt else "")


def mask(value: str) -> str:
    """`value` cut to a few leading characters and its length: enough to recognise it, not to use it."""
    keep = min(6, max(1, len(value) // 5))
    return f"{value[:keep]}… ({len(value)} chars)"


def scan_name(path: str) -> list[Finding]:
    """Findings due to the file's name alone (`.env`, `.netrc`, `credentials`, `id_rsa`, ...)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name.endswith(_SAFE_ENV_SUFFIXES):
        return []
    return [Finding(path, None, code) for code, pattern in _FILE_KINDS if pattern.match(name)]


class _Report:
    """What one pushed file yields: findings, deduplicated by secret value (one finding per secret)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, bytes]] = set()
        self.expanded = 0  # decompressed bytes, against MAX_EXPANDED
        self.limited = False

    def add(self, code: str, value: bytes, **where) -> Finding | None:
        # By the leading bytes: the same secret glued to different neighbours (a raw zip member and
        # the member read alone) is still one secret.
        key = (code, hashlib.sha256(value[:24]).digest())
        if key in self._seen:
            return None
        self._seen.add(key)
        excerpt = where.pop("excerpt", None)
        if excerpt is None:
            excerpt = mask(value.decode("ascii", "replace"))
        finding = Finding(self.path, code=code, excerpt=excerpt, **where)
        self.findings.append(finding)
        return finding


class _Stream:
    """One byte stream (a file, a decompressed stream, an archive member) scanned window by window."""

    def __init__(
        self, report: _Report, name: str, member: str | None = None, depth: int = 0, raw_covered: bool = False
    ) -> None:
        self.report, self.name, self.member, self.depth = report, name, member, depth
        # A stored zip member's bytes are the archive's own, already scanned raw: read as binary, only
        # what can hide inside (archives, pickles, UTF-16) is looked at again.
        self.raw_covered = raw_covered
        self.head = bytearray()
        self.mode: str | None = None  # "text" | "binary"
        self.text_decoder: codecs.IncrementalDecoder | None = None  # UTF-16 files
        self.inner: _Inner | None = None  # decompressor / zip reader fed with the raw bytes
        self.collect: bytearray | None = None  # whole data for a structured view
        self.collect_kind = ""
        self.buf = b""
        self.base = 0  # offset of buf[0] in the (decoded) stream
        self.lines = 0  # newlines before buf[0]
        self.owned = 0  # offset up to which matches were already handled
        self.gcp_type = False
        self.gcp_keys: list[dict] = []
        self.key_blocks: list[Finding] = []

    # -- input --------------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        if not data:
            return
        if self.mode is None:
            self.head += data
            if len(self.head) < BINARY_PROBE:
                return
            data, self.head = bytes(self.head), bytearray()
            self._start(data)
        self._consume(data)

    def close(self) -> None:
        if self.mode is None:
            data, self.head = bytes(self.head), bytearray()
            self._start(data)
            self._consume(data)
        if self.text_decoder is not None:
            self._window(self.text_decoder.decode(b"", final=True).encode("utf-8"), final=True)
        elif not self._skip_raw():
            self._window(b"", final=True)
        if self.inner is not None:
            self.inner.close()
        if self.collect is not None:
            self._structured(bytes(self.collect))
        if self.gcp_type and self.gcp_keys:  # a "private_key" field elsewhere: its key block counts
            for block in self.key_blocks:  # the key of the account: one secret, one finding
                self.report.findings.remove(block)
            for where in self.gcp_keys:
                self.report.add(
                    "gcp_service_account", b"gcp" + repr(where).encode(), **where, excerpt="private_key"
                )

    def _start(self, head: bytes) -> None:
        """Decide how to read the stream from its first bytes."""
        lower = self.name.lower()
        if head[:2] == b"\xff\xfe" or head[:2] == b"\xfe\xff":
            self.text_decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        elif (enc := _utf16_guess(head)) is not None:
            self.text_decoder = codecs.getincrementaldecoder(enc)(errors="replace")
        self.mode = "text" if (self.text_decoder is not None or b"\x00" not in head) else "binary"
        if self.depth < MAX_DEPTH:
            if head[:3] == b"\x1f\x8b\x08":
                self.inner = _Decompressor(self, "gzip", lambda: zlib.decompressobj(31))
            elif head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
                self.inner = _Decompressor(self, "bzip2", bz2.BZ2Decompressor)
            elif head[:6] == b"\xfd7zXZ\x00":
                self.inner = _Decompressor(self, "xz", lzma.LZMADecompressor)
            elif head[:4] == b"PK\x03\x04":
                self.inner = _ZipReader(self)
        if self.inner is not None:
            self.mode = "binary"
        if lower.endswith(".ipynb"):
            self.collect, self.collect_kind = bytearray(), "ipynb"
        elif head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
            self.collect, self.collect_kind = bytearray(), "pickle"
        elif len(head) >= 9 and head[8:9] == b"{":
            size = struct.unpack("<Q", head[:8])[0]
            if size <= MAX_SAFETENSORS_HEADER:
                self.collect, self.collect_kind = bytearray(), "safetensors"
                self.safetensors_end = 8 + size

    def _consume(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.feed(data)
        if self.collect is not None:
            if self.collect_kind == "safetensors":
                room = self.safetensors_end - len(self.collect)
                if room > 0:
                    self.collect += data[:room]
            elif len(self.collect) + len(data) <= MAX_PARSED:
                self.collect += data
            else:
                self.collect = None  # too big to parse: the raw scan still covers its bytes
        if self.text_decoder is not None:
            data = self.text_decoder.decode(data).encode("utf-8")
        if not self._skip_raw():
            self._window(data, final=False)

    def _skip_raw(self) -> bool:
        return self.raw_covered and self.mode == "binary" and self.text_decoder is None

    # -- matching -----------------------------------------------------------------------------------

    def _window(self, data: bytes, final: bool) -> None:
        buf = self.buf + data if self.buf else data
        n = len(buf)
        if not final and n < 2 * OVERLAP:
            self.buf = buf  # wait for more data (a tiny chunk)
            return
        lo = self.owned - self.base
        hi = n if final else n - OVERLAP + GUARD
        if self.mode == "text":
            self._matches(buf, lo, hi, max(0, lo - _BACK), n)
        else:
            table = buf.translate(_PRINTABLE)
            i = table.find(_RUN, lo)
            while 0 <= i < hi:
                start = table.rfind(b"\x00", 0, i) + 1
                end = table.find(b"\x00", i)
                end = n if end < 0 else end
                self._matches(buf, lo, hi, max(start, lo - GUARD, 0), end)
                i = table.find(_RUN, end)
        self.owned = self.base + hi
        if final:
            self.buf = b""
            return
        keep = n - OVERLAP
        if self.mode == "text":
            self.lines += buf.count(b"\n", 0, keep)
        self.buf = buf[keep:]
        self.base += keep

    def _matches(self, buf: bytes, lo: int, hi: int, start: int, end: int) -> None:
        """Handle the matches that start in [lo, hi), looking for anchors in buf[start:end]."""
        hits = []
        for needle, kinds, back in _ANCHORS:
            i = buf.find(needle, start, end)
            while i >= 0 and i - back < hi:
                hits.append((i, kinds, back))
                i = buf.find(needle, i + 1, end)
        hits.sort(key=lambda hit: hit[0])
        covered = -1
        for i, kinds, back in hits:
            if i < covered:
                continue  # inside a secret already reported
            for code in kinds:
                if code == "gcp_type":
                    self.gcp_type = True
                    break
                pattern = _KIND_RE[code]
                m = pattern.search(buf, i - back, i + 600) if back else pattern.match(buf, i)
                if m is None or not lo <= m.start() < hi:
                    continue
                covered = m.end()
                self._hit(code, m, buf)
                break

    def _hit(self, code: str, m: re.Match[bytes], buf: bytes) -> None:
        where: dict = {"member": self.member}
        if self.mode == "text":
            where["line"] = self.lines + buf.count(b"\n", 0, m.start()) + 1
        else:
            where["line"] = None
            where["offset"] = self.base + m.start()
        if code == "gcp_key_field":
            self.gcp_keys.append(where)
            return
        value = m.group("v") if code in _VALUE_GROUPS else m.group()
        if code == "private_key":  # the header is no secret: one finding per key block
            finding = self.report.add(code, b"%d" % (self.base + m.start()), **where, excerpt=value.decode())
            if finding is not None:
                self.key_blocks.append(finding)
        elif code == "url_password":
            scheme = re.search(rb"[A-Za-z][A-Za-z0-9+.-]{0,15}$", buf[max(0, m.start() - 16) : m.start()])
            shown = ((scheme.group() if scheme else b"") + m.group()).decode("ascii", "replace")
            self.report.add(
                code, value, **where, excerpt=shown.replace(value.decode("ascii", "replace"), "****")[:80]
            )
        else:
            self.report.add(code, value, **where)

    # -- structured views ---------------------------------------------------------------------------

    def _structured(self, data: bytes) -> None:
        texts: list[tuple[str, str]] = []
        try:
            if self.collect_kind == "ipynb":
                texts = _notebook_outputs(data)
            elif self.collect_kind == "pickle":
                texts = [(_("pickle strings"), _pickle_strings(data))]
            elif self.collect_kind == "safetensors" and len(data) >= self.safetensors_end:
                header = json.loads(data[8 : self.safetensors_end])
                meta = header.get("__metadata__") if isinstance(header, dict) else None
                if isinstance(meta, dict):
                    texts = [("__metadata__", "\n".join(f"{k}: {v}" for k, v in meta.items()))]
        except Exception:  # malformed content: its raw bytes were scanned anyway
            return
        for member, text in texts:
            inner = _Stream(self.report, member, _join(self.member, member), MAX_DEPTH)
            inner.mode = "text"
            inner._window(text.encode("utf-8", "replace"), final=True)


def _join(outer: str | None, inner: str) -> str:
    return f"{outer} › {inner}" if outer else inner


def _utf16_guess(head: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text leaves every other byte NUL."""
    sample = head[:4096]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _notebook_outputs(data: bytes) -> list[tuple[str, str]]:
    """The text of each cell's outputs, as shown: JSON unescaped, consecutive streams joined, no ANSI codes."""

    def text_of(value: object) -> str:
        return "".join(value) if isinstance(value, list) else str(value or "")

    notebook = json.loads(data)
    texts = []
    for number, cell in enumerate(notebook.get("cells") or [], start=1):
        parts: list[str] = []
        for output in cell.get("outputs") or []:
            if output.get("output_type") == "stream" and parts and parts[-1].startswith("\x00stream"):
                parts[-1] += text_of(output.get("text"))  # printed pieces of one stream read as one
                continue
            if output.get("output_type") == "stream":
                parts.append("\x00stream" + text_of(output.get("text")))
                continue
            for key in ("traceback", "evalue"):
                parts.append(
                    "\n".join(output[key])
                    if isinstance(output.get(key), list)
                    else str(output.get(key) or "")
                )
            for mime, value in (output.get("data") or {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    parts.append(text_of(value) if not isinstance(value, dict) else json.dumps(value))
        text = _ANSI.sub("", "\n".join(p.removeprefix("\x00stream") for p in parts if p))
        if text.strip():
            texts.append((_("outputs of cell {n}").format(n=number), text))
    return texts


def _pickle_strings(data: bytes) -> str:
    strings = []
    try:
        for _op, arg, _pos in pickletools.genops(io.BytesIO(data)):
            if isinstance(arg, str) and len(arg) >= MIN_RUN:
                strings.append(arg)
            elif isinstance(arg, (bytes, bytearray)) and len(arg) >= MIN_RUN:
                strings.append(bytes(arg).decode("latin-1"))
    except Exception:  # a truncated or non-pickle stream: keep what was read
        pass
    return "\n".join(strings)


# -- archives -------------------------------------------------------------------------------------


class _Inner:
    def feed(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class _Budget:
    """Expansion accounting for one decompressed stream: the file's total, and this stream's ratio."""

    def __init__(self, outer: _Stream, label: str) -> None:
        self.outer, self.label = outer, label
        self.consumed = 0
        self.produced = 0

    def allow(self, produced: int) -> bool:
        report = self.outer.report
        self.produced += produced
        report.expanded += produced
        # An absolute budget that grows with the compressed size (a big .jsonl.gz is data, not a bomb),
        # and the ratio that only bombs reach.
        over = report.expanded > MAX_EXPANDED + 16 * self.consumed or (
            self.produced > RATIO_FLOOR and self.produced > MAX_RATIO * max(1, self.consumed)
        )
        if over:
            report.add(
                "scan_limit",
                b"limit" + self.label.encode(),
                line=None,
                offset=self.consumed,
                member=_join(self.outer.member, self.label),
                excerpt=_("stopped after {n} MB").format(n=self.produced // 1_000_000),
            )
        return not over


class _Decompressor(_Inner):
    """A gzip / bzip2 / xz stream decompressed on the fly into an inner stream, within budget."""

    def __init__(self, outer: _Stream, label: str, factory: Callable[[], object]) -> None:
        self.factory = factory
        self.engine = factory()
        self.label = label
        self.budget = _Budget(outer, label)
        base = os.path.splitext(outer.name)[0]
        self.inner = _Stream(outer.report, base, _join(outer.member, label), outer.depth + 1)
        self.dead = False

    def feed(self, data: bytes) -> None:
        if self.dead:
            return
        self.budget.consumed += len(data)
        engine = self.engine
        try:
            while data and not self.dead:
                out = engine.decompress(data, CHUNK)
                data = b""
                while True:
                    if out:
                        if not self.budget.allow(len(out)):
                            self.dead = True
                            return
                        self.inner.feed(out)
                    if engine.eof:
                        rest = engine.unused_data
                        if rest and self.label == "gzip" and rest[:2] == b"\x1f\x8b":  # concatenated members
                            engine = self.engine = self.factory()
                            data = rest
                        break
                    more = getattr(engine, "unconsumed_tail", b"")
                    if more:
                        out = engine.decompress(more, CHUNK)
                    elif not getattr(engine, "needs_input", True):
                        out = engine.decompress(b"", CHUNK)
                    else:
                        break
                    if not out and not more:
                        break
        except (zlib.error, OSError, EOFError, lzma.LZMAError):
            self.dead = True  # corrupt stream: the raw bytes are still scanned

    def close(self) -> None:
        self.inner.close()


class _ZipReader(_Inner):
    """Zip members read from the local headers as the bytes stream by (no seek, no central directory)."""

    def __init__(self, outer: _Stream) -> None:
        self.outer = outer
        self.pending = b""
        self.state = "header"
        self.member: _Stream | None = None
        self.engine = None
        self.left = 0  # compressed bytes left in the current member (-1: unknown, until the stream ends)
        self.budget: _Budget | None = None
        self.descriptor = 0
        self.name = ""

    def _not_scanned(self, name: str) -> None:
        self.outer.report.add(
            "not_scanned",
            b"zip" + name.encode(),
            line=None,
            member=_join(self.outer.member, name),
            excerpt=name,
        )

    def feed(self, data: bytes) -> None:
        self.pending += data
        while self.state != "done":
            if self.state == "header" and not self._header():
                return
            if self.state == "data" and not self._data():
                return
            if self.state == "descriptor":
                if len(self.pending) < self.descriptor + 4:
                    return
                skip = self.descriptor + (4 if self.pending[:4] == b"PK\x07\x08" else 0)
                self.pending = self.pending[skip:]
                self.state = "header"

    def _header(self) -> bool:
        p = self.pending
        if len(p) < 30:
            return False
        if p[:4] != b"PK\x03\x04":
            self.state = "done"  # the central directory (or junk): members are over
            self.pending = b""
            return False
        flags, method, csize, usize, nlen, xlen = struct.unpack("<2xHH8xIIHH", p[4:30])
        if len(p) < 30 + nlen + xlen:
            return False
        name = p[30 : 30 + nlen].decode("utf-8", "replace")
        extra = p[30 + nlen : 30 + nlen + xlen]
        zip64 = False
        i = 0
        while i + 4 <= len(extra):
            tag, length = struct.unpack("<HH", extra[i : i + 4])
            if tag == 1:
                zip64 = True
                values = extra[i + 4 : i + 4 + length]
                fields = [struct.unpack("<Q", values[j : j + 8])[0] for j in range(0, len(values) - 7, 8)]
                if usize == 0xFFFFFFFF and fields:
                    usize = fields.pop(0)
                if csize == 0xFFFFFFFF and fields:
                    csize = fields.pop(0)
            i += 4 + length
        self.pending = p[30 + nlen + xlen :]
        self.name = name
        self.descriptor = (20 if zip64 else 12) if flags & 8 else 0
        unknown_size = bool(flags & 8) and csize == 0
        self.left = -1 if unknown_size else csize
        self.engine = None
        self.member = None
        if flags & 1 or method not in (0, 8, 12) or (unknown_size and method == 0):
            self._not_scanned(name)
            if unknown_size:
                self.state = "done"
                return False
            self.state = "data"  # member None: its bytes are skipped
            return True
        self.member = _Stream(
            self.outer.report,
            name,
            _join(self.outer.member, name),
            self.outer.depth + 1,
            raw_covered=method == 0,
        )
        if method == 8:
            self.engine = zlib.decompressobj(-15)
        elif method == 12:
            self.engine = bz2.BZ2Decompressor()
        self.budget = _Budget(self.outer, name) if self.engine is not None else None
        self.state = "data"
        return True

    def _data(self) -> bool:
        if self.left >= 0:
            piece, self.pending = self.pending[: self.left], self.pending[self.left :]
            self.left -= len(piece)
        else:
            piece, self.pending = self.pending, b""
        self._member_bytes(piece)
        if self.left == 0 or (self.left < 0 and self.engine is not None and self.engine.eof):
            if self.left < 0:
                self.pending = self.engine.unused_data + self.pending
            if self.member is not None:
                self.member.close()
            self.member = None
            self.state = "descriptor" if self.descriptor else "header"
            return True
        return False

    def _member_bytes(self, piece: bytes) -> None:
        if self.member is None or not piece:
            return
        if self.engine is None:
            self.member.feed(piece)
            return
        assert self.budget is not None
        self.budget.consumed += len(piece)
        try:
            out = self.engine.decompress(piece, CHUNK)
            while True:
                if out:
                    if not self.budget.allow(len(out)):
                        self.member = None  # over budget: the rest of this member is skipped
                        return
                    self.member.feed(out)
                tail = getattr(self.engine, "unconsumed_tail", b"")
                if tail:
                    out = self.engine.decompress(tail, CHUNK)
                elif not getattr(self.engine, "needs_input", True) and not self.engine.eof:
                    out = self.engine.decompress(b"", CHUNK)
                    if not out:
                        return
                else:
                    return
        except (zlib.error, OSError, EOFError):
            self.member = None

    def close(self) -> None:
        if self.member is not None:
            self.member.close()


# -- files ----------------------------------------------------------------------------------------


class FileScanner:
    """Scan one file fed chunk by chunk: `feed(chunk)` for every chunk in order, then `close()`.

    Args:
        path_in_repo: The name findings carry (and what decides notebook handling).
    """

    def __init__(self, path_in_repo: str) -> None:
        self.report = _Report(path_in_repo)
        self.stream = _Stream(self.report, path_in_repo)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    def close(self) -> list[Finding]:
        """The findings; the file name counts only when the content itself holds nothing."""
        self.stream.close()
        findings = self.report.findings
        return findings or scan_name(self.report.path)


def scan_bytes(path: str, data: bytes, chunk: int = CHUNK) -> list[Finding]:
    """Findings in `data`, the content of `path` (fed in `chunk`-sized pieces)."""
    scanner = FileScanner(path)
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    return scanner.close()


def scan_text(path: str, text: str) -> list[Finding]:
    """Findings in `text`, the content of `path`."""
    return scan_bytes(path, text.encode("utf-8"))


def scan_file(path_in_repo: str, local_path: str | os.PathLike) -> list[Finding]:
    """Read and scan one local file (the push itself scans in its hashing pass instead)."""
    scanner = FileScanner(path_in_repo)
    with open(local_path, "rb") as file:
        while chunk := file.read(CHUNK):
            scanner.feed(chunk)
    return scanner.close()


def scan_files(files: Iterable[tuple[str, str]], *, skip: Sequence[str] = ()) -> list[Finding]:
    """Scan `(path in repo, local path)` pairs, every byte of each.

    Args:
        files: What will be pushed.
        skip: Paths in repo checked by name only.
    """
    skipped = set(skip)
    findings: list[Finding] = []
    for path_in_repo, local_path in files:
        if path_in_repo in skipped:
            findings.extend(scan_name(path_in_repo))
            continue
        findings.extend(scan_file(path_in_repo, local_path))
    return findings


def summarize(findings: Sequence[Finding], limit: int = 20) -> list[str]:
    """One line per finding (at most `limit`, then "and N more")."""
    lines = [f.describe() for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(_("… and {n} more").format(n=len(findings) - limit))
    return lines
