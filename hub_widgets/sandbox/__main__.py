"""Command line: `python -m hub_widgets.sandbox [--host H] [--port P] [--data DIR] [--user NAME=TOKEN]...`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def _pairs(values: list[str], option: str) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise SystemExit(f"{option} expects NAME=VALUE, got {value!r}")
        result[name] = rest
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub_widgets.sandbox", description="Run the sandbox Hub.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--data", default=None, help="data folder (persistent); a temporary one if omitted")
    parser.add_argument(
        "--user", action="append", default=[], metavar="NAME=TOKEN", help="a user with a write token"
    )
    parser.add_argument(
        "--read-token", action="append", default=[], metavar="NAME=TOKEN", help="a read token"
    )
    parser.add_argument(
        "--org", action="append", default=[], metavar="ORG=MEMBER[,MEMBER]", help="an organisation"
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


def main(argv: list[str] | None = None) -> int:
    """Run the sandbox Hub until interrupted."""
    args = build_parser().parse_args(argv)
    from .hub import SandboxHub
    from .validation import Limits

    users = _pairs(args.user, "--user")
    generated = None
    orgs = {org: [m for m in members.split(",") if m] for org, members in _pairs(args.org, "--org").items()}
    hub = SandboxHub(
        host=args.host,
        port=args.port,
        data_dir=args.data,
        users=users,
        read_tokens=_pairs(args.read_token, "--read-token"),
        orgs=orgs,
        faults=args.faults,
        limits=_limits(Limits, args),
    )
    if not users:
        generated = hub.accounts.new_token("demo", "write", name="sandbox-cli")
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
