"""What every HTML page Interdict publishes or serves has in common: one self-contained file,
styled inline, no external resources, every value escaped.

Pages are opened from a bank's download folder, from a presigned link or from a local server on a
network without internet access, so nothing is loaded from elsewhere. The Content-Security-Policy
forbids any request the page does not make itself; a page that carries a script allows exactly
that script, by its SHA-256 (markup planted in a party's data cannot run).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Final

BASE_STYLE: Final = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{padding:1.2em 2em 3em;max-width:none}
header.top{background:#1f3047;color:#fff;padding:.9em 2em}
header.top h1{margin:0;font-size:1.35em;font-weight:600}
header.top p{margin:.25em 0 0;color:#c8d3e3}
h2{font-size:1.12em;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:1px solid #cfd5de}
h3{font-size:1em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.4em 0;background:#fff}
td,th{border:1px solid #dde2e8;padding:.3em .55em;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#fff;border:1px solid #dde2e8;padding:.6em;overflow:auto}
.muted{color:#6b7480}
.warn{background:#fff4e0;padding:.6em .8em;border:1px solid #e8c080}
.ok{color:#17692f}.bad{color:#a4161a}
.pill{display:inline-block;padding:0 .45em;border-radius:.7em;font-size:.85em;font-weight:600;white-space:nowrap}
.pill.ok{background:#e3f4e7}.pill.bad{background:#fde4e4}.pill.none{background:#eceef1;color:#555}
"""


def esc(value: object) -> str:
    """A value as HTML text: None as empty, everything else escaped (quotes too)."""
    return "" if value is None else escape(str(value), quote=True)


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def page(title: str, body: str, *, style: str = "", script: str | None = None, heading: str = "") -> str:
    """A whole HTML document: ``body`` is trusted markup built from escaped values; ``script`` an
    inline script the page's policy allows by hash; ``heading`` the banner's inner markup."""
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    if script is not None:
        policy += f"; script-src {script_hash(script)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title><style>{BASE_STYLE}{style}</style></head><body>",
    ]
    if heading:
        parts.append(f'<header class="top">{heading}</header>')
    parts.append(f"<main>{body}</main>")
    if script is not None:
        parts.append(f"<script>{script}</script>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def table(rows: list[list[object]], header: list[str], *, numeric: set[int] | None = None, cls: str = "") -> str:
    """A plain table of escaped values; columns in ``numeric`` right-aligned, floats to 3 places."""
    numeric = numeric or set()
    head = "".join(f'<th{" class=n" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = f"{value:.3f}" if isinstance(value, float) else value
            cells.append(f'<td{" class=n" if i in numeric else ""}>{esc(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
