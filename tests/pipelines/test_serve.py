"""``interdict serve`` on a real uvicorn server: the form in a real headless browser, the JSON
endpoint, the refusals of other hosts and clients, and the audit line of every query."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from pipelines.check import AuditLog, Checker, lists_source
from pipelines.cli import main
from pipelines.lists import sample_lists_dir
from pipelines.serve import create_app
from screening import ScreeningConfig
from tests.pages import screenshot

TYPO = "Kim Chol Namm"


@dataclass
class Served:
    host: str
    port: int
    audit: Path

    def request(self, method: str, path: str, body: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=data, headers={**sent, **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        kind = response.getheader("content-type") or ""
        return response.status, json.loads(raw) if "json" in kind else raw.decode()

    def audit_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.audit.read_text(encoding="utf-8").splitlines()]


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Checker:
    folder = tmp_path_factory.mktemp("serve")
    audit = AuditLog(folder / "audit.jsonl")
    return Checker(lambda: lists_source(sample_lists_dir()), ScreeningConfig(workers=1), folder / "cache", audit)


def _serve(checker: Checker, host: str, **options: Any) -> Iterator[Served]:
    port = _free_port(host)
    server = uvicorn.Server(uvicorn.Config(create_app(checker, **options), host=host, port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Served(host, port, checker.audit.path)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def served(checker: Checker) -> Iterator[Served]:
    yield from _serve(checker, "127.0.0.1")


def test_post_check_answers_json_and_writes_the_audit_line(served: Served) -> None:
    before = len(served.audit_lines()) if served.audit.exists() else 0
    status, answer = served.request("POST", "/check", {"name": TYPO, "type": "person", "user": "payments-gw"})
    assert status == 200
    assert answer["hit"] is True
    assert answer["candidates"][0]["uid"] in {"OFAC-SDN:50106", "UN-SC:KPi.091"}
    assert "Kim Chol Namm" in answer["candidates"][0]["reason"]
    line = served.audit_lines()[before]
    assert (line["user"], line["client"], line["via"], line["outcome"]) == ("payments-gw", "127.0.0.1", "api", "hit")
    assert line["query"]["name"] == TYPO and line["time"]
    assert {h["uid"] for h in line["hits"]} == {"OFAC-SDN:50106", "UN-SC:KPi.091"}


def test_a_request_naming_another_host_is_refused_and_audited(served: Served) -> None:
    status, answer = served.request("POST", "/check", {"name": TYPO}, headers={"Host": "attacker.example"})
    assert status == 400 and "attacker.example" in answer["detail"]
    line = served.audit_lines()[-1]
    assert line["outcome"] == "refused" and line["status"] == 400


def test_a_form_posted_from_another_site_is_refused(served: Served) -> None:
    status, _ = served.request("POST", "/check", {"name": TYPO}, headers={"Origin": "https://attacker.example"})
    assert status == 403


def test_a_body_that_is_not_json_is_not_read(served: Served) -> None:
    status, _ = served.request("POST", "/check", None, headers={"Content-Type": "text/plain"})
    assert status == 422


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("198.51.100.1", 9))  # no packet is sent: it only picks a route
            address: str = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_clients_from_other_addresses_are_refused_by_default(checker: Checker) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address other than loopback")
    # Listening on a reachable address, but no network allowed: the client (this machine, seen from
    # that address) is not loopback and is refused.
    for server in _serve(checker, address, allow_hosts=[address]):
        status, answer = server.request("POST", "/check", {"name": TYPO})
        assert status == 403 and f"client {address}" in answer["detail"]
        line = server.audit_lines()[-1]
        assert (line["outcome"], line["client"], line["status"]) == ("refused", address, 403)
    for server in _serve(checker, address, allow_hosts=[address], allow_clients=[f"{address}/32"]):
        assert server.request("POST", "/check", {"name": TYPO})[0] == 200


def test_serve_refuses_to_listen_beyond_loopback_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--lists", str(sample_lists_dir())]) == 1
    assert "refusing to listen on 0.0.0.0" in capsys.readouterr().err


def test_the_form_answers_in_a_real_browser_offline(served: Served, offline_page: Any, tmp_path: Path) -> None:
    page = offline_page
    before = len(served.audit_lines())
    page.goto(f"http://127.0.0.1:{served.port}/")
    page.fill("input[name=name]", TYPO)
    page.select_option("select[name=type]", "person")
    page.fill("input[name=user]", "ana.k")
    with page.expect_navigation():
        page.click("button[type=submit]")
    rows = page.locator("table.answer tbody tr")
    assert rows.count() >= 2
    assert page.locator("table.answer tr[data-uid='OFAC-SDN:50106'] .pill.bad").inner_text() == "hit"
    assert "hit(s) at or above the threshold" in page.inner_text(".verdict")
    assert page.input_value("input[name=name]") == TYPO
    assert page.external_requests == []
    screenshot(page, "serve-check.png")
    line = served.audit_lines()[before]
    assert (line["user"], line["via"], line["outcome"]) == ("ana.k", "web", "hit")
    assert os.stat(served.audit).st_size > 0
