"""Routes of the sandbox Hub's website: the pages behind the links the widgets show.

`/{repo}` (card + files), `/{repo}/tree/{rev}/{path}`, `/{repo}/blob/{rev}/{path}`, `/{repo}/commit/{rev}`,
`/{repo}/discussions/{num}` (datasets/ and spaces/ prefixes too) and `/settings/tokens`. Only browsers
get them: a request that does not accept text/html (huggingface_hub's) gets the same JSON 404 as before
these pages existed. Viewers are identified by the sign-in session of the device approval page (its
cookie), never by a bearer token, with the API's read rules: a private repo is a 404 for anyone else.
"""

from __future__ import annotations

import hmac
import json
import time
from typing import Any

from ..auth import ANONYMOUS, ROLES, Identity
from ..http.base import PREFIXED, SEG, TYPES, BaseHandler, Route, not_found
from ..oauth import SESSION_COOKIE, PageSession
from ..pages import render
from ..pages.render import Translated, esc, file_part, layout, repo_path, rev_part
from ..store import FileEntry, Repo, StoreError
from .oauth import SessionPage

PAGE_FILES = 1000  # entries listed on a tree page
PAGE_COMMITS = 10  # recent commits on a repo page
MAX_CARD = 1_000_000  # bytes of README.md rendered on a repo page
MAX_IMAGE = 2_000_000  # bytes of an image inlined on its blob page
REPO_ID = rf"/{PREFIXED}([^/]+)/([^/]+)"


class PageBase(Translated, BaseHandler):
    """A page: HTML for browsers, today's JSON 404 for everyone else; errors as HTML pages."""

    def uses_token(self) -> bool:
        return False  # the viewer is the session's user, never an Authorization header

    def wants_html(self) -> bool:
        return "text/html" in self.request.headers.get("Accept", "")

    async def _run(self, method: str, *args: str) -> None:
        if not self.wants_html() and self._pending_error is None:
            self._pending_error = not_found(self.request)
        await super()._run(method, *args)

    def viewer_session(self) -> PageSession | None:
        """The signed-in session of this browser, if any (read only: no session is created)."""
        flow = self.state.oauth
        if flow is None:
            return None
        sess = flow.existing_session(self.get_cookie(SESSION_COOKIE))
        if sess is None or sess.user is None or not flow.still_signed_in(sess):
            return None
        return sess  # type: ignore[no-any-return]

    def viewer(self) -> Identity:
        sess = self.viewer_session()
        return ANONYMOUS if sess is None else Identity(sess.user, sess.role)

    def status_name(self, status: str | None) -> str:
        """A discussion's or pull request's status as shown on a page."""
        names = {
            "open": self._("open"),
            "closed": self._("closed"),
            "merged": self._("merged"),
            "draft": self._("draft"),
        }
        return names.get(status or "", status or "")

    def send_page(self, title: str, body: str, status: int = 200) -> None:
        for name, value in render.PAGE_HEADERS.items():
            self.set_header(name, value)
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(layout(self, title, body, self.viewer().user))

    def error_answer(
        self, status: int, message: str, code: str | None, headers: dict, extra: dict[str, Any], finish: bool
    ) -> tuple[dict[str, str], str, bytes]:
        """A browser gets an error page; a moved repo's Location stays, and the browser follows it."""
        if not self.wants_html() or not finish:
            return super().error_answer(status, message, code, headers, extra, finish)
        title = self._("Not found") if status == 404 else self._("Error {status}").format(status=status)
        page = layout(self, title, f"<h1>{esc(title)}</h1><p>{esc(message)}</p>", self.viewer().user)
        return {**render.PAGE_HEADERS, **headers}, "text/html; charset=utf-8", page.encode()


