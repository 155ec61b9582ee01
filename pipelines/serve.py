"""``interdict serve``: one name checked from a browser or a payment system, on a small local server.

Two ways in, the same answer as ``interdict check``:

- ``GET /`` — a page with a form for one name (and its type, date of birth, country, identifier);
  ``POST /`` answers with the candidates on the same page;
- ``POST /check`` — JSON in (``{"name": …, "type": …, "dob": …, "country": …, "id_number": …,
  "user": …}``), JSON out, for a payment system to call before it releases a payment.

Read-only: nothing but the audit log is written. By default it listens on loopback only, and it
refuses any request from another address (403) or naming another host (400, against DNS
rebinding); a form posted from another site is refused too. Every query, answered or refused, is
a line in the audit log: time, user, client address, the query, the lists and the outcome.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlparse

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from pipelines.check import MAX_NAME_LENGTH, Checker, CheckError, CheckResult, Query
from pipelines.delivery.alerts import mark_differences
from pipelines.pages import esc, page

LOOPBACK: Final = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
LOOPBACK_HOSTS: Final = ("127.0.0.1", "localhost", "::1")
USER_HEADER: Final = "x-interdict-user"
EntityType = Literal["person", "organization", "vessel", "aircraft", "unknown"]
_HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}
_STYLE: Final = """
form.check{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.8em 1em;display:flex;flex-wrap:wrap;
gap:.6em 1.2em;align-items:flex-end}
form.check label{display:flex;flex-direction:column;font-size:.85em;color:#4b5563}
form.check input,form.check select{font:inherit;padding:.3em .4em;border:1px solid #b8c0cc;border-radius:4px}
form.check input[name=name]{width:22em}
form.check button{font:inherit;padding:.35em 1.2em;background:#1f5fa8;color:#fff;border:0;border-radius:4px}
.verdict{font-size:1.1em;font-weight:600;margin:1em 0 .4em}.verdict.hit{color:#a4161a}.verdict.clear{color:#17692f}
table.answer{width:100%}.why{color:#4b5563;font-size:.9em}
mark{background:#ffe27a;color:inherit;padding:0 1px;border-radius:2px}
.error{background:#fde4e4;border:1px solid #e8a0a0;padding:.5em .8em}
"""


class CheckRequest(BaseModel):
    """One party to check, as a payment system sends it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    type: EntityType = "unknown"
    dob: str | None = Field(None, max_length=10)
    country: str | None = Field(None, max_length=3)
    id_number: str | None = Field(None, max_length=100)
    user: str | None = Field(None, max_length=200, description="who asks, for the audit log")
    limit: int = Field(10, ge=1, le=50)


def _networks(extra: Sequence[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [*LOOPBACK, *(ipaddress.ip_network(n, strict=False) for n in extra)]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _allowed_client(address: str, networks: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _host_name(host_header: str) -> str:
    """The host of a Host header value, without the port (IPv6 in brackets unwrapped)."""
    parsed = urlparse(f"//{host_header}")
    return (parsed.hostname or "").lower()


def _form_page(values: dict[str, str], answer: str = "") -> str:
    def field(name: str, label: str, size: int, hint: str = "") -> str:
        required = " required" if name == "name" else ""
        return (
            f'<label>{esc(label)}<input name="{name}" value="{esc(values.get(name, ""))}" size="{size}" '
            f'maxlength="{MAX_NAME_LENGTH if name == "name" else 100}" placeholder="{esc(hint)}"{required}></label>'
        )

    types = "".join(
        f'<option value="{t}"{" selected" if values.get("type", "unknown") == t else ""}>{t}</option>'
        for t in ("unknown", "person", "organization", "vessel", "aircraft")
    )
    body = (
        '<form class="check" method="post" action="/">'
        + field("name", "name", 40, "e.g. Kim Chol Nam")
        + f'<label>type<select name="type">{types}</select></label>'
        + field("dob", "date of birth", 10, "YYYY-MM-DD")
        + field("country", "country", 3, "CC")
        + field("id_number", "identifier", 14, "passport, registration")
        + field("user", "checked by", 12, "your name")
        + '<button type="submit">Check</button></form>'
        + answer
        + '<p class="muted">Read-only: nothing is stored but a line in the audit log for every query. A hit is a '
        "suspicion to review, not a finding.</p>"
    )
    heading = "<h1>Interdict — check a name</h1><p>Against the sanctions lists the nightly screening uses</p>"
    return page("Interdict — check a name", body, style=_STYLE, heading=heading)


def answer_html(result: CheckResult) -> str:
    """The candidates of one check as an HTML fragment."""
    hits = result.hits
    if hits:
        verdict = f'<p class="verdict hit">{len(hits)} hit(s) at or above the threshold: review before going on.</p>'
    else:
        verdict = '<p class="verdict clear">No hit at or above the threshold.</p>'
    source = (
        f'<p class="muted">Checked against {esc(result.lists)}: {esc(result.entries)} entries, algorithm '
        f"<code>{esc(result.algorithm)}</code>.</p>"
    )
    if not result.candidates:
        return verdict + source + "<p>No list name is similar enough to be worth a look.</p>"
    rows = []
    for i, c in enumerate(result.candidates, 1):
        pill = '<span class="pill bad">hit</span>' if c.hit else '<span class="pill none">below</span>'
        _, matched = mark_differences(result.query.name, c.matched_name or "")
        rows.append(
            f'<tr data-uid="{esc(c.uid)}"><td class=n>{i}</td><td class=n>{c.score:.3f}</td><td>{pill}</td>'
            f"<td class=n>{c.threshold:.2f}</td><td>{esc(c.list_source)} {esc(c.entry_id)}</td>"
            f"<td>{esc(c.listed_name)}</td><td>{matched}</td><td>{esc(c.programs)}</td>"
            f'<td class="why">{esc(c.reason)}</td></tr>'
        )
    head = (
        "<tr><th class=n>#</th><th class=n>score</th><th></th><th class=n>threshold</th><th>list entry</th>"
        "<th>listed name</th><th>matched name</th><th>programmes</th><th>why</th></tr>"
    )
    return verdict + source + f'<table class="answer"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def create_app(
    checker: Checker, *, allow_clients: Sequence[str] = (), allow_hosts: Sequence[str] = ()
) -> FastAPI:
    """The web application: the form page, ``POST /check`` and ``GET /health``.

    Only clients on loopback (and the networks in ``allow_clients``) are answered, and only
    requests naming a loopback host (or one of ``allow_hosts``) in their Host header.
    """
    networks = _networks(allow_clients)
    hosts = {h.lower().strip("[]") for h in (*LOOPBACK_HOSTS, *allow_hosts)}
    app = FastAPI(title="Interdict check", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        client = _client(request)
        user = request.headers.get(USER_HEADER)
        via = "api" if request.url.path == "/check" else "web"
        problem, status = None, 200
        if not _allowed_client(client, networks):
            problem, status = f"client {client} is not allowed", 403
        elif _host_name(request.headers.get("host", "")) not in hosts:
            problem, status = f"host {request.headers.get('host', '')!r} is not served here", 400
        elif request.method == "POST" and (request.headers.get("sec-fetch-site") == "cross-site" or (
            request.headers.get("origin") not in (None, "null")
            and _host_name(urlparse(request.headers.get("origin", "")).netloc) not in hosts
        )):
            problem, status = "a form posted from another site", 403
        if problem is not None:
            checker.audit.refusal(user=user, client=client, via=via, status=status, problem=problem)
            return JSONResponse({"detail": f"refused: {problem}"}, status_code=status, headers=_HEADERS)
        response = await call_next(request)
        response.headers.update(_HEADERS)
        return response

    def answer(query: Query, *, user: str | None, client: str, via: str, limit: int = 10) -> CheckResult:
        checker.refresh()
        result = checker.check(query, limit=limit)
        checker.audit.record(result, user=user, client=client, via=via)
        return result

    @app.get("/", response_class=HTMLResponse)
    def form() -> str:
        return _form_page({})

    @app.post("/", response_class=HTMLResponse)
    def form_answer(
        request: Request,
        name: Annotated[str, Form(max_length=MAX_NAME_LENGTH)] = "",
        type: Annotated[str, Form(max_length=20)] = "unknown",
        dob: Annotated[str, Form(max_length=10)] = "",
        country: Annotated[str, Form(max_length=3)] = "",
        id_number: Annotated[str, Form(max_length=100)] = "",
        user: Annotated[str, Form(max_length=200)] = "",
    ) -> HTMLResponse:
        values = {"name": name, "type": type, "dob": dob, "country": country, "id_number": id_number, "user": user}
        who = request.headers.get(USER_HEADER) or user or None
        try:
            query = Query(name, type, dob, country, id_number)
        except CheckError as exc:
            checker.audit.refusal(user=who, client=_client(request), via="web", status=422, problem=str(exc))
            return HTMLResponse(_form_page(values, f'<p class="error">{esc(exc)}</p>'), status_code=422)
        result = answer(query, user=who, client=_client(request), via="web")
        return HTMLResponse(_form_page(values, answer_html(result)))

    @app.post("/check")
    def check_json(body: CheckRequest, request: Request) -> JSONResponse:
        who = request.headers.get(USER_HEADER) or body.user
        try:
            query = Query(body.name, body.type, body.dob, body.country, body.id_number)
        except CheckError as exc:
            checker.audit.refusal(user=who, client=_client(request), via="api", status=422, problem=str(exc))
            return JSONResponse({"detail": str(exc)}, status_code=422)
        result = answer(query, user=who, client=_client(request), via="api", limit=body.limit)
        return JSONResponse(result.as_dict())

    @app.get("/health")
    def health() -> dict[str, Any]:
        index = checker.index
        return {"status": "ok", "lists": index.source, "entries": index.entry_count}

    return app


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server to this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
