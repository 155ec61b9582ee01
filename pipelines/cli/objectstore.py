"""``interdict objectstore start|stop|status|reload``: the local SeaweedFS object store."""

from __future__ import annotations

import argparse

from pipelines.localstore import LocalStore, ensure_running
from pipelines.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "objectstore",
        help="start, stop, check or reload the local S3 object store (SeaweedFS)",
        description="Manage the local SeaweedFS S3 server at INTERDICT_S3_ENDPOINT "
        "(default http://127.0.0.1:8333), data under $INTERDICT_HOME/objectstore. "
        "'reload' makes a running server read its identities file again (a changed or removed "
        "key takes effect at once, e.g. to revoke download links).",
    )
    parser.add_argument("action", choices=("start", "stop", "status", "reload"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    local = LocalStore.from_settings(settings)
    if args.action == "start":
        ensure_running(settings)
        print(f"object store running at {settings.s3_endpoint} (data in {local.data_dir})")
        return 0
    if args.action == "stop":
        stopped = local.stop()
        print("object store stopped" if stopped else "object store was not running")
        return 0
    if args.action == "reload":
        reloaded = local.reload()
        print(f"identities reloaded from {local.identities}" if reloaded else "object store was not running")
        return 0 if reloaded else 3
    running = local.is_running()
    print(f"object store {'running' if running else 'not running'} at {settings.s3_endpoint}")
    return 0 if running else 3
