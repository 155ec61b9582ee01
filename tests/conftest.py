"""Shared test fixtures: the shared data folder, and a real local S3 object store."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _shared_data_dir() -> Path:
    configured = os.environ.get("INTERDICT_SHARED_DATA")
    return Path(configured) if configured else ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real list and register files beside the project; tests skip without it."""
    path = _shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"shared data folder not found at {path}")
    return path


def free_port_block(width: int = 15) -> int:
    """A port P such that P .. P+width are free on loopback (the local store takes several)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + width >= 65000:
            continue
        taken = False
        for port in range(base, base + width):
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    taken = True
                    break
        if not taken:
            return base
    raise RuntimeError("no free block of ports on loopback")


@contextmanager
def local_object_store(home: Path) -> Iterator[Path]:
    """A real SeaweedFS S3 server on a free loopback port, with the project's identities and data
    under ``home``. Sets ``INTERDICT_HOME`` and ``INTERDICT_S3_ENDPOINT`` while it runs, so that
    ``Settings.from_env()`` (and any subprocess) talks to it; restores them afterwards."""
    from pipelines.localstore import LocalStore, ensure_buckets
    from pipelines.settings import Settings

    saved = {k: os.environ.get(k) for k in ("INTERDICT_HOME", "INTERDICT_S3_ENDPOINT")}
    os.environ["INTERDICT_HOME"] = str(home)
    os.environ["INTERDICT_S3_ENDPOINT"] = f"http://127.0.0.1:{free_port_block()}"
    settings = Settings.from_env()
    local = LocalStore.from_settings(settings)
    local.start()
    try:
        ensure_buckets(settings)
        yield home
    finally:
        local.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def s3_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's shared local object store (see :func:`local_object_store`)."""
    with local_object_store(tmp_path_factory.mktemp("interdict-home")) as home:
        yield home


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium (``make test`` installs it), or ``INTERDICT_CHROMIUM``."""
    import shutil

    return os.environ.get("INTERDICT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium driven by Playwright; skips where no Chromium is installed."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium on PATH (make test installs Debian's package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def offline_page(browser: object) -> Iterator[object]:
    """A page that may load only local content (file:, data:, blob:, loopback); every other request
    is refused and recorded in ``page.external_requests``, so a test can assert the page needs no network."""
    from urllib.parse import urlparse

    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    external: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        parsed = urlparse(url)
        if parsed.scheme in ("file", "data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost", "::1"):
            r.continue_()  # type: ignore[attr-defined]
        else:
            external.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.external_requests = external
    try:
        yield page
    finally:
        context.close()
