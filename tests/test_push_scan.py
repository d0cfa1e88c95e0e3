"""The secret scanner (pure): every byte of every pushed file, archives and encodings included.

Secret-shaped values are built at run time (never written literally in a tracked file).
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import pickle
import struct
import zipfile

import pytest

from hub_widgets.push import readpass, secrets
from hub_widgets.push.secrets import FileScanner, scan_bytes, summarize

HF = "hf_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7"
HF2 = "hf_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3"
VALUES = {
    "hf_token": HF,
    "openai_key": "sk-" + "Zx9" * 16,
    "openai_key/proj": "sk-proj-" + "aB3_" * 12,
    "anthropic_key": "sk-ant-api03-" + "Qw8e" * 10,
    "github_token": "ghp_" + "a1B2" * 9,
    "github_token/oauth": "gho_" + "c3D4" * 9,
    "github_token/pat": "github_pat_" + "11AB" * 8,
    "gitlab_token": "glpat-" + "x7Y8" * 5,
    "slack_token": "xoxb-" + "123456789012-" + "aBcD" * 6,
    "stripe_key": "sk_live_" + "4eC3" * 7,
    "stripe_key/restricted": "rk_live_" + "4eC3" * 7,
    "google_api_key": "AIza" + "Sy9_" * 8 + "abc",
    "aws_key_id": "AKIA" + "IOSFODNN7EXAMPL2",
    "jwt": "eyJ"
    + "hbGciOiJIUzI1NiJ9"
    + ".eyJ"
    + "zdWIiOiIxMjM0NTY3ODkwIn0"
    + "."
    + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
}


def codes(findings) -> list[str]:
    return [f.code for f in findings]


@pytest.mark.parametrize("name", sorted(VALUES))
def test_each_kind_is_found_once_masked(name):
    value = VALUES[name]
    text = f"# config\nsetting = 1\nKEY = '{value}'\n"
    found = scan_bytes("conf.py", text.encode())
    assert codes(found) == [name.split("/")[0]]
    assert found[0].line == 3
    shown = "\n".join(summarize(found))
    assert value not in shown and value[-8:] not in shown  # masked: never the value
    assert found[0].excerpt.startswith(value[:3])


def test_hf_token_glued_after_word_characters_and_followed_by_letters():
    text = f"MY_TOKEN_{HF}\nx{HF2}Extra\n"
    found = scan_bytes("a.txt", text.encode())
    assert [(f.code, f.line) for f in found] == [("hf_token", 1), ("hf_token", 2)]


def test_aws_secret_gcp_account_private_key_and_url_password():
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2"
    account = json.dumps(
        {
            "type": "service_account",
            "project_id": "p",
            "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n",
        },
        indent=1,
    )
    found = scan_bytes("aws.ini", f"[default]\naws_secret_access_key = {secret}\n".encode())
    assert [(f.code, f.line) for f in found] == [("aws_secret", 2)]
    assert secret not in found[0].describe()
    found = scan_bytes("sa.json", account.encode())
    assert codes(found) == ["gcp_service_account"]  # the key inside it is the same secret: one finding
    found = scan_bytes("key.pem", b"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n")
    assert codes(found) == ["private_key"]
    password = "s3cr3t-Pass"
    found = scan_bytes("db.txt", f"url = postgres://admin:{password}@db.example.com/x\n".encode())
    assert codes(found) == ["url_password"] and password not in found[0].describe()
    assert "postgres://admin:****@db.example.com" in found[0].excerpt


def test_clean_text_and_placeholders_are_not_findings():
    text = (
        "see https://huggingface.co/docs and http://user@host/ and sk-learn-compatible-estimators\n"
        "hf_sandbox_alice_write is a test token; AKIA is a prefix; task-list\n"
        "postgres://user:***@host https://${USER}:${PASS}@host\n"
    )
    assert scan_bytes("README.md", text.encode()) == []


def test_env_line_with_a_token_is_one_finding():
    found = scan_bytes(".env", f"HF_TOKEN={HF}\n".encode())
    assert [(f.path, f.line, f.code) for f in found] == [(".env", 1, "hf_token")]
    assert codes(scan_bytes(".env", b"DEBUG=1\n")) == ["env_file"]
    for name in (".netrc", "credentials.json", ".pypirc", "id_rsa"):
        assert len(scan_bytes(name, b"x")) == 1


def test_same_secret_repeated_is_one_finding():
    found = scan_bytes("log.txt", (f"token {HF}\n" * 1000).encode(), chunk=4096)
    assert [(f.code, f.line) for f in found] == [("hf_token", 1)]


def test_match_across_every_chunk_boundary():
    data = os.urandom(3000) + b"\x00 key=" + HF.encode() + b"\x00" + os.urandom(3000)
    at = data.index(HF.encode())
    for cut in range(at - 8, at + len(HF) + 8):
        scanner = FileScanner("w.bin")
        scanner.feed(data[:cut])
        scanner.feed(data[cut:])
        found = scanner.close()
        assert [(f.code, f.offset) for f in found] == [("hf_token", at)], cut
    # Many small chunks, in text: the line number survives the windows.
    text = ("x = 1\n" * 5000 + f"t = '{HF}'\n").encode()
    found = scan_bytes("big.py", text, chunk=777)
    assert [(f.code, f.line) for f in found] == [("hf_token", 5001)]


def test_binary_files_are_scanned_whole_with_offsets():
    blob = bytearray(os.urandom(12 * 1024 * 1024))
    offset = 11 * 1024 * 1024 + 5
    blob[offset - 1 : offset + len(HF) + 1] = b"\x00" + HF.encode() + b"\x00"
    found = scan_bytes("weights.bin", bytes(blob))
    assert [(f.code, f.line, f.offset) for f in found] == [("hf_token", None, offset)]
    assert f"at byte {offset}" in found[0].describe()


@pytest.mark.parametrize(
    "name,pack",
    [
        ("log.txt.gz", gzip.compress),
        ("log.txt.bz2", bz2.compress),
        ("log.txt.xz", lzma.compress),
    ],
)
def test_compressed_streams_are_decompressed(name, pack):
    packed = pack(("line\n" * 10 + f"token={HF}\n").encode())
    assert HF.encode() not in packed
    found = scan_bytes(name, packed)
    assert [(f.code, f.line) for f in found] == [("hf_token", 11)]
    assert found[0].member


def test_concatenated_gzip_members():
    packed = gzip.compress(b"first\n") + gzip.compress(f"second {HF}\n".encode())
    assert codes(scan_bytes("x.gz", packed)) == ["hf_token"]


def test_zip_members_deflated_stored_bzip2_and_nested():
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("deep/secret.txt", f"k={VALUES['github_token']}\n")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("a/notes.txt", f"one\ntwo\n{HF}\n", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("b.txt", f"{VALUES['gitlab_token']}", compress_type=zipfile.ZIP_STORED)
        z.writestr("c.txt", f"x {VALUES['slack_token']}", compress_type=zipfile.ZIP_BZIP2)
        z.writestr("inner.zip", inner.getvalue(), compress_type=zipfile.ZIP_STORED)
    found = scan_bytes("bundle.zip", outer.getvalue())
    by_member = {f.member: (f.code, f.line) for f in found}
    assert by_member == {
        "a/notes.txt": ("hf_token", 3),
        "b.txt": ("gitlab_token", 1),
        "c.txt": ("slack_token", 1),
        "inner.zip › deep/secret.txt": ("github_token", 1),
    }
    assert "(member a/notes.txt):3" in found[0].describe()


def test_zip_written_as_a_stream_data_descriptors():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("streamed.txt", "w", force_zip64=True) as member:
            member.write(f"a\n{HF}\n".encode())
        z.writestr("after.txt", f"{VALUES['stripe_key']}")
    found = scan_bytes("s.zip", buffer.getvalue())
    assert sorted((f.member, f.code) for f in found) == [
        ("after.txt", "stripe_key"),
        ("streamed.txt", "hf_token"),
    ]


def test_zip_bomb_stops_at_the_ratio_and_reports_it(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.bin", "w") as member:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(300):
                member.write(zeros)
        z.writestr("after.txt", f"{HF}")
    size = path.stat().st_size
    assert size < 1024 * 1024  # a real bomb: 300 MiB in well under 1 MiB
    scanner = FileScanner("bomb.zip")
    with open(path, "rb") as file:
        while chunk := file.read(64 * 1024):
            scanner.feed(chunk)
    found = scanner.close()
    assert codes(found)[:1] == ["scan_limit"] and found[0].member == "zeros.bin"
    # It stopped at the budget, far from the 300 MiB the member claims.
    assert scanner.report.expanded <= secrets.MAX_RATIO * size + secrets.CHUNK
    assert "hf_token" in codes(found)  # the next member is still scanned


def test_gzip_bomb_stops(tmp_path):
    path = tmp_path / "bomb.gz"
    with gzip.open(path, "wb", compresslevel=9) as file:
        zeros = b"\x00" * (1024 * 1024)
        for _ in range(300):
            file.write(zeros)
    scanner = FileScanner("bomb.gz")
    scanner.feed(path.read_bytes())
    found = scanner.close()
    assert codes(found) == ["scan_limit"]
    assert scanner.report.expanded < 300 * 1024 * 1024 // 4


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text(encoding):
    found = scan_bytes("notes.txt", f"first line\nsecond {HF} line\n".encode(encoding))
    assert [(f.code, f.line) for f in found] == [("hf_token", 2)]


def test_notebook_outputs_are_read_as_shown():
    escaped = HF2.replace("_", "\\u005f")  # as a JSON writer may store it: invisible to a raw scan
    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["print(1)"], "outputs": []},
            {
                "cell_type": "code",
                "source": ["login()"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["token: " + HF[:10]]},
                    {"output_type": "stream", "name": "stdout", "text": [HF[10:] + "\n"]},
                    {"output_type": "error", "ename": "E", "evalue": "x", "traceback": ["\x1b[0;31m" + "E"]},
                ],
            },
            {
                "cell_type": "code",
                "source": [],
                "outputs": [
                    {"output_type": "execute_result", "data": {"text/plain": ["SECRET_PLACEHOLDER"]}}
                ],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = json.dumps(notebook).replace("SECRET_PLACEHOLDER", escaped).encode()
    assert HF.encode() not in raw and HF2.encode() not in raw
    found = scan_bytes("train.ipynb", raw)
    assert sorted((f.member, f.code, f.line) for f in found) == [
        ("outputs of cell 2", "hf_token", 1),
        ("outputs of cell 3", "hf_token", 1),
    ]


def test_safetensors_metadata_header():
    meta = {
        "__metadata__": {"format": "pt", "note": HF},
        "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
    }
    header = json.dumps(meta).replace("hf_", "\\u0068f_").encode()  # escaped: only the parsed header shows it
    assert HF.encode() not in header
    data = struct.pack("<Q", len(header)) + header + b"\x00\x00\x80\x3f"
    found = scan_bytes("model.safetensors", data)
    assert [(f.code, f.member) for f in found] == [("hf_token", "__metadata__")]


class Trap:
    """Unpickling this would create a file: the scanner must only read the opcodes."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_pickle_strings_without_unpickling(tmp_path):
    marker = tmp_path / "unpickled"
    data = pickle.dumps({"config": {"token": HF}, "trap": Trap(str(marker))}, protocol=4)
    found = scan_bytes("state.pkl", data)
    assert codes(found) == ["hf_token"]
    assert not marker.exists()
    # A torch-style checkpoint: a zip holding data.pkl.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", data)
    found = scan_bytes("model.pt", buffer.getvalue())
    assert [(f.code, f.member) for f in found] == [("hf_token", "archive/data.pkl")]
    assert not marker.exists()


