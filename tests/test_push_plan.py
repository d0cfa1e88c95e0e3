"""Pure parts of the push: file listing, Hub-exact hashing, plan comparison, secret scan, object sources."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest

from hub_widgets.push import objects, plan, secrets
from hub_widgets.push.upload import CountingFile, TransferMeter
from tests.conftest import write_tree


def test_git_blob_sha1_matches_git():
    data = b"Hello, World!"
    assert plan.git_blob_sha1(data) == "b45ef6fec89518d314f546fd6c3025367b721684"
    try:
        out = subprocess.run(
            ["git", "hash-object", "--stdin"], input=b"abc\n", capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git not available")
    assert plan.git_blob_sha1(b"abc\n") == out.stdout.decode().strip()


def test_hash_file_one_read_gives_both(tmp_path):
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 1000
    path.write_bytes(data)
    seen = []
    sha1, sha256 = plan.hash_file(str(path), sha1=True, sha256=True, on_bytes=seen.append)
    assert sha1 == plan.git_blob_sha1(data)
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert sum(seen) == len(data)


def test_lfs_rule():
    assert plan.is_lfs("a.txt", plan.LFS_THRESHOLD, b"text") is True
    assert plan.is_lfs("a.txt", plan.LFS_THRESHOLD - 1, b"text") is False
    assert plan.is_lfs("a.dat", 10, b"ab\x00cd") is True
    assert plan.is_lfs("empty", 0, b"") is False
    assert plan.is_lfs("x/model.safetensors", 5, b"hello", ["*.safetensors"]) is True
    assert plan.is_lfs("notes.md", 5, "é".encode() * 3, ["*.bin"]) is False
    # a UTF-8 character cut at the end of the 512-byte sample is still text
    assert plan.is_binary_sample(("a" * 511 + "é").encode()[:512]) is False


def test_gitattributes_patterns():
    text = "# comment\n*.bin filter=lfs diff=lfs merge=lfs -text\n*.txt text\nsaved_model/**/* filter=lfs\n"
    patterns = plan.lfs_patterns_from_gitattributes(text)
    assert patterns == ["*.bin", "saved_model/**/*"]
    assert plan.is_lfs("deep/dir/w.bin", 3, b"abc", patterns)
    assert plan.is_lfs("saved_model/variables/x", 3, b"abc", patterns)
    assert not plan.is_lfs("readme.txt", 3, b"abc", patterns)


def test_list_local_files_default_excludes_and_patterns(tmp_path):
    write_tree(
        tmp_path,
        {
            "README.md": "hi",
            "model.bin": b"\x00\x01",
            ".env": "SECRET=1",
            "sub/.env": "X=1",
            "pkg/__pycache__/m.cpython-311.pyc": b"\x00",
            "pkg/m.py": "x = 1",
            "pkg/old.pyc": b"\x00",
            ".git/config": "[core]",
            "nb/.ipynb_checkpoints/a-checkpoint.ipynb": "{}",
            "logs/a.txt": "log",
        },
    )
    files = plan.list_local_files(tmp_path)
    assert [p for p, _ in files] == ["README.md", "logs/a.txt", "model.bin", "pkg/m.py"]
    files = plan.list_local_files(tmp_path, path_in_repo="/models/v1/", include=["*.py", "*.md"])
    assert [p for p, _ in files] == ["models/v1/README.md", "models/v1/pkg/m.py"]
    files = plan.list_local_files(tmp_path, exclude=["logs/", "*.bin"])
    assert ".env" in [p for p, _ in files]  # the user removed the default excludes
    assert "logs/a.txt" not in [p for p, _ in files]
    single = plan.list_local_files(tmp_path / "README.md", path_in_repo="docs")
    assert single == [("docs/README.md", str((tmp_path / "README.md").resolve()))]
    with pytest.raises(FileNotFoundError):
        plan.list_local_files(tmp_path / "missing")


def test_plan_new_changed_unchanged_delete(tmp_path):
    big = b"\x00" * 100
    write_tree(tmp_path, {"a.txt": "same", "b.txt": "changed now", "c.bin": big, "new.txt": "n"})
    files = plan.list_local_files(tmp_path)
    remote = {
        "a.txt": plan.RemoteFile("a.txt", 4, plan.git_blob_sha1(b"same")),
        "b.txt": plan.RemoteFile("b.txt", 7, plan.git_blob_sha1(b"old one")),
        "c.bin": plan.RemoteFile("c.bin", 100, "pointer-sha1", hashlib.sha256(big).hexdigest()),
        "old.log": plan.RemoteFile("old.log", 3, "x"),
        "keep.md": plan.RemoteFile("keep.md", 3, "y"),
        ".gitattributes": plan.RemoteFile(".gitattributes", 3, "z"),
    }
    hashed = plan.hash_local_files(files, remote=remote)
    by_path = {f.path_in_repo: f for f in hashed}
    assert by_path["c.bin"].lfs and by_path["c.bin"].sha256  # (small files get the sha1 too, same read)
    assert by_path["a.txt"].sha1 == plan.git_blob_sha1(b"same")
    result = plan.build_plan(
        hashed, remote, delete_patterns=["*.log", ".gitattributes"], deletable=list(remote)
    )
    assert [e.path for e in result.new] == ["new.txt"]
    assert [e.path for e in result.changed] == ["b.txt"]
    assert sorted(e.path for e in result.unchanged) == ["a.txt", "c.bin"]
    assert [e.path for e in result.to_delete] == ["old.log"]
    assert result.upload_bytes == len("changed now") + 1
    assert result.summary() == "Push 2 files (12 B); 1 file deleted"
    assert not result.is_empty


def test_plan_remote_lfs_but_local_small_text_compares_sha256(tmp_path):
    write_tree(tmp_path, {"w.safetensors": "tiny text"})
    files = plan.list_local_files(tmp_path)
    remote = {
        "w.safetensors": plan.RemoteFile("w.safetensors", 9, "ptr", hashlib.sha256(b"tiny text").hexdigest())
    }
    hashed = plan.hash_local_files(files, remote=remote)
    assert plan.build_plan(hashed, remote).unchanged


def test_plan_delete_patterns_are_relative_to_path_in_repo():
    remote = {p: plan.RemoteFile(p, 1, "x") for p in ["logs/a.txt", "sub/logs/b.txt", "sub/keep.txt"]}
    result = plan.build_plan(
        [], remote, delete_patterns=["logs/"], deletable=list(remote), path_in_repo="sub"
    )
    assert [e.path for e in result.to_delete] == ["sub/logs/b.txt"]
    assert result.summary() == "Delete 1 file"
    empty = plan.build_plan([], remote)
    assert empty.is_empty and "Nothing to push" in empty.summary()


def test_hash_cache_skips_rehash(tmp_path):
    write_tree(tmp_path, {"a.bin": b"\x00" * 1000})
    files = plan.list_local_files(tmp_path)
    cache: dict = {}
    first = plan.hash_local_files(files, cache=cache)
    seen = []
    second = plan.hash_local_files(files, cache=cache, check=lambda: seen.append(1))
    assert first == second and not seen  # not read again


def test_split_patterns():
    assert plan.split_patterns(" *.bin, logs/\n*.tmp ,") == ["*.bin", "logs/", "*.tmp"]
    assert plan.split_patterns(None) == []


# -- secrets -------------------------------------------------------------------------------------

FAKE_HF = "hf_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7"
FAKE_AWS = "AKIA" + "ABCDEFGHIJKLMNOP"


def test_secret_scan_kinds_and_no_value_in_message(tmp_path):
    write_tree(
        tmp_path,
        {
            "config.py": f"x = 1\nTOKEN = '{FAKE_HF}'\n",
            "aws.txt": f"aws_access_key_id = {FAKE_AWS}\naws_secret_access_key = {'a' * 40}\n",
            "sa.json": '{"type": "service_account", "private_key": "..."}',
            "key.txt": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n",
            ".env": "A=1",
            ".netrc": "machine x",
            "clean.md": "hf_sandbox_alice_write is a test token, not a real one",
            "weights.bin": b"\x00" + FAKE_HF.encode(),
        },
    )
    found = secrets.scan_files(plan.list_local_files(tmp_path, exclude=[]))
    kinds = {(f.path, f.line, f.kind) for f in found}
    assert ("config.py", 2, "Hugging Face token") in kinds
    assert ("aws.txt", 1, "AWS access key id") in kinds
    assert ("aws.txt", 2, "AWS secret access key") in kinds
    assert ("sa.json", 1, "GCP service-account key") in kinds
    assert ("key.txt", 1, "private key block") in kinds
    assert any(f.path == ".env" and f.line is None for f in found)
    assert any(f.path == ".netrc" for f in found)
    assert not any(f.path == "clean.md" for f in found)
    # Binary files are scanned too (issue 12 §4): the token is found at its byte offset.
    assert [(f.line, f.offset, f.code) for f in found if f.path == "weights.bin"] == [(None, 1, "hf_token")]
    text = "\n".join(secrets.summarize(found))
    assert FAKE_HF not in text and FAKE_AWS not in text
    assert "config.py:2: Hugging Face token" in text


def test_secret_scan_example_env_is_fine():
    assert secrets.scan_name("app/.env.example") == []
    assert secrets.scan_name("app/.env.local")


# -- objects -------------------------------------------------------------------------------------


class TinyModel:
    def save_pretrained(self, directory):
        with open(f"{directory}/config.json", "w") as file:
            file.write('{"hidden": 4}')


class TinyFrame:
    def to_parquet(self, path):
        with open(path, "wb") as file:
            file.write(b"PAR1fakePAR1")


def test_object_sources():
    assert objects.object_kind(TinyModel()) == "save_pretrained"
    assert objects.object_kind(TinyFrame()) == "to_parquet"
    assert objects.object_kind("a/path") is None
    assert objects.suggested_repo_type(TinyFrame()) == "dataset"
    assert "temporary folder" in objects.describe_object(TinyModel())
    saved = objects.save_object(TinyModel())
    assert (saved.folder / "config.json").read_text() == '{"hidden": 4}'
    saved.cleanup()
    assert not saved.folder.exists()
    saved = objects.save_object(TinyFrame())
    assert (saved.folder / objects.PARQUET_PATH).read_bytes() == b"PAR1fakePAR1"
    saved.cleanup()
    with pytest.raises(TypeError):
        objects.save_object(object())


# -- counting file -------------------------------------------------------------------------------


def test_counting_file_counts_once_across_rereads_and_slices(tmp_path):
    data = bytes(range(256)) * 4096  # 1 MiB
    path = tmp_path / "f"
    path.write_bytes(data)
    updates = []
    meter = TransferMeter(lambda b, f: updates.append((b, f)))
    wrapped = CountingFile(str(path), len(data), meter)
    assert isinstance(wrapped, io.BufferedIOBase)
    # like httpx: 64 KiB reads
    chunks = []
    while chunk := wrapped.read(65536):
        chunks.append(chunk)
    assert b"".join(chunks) == data
    wrapped.seek(0)  # a retry reads it all again
    assert wrapped.read() == data
    # like SliceFileObj (multipart): seek + bounded reads
    wrapped.seek(300_000)
    assert wrapped.read(10) == data[300_000:300_010]
    assert meter.done_bytes == len(data) and meter.done_files == 1
    assert updates[-1] == (len(data), 1)


def test_counting_file_stops_when_cancelled(tmp_path):
    from hub_widgets.errors import CancelledError

    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    state = {"cancel": False}

    def check():
        if state["cancel"]:
            raise CancelledError("Cancelled.")

    wrapped = CountingFile(str(path), 100, TransferMeter(), check)
    assert wrapped.read(10) == b"x" * 10
    state["cancel"] = True
    with pytest.raises(CancelledError):
        wrapped.read(10)


def test_listing_skips_links_and_special_files_with_reasons(tmp_path):
    import os

    outside = tmp_path / "outside.txt"
    outside.write_text("private")
    root = write_tree(tmp_path / "src", {"a.txt": "a", "secret/.env": "X=1"})
    os.symlink(outside, root / "out.txt")
    os.symlink(root / "a.txt", root / "same.txt")
    os.symlink(root / "secret" / ".env", root / "env-link")  # to an excluded file: must not bring it back
    os.mkfifo(root / "pipe")
    files, skipped = plan.list_local_tree(root, path_in_repo="sub")
    assert files == [("sub/a.txt", str(root / "a.txt"))]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons["sub/out.txt"] == "symbolic link leading outside the source folder: not pushed"
    assert reasons["sub/same.txt"].startswith("symbolic link to a.txt in the source folder")
    assert reasons["sub/env-link"] == "symbolic link to secret/.env, which is not pushed"
    assert reasons["sub/pipe"].startswith("not a regular file")