class RepoPage(PageBase):
    """Everything about one repo: the viewer may read it (404 otherwise, as the API answers)."""

    def repo(self, prefix: str | None, namespace: str, name: str) -> Repo:
        kind = (prefix or "models/").rstrip("/")
        self.ident = self.viewer()
        return self.readable(kind if kind in TYPES else "models", namespace, name)

    def base(self, repo: Repo) -> str:
        return repo_path(repo.type, repo.id)

    def header(self, repo: Repo, current: str = "") -> str:
        return render.repo_header(self, repo.type, repo.id, repo.private, bool(repo.gated), current)

    def may_read_files(self, repo: Repo) -> bool:
        return self.accounts.can_read_files(self.ident, repo)

    def resolve_url(self, repo: Repo, revision: str, path: str = "") -> str:
        return f"{self.base_url()}{self.base(repo)}/resolve/{rev_part(revision)}/{file_part(path)}"

    def file_rows(self, repo: Repo, revision: str, entries: list[dict[str, Any]]) -> str:
        base = self.base(repo)
        rows = []
        for entry in entries[:PAGE_FILES]:
            path = entry["path"]
            shown = path.rsplit("/", 1)[-1]
            if entry["type"] == "directory":
                href = f"{base}/tree/{rev_part(revision)}/{file_part(path)}"
                rows.append(f'<tr><td><a href="{esc(href)}">{esc(shown)}/</a></td><td></td></tr>')
            else:
                href = f"{base}/blob/{rev_part(revision)}/{file_part(path)}"
                lfs = ' <span class="badge">LFS</span>' if entry.get("lfs") else ""
                rows.append(
                    f'<tr><td><a href="{esc(href)}">{esc(shown)}</a>{lfs}</td>'
                    f"<td>{esc(render.human_size(entry['size']))}</td></tr>"
                )
        hidden = len(entries) - PAGE_FILES
        more = (
            '<p class="muted">'
            + self.ngettext("{n} more entry not shown.", "{n} more entries not shown.", hidden).format(
                n=hidden
            )
            + "</p>"
            if hidden > 0
            else ""
        )
        if not rows:
            return f'<p class="muted">{self._("No files.")}</p>'
        return '<table class="files">' + "".join(rows) + "</table>" + more


class RepoHandler(RepoPage):
    def do_get(self, prefix: str | None, namespace: str, name: str) -> None:
        repo = self.repo(prefix, namespace, name)
        try:
            commit, _ = self.store.resolve(repo, "main")
        except StoreError:
            commit = None
        card = files = history = ""
        if commit is not None:
            readme = self.store.file(commit, "README.md")
            if readme is not None and not readme.lfs and readme.size <= MAX_CARD:
                text = render.as_text(self.store.blob_bytes(readme.oid)) or ""
                html = render.markdown_html(text, self.resolve_url(repo, "main"))
                card = f'<article class="card">{html}</article>'
            files = self.file_rows(repo, "main", self.store.list_dir(commit, "", False) or [])
            items = []
            for index, row in enumerate(self.store.history(commit)):
                if index >= PAGE_COMMITS:
                    break
                href = f"{self.base(repo)}/commit/{row['oid']}"
                items.append(
                    f'<li><a href="{esc(href)}">{esc(row["title"])}</a> '
                    f'<span class="muted">{esc(row["author"])} · {self.page_date(row["date"])} · '
                    f"{esc(row['oid'][:7])}</span></li>"
                )
            history = f"<h2>{self._('Recent commits')}</h2><ul>" + "".join(items) + "</ul>"
        discussions = [
            f'<li><a href="{esc(self.base(repo))}/discussions/{r["num"]}">#{r["num"]} {esc(r["title"])}</a> '
            f'<span class="badge">{self._("pull request") if r["is_pr"] else self._("discussion")}</span> '
            f'<span class="badge">{esc(self.status_name(r["status"]))}</span></li>'
            for r in self.store.discussions(repo)[:50]
        ]
        talk = f"<h2>{self._('Discussions')}</h2><ul>" + "".join(discussions) + "</ul>" if discussions else ""
        body = self.header(repo) + (card or f'<p class="muted">{self._("No card.")}</p>')
        empty = f'<p class="muted">{self._("This repo is empty.")}</p>'
        body += f"<h2>{self._('Files')}</h2>" + (files or empty) + history + talk
        self.send_page(repo.id, body)


