"""Routes of repos: create, delete, move, settings, repo info, listings."""

from __future__ import annotations

import json
from typing import Any

from .. import cards
from ..http.base import (
    PAGE_MAX,
    PREFIX,
    REPO,
    SEG,
    TYPES,
    BaseHandler,
    Route,
    T,
    decode_cursor,
    truthy,
    ts,
)
from ..store import Repo, StoreError, check_repo_names, git_blob_sha1, tags_from_card

SPACE_SDKS = ("gradio", "streamlit", "docker", "static")


def _private_from(body: dict[str, Any]) -> bool | None:
    if body.get("visibility") in ("private", "public"):
        return body["visibility"] == "private"
    if body.get("private") is not None:
        return bool(body["private"])
    return None


class CreateRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("create a repo")

    def do_post(self) -> None:
        body = self.json_body()
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise StoreError(400, "Missing repo 'name'.")
        if self.ident.anonymous:
            raise StoreError(401, "You must be authenticated to create a repo.")
        namespace = body.get("organization") or self.ident.user
        if "/" in name:
            namespace, name = name.split("/", 1)
        repo_type = body.get("type") or "model"
        if not isinstance(repo_type, str) or repo_type not in PREFIX:
            raise StoreError(400, f"Invalid repo type {repo_type!r}.")
        check_repo_names(namespace, name)
        existing = self.store.get_repo(repo_type, namespace, name)
        url = f"{self.base_url()}/{PREFIX[repo_type]}{namespace}/{name}"
        if existing is not None and self.accounts.can_read(self.ident, existing):
            url = f"{self.base_url()}/{PREFIX[repo_type]}{existing.id}"  # ids match without case: the stored one
            self.set_status(409)
            self.send_json({"error": f"You already created this {repo_type} repo", "url": url}, status=409)
            return
        self.accounts.check_write_namespace(self.ident, namespace)
        if existing is not None:
            raise StoreError(409, "A repo with this name already exists.")
        extra = None
        if repo_type == "space":  # the Hub writes a new Space's README (its configuration)
            sdk = body.get("sdk") if isinstance(body.get("sdk"), str) else None
            if sdk not in SPACE_SDKS:
                raise StoreError(400, f"Invalid sdk {sdk!r}: use one of {', '.join(SPACE_SDKS)}.")
            extra = {"README.md": cards.space_readme(name, sdk)}
        self.store.create_repo(
            repo_type, namespace, name, bool(_private_from(body)), self.ident.user or "", extra_files=extra
        )
        self.send_json({"url": url, "name": f"{namespace}/{name}", "id": f"{namespace}/{name}"})


class DeleteRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("delete a repo")

    def do_delete(self) -> None:
        body = self.json_body()
        name = body.get("name") or ""
        namespace = body.get("organization") or self.ident.user or ""
        if "/" in name:
            namespace, name = name.split("/", 1)
        repo = self.store.get_repo(body.get("type") or "model", namespace, name)
        repo = self.accounts.check_write(self.ident, repo, f"{namespace}/{name}")
        self.store.delete_repo(repo)
        self.send_json({})


class MoveRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("move a repo")

    def do_post(self) -> None:
        body = self.json_body()
        src, dst = str(body.get("fromRepo", "")), str(body.get("toRepo", ""))
        if src.count("/") != 1 or dst.count("/") != 1:
            raise StoreError(400, "fromRepo and toRepo must be 'namespace/name'.")
        repo = self.store.get_repo(body.get("type") or "model", *src.split("/"))
        repo = self.accounts.check_write(self.ident, repo, src)
        namespace, name = dst.split("/")
        self.accounts.check_write_namespace(self.ident, namespace)
        self.store.move_repo(repo, namespace, name)
        self.send_json({})


class SettingsHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_put(self, kind: str, namespace: str, name: str) -> None:
        repo = self.writable(kind, namespace, name)
        body = self.json_body()
        gated = body.get("gated")
        if gated not in (None, False, "auto", "manual"):
            raise StoreError(400, f"Invalid gated value {gated!r}: use 'auto', 'manual' or false.")
        self.store.update_settings(repo, private=_private_from(body), gated=gated)
        self.send_json({})

    do_post = do_put


