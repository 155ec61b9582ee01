"""Data docs: the Great Expectations validation results of a night as readable pages.

Rendered here from the validation results (``ValidationResult.gx_results``), not by Great
Expectations' own renderer: its pages load Bootstrap and jQuery from public CDNs (unstyled on a
bank's offline network), show the internal helper columns the suites check (such as
``__full_name__has_letter``) and did not escape the values they quote. These pages are one
self-contained file each (:mod:`pipelines.pages`): every rule in words, on the column the data
provider knows, with the failing rows' count, share and example values, all escaped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from pipelines.pages import esc, page

_HELPER: Final = re.compile(r"^__(?P<column>.+?)(?:__(?P<flag>.+))?$")
_MAX_SET: Final = 12
_PASSED: Final = '<span class="pill ok">passed</span>'
_FAILED: Final = '<span class="pill bad">failed</span>'
_STYLE: Final = """
td.rule code{white-space:nowrap}
tr.failed td{background:#fff7f7}
td.examples{max-width:32em}
"""


def _is_helper(column: object) -> bool:
    """A column the suite derives for checking (``__date_of_birth``, ``__x__has_letter``) or
    the reader adds (``_problem``, ``_row``): not a column of the data provider's file."""
    return isinstance(column, str) and column.startswith("_")


def _date_bound(value: object) -> str | None:
    """A bound of a date rule: the suites check dates as numbers YYYYMMDD."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = int(value)
    month, day = number // 100 % 100, number % 100
    if not 10000101 <= number <= 99991231 or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    text = str(number)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _is_date_rule(kwargs: dict[str, Any]) -> bool:
    bounds = [kwargs.get("min_value"), kwargs.get("max_value")]
    return any(b is not None for b in bounds) and all(b is None or _date_bound(b) for b in bounds)


def _date_value(value: object) -> str | None:
    """A checked date value: YYYYMMDD as a date; 0 stands for a value that is no real date."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and int(value) == 0:
        return "not a real date"
    return _date_bound(value)


_FLAG_WORDS: Final = {"has_letter": "has a letter"}


def _words(name: str) -> str:
    return _FLAG_WORDS.get(name, name.replace("_", " ").strip())


def _values(values: list[Any]) -> str:
    shown = ", ".join(str(v) for v in values[:_MAX_SET])
    if len(values) > _MAX_SET:
        return f"one of {len(values)} allowed values ({shown}, …)"
    return f"one of {shown}"


def describe(expectation: dict[str, Any]) -> str:
    """What an expectation checks, in words, on the provider's column."""
    kind = str(expectation.get("type", ""))
    kwargs: dict[str, Any] = expectation.get("kwargs") or {}
    meta: dict[str, Any] = expectation.get("meta") or {}
    checked = str(kwargs.get("column") or "")
    column = str(meta.get("column") or checked)
    helper = _HELPER.match(checked)
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if kind == "expect_table_columns_to_match_set":
        return "the columns " + ", ".join(str(c) for c in kwargs.get("column_set") or []) + " are present"
    if kind == "expect_table_row_count_to_be_between":
        if high is None:
            return f"at least {low} row(s)"
        return f"between {low} and {high} rows"
    if kind == "expect_column_values_to_be_null":
        if checked == "_problem":
            return "every record reads cleanly (quotes closed, the right number of fields, no NUL bytes)"
        return f"{column} is empty"
    if kind == "expect_column_values_to_not_be_null":
        return f"{column} is present"
    if kind == "expect_column_values_to_be_unique":
        return f"{column} is unique"
    if kind == "expect_column_value_lengths_to_be_between":
        if low is None:
            return f"{column} is at most {high} characters"
        return f"{column} is {low} to {high} characters"
    if kind == "expect_column_values_to_be_in_set":
        values = list(kwargs.get("value_set") or [])
        if helper and values == [True]:
            if helper.group("flag"):
                return f"{column} {_words(helper.group('flag'))}"
            return _words(str(meta.get("rule") or helper.group("column")))  # e.g. "share bounds ordered"
        return f"{column} is {_values(values)}"
    if kind == "expect_column_values_to_match_regex":
        return f"{column} matches the pattern {kwargs.get('regex')}"
    if kind == "expect_column_values_to_be_between":
        if helper and _is_date_rule(kwargs):
            return f"{column} is a real date from {_date_bound(low) or 'any date'} to {_date_bound(high) or 'any date'}"
        if high is None:
            return f"{column} is at least {low}"
        if low is None:
            return f"{column} is at most {high}"
        return f"{column} is between {low} and {high}"
    details = ", ".join(f"{k} {v}" for k, v in sorted(kwargs.items()) if k not in ("batch_id", "column"))
    return f"{column}: {_words(kind.removeprefix('expect_'))}" + (f" ({details})" if details else "")


def _example(value: Any, checked: str, dates: bool) -> str | None:
    if _is_helper(checked):
        if isinstance(value, bool):
            return None  # a helper flag's value says nothing the rule does not
        as_date = _date_value(value) if dates else None
        if as_date:
            return as_date
    return "(empty)" if value is None else repr(value) if isinstance(value, str) else str(value)


def _examples(result: dict[str, Any], checked: str, dates: bool = False) -> str:
    parts = []
    for item in result.get("partial_unexpected_counts") or []:
        shown = _example(item.get("value"), checked, dates)
        if shown is not None:
            count = item.get("count", 1)
            parts.append(shown + (f" ×{count}" if count and count > 1 else ""))
    return "; ".join(parts)


def _observed(result: dict[str, Any]) -> str:
    observed = result.get("observed_value")
    if isinstance(observed, list):
        return "columns found: " + ", ".join(str(c) for c in observed if not _is_helper(c))
    if observed is None:
        return ""
    return f"observed: {observed}"


def _row(item: dict[str, Any]) -> tuple[bool, str]:
    expectation: dict[str, Any] = item.get("expectation_config") or {}
    meta: dict[str, Any] = expectation.get("meta") or {}
    kwargs: dict[str, Any] = expectation.get("kwargs") or {}
    result: dict[str, Any] = item.get("result") or {}
    checked = str(kwargs.get("column") or "")
    column = meta.get("column") or ("" if _is_helper(checked) else checked)
    if column == "_problem":
        column = "(the whole record)"
    success = bool(item.get("success"))
    error = (item.get("exception_info") or {}).get("exception_message")
    if error:
        outcome, failing = '<span class="pill bad">not evaluated</span>', esc(error)
    elif success:
        outcome, failing = '<span class="pill ok">met</span>', ""
    else:
        outcome = '<span class="pill bad">failed</span>'
        count = result.get("unexpected_count")
        if count is not None:
            share = result.get("unexpected_percent")
            share_text = f" ({share:.2f} %)" if isinstance(share, (int, float)) else ""
            failing = f"{esc(count)} row(s){esc(share_text)}"
        else:
            failing = esc(_observed(result))
        if meta.get("reason"):
            failing += f'<br><span class="muted">{esc(meta["reason"])}</span>'
    detail = esc(_observed(result)) if meta.get("level") == "dataset" and success else ""
    cells = [
        f'<td class="rule"><code>{esc(meta.get("rule") or expectation.get("type"))}</code></td>',
        f"<td>{esc(meta.get('level') or '')}</td>",
        f"<td>{esc(column)}</td>",
        f"<td>{esc(describe(expectation))}" + (f'<br><span class="muted">{detail}</span>' if detail else "") + "</td>",
        f"<td>{outcome}</td>",
        f"<td>{failing}</td>",
        f'<td class="examples">{esc(_examples(result, checked, _is_date_rule(kwargs)))}</td>',
    ]
    return success and not error, f'<tr{"" if success else " class=failed"}>' + "".join(cells) + "</tr>"


def dataset_page(name: str, result: dict[str, Any]) -> str:
    """One dataset's validation result as a page."""
    stats: dict[str, Any] = result.get("statistics") or {}
    meta: dict[str, Any] = result.get("meta") or {}
    rows = [_row(item) for item in result.get("results") or []]
    failed = [html for ok, html in rows if not ok]
    passed = [html for ok, html in rows if ok]
    status = _PASSED if result.get("success") else _FAILED
    head = (
        "<tr><th>rule</th><th>level</th><th>column</th><th>checks that</th><th>result</th>"
        "<th>failing</th><th>examples of failing values</th></tr>"
    )
    body = [
        '<p><a href="index.html">All datasets</a></p>',
        f"<p>{status} {esc(stats.get('successful_expectations', '?'))} of "
        f"{esc(stats.get('evaluated_expectations', '?'))} rules met"
        + (f" on {esc(meta['rows'])} rows" if meta.get("rows") is not None else "")
        + (f" (suite <code>{esc(result.get('suite_name') or meta.get('suite'))}</code>)" if result.get("suite_name")
           or meta.get("suite") else "")
        + ".</p>",
        "<p class=muted>A row-level rule that fails sends the failing rows to quarantine, with the reason (the "
        "report set's quarantine file); a dataset-level rule that fails refuses the whole extract.</p>",
        f"<table><thead>{head}</thead><tbody>{''.join(failed + passed)}</tbody></table>",
    ]
    heading = f"<h1>Data quality — {esc(name)}</h1><p>Validation results, rule by rule</p>"
    return page(f"Data quality — {name}", "".join(body), style=_STYLE, heading=heading)


def file_name(name: str) -> str:
    """The page's file name for a dataset name (letters, digits, dot, dash and underscore)."""
    return re.sub(r"[^\w.-]+", "_", name, flags=re.ASCII) + ".html"


def render_data_docs(results: dict[str, dict[str, Any]], out_dir: Path) -> Path:
    """Write one page per dataset (name → ``ValidationResult.gx_results``) and an ``index.html``
    to ``out_dir``; returns the index. Empty results (an extract refused before its suite ran)
    are listed, not rendered. The bytes depend only on the results: a re-run gives the same pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, result in results.items():
        if not result:
            rows.append(f"<tr><td>{esc(name)}</td><td colspan=4>refused before validation</td></tr>")
            continue
        target = file_name(name)
        (out_dir / target).write_text(dataset_page(name, result), encoding="utf-8")
        stats: dict[str, Any] = result.get("statistics") or {}
        meta: dict[str, Any] = result.get("meta") or {}
        failing = sum(
            int((item.get("result") or {}).get("unexpected_count") or 0)
            for item in result.get("results") or []
            if not item.get("success")
        )
        status = _PASSED if result.get("success") else _FAILED
        rows.append(
            f'<tr><td><a href="{esc(target)}">{esc(name)}</a></td><td>{status}</td>'
            f"<td class=n>{esc(meta.get('rows', ''))}</td>"
            f"<td class=n>{esc(stats.get('successful_expectations', '?'))} of "
            f"{esc(stats.get('evaluated_expectations', '?'))}</td><td class=n>{failing}</td></tr>"
        )
    body = (
        "<table><thead><tr><th>dataset</th><th>result</th><th class=n>rows</th><th class=n>rules met</th>"
        f"<th class=n>failing values</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p class=muted>Rendered from the Great Expectations validation results of the extracts. A row can "
        "fail several rules.</p>"
    )
    index = out_dir / "index.html"
    index.write_text(
        page("Data quality", body, heading="<h1>Data quality</h1><p>Validation results of the night's extracts</p>"),
        encoding="utf-8",
    )
    return index
