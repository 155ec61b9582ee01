"""UK Companies House extracts: BasicCompanyData CSV, the PSC snapshot, officers.

- BasicCompanyData-*.csv: 55 columns, some published with a leading space (``" CompanyNumber"``);
  dates as dd/mm/yyyy.
- The PSC snapshot: one JSON object per line, ``{"company_number": ..., "data": {...}}``, with
  ``kind`` individual / corporate-entity / legal-person PSCs (and beneficial owners of overseas
  entities), statements, super-secure PSCs and a closing ``totals#...`` record. A JSON array of
  the same objects is read too.
- Officers CSV (our layout, the fields of the Companies House officers API flattened):
  ``company_number, officer_id, name, officer_role, dob_month, dob_year, nationality,
  country_of_residence, appointed_on, resigned_on``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import polars as pl

from pipelines.errors import InputError
from pipelines.registry.countries import is_uk_registration, nationality_code, place_code
from pipelines.registry.model import Parsed, company_number

OFFICER_COLUMNS: Final = (
    "company_number", "officer_id", "name", "officer_role", "dob_month", "dob_year", "nationality",
    "country_of_residence", "appointed_on", "resigned_on",
)  # fmt: skip

_BAND = re.compile(r"^(?:ownership-of-shares|right-to-share-surplus-assets)-(\d+)-to-(\d+)-percent")
_MORE_THAN = re.compile(r"^(?:ownership-of-shares|right-to-share-surplus-assets)-more-than-(\d+)-percent")
_VOTES = re.compile(r"^voting-rights-(\d+)-to-(\d+)-percent")
_APPOINT = ("right-to-appoint-and-remove-directors", "right-to-appoint-and-remove-members",
            "right-to-appoint-and-remove-person")  # fmt: skip


def parse_date(text: str | None) -> str | None:
    """ISO form of a register date (dd/mm/yyyy or yyyy-mm-dd); the text itself when it is not a
    date, so that validation can quarantine it with the value shown."""
    if text is None:
        return None
    value = text.strip()
    if not value:
        return None
    for fmt, text in (("%d/%m/%Y", value), ("%Y-%m-%d", value[:10])):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def natures_to_holding(natures: Iterable[str]) -> tuple[float | None, float | None, list[str]]:
    """Shares (lower, upper bound) and control kinds from Companies House natures of control.

    "ownership-of-shares-25-to-50-percent" is more than 25 and at most 50: (25, 50). Overseas
    entities' "more-than-25-percent" is (25, 100). A voting band whose lower bound is a majority is
    "voting-majority" control; right to appoint or remove directors and significant influence are
    control kinds of their own.
    """
    low: float | None = None
    high: float | None = None
    control: list[str] = []
    for nature in natures:
        if m := _BAND.match(nature):
            band_low, band_high = float(m[1]), float(m[2])
        elif m := _MORE_THAN.match(nature):
            band_low, band_high = float(m[1]), 100.0
        else:
            if (v := _VOTES.match(nature)) and float(v[1]) >= 50:
                control.append("voting-majority")
            elif nature.startswith(_APPOINT):
                control.append("appoint-directors")
            elif nature.startswith("significant-influence-or-control"):
                control.append("significant-influence")
            continue
        low = band_low if low is None else max(low, band_low)
        high = band_high if high is None else max(high, band_high)
    return low, high, sorted(set(control))


def read_companies_csv(path: Path) -> Parsed:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy", quote_char='"')
    except pl.exceptions.PolarsError as exc:
        raise InputError(path, f"not a readable Companies House CSV: {exc}") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = {"CompanyName", "CompanyNumber"} - set(frame.columns)
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(sorted(missing))}")
    parsed = Parsed()
    parsed.companies = _company_rows(frame.iter_rows(named=True), path.name)
    return parsed


def read_companies_json(path: Path, records: Iterable[Mapping[str, Any]]) -> Parsed:
    """The same columns as BasicCompanyData, one JSON object per company."""
    rows = ({str(k).strip(): v for k, v in record.items()} for record in records)
    parsed = Parsed()
    parsed.companies = _company_rows(rows, path.name)
    return parsed


def _company_rows(rows: Iterable[Mapping[str, Any]], source: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for line, row in enumerate(rows, start=2):
        raw_number = row.get("CompanyNumber")
        out.append(
            {
                "company_id": company_number(str(raw_number)) if raw_number is not None else None,
                "company_name": (str(row.get("CompanyName") or "").strip() or None),
                "status": row.get("CompanyStatus") or None,
                "country": place_code(row.get("CountryOfOrigin")),
                "incorporated_on": parse_date(row.get("IncorporationDate")),
                "dissolved_on": parse_date(row.get("DissolutionDate")),
                "source": f"{source}:{line}",
            }
        )
    return out


def _dob(value: Any) -> str | None:
    if not isinstance(value, Mapping) or not value.get("year"):
        return None
    year, month = int(value["year"]), value.get("month")
    return f"{year:04d}-{int(month):02d}" if month else f"{year:04d}"


def read_psc(path: Path, records: Iterable[Mapping[str, Any]]) -> Parsed:
    """Persons with significant control as owner parties and ownership edges."""
    parsed = Parsed()
    for position, record in enumerate(records, start=1):
        data = record.get("data") or {}
        kind = str(data.get("kind") or "")
        owned = company_number(record.get("company_number"))
        if kind.startswith("totals#"):
            continue
        if kind.endswith("statement") or kind.startswith("super-secure") or "name" not in data:
            parsed.skip(f"no named controller ({kind or 'no kind'})")
            continue
        if data.get("ceased_on") or data.get("ceased") is True:
            parsed.skip("ceased")
            continue
        source = f"{path.name}:{position}"
        ident = data.get("identification") or {}
        reg = ident.get("registration_number")
        is_individual = kind.startswith("individual")
        self_link = str((data.get("links") or {}).get("self") or "")
        psc_key = self_link.rsplit("/", 1)[-1] or str(data.get("etag") or position)
        uk = is_uk_registration(
            ident.get("place_registered"), ident.get("country_registered"), ident.get("legal_authority")
        )
        corporate_number = company_number(str(reg)) if not is_individual and reg and uk else None
        owner_id = corporate_number or f"psc:{owned}/{psc_key}"
        natures = [str(n) for n in data.get("natures_of_control") or []]
        low, high, control = natures_to_holding(natures)
        parsed.persons.append(
            {
                "person_id": owner_id,
                "name": " ".join(str(data["name"]).split()),
                "entity_type": "person" if is_individual else "organization",
                "kind": kind,
                "dob": _dob(data.get("date_of_birth")),
                "nationality": nationality_code(data.get("nationality")),
                "country": place_code(data.get("country_of_residence") or ident.get("country_registered")),
                "registration_number": str(reg) if reg else None,
                "source": source,
            }
        )
        parsed.edges.append(
            {
                "owner_id": owner_id,
                "owned_id": owned,
                "share_low": low,
                "share_high": high,
                "control": control,
                "natures": natures,
                "notified_on": parse_date(data.get("notified_on")),
                "source": source,
            }
        )
    return parsed


def read_officers_csv(path: Path) -> Parsed:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise InputError(path, f"not a readable officers CSV: {exc}") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = {"company_number", "name", "officer_role"} - set(frame.columns)
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(sorted(missing))}")
    parsed = Parsed()
    for line, row in enumerate(frame.iter_rows(named=True), start=2):
        year, month = (row.get("dob_year") or "").strip(), (row.get("dob_month") or "").strip()
        dob = (f"{year}-{int(month):02d}" if month.isdigit() else year) if year else None
        company = company_number(row.get("company_number"))
        parsed.officers.append(
            {
                "officer_id": row.get("officer_id") or f"{company}/{line}",
                "company_id": company,
                "name": " ".join((row.get("name") or "").split()) or None,
                "officer_role": row.get("officer_role"),
                "dob": dob,
                "nationality": nationality_code(row.get("nationality")),
                "country": place_code(row.get("country_of_residence")),
                "appointed_on": parse_date(row.get("appointed_on")),
                "resigned_on": parse_date(row.get("resigned_on")),
                "source": f"{path.name}:{line}",
            }
        )
    return parsed
