"""The small object-store interface list ingestion needs, and a folder-backed implementation.

:class:`pipelines.storage.ObjectStore` (S3) satisfies :class:`ListStore`; :class:`FolderStore`
keeps the same keys as files under a local folder (tests, a laptop without the S3 server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from pipelines.errors import StorageError

RAW_PREFIX = "raw/"
SNAPSHOT_PREFIX = "snapshots/"
STATE_PREFIX = "fetch-state/"


@runtime_checkable
class ListStore(Protocol):
    def put_bytes(self, key: str, data: bytes) -> object: ...

    def get_bytes(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def list_keys(self, prefix: str = "") -> list[str]: ...


def raw_key(sha256: str, filename: str) -> str:
    """Where a raw list file is kept, immutable, under its content hash."""
    return f"{RAW_PREFIX}{sha256}/{filename}"


class FolderStore:
    """Keys as relative paths under ``root``; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise StorageError(f"key {key!r} leaves the store folder {self.root}")
        return path

    def put_bytes(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return key

    def get_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"{self.root}: no object {key}") from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str = "") -> list[str]:
        if not self.root.is_dir():
            return []
        keys = (p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        return sorted(k for k in keys if k.startswith(prefix) and not k.endswith(".part"))
