"""Landing extracts in the object store as the banks (and the register) deliver them, each with
its own identity: a bank can write only under its own landing prefix."""

from __future__ import annotations

import logging
from pathlib import Path

from pipelines import paths
from pipelines.settings import Settings
from pipelines.storage import ObjectStore

log = logging.getLogger(__name__)


def land_bank_extracts(settings: Settings, bank: str, run_date: str, files: dict[str, Path]) -> list[str]:
    """Upload ``files`` (dataset → path) to the bank's landing prefix with the bank's identity."""
    store = ObjectStore.open(settings, settings.config.buckets.landing, identity=bank)
    uris = []
    for dataset, path in sorted(files.items()):
        key = paths.landing_key(bank, run_date, dataset)
        store.put_file(key, path, "text/csv")
        uris.append(store.uri(key))
    log.info("%s landed %d extracts for %s", bank, len(uris), run_date)
    return uris


def land_register(settings: Settings, run_date: str, files: list[Path]) -> list[str]:
    """Upload the files of a register extract with the register's identity."""
    store = ObjectStore.open(settings, settings.config.buckets.landing, identity="registry")
    uris = []
    for path in sorted(files):
        key = paths.registry_prefix(run_date) + path.name
        store.put_file(key, path)
        uris.append(store.uri(key))
    return uris
