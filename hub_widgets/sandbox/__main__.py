"""Command line of the sandbox Hub.

python -m hub_widgets.sandbox [--host H] [--port P] [--data DIR] [--user NAME=TOKEN[:PASSWORD]]...
    [--org ORG=MEMBER[,MEMBER]]... [--fullname NAME="Full Name"]...
python -m hub_widgets.sandbox tokens list --data DIR [--user NAME]
python -m hub_widgets.sandbox tokens revoke --data DIR (TOKEN_ID... | --user NAME)
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time


def _pairs(values: list[str], option: str) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise SystemExit(f"{option} expects NAME=VALUE, got {value!r}")
        result[name] = rest
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hub_widgets.sandbox",
        description="Run the sandbox Hub. `python -m hub_widgets.sandbox tokens --help`: list or revoke tokens.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--data", default=None, help="data folder (persistent); a temporary one if omitted")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="NAME=TOKEN[:PASSWORD]",
        help="a user with a write token (and a password for the device approval page); tokens given at an "
        "earlier start and not given now are revoked",
    )
    parser.add_argument(
        "--read-token", action="append", default=[], metavar="NAME=TOKEN", help="a read token"
    )
    parser.add_argument(
        "--org", action="append", default=[], metavar="ORG=MEMBER[,MEMBER]", help="an organisation"
    )
    parser.add_argument(
        "--fullname",
        action="append",
        default=[],
        metavar='NAME="FULL NAME"',
        help="the display name of a user or an organisation (whoami's fullname)",
    )
    parser.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="NAME",
        help="a user whose write tokens may use /inference/_control (fault injection)",
    )
    parser.add_argument(
        "--seed", default=None, choices=["demo"], help="fill with demo content on first start"
    )
    parser.add_argument("--faults", default=None, help='e.g. "latency=0.2,error_rate=0.1,drop_after=1000000"')
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds to receive a request body (longer bodies get more at 64 KiB/s); default 120",
    )
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds to receive request headers and to keep an idle connection; default 300",
    )
    return parser


def _limits(limits_type: type, args: argparse.Namespace):
    limits = limits_type()
    if args.body_timeout is not None:
        limits.body_timeout = args.body_timeout
    if args.header_timeout is not None:
        limits.header_timeout = args.header_timeout
    return limits


def build_tokens_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hub_widgets.sandbox tokens",
        description="List or revoke the tokens of a data folder (also while a sandbox runs on it).",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser(
        "list", help="the tokens: id, user, role, name, how it was made (never the value)"
    )
    listing.add_argument("--data", required=True)
    listing.add_argument("--user", default=None, help="only this user's tokens")
    revoke = sub.add_parser("revoke", help="revoke tokens by id (see `list`) or every token of a user")
    revoke.add_argument("--data", required=True)
    revoke.add_argument("ids", nargs="*", metavar="TOKEN_ID")
    revoke.add_argument("--user", default=None, help="revoke every token (and refresh token) of this user")
    return parser


def tokens_main(argv: list[str]) -> int:
    """`tokens list` / `tokens revoke` on a data folder."""
    args = build_tokens_parser().parse_args(argv)
    from .auth import Accounts
    from .store import Store

    store = Store(args.data)
    try:
        accounts = Accounts(store)
        if args.action == "list":
            for row in accounts.tokens(args.user):
                created = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["created"]))  # type: ignore[arg-type]
                print(
                    f"{row['id']}  {row['user']:16} {row['role']:5}  {row['source']:7}  {created}  {row['name']}"
                )
            return 0
        if bool(args.ids) == bool(args.user):
            raise SystemExit("tokens revoke: give token ids or --user NAME (not both).")
        count = 0
        try:
            if args.user:
                count = accounts.revoke_tokens(user=args.user)
            for token_id in args.ids:
                count += accounts.revoke_tokens(token_id=token_id)
        except ValueError as exc:
            raise SystemExit(f"tokens revoke: {exc}") from None
        print(f"Revoked {count} token(s).")
        return 0 if count else 1
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox Hub until interrupted (or list / revoke tokens)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["tokens"]:
        return tokens_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    from .hub import SandboxHub
    from .validation import Limits

    users, passwords = {}, {}
    for name, value in _pairs(args.user, "--user").items():
        token, sep, password = value.partition(":")
        users[name] = token
        if sep:
            passwords[name] = password
    admins = list(args.admin)
    generated = None
    if not users:
        # One user `demo` with a fresh token shown once (given: the next start revokes it).
        from .auth import Accounts

        generated = Accounts.random_token()
        users = {"demo": generated}
        admins = admins or ["demo"]
    orgs = {org: [m for m in members.split(",") if m] for org, members in _pairs(args.org, "--org").items()}
    try:
        hub = SandboxHub(
            host=args.host,
            port=args.port,
            data_dir=args.data,
            users=users,
            read_tokens=_pairs(args.read_token, "--read-token"),
            orgs=orgs,
            faults=args.faults,
            limits=_limits(Limits, args),
            passwords=passwords,
            admins=admins,
            fullnames=_pairs(args.fullname, "--fullname"),
        )
    except ValueError as exc:  # e.g. --fullname of a name no --user, --org or stored account has
        raise SystemExit(f"python -m hub_widgets.sandbox: {exc}") from None
    hub.seed = args.seed
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    hub.start()
    if generated:
        print(f"User demo, token: {generated}", flush=True)
    print(f"Sandbox Hub running at {hub.endpoint}", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
