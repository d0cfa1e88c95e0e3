"""Routes of commits: preupload, commit (NDJSON), the commit history, README metadata validation."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from typing import Any

from .. import cards, commits, gitignore, validation
from ..commits import CommitPayload
from ..http.base import (
    REPO,
    SEG,
    BaseHandler,
    Route,
    decode_cursor,
    io_pool,
    truthy,
    ts,
)
from ..lfs import is_sha256, lfs_usable, pointer_oid, upload_mode
from ..store import Operation, Repo, StoreError, parse_front_matter
from ..validation import Invalid


def _check_path(path: Any) -> str:
    """A path a file may be added at (422 as on the Hub otherwise)."""
    if not isinstance(path, str):
        raise _bad_field("path", None, "a string", path)
    try:
        return validation.check_path(path)
    except Invalid as exc:
        raise StoreError(422, str(exc)) from None


def _deleted_path(path: Any, field: str) -> str:
    """A path to delete: any stored path may go, even one refused today (so old data can be cleaned)."""
    if not isinstance(path, str) or not path.strip("/"):
        raise StoreError(400, f"Invalid {field}: expected a non-empty string.")
    return path.strip("/")


class PreuploadHandler(BaseHandler):
    body_kind = "listing"

    def precheck(self) -> None:
        self.accounts.check_pr_push(self.ident, self.contributable(*self.path_args[:4]), self.path_args[3])

    def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.contributable(kind, namespace, name, revision)
        self.accounts.check_pr_push(self.ident, repo, revision)  # refused before the client uploads anything
        body = self.json_body()
        files = body.get("files")
        if not isinstance(files, list):
            raise StoreError(400, "Expected {'files': [{path, sample, size}, ...]}.")
        _, _, head = self.store.writable_ref(repo, revision, truthy(self.arg("create_pr")))
        ignore = gitignore.parse(self._gitignore(body, head))
        result = []
        for item in files:
            if not isinstance(item, dict):
                raise StoreError(400, "Each file must be an object {path, sample, size}.")
            path = _check_path(item.get("path"))
            size = item.get("size") or 0
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise _bad_field("files.size", path, "a non-negative integer", size)
            try:
                sample = base64.b64decode(item.get("sample") or "")
            except (ValueError, TypeError):
                raise StoreError(400, f"Invalid files.sample for {path}: not base64.") from None
            mode = upload_mode(self.store, head, path, size, sample)
            ignored = gitignore.is_ignored(ignore, path)
            entry: dict[str, Any] = {"path": path, "uploadMode": mode, "shouldIgnore": ignored}
            existing = self.store.file(head, path)
            if existing is not None:
                entry["oid"] = existing.lfs or existing.oid
            result.append(entry)
        self.send_json({"files": result, "commitOid": head})

    def _gitignore(self, body: dict[str, Any], head: str) -> str:
        """The `.gitignore` that applies: the request's `gitIgnore` (the one being committed), else the
        repo's own at the head of the revision, as on the Hub."""
        given = body.get("gitIgnore")
        if given is not None:
            if not isinstance(given, str):
                raise _bad_field("gitIgnore", None, "a string", given)
            return given
        entry = self.store.file(head, ".gitignore")
        if entry is None or entry.lfs or entry.size > 1_000_000:
            return ""
        return self.store.blob_bytes(entry.oid).decode("utf-8", errors="replace")


def _bad_field(field: str, path: str | None, expected: str, value: Any) -> StoreError:
    where = f" for {path}" if path else ""
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:80] + "…"
    return StoreError(400, f"Invalid {field}{where}: expected {expected}, got {shown}.")


