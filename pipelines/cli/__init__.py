"""The ``interdict`` command line. Each sub-command lives in its own module with
``register(subparsers)``; it sets ``func`` on its parser, which returns the exit code."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pipelines.errors import InterdictError

# Sub-command modules, in the order ``--help`` lists them.
COMMANDS = (
    "pipelines.cli.sample",
    "pipelines.cli.screen",
    "pipelines.cli.check",
    "pipelines.cli.serve",
    "pipelines.cli.lists",
    "pipelines.cli.validate",
    "pipelines.cli.ownership",
    "pipelines.cli.reports",
    "pipelines.cli.objectstore",
    "pipelines.cli.nightly",
)
# Commands whose module is imported alone when they are run, so that they start quickly (the
# other modules import the whole pipeline); any other command builds the full parser.
QUICK = {"check": "pipelines.cli.check", "serve": "pipelines.cli.serve"}


def build_parser(modules: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interdict",
        description="Screen bank customers, payments and company registers against sanctions lists.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``: its first argument that is not an option."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    quick = QUICK.get(_command(argv) or "")
    parser = build_parser((quick,) if quick else COMMANDS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
    except InterdictError as exc:
        print(f"interdict {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
