from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.cli import main
from pipelines.errors import ListError
from pipelines.lists import load_directory, sample_lists_dir
from pipelines.lists.fetch import FetchError, fetch_source
from pipelines.lists.refresh import refresh_lists
from pipelines.lists.snapshot import (
    check_bounds,
    current_snapshot,
    diff_watchlists,
    load_snapshot,
    publish_snapshot,
    watchlist_sha256,
)
from pipelines.lists.sources import SourceConfig, load_sources
from pipelines.lists.store import FolderStore, ListStore, raw_key
from screening.model import Watchlist


class Server:
    """A local HTTP server over a folder, with ETags and scripted failures."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.failures: dict[str, list[int]] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                name = self.path.lstrip("/")
                server.requests.append((name, dict(self.headers.items())))
                if server.failures.get(name):
                    self.send_error(server.failures[name].pop(0))
                    return
                path = server.root / name
                if not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_bytes()
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "www"
    shutil.copytree(sample_lists_dir(), root)
    server = Server(root)
    yield server
    server.close()


def sources_for(server: Server, **bounds: float) -> dict[str, SourceConfig]:
    common: dict[str, float] = {
        "min_entries": 5,
        "min_persons": 3,
        "retries": 2,
        "backoff_seconds": 0.0,
        "timeout_seconds": 5,
    }
    common.update(bounds)
    return {
        "OFAC-SDN": SourceConfig(
            list_source="OFAC-SDN",
            format="ofac-csv",
            files={n: f"{server.url}/ofac/{n}" for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")},
            **common,
        ),
        "UN-SC": SourceConfig(
            list_source="UN-SC",
            format="un-xml",
            files={"consolidated.xml": f"{server.url}/un/consolidated.xml"},
            **common,
        ),
    }


def test_default_sources_are_valid() -> None:
    sources = load_sources()
    assert {"OFAC-SDN", "OFAC-CONS", "UN-SC", "EU-FSF", "UK-SL", "UK-OFSI", "OPENSANCTIONS"} == set(sources)
    assert sources["UN-SC"].min_persons >= 500
    assert not sources["OPENSANCTIONS"].enabled


def test_fetch_conditional_and_content_addressed(served: Server, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "store")
    source = sources_for(served)["UN-SC"]
    first = fetch_source(source, store, tmp_path / "work")
    assert [f.status for f in first] == ["downloaded"]
    body = (served.root / "un" / "consolidated.xml").read_bytes()
    assert store.get_bytes(raw_key(hashlib.sha256(body).hexdigest(), "consolidated.xml")) == body
    second = fetch_source(source, store, tmp_path / "work")
    assert [f.status for f in second] == ["not-modified"]
    assert "If-None-Match" in served.requests[-1][1]
    assert (tmp_path / "work" / "UN-SC" / "consolidated.xml").read_bytes() == body


def test_fetch_retries_with_backoff(served: Server, tmp_path: Path) -> None:
    served.failures["un/consolidated.xml"] = [503, 500]
    slept: list[float] = []
    source = sources_for(served, backoff_seconds=1.0)["UN-SC"]
    fetched = fetch_source(source, FolderStore(tmp_path / "s"), tmp_path / "w", sleep=slept.append)
    assert fetched[0].status == "downloaded"
    assert slept == [1.0, 2.0]


def test_fetch_gives_up(served: Server, tmp_path: Path) -> None:
    served.failures["un/consolidated.xml"] = [503, 503, 503]
    with pytest.raises(FetchError, match="failed after 3 attempts"):
        fetch_source(sources_for(served)["UN-SC"], FolderStore(tmp_path / "s"), tmp_path / "w", sleep=lambda _: None)
    with pytest.raises(ListError, match="answered 404"):
        source = sources_for(served)["UN-SC"].model_copy(update={"files": {"x.xml": f"{served.url}/missing.xml"}})
        fetch_source(source, FolderStore(tmp_path / "s"), tmp_path / "w")


def test_refresh_publishes_then_refuses_a_truncated_file(served: Server, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "store")
    sources = sources_for(served)
    result, fetched = refresh_lists(store, tmp_path / "w1", sources)
    assert result.status == "accepted"
    assert len(fetched) == 5
    assert result.counts["UN-SC"]["person"] == 7
    assert result.diff["OFAC-SDN"]["added"] == 21
    first = result.sha256
    assert store.exists(f"snapshots/{first}/diff.parquet")

    xml = served.root / "un" / "consolidated.xml"
    xml.write_bytes(xml.read_bytes()[:5000])
    refused, _ = refresh_lists(store, tmp_path / "w2", sources)
    assert refused.status == "refused"
    assert "truncated or malformed UN XML" in refused.problems[0]
    assert refused.sha256 == first
    assert current_snapshot(store) == {"sha256": first, "previous_sha256": None}
    assert refused.manifest()["refused_because"] == refused.problems


def test_refresh_refuses_a_large_drop(served: Server, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "store")
    sources = sources_for(served, max_drop_share=0.2, min_entries=1, min_persons=0)
    first, _ = refresh_lists(store, tmp_path / "w1", sources)
    sdn = served.root / "ofac" / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    sdn.write_bytes(b"\r\n".join([*lines[:10], b"\x1a"]))
    refused, _ = refresh_lists(store, tmp_path / "w2", sources)
    assert refused.status == "refused"
    assert any("OFAC-SDN: 11 of 21 entries gone" in p for p in refused.problems)
    assert refused.sha256 == first.sha256


def test_hash_ignores_row_order_and_diff_finds_changes(tmp_path: Path) -> None:
    w = load_directory(sample_lists_dir()).watchlist
    shuffled = Watchlist(**{t: getattr(w, t).sample(fraction=1.0, shuffle=True, seed=3) for t in Watchlist.TABLES})
    assert watchlist_sha256(shuffled) == watchlist_sha256(w)
    removed = "OFAC-SDN:50107"
    names = w.names.with_columns(
        pl.when(pl.col("uid") == "UN-SC:TAi.199").then(pl.col("name") + " X").otherwise(pl.col("name")).alias("name")
    )
    changed = Watchlist(
        entries=w.entries.filter(pl.col("uid") != removed),
        names=names.filter(pl.col("uid") != removed),
        dobs=w.dobs,
        countries=w.countries,
        identifiers=w.identifiers,
        addresses=w.addresses,
    )
    diff = diff_watchlists(w, changed)
    assert diff.select("uid", "change").rows() == [("OFAC-SDN:50107", "removed"), ("UN-SC:TAi.199", "amended")]
    assert diff.filter(pl.col("change") == "amended")["tables"].to_list() == [["names"]]
    assert diff_watchlists(w, shuffled).is_empty()


def test_bounds() -> None:
    source = SourceConfig(list_source="UN-SC", format="un-xml", files={"a": "b"}, min_entries=10, min_persons=5)
    assert check_bounds({"UN-SC": {"person": 6, "organization": 6}}, {"UN-SC": source}) == []
    assert check_bounds({"UN-SC": {"person": 4, "organization": 6}}, {"UN-SC": source}) == [
        "UN-SC: 4 persons, fewer than the minimum of 5"
    ]
    assert check_bounds({}, {"UN-SC": source})[0] == "UN-SC: 0 entries, fewer than the minimum of 10"
    drop = check_bounds({"UN-SC": {"person": 20}}, {"UN-SC": source}, {"UN-SC": {"person": 30}})
    assert drop == ["UN-SC: 10 of 30 entries gone since the previous snapshot (33%), more than the allowed 10%"]


def test_snapshot_round_trip(tmp_path: Path) -> None:
    store = FolderStore(tmp_path)
    loaded = load_directory(sample_lists_dir())
    sources = {
        k: v.model_copy(update={"min_entries": 1, "min_persons": 0})
        for k, v in load_sources().items()
        if k in ("OFAC-SDN", "UN-SC")
    }
    result = publish_snapshot(loaded, store, sources)
    back = load_snapshot(store)
    assert watchlist_sha256(back) == result.sha256
    assert publish_snapshot(loaded, store, sources).status == "unchanged"


def test_cli_fetch_show_diff(served: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "sources.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "defaults": {"retries": 0, "timeout_seconds": 5},
                "sources": {
                    name: {"format": s.format, "files": s.files, "min_entries": 5, "min_persons": 3}
                    for name, s in sources_for(served).items()
                },
            }
        )
    )
    store = str(tmp_path / "store")
    assert main(["lists", "--store", store, "fetch", "--sources", str(config)]) == 0
    out = capsys.readouterr().out
    assert "OFAC-SDN" in out and "added" in out
    assert main(["lists", "--store", store, "show"]) == 0
    assert "UN-SC" in capsys.readouterr().out
    assert main(["lists", "show", str(sample_lists_dir())]) == 0
    sha = str(current_snapshot(FolderStore(Path(store)))["sha256"])  # type: ignore[index]
    assert main(["lists", "--store", store, "diff", sha[:12], str(sample_lists_dir())]) == 0


def test_object_store_satisfies_the_list_store_protocol() -> None:
    from pipelines.storage import ObjectStore

    store: ListStore = ObjectStore(client=None, bucket="interdict-lists")
    assert isinstance(store, ListStore)