class CommitHandler(BaseHandler):
    body_kind = "commit"

    def precheck(self) -> None:
        self.accounts.check_pr_push(self.ident, self.contributable(*self.path_args[:4]), self.path_args[3])

    async def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.contributable(kind, namespace, name, revision)
        self.accounts.check_pr_push(self.ident, repo, revision)
        create_pr = truthy(self.arg("create_pr"))
        # Decoding, blob writes and README validation run off the event loop.
        payload = await asyncio.get_running_loop().run_in_executor(io_pool(), self._parse_payload, repo)
        commit, pr_num = commits.push(self.store, repo, revision, payload, self.ident.user or "", create_pr)
        data = {"success": True, "commitOid": commit, "commitUrl": f"{self.repo_url(repo)}/commit/{commit}"}
        if pr_num is not None and create_pr:
            data["pullRequestUrl"] = f"{self.repo_url(repo)}/discussions/{pr_num}"
        self.send_json(data)

    def _parse_payload(self, repo: Repo) -> CommitPayload:
        """Read the NDJSON lines; every malformed field is a 400 that names it (runs on a worker thread)."""
        header: dict[str, Any] | None = None
        ops: list[Operation] = []
        readme: tuple[str, bytes] | None = None
        for number, line in self._lines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                raise StoreError(400, f"Invalid NDJSON commit payload at line {number}: not JSON.") from None
            if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                raise StoreError(
                    400, f"Invalid NDJSON commit payload at line {number}: expected {{key, value: {{...}}}}."
                )
            key, value = item.get("key"), item["value"]
            if key == "header":
                header = value
            elif key == "file":
                path = _check_path(value.get("path"))
                if value.get("encoding", "base64") != "base64":
                    raise _bad_field("file.encoding", path, "'base64'", value.get("encoding"))
                raw = value.get("content") or ""
                if not isinstance(raw, str):
                    raise _bad_field("file.content", path, "a base64 string", raw)
                try:
                    content = base64.b64decode(raw, validate=False)
                except ValueError:
                    raise StoreError(400, f"Invalid file.content for {path}: not base64.") from None
                oid = self.store.put_blob(content)
                if path == "README.md":
                    readme = (oid, content)
                ops.append(Operation("file", path, oid=oid, size=len(content)))
            elif key == "lfsFile":
                path = _check_path(value.get("path"))
                oid = value.get("oid")
                if not is_sha256(oid):
                    raise _bad_field("lfsFile.oid", path, "a sha256 (64 hex digits)", oid)
                if value.get("algo", "sha256") != "sha256":
                    raise _bad_field("lfsFile.algo", path, "'sha256'", value.get("algo"))
                size = value.get("size")
                if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
                    raise _bad_field("lfsFile.size", path, "a non-negative integer", size)
                if not lfs_usable(self.store, self.accounts, self.ident, repo, oid, size or None):
                    # The Hub's answer (400). An object of another repo the committer cannot read answers the
                    # same as a missing one: the refusal must not tell that it exists.
                    raise StoreError(
                        400,
                        "Your push was rejected because an LFS pointer pointed to a file that does not exist "
                        f"in this repo: the object for {path} (sha256 {oid}) was never uploaded for this repo; "
                        f"upload it first. Offending file: {path}",
                    )
                if not size:
                    size = self.store.lfs_size(oid)
                if path == "README.md":
                    readme = None  # an LFS README carries no metadata
                ops.append(Operation("lfsFile", path, oid=pointer_oid(oid, size), size=size, lfs=oid))
            elif key == "deletedFile":
                ops.append(Operation("deletedFile", _deleted_path(value.get("path"), "deletedFile.path")))
                if ops[-1].path == "README.md":
                    readme = None
            elif key == "deletedFolder":
                ops.append(Operation("deletedFolder", _deleted_path(value.get("path"), "deletedFolder.path")))
            else:
                raise StoreError(400, f"Unknown commit operation {key!r} at line {number}.")
        if header is None:
            raise StoreError(400, "The commit payload has no header line.")
        try:
            summary = validation.check_text(
                header.get("summary"), "header.summary", validation.MAX_TITLE_LENGTH
            ).strip()
            description = validation.check_text(
                header.get("description"), "header.description", validation.MAX_MESSAGE_LENGTH
            )
        except Invalid as exc:
            raise StoreError(400, str(exc)) from None
        parent = header.get("parentCommit") or None
        if parent is not None and not isinstance(parent, str):
            raise _bad_field("header.parentCommit", None, "a commit id", parent)
        if readme is not None:
            self._check_readme(readme[0], readme[1], repo.type)
        return CommitPayload(summary or "Update", description, parent, ops)

    def _check_readme(self, oid: str, content: bytes, repo_type: str) -> None:
        """Refuse a README whose metadata the Hub would refuse; keep the parsed card for the commit."""
        text = content.decode("utf-8", errors="replace")
        errors = cards.validate_card_metadata(text, repo_type)
        if errors:
            raise StoreError(400, cards.readme_error(errors))
        self.store.remember_card(oid, parse_front_matter(text))

    def _lines(self):
        """(number, line) of the body, each line at most `commit_line` bytes (413 beyond)."""
        limit = self.state.limits.commit_line
        if self._body_file is None:
            source: Any = io.BytesIO(self.request.body or b"")
        else:
            source = self._body_file
            source.seek(0)
        number = 0
        while line := source.readline(limit + 1):
            number += 1
            if len(line) > limit:
                raise StoreError(413, f"Line {number} of the commit payload is longer than {limit} bytes.")
            yield number, line


class ValidateYamlHandler(BaseHandler):
    body_kind = "listing"

    async def do_post(self) -> None:
        body = self.json_body()
        content = body.get("content")
        if not isinstance(content, str):
            raise StoreError(400, "Expected {'content': str, 'repoType': str}.")
        repo_type = str(body.get("repoType") or "model")
        # YAML parsing is CPU work on untrusted input: off the event loop.
        errors, card = await asyncio.get_running_loop().run_in_executor(
            io_pool(), cards.card_report, content, repo_type
        )
        if errors and "text/plain" in self.request.headers.get("Accept", ""):
            # What `RepoCard.validate` asks for (and shows users as its ValueError): one line per error.
            self.set_status(400)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("\n".join(f"- Error: {m}" for m in errors))
            return
        if errors:
            self.send_json(
                {"error": errors[0], "errors": [{"message": m} for m in errors], "warnings": []}, status=400
            )
            return
        warnings = [{"message": m} for m in cards.card_warnings(card, repo_type)]
        self.send_json({"errors": [], "warnings": warnings})


class CommitsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        offset = decode_cursor(self.arg("cursor"))
        page_raw = self.arg("p")
        size = self.page_size(50)
        if page_raw is not None and page_raw.isdigit():
            offset = int(page_raw) * size
        formatted = "formatted" in self.args("expand", "expand[]")
        items = []
        more = False
        for index, row in enumerate(self.store.history(commit)):
            if index < offset:
                continue
            if len(items) == size:
                more = True
                break
            item = {
                "id": row["oid"],
                "title": row["title"],
                "message": row["message"],
                "date": ts(row["date"]),
                "authors": [{"user": row["author"], "avatar": ""}],
            }
            if formatted:
                item["formatted"] = {"title": row["title"], "message": row["message"]}
            items.append(item)
        if more:
            self.next_link(offset + size)
        self.send_json(items)


ROUTES: list[Route] = [
    (r"/api/validate-yaml", ValidateYamlHandler),
    (rf"{REPO}/preupload/{SEG}", PreuploadHandler),
    (rf"{REPO}/commit/{SEG}", CommitHandler),
    (rf"{REPO}/commits/{SEG}", CommitsHandler),
]
