"""``interdict serve``: the one-name check as a local web page and a JSON endpoint."""

from __future__ import annotations

import argparse
import ipaddress
from functools import partial

from pipelines.check import AuditLog, Checker, CheckError, config_from
from pipelines.cli.check import add_source_arguments, audit_path, cache_dir, source_of

DEFAULT_PORT = 8450


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="a local web page and JSON endpoint (POST /check) to check one name",
        description="Serve the one-name check of `interdict check`: a page with a form at / and JSON at "
        "POST /check ({\"name\": ..., \"type\": ..., \"dob\": ..., \"country\": ..., \"id_number\": ..., "
        "\"user\": ...}). Read-only; every query is written to the audit log. Listens on loopback by default "
        "and refuses requests from other addresses or naming other hosts; --allow-remote, --allow-client and "
        "--allow-host open it deliberately (put it behind a TLS proxy that authenticates users first).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--allow-remote", action="store_true",
        help="allow listening on an address other machines can reach (refused otherwise)",
    )
    parser.add_argument(
        "--allow-client", action="append", default=[], metavar="CIDR",
        help="also answer clients from this network (repeatable; loopback is always allowed)",
    )
    parser.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME",
        help="also answer requests naming this host in their Host header (repeatable)",
    )
    add_source_arguments(parser)
    parser.set_defaults(func=run)


def check_exposure(args: argparse.Namespace) -> None:
    """Refuse, before anything starts, to listen beyond this machine unless asked to."""
    from pipelines.serve import is_loopback

    for network in args.allow_client:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise CheckError(f"--allow-client {network!r} is not a network such as 10.1.2.0/24") from None
    if not is_loopback(args.host) and not args.allow_remote:
        raise CheckError(
            f"refusing to listen on {args.host}: other machines could reach it. The check answers with list "
            "data and writes an audit log of who asked; to serve other hosts pass --allow-remote, and "
            "--allow-client CIDR for the networks to answer"
        )
    if args.allow_client and not args.allow_remote and is_loopback(args.host):
        raise CheckError("--allow-client has no effect while listening on loopback: add --host and --allow-remote")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from pipelines.serve import create_app

    check_exposure(args)
    audit = AuditLog(audit_path(args))
    checker = Checker(partial(source_of, args), config_from(), cache_dir(), audit)
    app = create_app(checker, allow_clients=args.allow_client, allow_hosts=[*args.allow_host, args.host])
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Interdict check on http://{host}:{args.port}/  (POST /check for JSON)")
    print(f"lists: {checker.index.source}, {checker.index.entry_count} entries")
    print(f"audit log: {audit.path}")
    print("Ctrl-C stops it.", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False, server_header=False)
    return 0