def test_pickle_view_reads_the_strings_apart_from_their_opcodes():
    # The length byte before a short string is "3" here: glued to it, the key fails its left boundary
    # in the raw bytes; read as the opcode's argument, it is whole.
    key = VALUES["openai_key"]
    data = pickle.dumps({"api": key}, protocol=4)
    assert (b"3" + key.encode()) in data
    assert scan_bytes("not-a-pickle.bin", b"\x00\x00" + data[2:]) == []
    assert codes(scan_bytes("state.pkl", data)) == ["openai_key"]


def test_read_pass_in_worker_processes_hashes_and_scans_once(tmp_path):
    import hashlib

    files = []
    for i in range(3):
        path = tmp_path / f"f{i}.bin"
        content = os.urandom(1024 * 1024) + (HF.encode() if i == 1 else b"") + os.urandom(100)
        path.write_bytes(content)
        files.append((f"f{i}.bin", str(path), content))
    jobs = [readpass.ReadJob(i, name, local, sha1=True) for i, (name, local, _c) in enumerate(files)]
    seen = []
    results = readpass.run_read_pass(jobs, processes=2, on_bytes=seen.append)
    assert sum(seen) == sum(len(c) for _n, _l, c in files)
    for (_name, _local, content), result in zip(files, results, strict=True):
        assert result.error is None
        assert result.sha256 == hashlib.sha256(content).hexdigest()
        assert result.sample == content[:512]
    assert [codes(r.findings) for r in results] == [[], ["hf_token"], []]
    missing = readpass.run_read_pass([readpass.ReadJob(0, "gone", str(tmp_path / "gone"))], processes=1)
    assert missing[0].error


def test_stored_binary_member_is_scanned_once_through_the_archive_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:  # as torch.save writes tensors
        z.writestr("archive/data/0", b"\x00" * 100 + HF.encode() + b"\x00" * 100)
    data = buffer.getvalue()
    found = scan_bytes("model.pt", data)
    assert [(f.code, f.offset) for f in found] == [("hf_token", data.index(HF.encode()))]
