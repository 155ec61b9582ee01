"""The report set's readable summary page (``summary.html``): one self-contained HTML file with
no scripts and no external resources, so it opens safely from a download folder.

It leads with what needs a reviewer — new and changed alerts — then counts, hits by list and
programme, a score-distribution chart (inline SVG), cleared hits, review decisions, data quality
and the list versions screened against. Its bytes depend only on the night's data, so a re-run
gives the same page.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from html import escape
from typing import Any, Final

import polars as pl

_LEAD_COLUMNS: Final = (
    "delta",
    "change",
    "score",
    "party_role",
    "party_id",
    "party_name",
    "list_source",
    "entry_id",
    "listed_name",
    "programs",
    "disposition",
    "reason",
)
_MAX_ROWS: Final = 500
_STYLE: Final = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#f4f4f4}td.n{text-align:right}.new{color:#b00;font-weight:bold}
.changed{color:#b60}.muted{color:#777}.warn{background:#fff4e0;padding:.5em;border:1px solid #e8c080}
"""


@dataclass(frozen=True)
class NightSummary:
    """Everything the summary page shows for one bank and night."""

    bank: str
    bank_name: str
    run_date: str
    previous_night: str | None
    hits: pl.DataFrame
    cleared: pl.DataFrame
    counts: dict[str, Any]
    validations: dict[str, Any]
    lists: dict[str, Any]
    decisions: dict[str, Any] = field(default_factory=dict)
    rejections: pl.DataFrame | None = None
    quality: Any = None