class TreeHandler(RepoPage):
    def do_get(self, prefix: str | None, namespace: str, name: str, revision: str, path: str = "") -> None:
        repo = self.repo(prefix, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        path = (path or "").strip("/")
        entries = self.store.list_dir(commit, path, False)
        if entries is None:
            raise StoreError(
                404,
                self._("No folder {path} at revision {revision}.").format(path=repr(path), revision=revision),
                "EntryNotFound",
            )
        crumbs = [f'<a href="{esc(self.base(repo))}/tree/{rev_part(revision)}">{esc(revision)}</a>']
        parts = path.split("/") if path else []
        for i, part in enumerate(parts):
            href = f"{self.base(repo)}/tree/{rev_part(revision)}/{file_part('/'.join(parts[: i + 1]))}"
            crumbs.append(f'<a href="{esc(href)}">{esc(part)}</a>')
        body = self.header(repo, self._("Files")) + "<h2>" + " / ".join(crumbs) + "</h2>"
        body += '<p class="muted">' + self._("Commit {commit}").format(commit=esc(commit)) + "</p>"
        body += self.file_rows(repo, revision, entries)
        self.send_page(f"{repo.id} / {path or revision}", body)


class BlobHandler(RepoPage):
    def do_get(self, prefix: str | None, namespace: str, name: str, revision: str, path: str) -> None:
        repo = self.repo(prefix, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        entry = self.store.file(commit, path)
        if entry is None:
            raise StoreError(
                404,
                self._("No file {path} at revision {revision}.").format(path=repr(path), revision=revision),
                "EntryNotFound",
            )
        self.check_gate(repo)
        download = self.resolve_url(repo, revision, entry.path) + "?download=true"
        facts = f"{render.human_size(entry.size)}" + (f" · LFS, sha256 {entry.lfs}" if entry.lfs else "")
        body = self.header(repo, self._("Files")) + f"<h2>{esc(entry.path)}</h2>"
        body += f'<p class="muted">{esc(facts)} · <a href="{esc(download)}">{self._("Download")}</a></p>'
        body += self.content(entry)
        self.send_page(f"{repo.id} / {entry.path}", body)

    def content(self, entry: FileEntry) -> str:
        image = render.IMAGE_TYPES.get(entry.path.rsplit(".", 1)[-1].lower()) if "." in entry.path else None
        if image and entry.size <= MAX_IMAGE:  # images are shown, LFS or not (the Hub stores most in LFS)
            with self.store.open_entry(entry) as handle:
                data = handle.read(MAX_IMAGE + 1)
            return (
                f'<p><img alt="{esc(entry.path)}" src="{esc(render.image_data_url(entry.path, data))}" '
                'style="max-width:100%"></p>'
            )
        if entry.lfs:
            return (
                f'<p class="muted">{self._("This file is stored with Git LFS: download it to see it.")}</p>'
            )
        if entry.size > render.MAX_TEXT:
            return f'<p class="muted">{self._("This file is too large to show here: download it.")}</p>'
        text = render.as_text(self.store.blob_bytes(entry.oid))
        if text is None:
            return f'<p class="muted">{self._("This file is binary: download it.")}</p>'
        return f'<pre class="file">{esc(text)}</pre>'


class CommitHandler(RepoPage):
    def do_get(self, prefix: str | None, namespace: str, name: str, revision: str) -> None:
        repo = self.repo(prefix, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        row = self.store.commit_row(commit)
        before = self.store.files(row["parent"]) if row["parent"] else {}
        after = self.store.files(commit)
        readable = self.may_read_files(repo)
        budget = [render.MAX_DIFF_LINES]
        changes = []
        for path in sorted(set(before) | set(after)):
            old, new = before.get(path), after.get(path)
            if old is not None and new is not None and (old.oid, old.lfs) == (new.oid, new.lfs):
                continue
            status = (
                self._("added") if old is None else self._("deleted") if new is None else self._("modified")
            )
            changes.append(f'<h3>{esc(path)} <span class="badge">{status}</span></h3>')
            changes.append(self.file_diff(path, old, new, budget) if readable else "")
        parent = (
            f'<a href="{esc(self.base(repo))}/commit/{esc(row["parent"])}">{esc(row["parent"][:7])}</a>'
            if row["parent"]
            else self._("none")
        )
        body = self.header(repo, self._("Commit")) + f"<h2>{esc(row['title'])}</h2>"
        if row["message"] and row["message"] != row["title"]:
            body += f'<pre class="message">{esc(row["message"])}</pre>'
        facts = self._("{author} committed on {date} · commit {commit} · parent {parent}").format(
            author=esc(row["author"]),
            date=self.page_date(row["date"]),
            commit=f"<code>{esc(commit)}</code>",
            parent=parent,
        )
        browse = f'<a href="{esc(self.base(repo))}/tree/{esc(commit)}">{self._("Browse files")}</a>'
        body += f'<p class="muted">{facts} · {browse}</p>'
        count = sum(1 for c in changes if c.startswith("<h3>"))
        changed = self.ngettext("{n} file changed", "{n} files changed", count).format(n=count)
        body += f"<h2>{changed}</h2>" + "".join(changes)
        self.send_page(self._("{repo} commit {commit}").format(repo=repo.id, commit=commit[:7]), body)

    def file_diff(self, path: str, old: FileEntry | None, new: FileEntry | None, budget: list[int]) -> str:
        sides = []
        for entry in (old, new):
            if entry is None:
                sides.append("")
                continue
            if entry.lfs or entry.size > render.MAX_DIFF_FILE:
                size = esc(render.human_size(entry.size))
                return (
                    f'<p class="muted">{self._("{size}: not diffed (large or LFS).").format(size=size)}</p>'
                )
            text = render.as_text(self.store.blob_bytes(entry.oid))
            if text is None:
                return f'<p class="muted">{self._("Binary file: not diffed.")}</p>'
            sides.append(text)
        cut = self._("(diff cut: too many lines on this page)")
        return render.diff_html(path, sides[0], sides[1], budget, cut)


class DiscussionHandler(RepoPage):
    def do_get(self, prefix: str | None, namespace: str, name: str, num: str) -> None:
        repo = self.repo(prefix, namespace, name)
        row = self.store.discussion(repo, int(num))
        if row is None:
            raise StoreError(404, self._("Discussion {num} not found.").format(num=num))
        kind = self._("Pull request") if row["is_pr"] else self._("Discussion")
        body = (
            self.header(repo, kind) + f'<h2>{esc(row["title"])} <span class="muted">#{row["num"]}</span></h2>'
        )
        body += (
            f'<p><span class="badge">{esc(kind)}</span> <span class="badge">{esc(self.status_name(row["status"]))}</span> '
            '<span class="muted">'
            + self._("opened by {author} on {date}").format(
                author=esc(row["author"]), date=self.page_date(row["created_at"])
            )
            + "</span></p>"
        )
        if row["is_pr"]:
            ref = f"refs/pr/{row['num']}"
            source = f'<a href="{esc(self.base(repo))}/tree/{rev_part(ref)}">{esc(ref)}</a>'
            body += "<p>" + self._("From {ref} into {base}").format(
                ref=source, base=f"<b>{esc(row['base'])}</b>"
            )
            if row["merge_commit"]:
                merged = (
                    f'<a href="{esc(self.base(repo))}/commit/{esc(row["merge_commit"])}">'
                    f"{esc(row['merge_commit'][:7])}</a>"
                )
                body += " · " + self._("merged as {commit}").format(commit=merged)
            body += "</p>"
        base = self.resolve_url(repo, "main")
        for event in json.loads(row["events"]):
            body += self.event_html(repo, event, base)
        self.send_page(f"{repo.id} #{row['num']} {row['title']}", body)

    def event_html(self, repo: Repo, event: dict[str, Any], base: str) -> str:
        author = esc((event.get("author") or {}).get("name", ""))
        when = self.page_date(event.get("createdAt", ""))
        data = event.get("data") or {}
        kind = event.get("type")
        if kind == "comment":
            if data.get("hidden"):
                text = f'<p class="muted">{self._("This comment has been hidden.")}</p>'
            else:
                text = render.markdown_html(str((data.get("latest") or {}).get("raw", "")), base)
            if data.get("edited"):
                head = self._("{author} commented on {date} (edited)").format(
                    author=f"<b>{author}</b>", date=when
                )
            else:
                head = self._("{author} commented on {date}").format(author=f"<b>{author}</b>", date=when)
            return f'<section class="event comment"><p class="muted">{head}</p>{text}</section>'
        who = f"<b>{author}</b>"
        if kind == "status-change":
            what = self._("{author} changed the status to {status}").format(
                author=who, status=f"<b>{esc(self.status_name(data.get('status', '')))}</b>"
            )
        elif kind == "title-change":
            what = self._("{author} renamed it from {old} to {new}").format(
                author=who, old=f"<b>{esc(data.get('from', ''))}</b>", new=f"<b>{esc(data.get('to', ''))}</b>"
            )
        elif kind == "commit":
            oid = str(data.get("oid", ""))
            href = f"{self.base(repo)}/commit/{rev_part(oid)}"
            what = self._("{author} pushed {commit}: {subject}").format(
                author=who,
                commit=f'<a href="{esc(href)}">{esc(oid[:7])}</a>',
                subject=esc(data.get("subject", "")),
            )
        else:
            what = self._("{author}: {event}").format(author=who, event=esc(kind or "event"))
        return f'<section class="event"><p>{what} <span class="muted">{when}</span></p></section>'


class TokensHandler(PageBase, SessionPage):
    """The signed-in user's access tokens: list, create (shown once), revoke. Every form carries the
    session's CSRF token; the session is the device approval page's (sign in on either)."""

    def do_get(self) -> None:
        self.load_session()
        self.tokens_page()

    def do_post(self) -> None:
        sess = self.load_session()
        form = self.form()
        if not hmac.compare_digest(form.get("csrf", ""), sess.csrf):
            self.tokens_page(self.form_expired(), status=403)
            return
        action = form.get("action", "")
        if action == "signout":
            self.sess = self.flow.sign_out(sess)
            self.keep_session()
            self.tokens_page(self._("Signed out."))
            return
        if action == "signin":
            self.sign_in(sess, form)
            return
        user = self.signed_in_user()
        if user is None:
            self.tokens_page(self._("Sign in first."), status=401)
        elif action == "create":
            self.create(user, form)
        elif action == "revoke":
            self.revoke(user, form.get("token_id", ""))
        else:
            self.tokens_page(self._("Unknown action."), status=400)

    def signed_in_user(self) -> str | None:
        if self.sess.user is not None and not self.flow.still_signed_in(self.sess):
            self.sess = self.flow.sign_out(self.sess)
            self.keep_session()
        return self.sess.user

    def viewer(self) -> Identity:
        sess = getattr(self, "sess", None)
        return Identity(sess.user, sess.role) if sess is not None and sess.user else ANONYMOUS

    def sign_in(self, sess: PageSession, form: dict[str, str]) -> None:
        address = self.request.remote_ip or ""
        if self.flow.blocked(sess, address):
            self.tokens_page(self.too_many(), status=429)
            return
        token = form.get("token", "").strip()
        found = self.flow.check_credentials(token, form.get("username", "").strip(), form.get("password", ""))
        if found is None:
            self.flow.failed(sess, address)
            self.tokens_page(self.bad_credentials(), status=403)
            return
        self.sess = self.flow.sign_in(sess, *found, token or None)
        self.keep_session()
        self.tokens_page()

    def create(self, user: str, form: dict[str, str]) -> None:
        role = form.get("role", "read")
        # No escalation: a session signed in with a read token makes read tokens only.
        if role not in ROLES or (role == "write" and self.sess.role != "write"):
            self.tokens_page(self._("This sign-in may create read tokens only."), status=403)
            return
        name = form.get("name", "").strip()[:100] or f"{user}-{role}-{time.strftime('%Y%m%d-%H%M%S')}"
        token = self.accounts.new_token(user, role, name=name, source="created")
        intro = self._("New {role} token {name}. Copy it now: it is shown only once.").format(
            role=esc(self.role_name(role)), name=f"<b>{esc(name)}</b>"
        )
        shown = (
            f'<div class="msg"><p>{intro}</p><p><input class="secret" readonly size="50" value="{esc(token)}" '
            f'aria-label="{esc(self._("New token"))}"></p></div>'
        )
        self.tokens_page(shown_html=shown)

    def revoke(self, user: str, token_id: str) -> None:
        # Only the user's own tokens: the id must be one of theirs, not any hash prefix.
        if token_id not in {t["id"] for t in self.accounts.tokens(user)}:
            self.tokens_page(self._("No token of yours has that id."), status=404)
            return
        try:
            count = self.accounts.revoke_tokens(token_id=token_id)
        except ValueError as exc:
            self.tokens_page(str(exc), status=400)
            return
        self.tokens_page(self.ngettext("Revoked {n} token.", "Revoked {n} tokens.", count).format(n=count))

    def tokens_page(self, message: str = "", status: int = 200, shown_html: str = "") -> None:
        sess = self.sess
        csrf = f'<input type="hidden" name="csrf" value="{esc(sess.csrf)}">'
        msg = f'<p class="msg">{esc(message)}</p>' if message else ""
        _ = self._
        if sess.user is None:
            body = (
                f"<h1>{_('Access tokens')}</h1>{msg}"
                f"<p>{_('Sign in with one of your tokens, or with your user name and password.')}</p>"
                f'<form method="post" action="/settings/tokens">{csrf}{self.credential_fields()}'
                f'<p><button name="action" value="signin">{_("Sign in")}</button></p></form>'
            )
            self.send_page(_("Access tokens"), body, status)
            return
        rows = "".join(
            f"<tr><td>{esc(t['name'])}</td><td>{esc(self.role_name(t['role']))}</td><td>{esc(t['source'])}</td>"
            f"<td>{self.page_date(float(t['created'] or 0))}</td><td><code>{esc(t['id'])}</code></td>"
            f'<td><form method="post" action="/settings/tokens">{csrf}'
            f'<input type="hidden" name="token_id" value="{esc(t["id"])}">'
            f'<button name="action" value="revoke">{_("Revoke")}</button></form></td></tr>'
            for t in self.accounts.tokens(sess.user)
        )
        roles = ("read", "write") if sess.role == "write" else ("read",)
        options = "".join(f'<option value="{r}">{esc(self.role_name(r))}</option>' for r in roles)
        heads = "".join(
            f"<th>{h}</th>" for h in (_("Name"), _("Role"), _("Source"), _("Created"), _("Id"), "")
        )
        body = (
            f"<h1>{_('Access tokens of {user}').format(user=esc(sess.user))}</h1>{msg}{shown_html}"
            f'<h2>{_("New token")}</h2><form method="post" action="/settings/tokens">{csrf}'
            f'<label>{_("Name:")} <input name="name" maxlength="100" autocomplete="off"></label>'
            f'<label>{_("Role:")} <select name="role">{options}</select></label>'
            f'<p><button name="action" value="create">{_("Create token")}</button></p></form>'
            f"<h2>{_('Your tokens')}</h2><table><tr>{heads}</tr>{rows}</table>"
            f'<form method="post" action="/settings/tokens">{csrf}'
            f'<p><button name="action" value="signout">{_("Sign out")}</button></p></form>'
        )
        self.send_page(_("Access tokens"), body, status)


ROUTES: list[Route] = [
    (r"/settings/tokens", TokensHandler),
    (rf"{REPO_ID}/tree/{SEG}", TreeHandler),
    (rf"{REPO_ID}/tree/{SEG}/(.*)", TreeHandler),
    (rf"{REPO_ID}/blob/{SEG}/(.+)", BlobHandler),
    (rf"{REPO_ID}/commit/{SEG}", CommitHandler),
    (rf"{REPO_ID}/discussions/(\d+)", DiscussionHandler),
    (rf"{REPO_ID}/?", RepoHandler),
]
