"""The report set's readable summary page (``summary.html``): the analyst's work surface for the
night, one self-contained HTML file with no external resources, so it opens safely from a
download folder or a presigned link on a network without internet access.

It leads with what needs a reviewer: every alert still awaiting a decision, new ones first, each
on one row with the names side by side (differing letters marked), the date of birth, country and
identifiers of both sides (agreeing, conflicting or absent), and for a company flagged through
the register its ownership chain. Possible ownership (reached only with the upper bounds of share
bands) has its own section. Filters by delta, list and score band are one small inline script
the page's Content-Security-Policy allows by hash; without scripts every row shows. A "what to do
next" box offers the alerts as a decisions CSV to fill in and the command that sends it back.

Then the screening settings in force, counts, hits by list and programme, a score histogram
(inline SVG), decided and cleared hits, rejected decisions, data quality and list versions. Its
bytes depend only on the night's data, so a re-run gives the same page.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from pipelines.delivery.alerts import AlertView, Attribute, Holding
from pipelines.pages import esc, page, table

_MAX_ROWS: Final = 2000
_BANDS: Final = (("high", "0.95 – 1.00", 0.95), ("mid", "0.90 – 0.95", 0.90), ("low", "below 0.90", 0.0))
_DELTA_LABEL: Final = {"new": "new", "changed": "changed", "unchanged": "carried over"}
_STATUS_CLASS: Final = {
    "agrees": "ok", "conflicts": "bad", "differs": "differs", "absent": "none", "not compared": "none",
}
_STYLE: Final = """
.cards{display:flex;flex-wrap:wrap;gap:.7em;margin:.4em 0 1em}
.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.35em .8em;font-size:.9em}
.card b{display:block;font-size:1.45em;line-height:1.2}.card.alert b{color:#a4161a}
.next{background:#eef5ff;border:1px solid #9fbfe8;border-radius:6px;padding:.6em 1.1em;margin:1em 0}
.next h2{border:0;margin:.3em 0}.next ol{margin:.3em 0 .5em 1.2em;padding:0}.next li{margin:.25em 0}
a.button{display:inline-block;background:#1f5fa8;color:#fff;padding:.3em .8em;border-radius:4px;text-decoration:none}
table.alerts{width:100%;table-layout:fixed}table.alerts td{padding:.4em .55em;overflow-wrap:anywhere}
.pname{font-weight:600;font-size:1.02em}mark{background:#ffe27a;color:inherit;padding:0 1px;border-radius:2px}
.sub{color:#5b6470;font-size:.88em}.why{color:#4b5563;font-size:.86em}
.pill.differs{background:#fff0d6;color:#7a4b00}
.delta{font-weight:700}.delta.new{color:#b00020}.delta.changed{color:#b85c00}.delta.unchanged{color:#5b6470}
.score{font-size:1.15em;font-weight:700;font-variant-numeric:tabular-nums}
.band-high .score{color:#a4161a}.band-mid .score{color:#b85c00}.band-low .score{color:#5b6470}
.attr{font-size:.9em;margin:.1em 0 .3em}.attr .label{display:inline-block;min-width:6.6em;color:#5b6470}
ol.chain{margin:.3em 0 0;padding-left:1.2em;font-size:.9em}ol.chain li{margin:.1em 0}
ul.owners{margin:.15em 0 0;padding-left:1.1em;font-size:.9em;list-style:"↑ "}ul.owners li{margin:.15em 0}
ul.owners ul.owners{font-size:1em}
.share{font-variant-numeric:tabular-nums;color:#1f3047;font-weight:600}details.sub{margin-top:.3em}
.basis{font-weight:600}.basis.possible{color:#7a4b00}.basis.ownership,.basis.control{color:#a4161a}
#filters{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:.5em .9em;margin:.5em 0}
#filters fieldset{display:inline-block;border:0;margin:0 1.5em 0 0;padding:0}
#filters legend{font-weight:600;padding:0;float:left;margin-right:.5em}#filters label{margin-right:.7em}
p.settings{margin:.6em 0 0}
#possible .score{color:#7a4b00}
"""
_SCRIPT: Final = """(function () {
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  bar.hidden = false;
  var all = Array.prototype.slice.call(document.querySelectorAll("tr[data-delta]"));
  function chosen(name) {
    var boxes = bar.querySelectorAll('input[name="' + name + '"]:checked');
    return Array.prototype.map.call(boxes, function (box) { return box.value; });
  }
  function apply() {
    var deltas = chosen("delta"), lists = chosen("list"), band = bar.querySelector("select[name=band]").value;
    var shown = 0;
    all.forEach(function (row) {
      var keep = deltas.indexOf(row.getAttribute("data-delta")) >= 0 &&
        lists.indexOf(row.getAttribute("data-list")) >= 0 &&
        (band === "all" || row.getAttribute("data-band") === band);
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-shown-of]"), function (out) {
      var rows = document.querySelectorAll("#" + out.getAttribute("data-shown-of") + " tr[data-delta]");
      var visible = Array.prototype.filter.call(rows, function (row) { return !row.hidden; }).length;
      out.textContent = visible + " of " + rows.length + " shown";
    });
    document.getElementById("shown").textContent = shown + " of " + all.length + " alerts shown";
  }
  bar.addEventListener("change", apply);
  bar.querySelector("button[name=reset]").addEventListener("click", function () {
    Array.prototype.forEach.call(bar.querySelectorAll("input[type=checkbox]"), function (box) { box.checked = true; });
    bar.querySelector("select[name=band]").value = "all";
    apply();
  });
  apply();
})();"""


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
    alerts: tuple[AlertView, ...] = ()  # one per alert row of ``hits``, in its order
    screening: dict[str, Any] = field(default_factory=dict)  # thresholds, algorithm
    template: bytes = b""  # the alerts as a decisions CSV to fill in
    inbox: str = ""  # where decision files go


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


def band(score: float) -> str:
    """The score band a filter selects on: high (0.95 and above), mid (0.90 to 0.95) or low."""
    return next(name for name, _, floor in _BANDS if score >= floor)


def _attribute_rows(attributes: tuple[Attribute, ...]) -> str:
    """Each identifier on one line: whether the two sides agree, then the bank's and the list's value."""
    lines = []
    for a in attributes:
        status = esc(a.status) + (f" {esc(a.note)}" if a.status == "agrees" and a.note else "")
        lines.append(
            f'<div class="attr"><span class="label">{esc(a.label)}</span> '
            f'<span class="pill {_STATUS_CLASS.get(a.status, "none")}">{status}</span> '
            f'<span class="sub">bank</span> {esc(a.party or "—")} '
            f'<span class="sub">· list</span> {esc(a.listed or "—")}</div>'
        )
    return "".join(lines)


def _holders(holders: tuple[Holding, ...]) -> str:
    """Who holds the company, each owner with its own holders, down to the listed parties."""
    items = []
    for h in holders:
        refs = f" ({esc(h.refs)})" if h.refs else ""
        status = "bad" if h.status in ("listed", "blocked") else "differs"
        items.append(
            f'<li><span class="share">{esc(h.share)}</span> <b>{esc(h.owner)}</b>{refs} '
            f'<span class="pill {status}">{esc(h.status)}</span>'
            + (_holders(h.holders) if h.holders else "")
            + "</li>"
        )
    return '<ul class="owners">' + "".join(items) + "</ul>"


def _alert_row(view: AlertView, *, shares: bool = False) -> str:
    hit = view.hit
    score = float(hit["score"])
    delta = str(hit.get("delta") or "new")
    change = f'<div class="sub">{esc(str(hit["change"]).replace(";", ", "))}</div>' if hit.get("change") else ""
    stale = (
        '<div class="sub">earlier decision no longer in force: '
        f"{esc(hit.get('disposition'))} by {esc(hit.get('reviewer'))}</div>"
        if hit.get("disposition_stale")
        else ""
    )
    before = hit.get("previous_score")
    moved = before is not None and f"{float(before):.3f}" != f"{score:.3f}"
    previous = f'<div class="sub">was {float(before):.3f}</div>' if moved and before is not None else ""
    who = (
        f'<div class="pname">{view.party_marked}</div>'
        f'<div class="sub">{esc(hit.get("party_role"))} · {esc(hit.get("party_id"))}</div>'
    )
    entry = [f'<div class="pname">{view.listed_marked}</div>']
    if hit.get("listed_name") and hit.get("listed_name") != hit.get("matched_name"):
        entry.append(f'<div class="sub">listed as {esc(hit["listed_name"])}</div>')
    entry.append(f'<div class="sub">{esc(hit.get("list_source"))} {esc(hit.get("entry_id"))}')
    if view.ownership is None and hit.get("programs"):
        entry.append(f" · {esc(hit['programs'])}")
    entry.append("</div>")
    if hit.get("also_listed_by"):
        entry.append(f'<div class="sub">also listed: {esc(hit["also_listed_by"])}</div>')
    owned = view.ownership
    if owned is not None:
        entry.append(f'<div class="basis {esc(owned.basis)}">{esc(owned.label)}</div>')
        if shares:
            established = "—" if owned.established_share is None else f"{owned.established_share:g} %"
            possible = "—" if owned.possible_share is None else f"up to {owned.possible_share:g} %"
            entry.append(
                f'<div class="sub">established share held by listed parties: <b>{esc(established)}</b>; '
                f"possible share: <b>{esc(possible)}</b></div>"
            )
        if owned.holders:
            entry.append('<div class="sub">held by</div>' + _holders(owned.holders))
            entry.append(
                f'<details class="sub"><summary>as the register states it</summary>{esc(owned.evidence)}</details>'
            )
        elif owned.chain:
            entry.append('<ol class="chain">' + "".join(f"<li>{esc(step)}</li>" for step in owned.chain) + "</ol>")
    return (
        f'<tr class="band-{band(score)}" data-delta="{esc(delta)}" data-list="{esc(hit.get("list_source"))}" '
        f'data-band="{band(score)}" data-uid="{esc(hit.get("uid"))}" data-record="{esc(hit.get("record_id"))}">'
        f'<td><span class="delta {esc(delta)}">{esc(_DELTA_LABEL.get(delta, delta))}</span>{change}{stale}</td>'
        f'<td class="n"><span class="score">{score:.3f}</span>{previous}</td>'
        f'<td class="who">{who}</td><td class="entry">{"".join(entry)}</td>'
        f"<td>{_attribute_rows(view.attributes)}</td>"
        f'<td class="why">{esc(hit.get("reason"))}</td></tr>'
    )


def _alert_table(views: list[AlertView], table_id: str, *, shares: bool = False) -> str:
    widths = ("6.5em", "5.5em", "17%", "31%", "29%", "23%")
    cols = "<colgroup>" + "".join(f'<col style="width:{w}">' for w in widths) + "</colgroup>"
    head = cols + (
        "<thead><tr><th>delta</th><th class=n>score</th><th>bank's party</th><th>list entry</th>"
        "<th>date of birth, country, identifier</th><th>why it matched</th></tr></thead>"
    )
    rows = "".join(_alert_row(v, shares=shares) for v in views[:_MAX_ROWS])
    more = (
        f'<p class="muted">First {_MAX_ROWS} of {len(views)}; every alert is in <code>hits.csv</code> and in the '
        "decisions template.</p>"
        if len(views) > _MAX_ROWS
        else ""
    )
    return f'<table class="alerts" id="{table_id}">{head}<tbody>{rows}</tbody></table>{more}'


def _filters(views: tuple[AlertView, ...]) -> str:
    deltas = [d for d in _DELTA_LABEL if any(v.hit.get("delta") == d for v in views)]
    lists = sorted({str(v.hit.get("list_source")) for v in views})
    boxes_delta = "".join(
        f'<label><input type="checkbox" name="delta" value="{esc(d)}" checked> {esc(_DELTA_LABEL[d])}</label>'
        for d in deltas
    )
    boxes_list = "".join(
        f'<label><input type="checkbox" name="list" value="{esc(x)}" checked> {esc(x)}</label>' for x in lists
    )
    options = '<option value="all">all scores</option>' + "".join(
        f'<option value="{name}">{esc(label)}</option>' for name, label, _ in _BANDS
    )
    return (
        '<form id="filters" hidden>'
        f"<fieldset><legend>delta</legend>{boxes_delta}</fieldset>"
        f"<fieldset><legend>list</legend>{boxes_list}</fieldset>"
        f'<fieldset><legend>score</legend><select name="band">{options}</select></fieldset>'
        '<button type="button" name="reset">show all</button> <output id="shown" class="sub"></output></form>'
    )


def _what_next(s: NightSummary, open_alerts: int) -> str:
    file_name = f"decisions-{s.bank}-{s.run_date}.csv"
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(s.template).decode("ascii")
    inbox = f" (it lands in <code>{esc(s.inbox)}</code>)" if s.inbox else ""
    return (
        '<section class="next" id="next"><h2>What to do next</h2><ol>'
        f"<li>Review the {open_alerts} alert(s) below: a hit is a suspicion, not a finding. The names are side by "
        "side with their differing letters marked; the date of birth, country and identifier say whether the "
        "bank's data and the list agree.</li>"
        f'<li>Download the alerts as a decisions file: <a class="button" id="template" download="{esc(file_name)}" '
        f'href="{href}">decisions template (CSV)</a> (also in the report set as <code>decisions-template.csv</code>). '
        "For each alert you have decided, fill in <code>decision</code> (<code>true_match</code> or "
        "<code>false_positive</code>), <code>reviewer</code> and <code>reason</code> (optionally "
        "<code>decided_at</code>, an ISO date or time); delete the rows you have not decided yet. Leave "
        "<code>record_id</code> and <code>uid</code> as they are; other columns are ignored.</li>"
        f"<li>Send it back: <code>interdict reports submit --bank {esc(s.bank)} {esc(file_name)}</code>{inbox}.</li>"
        "<li>The next night applies it: a false positive stops alerting until the party's data or the list entry "
        "changes; a true match stays on the page as confirmed. Rows that cannot be applied come back in that "
        "night's <code>rejections.csv</code>, with the reason.</li></ol></section>"
    )


def _settings(s: NightSummary) -> str:
    thresholds = s.screening.get("thresholds") or {}
    shown = " · ".join(f"{esc(k)} <b>{float(v):.2f}</b>" for k, v in thresholds.items()) or "—"
    algorithm = s.screening.get("algorithm") or "—"
    snapshot = str(s.lists.get("snapshot_sha256") or "")
    return (
        f'<p class="settings">A party and a list entry are a hit at or above the threshold of the party\'s type: '
        f'<span id="thresholds">{shown}</span>. Matching algorithm <code id="algorithm">{esc(algorithm)}</code>; '
        f"lists snapshot <code>{esc(snapshot[:12])}</code>.</p>"
    )


def _quality(quality: Any) -> str:
    if not isinstance(quality, dict) or not quality:
        return ""

    def share(key: str) -> str:
        value = quality.get(f"share_{key}")
        return "—" if value is None else f"{100 * float(value):.1f} %"

    types = ", ".join(f"{k} {v}" for k, v in (quality.get("entity_types") or {}).items())
    scripts = ", ".join(f"{k} {v}" for k, v in (quality.get("scripts") or {}).items())
    rows: list[list[object]] = [
        ["parties screened", quality.get("rows"), "", types],
        ["persons with a date of birth", quality.get("persons_with_dob"), share("persons_with_dob"),
         "of the persons: confirms or rules out a name match"],
        ["persons with a nationality", quality.get("persons_with_nationality"), share("persons_with_nationality"),
         "of the persons"],
        ["names in a non-Latin script", quality.get("non_latin_names"), share("non_latin_names"), scripts],
        ["names that look swapped", quality.get("swapped_looking_names"), share("swapped_looking_names"),
         f"checked on {quality.get('swapped_check', '')}"],
    ]
    return "<h3>What limits screening quality</h3>" + table(rows, ["", "parties", "share", "note"], numeric={1, 2})


def render(s: NightSummary) -> str:
    hits = s.hits
    counts = s.counts
    views = list(s.alerts)
    review = [v for v in views if not v.possible_ownership]
    possible = [v for v in views if v.possible_ownership]
    by_delta = {d: sum(1 for v in views if v.hit.get("delta") == d) for d in _DELTA_LABEL}
    compared = f"the report of {esc(s.previous_night)}" if s.previous_night else "no earlier report (first night)"
    heading = (
        f"<h1>Sanctions screening — {esc(s.bank_name)} ({esc(s.bank)})</h1>"
        f"<p>Night of {esc(s.run_date)} · compared with {compared}</p>"
    )
    cards = [
        ("alert", len(views), "alerts awaiting a decision"),
        ("", by_delta["new"], "new tonight"),
        ("", by_delta["changed"], "changed"),
        ("", by_delta["unchanged"], "carried over"),
        ("", counts.get("confirmed", 0), "confirmed true matches"),
        ("", counts.get("suppressed", 0), "suppressed false positives"),
        ("", counts.get("cleared", 0), "cleared since last report"),
    ]
    out = [
        '<div class="cards">'
        + "".join(f'<div class="card {c}"><b>{esc(n)}</b>{esc(label)}</div>' for c, n, label in cards)
        + "</div>"
    ]
    if counts.get("decisions_rejected"):
        out.append(
            f'<p class="warn">{esc(counts["decisions_rejected"])} review decision(s) were rejected; see '
            "<code>rejections.csv</code> and the section below.</p>"
        )
    out.append(_what_next(s, len(views)))
    out.append(_settings(s))

    out.append(
        f'<h2 id="alerts-heading">Alerts awaiting a decision ({len(review)}) '
        f'<span class="sub" data-shown-of="alerts"></span></h2>'
    )
    out.append(
        '<p class="muted">New first, then changed, then those carried over from earlier nights; best score first. '
        "Letters that differ between the bank's name and the list's are marked.</p>"
    )
    if views:
        out.append(_filters(s.alerts))
    out.append(_alert_table(review, "alerts") if review else "<p>None tonight.</p>")
    if possible:
        out.append(
            f'<h2 id="possible-heading">Possible ownership — awaiting a decision ({len(possible)}) '
            f'<span class="sub" data-shown-of="possible"></span></h2>'
        )
        out.append(
            '<p class="muted">Companies that listed parties could own 50 % or more only if the upper bounds of the '
            "register's share bands are taken: not established as blocked. Check the actual shareholdings.</p>"
        )
        out.append(_alert_table(possible, "possible", shares=True))

    decided = hits.filter(~pl.col("alert")) if "alert" in hits.columns else hits.clear()
    out.append(f"<h2>Decided hits ({decided.height})</h2>")
    if decided.height:
        cols = ["disposition", "reviewer", "decided_at", "party_name", "list_source", "entry_id", "score",
                "disposition_reason"]
        rows = [list(r) for r in decided.select(cols).head(_MAX_ROWS).iter_rows()]
        out.append(table(rows, ["decision", "reviewer", "decided", "party", "list", "entry", "score", "reason"],
                         numeric={6}))
    else:
        out.append("<p>None: no decision is in force on tonight's hits.</p>")

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
    out.append(table([[label, counts.get(key, 0)] for key, label in labels], ["", "count"], numeric={1}))

    out.append("<h2>Hits by list</h2>")
    out.append(table(_by(hits, "list_source"), ["list", "hits", "alerts", "new"], numeric={1, 2, 3}))
    out.append("<h2>Hits by programme</h2>")
    out.append(table(_by(hits, "programs"), ["programme", "hits", "alerts", "new"], numeric={1, 2, 3}))
    out.append("<h2>Score distribution</h2>")
    out.append(score_chart(hits["score"].to_list()))

    out.append(f"<h2>Cleared hits ({s.cleared.height})</h2>")
    if s.cleared.height:
        cols = ["cleared_reason", "party_role", "party_id", "party_name", "list_source", "entry_id", "score"]
        rows = [list(r) for r in s.cleared.select(cols).head(_MAX_ROWS).iter_rows()]
        out.append(table(rows, ["why", *cols[1:-1], "last score"], numeric={6}))
    else:
        out.append("<p>None.</p>")

    if s.rejections is not None and s.rejections.height:
        out.append(f"<h2>Rejected review decisions ({s.rejections.height})</h2>")
        cols = ["received_file", "line", "record_id", "uid", "decision", "problem"]
        out.append(table([list(r) for r in s.rejections.select(cols).head(_MAX_ROWS).iter_rows()], cols))

    out.append("<h2>Data quality</h2>")
    dq_rows = []
    for dataset, v in sorted(s.validations.items()):
        rules = ", ".join(f"{k} {n}" for k, n in sorted((v.get("rules") or {}).items())) or "—"
        dq_rows.append([dataset, v.get("rows_in"), v.get("rows_loaded"), v.get("rows_quarantined"), rules])
    out.append(table(dq_rows, ["dataset", "rows in", "loaded", "quarantined", "rows failing, by rule"],
                     numeric={1, 2, 3}))
    out.append(_quality(s.quality))
    out.append(
        '<p class="muted">Quarantined rows, with their original values and the reason, are in '
        '<code>quarantine.csv</code>; every rule\'s result is in <a href="data-docs/index.html">the data docs</a> '
        "and <code>validation.json</code>.</p>"
    )

    out.append("<h2>List versions</h2>")
    out.append(f"<p>Snapshot <code>{esc(s.lists.get('snapshot_sha256', ''))}</code></p>")
    src_rows = [
        [x.get("list_source"), x.get("file"), x.get("format"), x.get("entries"), x.get("sha256")]
        for x in s.lists.get("sources", [])
    ]
    out.append(table(src_rows, ["list", "file", "format", "entries", "SHA-256"], numeric={3}))
    out.append(
        '<p class="muted">The complete hits are in <code>hits.csv</code> / <code>hits.parquet</code>; every file\'s '
        "hash is in <code>manifest.json</code>.</p>"
    )
    title = f"Interdict — {s.bank_name} — {s.run_date}"
    return page(title, "\n".join(out), style=_STYLE, script=_SCRIPT if views else None, heading=heading)