def repo_json(
    handler: BaseHandler,
    repo: Repo,
    commit: str,
    *,
    blobs: bool = False,
    siblings: bool = True,
    card: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The repo info document (models, datasets and spaces share most fields)."""
    store = handler.store
    card = repo.card if card is None else card
    row = store.commit_row(commit)
    data: dict[str, Any] = {
        "_id": git_blob_sha1(f"{repo.type}/{repo.id}".encode())[:24],
        "id": repo.id,
        "author": repo.namespace,
        "sha": commit,
        "lastModified": ts(row["date"]),
        "createdAt": ts(repo.created_at),
        "private": repo.private,
        "gated": repo.gated,
        "disabled": False,
        "downloads": repo.downloads,
        "likes": repo.likes,
        "tags": tags_from_card(card, repo.type),
        "trendingScore": repo.likes * 10 + repo.downloads,
    }
    if card:
        data["cardData"] = card
    if repo.type == "model":
        data["modelId"] = repo.id
        data["pipeline_tag"] = card.get("pipeline_tag")
        data["library_name"] = card.get("library_name")
        if isinstance(card.get("widget"), list):  # the card's widget examples, as the Hub serves them
            data["widgetData"] = card["widget"]
        data["spaces"] = []
    elif repo.type == "dataset":
        data["description"] = ""
    else:
        data["sdk"] = card.get("sdk") or "static"
        data["subdomain"] = repo.id.replace("/", "-").lower()
        data["runtime"] = {"stage": "RUNNING", "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}}
    if siblings:
        items = []
        for entry in sorted(store.files(commit).values(), key=lambda e: e.path):
            item: dict[str, Any] = {"rfilename": entry.path}
            if blobs:
                item["size"] = entry.size
                item["blobId"] = entry.oid
                if entry.lfs:
                    item["lfs"] = {
                        "sha256": entry.lfs,
                        "size": entry.size,
                        "pointerSize": entry.pointer_size(),
                    }
            items.append(item)
        data["siblings"] = items
    return data


class RepoInfoHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str | None = None) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision or "main")
        card = json.loads(self.store.commit_row(commit)["card"] or "{}") if revision else repo.card
        data = repo_json(self, repo, commit, blobs=truthy(self.arg("blobs")), card=card)
        expand = self.args("expand", "expand[]")
        if expand:
            keep = set(expand) | {"id", "_id"}
            if "siblings" in keep and "siblings" not in data:
                keep.add("siblings")
            data = {k: v for k, v in data.items() if k in keep}
        self.send_json(data)


class ListReposHandler(BaseHandler):
    def do_get(self, kind: str) -> None:
        repo_type = TYPES[kind]
        limit_raw = self.arg("limit")
        try:
            limit = max(1, int(limit_raw)) if limit_raw else None
        except ValueError:
            raise StoreError(400, f"Invalid limit {limit_raw!r}.") from None
        page = min(limit or PAGE_MAX, PAGE_MAX)
        offset = decode_cursor(self.arg("cursor"))
        filters = [f for value in self.args("filter") for f in value.split(",") if f]
        for key in ("pipeline_tag", "library", "language", "license"):
            value = self.arg(key)
            if value:
                filters.append(f"license:{value}" if key == "license" else value)
        repos, more = self.store.list_repos(
            repo_type,
            visible_to=self.accounts.namespaces(self.ident),
            search=self.arg("search"),
            author=self.arg("author"),
            tags=filters,
            sort=self.arg("sort"),
            offset=offset,
            limit=page,
        )
        full = truthy(self.arg("full"))
        with_card = truthy(self.arg("cardData")) or full
        expand = self.args("expand", "expand[]")
        items = []
        for repo in repos:
            head = repo.head or ""
            data = (
                repo_json(self, repo, head, siblings=full or "siblings" in expand)
                if head
                else {"id": repo.id}
            )
            if expand:
                keep = set(expand) | {"id", "_id"}
                data = {k: v for k, v in data.items() if k in keep}
            else:
                if not with_card:
                    data.pop("cardData", None)
                if not full:
                    for key in ("sha", "siblings", "lastModified", "spaces", "runtime", "subdomain"):
                        data.pop(key, None)
                    data["lastModified"] = ts(repo.last_modified)
            items.append(data)
        if more:  # `limit` is the page size, as on the Hub; the client stops with islice
            self.next_link(offset + len(repos))
        self.send_json(items)


class StorageHandler(BaseHandler):
    """`list_user_repos` / `hf repos ls`: every repo of the caller (or of one of its organisations) with
    the storage it uses."""

    def do_get(self, org: str | None = None) -> None:
        if self.ident.anonymous:
            raise StoreError(401, "You must be authenticated to list your repositories.")
        namespace = org or self.ident.user or ""
        if org is not None and org.lower() not in {n.lower() for n in self.accounts.namespaces(self.ident)}:
            raise StoreError(403, f"You are not a member of {org}.")
        repos = self.store.namespace_repos(namespace)
        used = [(repo, self.store.storage_used(repo)) for repo in repos]
        total = sum(size for _, size in used) or 1
        offset = decode_cursor(self.arg("cursor"))
        size = self.page_size(PAGE_MAX)
        if offset + size < len(used):
            self.next_link(offset + size)
        self.send_json(
            [
                {
                    "id": repo.id,
                    "type": repo.type,
                    "updatedAt": ts(repo.last_modified),
                    "visibility": "private" if repo.private else "public",
                    "storage": storage,
                    "storagePercent": round(100 * storage / total, 2),
                }
                for repo, storage in used[offset : offset + size]
            ]
        )


ROUTES: list[Route] = [
    (r"/api/settings/repositories", StorageHandler),
    (r"/api/organizations/([^/]+)/settings/repositories", StorageHandler),
    (r"/api/repos/create", CreateRepoHandler),
    (r"/api/repos/delete", DeleteRepoHandler),
    (r"/api/repos/move", MoveRepoHandler),
    (rf"/api/{T}", ListReposHandler),
    (rf"{REPO}", RepoInfoHandler),
    (rf"{REPO}/revision/{SEG}", RepoInfoHandler),
    (rf"{REPO}/settings", SettingsHandler),
]