def _table(rows: list[list[Any]], header: list[str], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
            cls = ' class="n"' if i in numeric else f' class="{escape(text)}"' if text in {"new", "changed"} else ""
            cells.append(f"<td{cls}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def score_chart(scores: list[float], *, width: int = 560, height: int = 160, step: float = 0.025) -> str:
    """A histogram of hit scores as inline SVG (bins of ``step`` from the lowest score to 1)."""
    if not scores:
        return '<p class="muted">No hits tonight.</p>'
    low = math.floor(min(scores) / step) * step
    bins = max(1, round((1.0 - low) / step))  # the last bin includes a perfect score
    counts = [0] * bins
    for s in scores:
        counts[min(int((s - low) / step + 1e-9), bins - 1)] += 1
    top = max(counts)
    pad, bar_w = 30, (width - 40) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" role="img" '
        f'aria-label="score distribution of {len(scores)} hits">',
        f'<line x1="{pad}" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#444"/>',
    ]
    for i, n in enumerate(counts):
        h = 0 if top == 0 else round((height - 10) * n / top, 1)
        x = round(pad + i * bar_w, 1)
        lo = low + i * step
        parts.append(
            f'<rect x="{x}" y="{round(height - h, 1)}" width="{round(bar_w - 2, 1)}" height="{h}" fill="#4a78b0">'
            f"<title>{lo:.3f}–{lo + step:.3f}: {n}</title></rect>"
        )
        if n:
            parts.append(
                f'<text x="{round(x + bar_w / 2, 1)}" y="{round(height - h - 2, 1)}" font-size="10" '
                f'text-anchor="middle">{n}</text>'
            )
        if i % 2 == 0:
            parts.append(f'<text x="{x}" y="{height + 14}" font-size="10">{lo:.2f}</text>')
    parts.append(f'<text x="{width / 2}" y="{height + 32}" font-size="11" text-anchor="middle">score</text>')
    parts.append("</svg>")
    return "".join(parts)


def _by(hits: pl.DataFrame, column: str) -> list[list[Any]]:
    if hits.height == 0:
        return []
    frame = hits
    if column == "programs":
        frame = hits.with_columns(pl.col("programs").fill_null("").str.split("; ")).explode("programs")
        frame = frame.with_columns(pl.col("programs").replace("", "(none)"))
    grouped = (
        frame.group_by(column)
        .agg(
            pl.len().alias("hits"),
            pl.col("alert").sum().alias("alerts"),
            (pl.col("delta") == "new").sum().alias("new"),
        )
        .sort(["hits", column], descending=[True, False])
    )
    return [list(r) for r in grouped.iter_rows()]


def render(s: NightSummary) -> str:
    hits = s.hits
    counts = s.counts
    lead = hits.filter(pl.col("alert") & pl.col("delta").is_in(["new", "changed"]))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Interdict — {escape(s.bank_name)} — {escape(s.run_date)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Sanctions screening — {escape(s.bank_name)} ({escape(s.bank)}) — night of {escape(s.run_date)}</h1>",
        "<p>Compared with "
        + (f"the report of {escape(s.previous_night)}" if s.previous_night else "no earlier report (first night)")
        + ". A hit is a suspicion to review, not a finding. The complete list is in <code>hits.csv</code> / "
        "<code>hits.parquet</code>; every file's hash is in <code>manifest.json</code>.</p>",
        f"<h2>New and changed alerts ({lead.height})</h2>",
    ]
    if lead.height:
        cols: list[str] = [c for c in _LEAD_COLUMNS if c in lead.columns]
        rows = [list(r) for r in lead.select(cols).head(_MAX_ROWS).iter_rows()]
        out.append(_table(rows, cols, {cols.index("score")}))
        if lead.height > _MAX_ROWS:
            out.append(f'<p class="muted">First {_MAX_ROWS} of {lead.height}; see hits.csv.</p>')
    else:
        out.append("<p>None tonight.</p>")
    if counts.get("decisions_rejected"):
        out.append(
            f'<p class="warn">{counts["decisions_rejected"]} review decision(s) were rejected; '
            "see <code>rejections.csv</code>.</p>"
        )

    out.append("<h2>Counts</h2>")
    labels = [
        ("parties_screened", "parties screened"),
        ("hits", "hits tonight"),
        ("alerts", "alerts needing review"),
        ("new", "new"),
        ("changed", "changed"),
        ("unchanged", "unchanged (carried over)"),
        ("cleared", "cleared since the previous report"),
        ("suppressed", "suppressed false positives"),
        ("confirmed", "confirmed true matches"),
        ("stale_decisions", "decisions no longer in force"),
        ("parties_with_hits", "parties with hits"),
        ("rows_quarantined", "input rows quarantined"),
        ("decisions_received", "review decisions received"),
        ("decisions_accepted", "decisions accepted"),
        ("decisions_rejected", "decisions rejected"),
    ]
    out.append(_table([[label, counts.get(key, 0)] for key, label in labels], ["", "count"], {1}))

    out.append("<h2>Hits by list</h2>")
    out.append(_table(_by(hits, "list_source"), ["list", "hits", "alerts", "new"], {1, 2, 3}))
    out.append("<h2>Hits by programme</h2>")
    out.append(_table(_by(hits, "programs"), ["programme", "hits", "alerts", "new"], {1, 2, 3}))
    out.append("<h2>Score distribution</h2>")
    out.append(score_chart(hits["score"].to_list()))

    out.append(f"<h2>Cleared hits ({s.cleared.height})</h2>")
    if s.cleared.height:
        cols = ["cleared_reason", "party_role", "party_id", "party_name", "list_source", "entry_id", "score"]
        rows = [list(r) for r in s.cleared.select(cols).head(_MAX_ROWS).iter_rows()]
        out.append(_table(rows, ["why", *cols[1:-1], "last score"], {6}))
    else:
        out.append("<p>None.</p>")

    if s.rejections is not None and s.rejections.height:
        out.append(f"<h2>Rejected review decisions ({s.rejections.height})</h2>")
        cols = ["received_file", "line", "record_id", "uid", "decision", "problem"]
        out.append(_table([list(r) for r in s.rejections.select(cols).head(_MAX_ROWS).iter_rows()], cols))

    out.append("<h2>Data quality</h2>")
    dq_rows = []
    for dataset, v in sorted(s.validations.items()):
        rules = ", ".join(f"{k}: {n}" for k, n in sorted((v.get("rules") or {}).items())) or "—"
        dq_rows.append([dataset, v.get("rows_in"), v.get("rows_loaded"), v.get("rows_quarantined"), rules])
    out.append(_table(dq_rows, ["dataset", "rows in", "loaded", "quarantined", "failed rules"], {1, 2, 3}))
    if s.quality is not None:
        out.append("<pre>" + escape(json.dumps(s.quality, indent=2, sort_keys=True, default=str)) + "</pre>")
    out.append(
        '<p class="muted">Quarantined rows, with the reason, are in <code>quarantine.csv</code>; the '
        "rule results in <code>validation.json</code>.</p>"
    )

    out.append("<h2>List versions</h2>")
    out.append(f"<p>Snapshot <code>{escape(str(s.lists.get('snapshot_sha256', '')))}</code></p>")
    src_rows = [
        [x.get("list_source"), x.get("file"), x.get("format"), x.get("entries"), x.get("sha256")]
        for x in s.lists.get("sources", [])
    ]
    out.append(_table(src_rows, ["list", "file", "format", "entries", "SHA-256"], {3}))
    out.append("</body></html>")
    return "\n".join(out) + "\n"
