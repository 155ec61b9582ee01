"""The headless-browser fixture itself: local pages load, the network is refused and recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_offline_page_loads_local_file_and_refuses_the_network(offline_page: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "p.html"
    page_file.write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example.com/x.css"></head>'
        "<body><button onclick=\"this.textContent='done'\">go</button></body></html>",
        encoding="utf-8",
    )
    offline_page.goto(page_file.as_uri())
    offline_page.click("button")
    assert offline_page.inner_text("button") == "done"
    assert offline_page.external_requests == ["https://cdn.example.com/x.css"]
