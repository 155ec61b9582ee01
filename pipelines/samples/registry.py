"""A sample company register with ownership chains, shared owners, cycles and planted listed owners.

Writes, in the official layouts, a Companies House ``BasicCompanyData-sample.csv``, an officers
CSV (``officers.csv``, see :mod:`pipelines.registry.companies_house`) and a PSC snapshot
(``psc-snapshot.txt``, one JSON object per line), plus ``truth.json`` (in no register format, so
loaders pass it by) saying which company numbers must be flagged and on what basis, and which not.

Ordinary companies are owned by ordinary people and by each other (chains, shared parents, a few
ownership rings). Listed parties from the watchlist are planted under slight name variations with
their dates of birth and nationalities, in scenarios the resolution must get right:

| scenario | expected |
| --- | --- |
| listed person holds 75-100 % | ownership (direct) |
| that company holds 50-75 % of another, which holds 75-100 % of a third | ownership (chain) |
| listed person 25-50 % + blocked company 25-50 % | ownership (aggregate of lower bounds) |
| listed person 25-50 % beside an ordinary 50-75 % owner, and its subsidiary | possible |
| listed person with the right to appoint directors / significant influence, no shares | control |
| listed person 50-75 % of a company inside an ownership ring | ownership for the whole ring |
| listed foreign company as corporate PSC of two companies (shared owner) | ownership for both |
| register company bearing a listed company's name, and its subsidiary | subsidiary: ownership |
| listed person named as PSC without any nature of control | none |
| namesake of a listed person, other birth date and nationality, 75-100 % | none |
| listed person as director only | none (an officer hit) |
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import polars as pl

from pipelines.registry.countries import DEMONYMS
from pipelines.samples import names as pools
from screening.model import Watchlist

BASIC_COMPANY_COLUMNS: Final = (
    "CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox", "RegAddress.AddressLine1",
    " RegAddress.AddressLine2", "RegAddress.PostTown", "RegAddress.County", "RegAddress.Country",
    "RegAddress.PostCode", "CompanyCategory", "CompanyStatus", "CountryOfOrigin", "DissolutionDate",
    "IncorporationDate", "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate", "Returns.LastMadeUpDate",
    "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding", "Mortgages.NumMortPartSatisfied",
    "Mortgages.NumMortSatisfied", "SICCode.SicText_1", "SICCode.SicText_2", "SICCode.SicText_3",
    "SICCode.SicText_4", "LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI",
    *(col for i in range(1, 11) for col in (f"PreviousName_{i}.CONDATE", f" PreviousName_{i}.CompanyName")),
    "ConfStmtNextDueDate", " ConfStmtLastMadeUpDate",
)  # fmt: skip
OFFICER_COLUMNS: Final = (
    "company_number", "officer_id", "name", "officer_role", "dob_month", "dob_year", "nationality",
    "country_of_residence", "appointed_on", "resigned_on",
)  # fmt: skip
BANDS: Final = {
    "25-50": "ownership-of-shares-25-to-50-percent",
    "50-75": "ownership-of-shares-50-to-75-percent",
    "75-100": "ownership-of-shares-75-to-100-percent",
}
TOWNS: Final = ("London", "Manchester", "Leeds", "Bristol", "Cardiff", "Glasgow", "Belfast", "Harrogate", "York")
CODE_TO_DEMONYM: Final = {code: name.title() for name, code in reversed(DEMONYMS.items())}


@dataclass(frozen=True)
class _Listed:
    uid: str
    entity_type: str
    name: str
    dob: date | None
    nationality: str | None


@dataclass
class _Builder:
    rng: random.Random
    companies: list[dict[str, str]] = field(default_factory=list)
    psc: list[dict[str, Any]] = field(default_factory=list)
    officers: list[dict[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # company number -> name
    truth: dict[str, dict[str, str]] = field(default_factory=dict)  # company -> {basis, scenario, listed}
    clean: dict[str, str] = field(default_factory=dict)  # company -> scenario that must not flag
    next_number: int = 10_000_000
    psc_count: int = 0

    def company(self, name: str | None = None) -> str:
        self.next_number += self.rng.randrange(1, 40)
        number = f"{self.next_number:08d}"[-8:]
        if name is None:
            words = self.rng.sample(pools.REGISTER_COMPANY_WORDS, 2)
            name = f"{words[0]} {words[1]} {self.rng.choice(pools.COMPANY_TRADES)} Limited".upper()
        incorporated = date(1995, 1, 1) + timedelta(days=self.rng.randrange(0, 10_000))
        row = dict.fromkeys(BASIC_COMPANY_COLUMNS, "")
        row.update(
            {
                "CompanyName": name,
                " CompanyNumber": number,
                "RegAddress.AddressLine1": (
                    f"{self.rng.randrange(1, 200)} {self.rng.choice(pools.REGISTER_COMPANY_WORDS)} Road"
                ),
                "RegAddress.PostTown": self.rng.choice(TOWNS).upper(),
                "RegAddress.Country": "ENGLAND",
                "CompanyCategory": "Private Limited Company",
                "CompanyStatus": "Active",
                "CountryOfOrigin": "United Kingdom",
                "IncorporationDate": incorporated.strftime("%d/%m/%Y"),
                "URI": f"http://business.data.gov.uk/id/company/{number}",
            }
        )
        self.companies.append(row)
        self.names[number] = name
        return number

    def _psc_link(self, company: str, kind: str) -> str:
        self.psc_count += 1
        return f"/company/{company}/persons-with-significant-control/{kind}/S{self.psc_count:09d}"

    def person_psc(
        self, company: str, name: str, natures: list[str], *, dob: date | None, nationality: str | None
    ) -> None:
        data: dict[str, Any] = {
            "address": {"address_line_1": "High Street", "locality": self.rng.choice(TOWNS), "premises": "1"},
            "country_of_residence": "England",
            "etag": f"{self.rng.getrandbits(64):016x}",
            "kind": "individual-person-with-significant-control",
            "links": {"self": self._psc_link(company, "individual")},
            "name": name,
            "natures_of_control": natures,
            "notified_on": "2016-04-06",
        }
        if dob:
            data["date_of_birth"] = {"month": dob.month, "year": dob.year}
        if nationality:
            data["nationality"] = nationality
        self.psc.append({"company_number": company, "data": data})

    def corporate_psc(self, company: str, owner: str, name: str, natures: list[str]) -> None:
        """A UK company as PSC, linked by its registration number."""
        self.psc.append(
            {
                "company_number": company,
                "data": {
                    "etag": f"{self.rng.getrandbits(64):016x}",
                    "identification": {
                        "country_registered": "England And Wales",
                        "legal_authority": "Companies Act 2006",
                        "legal_form": "Private Limited Company",
                        "place_registered": "Companies House",
                        "registration_number": owner.lstrip("0") if self.rng.random() < 0.3 else owner,
                    },
                    "kind": "corporate-entity-person-with-significant-control",
                    "links": {"self": self._psc_link(company, "corporate-entity")},
                    "name": name,
                    "natures_of_control": natures,
                    "notified_on": "2017-05-01",
                },
            }
        )

    def foreign_psc(self, company: str, name: str, natures: list[str], reg: str) -> None:
        self.psc.append(
            {
                "company_number": company,
                "data": {
                    "etag": f"{self.rng.getrandbits(64):016x}",
                    "identification": {
                        "country_registered": "Hong Kong",
                        "legal_authority": "Companies Ordinance (Hong Kong)",
                        "legal_form": "Limited Company",
                        "place_registered": "Companies Registry",
                        "registration_number": reg,
                    },
                    "kind": "corporate-entity-person-with-significant-control",
                    "links": {"self": self._psc_link(company, "corporate-entity")},
                    "name": name,
                    "natures_of_control": natures,
                    "notified_on": "2019-02-01",
                },
            }
        )

    def officer(self, company: str, name: str, *, dob: date | None, nationality: str | None) -> None:
        appointed = date(2000, 1, 1) + timedelta(days=self.rng.randrange(0, 8000))
        self.officers.append(
            {
                "company_number": company,
                "officer_id": f"O{len(self.officers) + 1:08d}",
                "name": name,
                "officer_role": "director",
                "dob_month": str(dob.month) if dob else "",
                "dob_year": str(dob.year) if dob else "",
                "nationality": nationality or "British",
                "country_of_residence": "England",
                "appointed_on": appointed.isoformat(),
                "resigned_on": "",
            }
        )

    def ordinary_person(self) -> tuple[str, date, str]:
        given = self.rng.choice(pools.GIVEN["GB"])
        family = self.rng.choice(pools.FAMILY["GB"])
        dob = date(1940, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 60))
        return f"{self.rng.choice(('Mr', 'Mrs', 'Ms', 'Dr'))} {given} {family}", dob, "British"

    def expect(self, company: str, basis: str, scenario: str, listed: _Listed) -> None:
        self.truth[company] = {"basis": basis, "scenario": scenario, "listed": listed.uid}


def _listed(watchlist: Watchlist) -> tuple[list[_Listed], list[_Listed]]:
    entries = watchlist.entries.filter(pl.col("entity_type").is_in(["person", "organization"]))
    primary = watchlist.names.filter(
        (pl.col("strength") == "strong") & (pl.col("script").is_null() | (pl.col("script") == "Latin"))
    )
    primary = primary.sort(pl.col("name_type") != "primary").group_by("uid", maintain_order=True).first()
    dobs = (
        watchlist.dobs.filter(pl.col("dob_from") == pl.col("dob_to"))
        .group_by("uid", maintain_order=True)
        .agg(pl.col("dob_from").first().alias("dob"))
    )
    nat = (
        watchlist.countries.filter(pl.col("kind").is_in(["nationality", "citizenship"]))
        .group_by("uid", maintain_order=True)
        .agg(pl.col("country").first().alias("nationality"))
    )
    rows = (
        entries.select("uid", "entity_type")
        .join(primary.select("uid", "name"), on="uid")
        .join(dobs, on="uid", how="left")
        .join(nat, on="uid", how="left")
        .sort("uid")
    )
    listed = [_Listed(**row) for row in rows.iter_rows(named=True)]
    # One entry per listed name: the same person on two lists is one planted owner.
    seen: set[str] = set()
    unique: list[_Listed] = []
    for item in listed:
        key = " ".join(sorted(item.name.replace(",", " ").casefold().split()))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    persons = [x for x in unique if x.entity_type == "person" and len(x.name.replace(",", " ").split()) >= 2]
    orgs = [x for x in unique if x.entity_type == "organization"]
    if len(persons) < 2 or not orgs:
        raise ValueError("the watchlist needs at least two listed persons and one organisation to plant")
    return persons, orgs


def _register_name(rng: random.Random, listed: _Listed) -> str:
    """A listed person's name as a register writes it: given names first, title case, a title;
    sometimes one letter off."""
    text = listed.name
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        text = f"{given} {family}"
    tokens = [t.capitalize() if t.isupper() or t.islower() else t for t in text.split()]
    if rng.random() < 0.3:
        i = max(range(len(tokens)), key=lambda k: len(tokens[k]))
        token = tokens[i]
        if len(token) >= 6:
            pos = len(token) // 2
            tokens[i] = token[:pos] + token[pos + 1 :]
    return " ".join(["Mr", *tokens])


def _org_name(listed: _Listed) -> str:
    name = listed.name.upper().replace(" CO., LTD.", " COMPANY LIMITED").replace(" LTD.", " LIMITED")
    return name.replace(" OOO", " LIMITED").replace(" JSC", " LIMITED").rstrip(".")


def _demonym(code: str | None) -> str | None:
    return CODE_TO_DEMONYM.get(code or "")


def _plant(b: _Builder, persons: list[_Listed], orgs: list[_Listed], round_no: int) -> None:
    rng = b.rng

    def person(k: int) -> _Listed:
        return persons[(round_no * 7 + k) % len(persons)]

    def own(company: str, listed: _Listed, band: str, extra: list[str] | None = None) -> None:
        b.person_psc(
            company,
            _register_name(rng, listed),
            [BANDS[band], *(extra or [])] if band else list(extra or []),
            dob=listed.dob,
            nationality=_demonym(listed.nationality),
        )

    def company_owns(owned: str, owner: str, band: str) -> None:
        b.corporate_psc(owned, owner, b.names[owner], [BANDS[band]])

    def ordinary_owns(company: str, band: str) -> None:
        name, dob, nationality = b.ordinary_person()
        b.person_psc(company, name, [BANDS[band]], dob=dob, nationality=nationality)

    p_direct, p_aggr, p_possible, p_control, p_ring, p_named = (person(k) for k in range(6))
    # direct, then a chain below it
    d1 = b.company()
    own(d1, p_direct, "75-100", ["voting-rights-75-to-100-percent"])
    b.expect(d1, "ownership", "direct", p_direct)
    c2 = b.company()
    company_owns(c2, d1, "50-75")
    ordinary_owns(c2, "25-50")
    b.expect(c2, "ownership", "chain", p_direct)
    c3 = b.company()
    company_owns(c3, c2, "75-100")
    b.expect(c3, "ownership", "chain", p_direct)
    # aggregate: two "more than 25 %" holdings by blocked parties
    a1 = b.company()
    own(a1, p_aggr, "25-50")
    company_owns(a1, d1, "25-50")
    b.expect(a1, "ownership", "aggregate", p_aggr)
    # possible: only the band's upper bound reaches 50
    q1 = b.company()
    own(q1, p_possible, "25-50")
    ordinary_owns(q1, "50-75")
    b.expect(q1, "possible", "band upper bound", p_possible)
    q2 = b.company()
    company_owns(q2, q1, "75-100")
    b.expect(q2, "possible", "below a possible company", p_possible)
    # control without shares
    k1 = b.company()
    own(k1, p_control, "", ["right-to-appoint-and-remove-directors"])
    ordinary_owns(k1, "75-100")
    b.expect(k1, "control", "right to appoint directors", p_control)
    k2 = b.company()
    own(k2, p_control, "", ["significant-influence-or-control"])
    b.expect(k2, "control", "significant influence", p_control)
    # a ring: r1 -> r2 -> r3 -> r1, entered by a listed person
    r1, r2, r3 = b.company(), b.company(), b.company()
    own(r1, p_ring, "50-75")
    company_owns(r2, r1, "75-100")
    company_owns(r3, r2, "75-100")
    company_owns(r1, r3, "25-50")
    for r in (r1, r2, r3):
        b.expect(r, "ownership", "ownership ring", p_ring)
    # a listed foreign company as shared owner of two UK companies
    org = orgs[round_no % len(orgs)]
    reg = f"{rng.randrange(1_000_000, 9_999_999)}"
    for _ in range(2):
        s = b.company()
        b.foreign_psc(s, _org_name(org), [BANDS["75-100"], "voting-rights-75-to-100-percent"], reg)
        b.expect(s, "ownership", "shared listed corporate owner", org)
    # a register company bearing a listed company's name, and its subsidiary
    org2 = orgs[(round_no + 1) % len(orgs)]
    front = b.company(_org_name(org2))
    sub = b.company()
    company_owns(sub, front, "75-100")
    b.expect(sub, "ownership", "subsidiary of a listed company", org2)
    # must stay clean: a namesake with another birth date and nationality
    n1 = b.company()
    namesake = persons[(round_no + 3) % len(persons)]
    other_dob = date(1990 + round_no % 9, 6, 15)
    b.person_psc(
        n1, _register_name(random.Random(0), namesake), [BANDS["75-100"]], dob=other_dob, nationality="Swedish"
    )
    b.clean[n1] = "namesake with another birth date and nationality"
    # a listed person as director only
    o1 = b.company()
    ordinary_owns(o1, "75-100")
    b.officer(
        o1,
        _register_name(rng, p_direct).removeprefix("Mr "),
        dob=p_direct.dob,
        nationality=_demonym(p_direct.nationality),
    )
    b.clean[o1] = "listed person is a director only"
    ten = b.company()
    b.person_psc(ten, _register_name(rng, p_named), [], dob=p_named.dob, nationality=_demonym(p_named.nationality))
    b.clean[ten] = "listed person named without a nature of control"


def _background(b: _Builder, count: int) -> None:
    """Ordinary companies: people own them; some are owned by other ordinary companies (chains and
    shared parents); a few rings of mutual ownership."""
    rng = b.rng
    made: list[str] = []
    for _ in range(count):
        number = b.company()
        if made and rng.random() < 0.35:
            parent = rng.choice(made[-200:])
            b.corporate_psc(number, parent, b.names[parent], [BANDS[rng.choice(("50-75", "75-100"))]])
        else:
            for band in rng.choice((("75-100",), ("50-75", "25-50"), ("25-50", "25-50"))):
                name, dob, nationality = b.ordinary_person()
                extra = ["right-to-appoint-and-remove-directors"] if rng.random() < 0.1 else []
                b.person_psc(number, name, [BANDS[band], *extra], dob=dob, nationality=nationality)
        name, dob, nationality = b.ordinary_person()
        b.officer(number, name.split(" ", 1)[1], dob=dob, nationality=nationality)
        made.append(number)
    for _ in range(max(1, count // 500)):
        ring = rng.sample(made, 3)
        for owner, owned in zip(ring, ring[1:] + ring[:1], strict=True):
            b.corporate_psc(owned, owner, b.names[owner], [BANDS["25-50"]])


def _defects(b: _Builder) -> dict[str, int]:
    """Rows the quarantine must catch."""
    bad_number = b.company()
    bad_date = b.company()
    for row in b.companies:
        if row[" CompanyNumber"] == bad_number:
            row[" CompanyNumber"] = "12AB"
        if row[" CompanyNumber"] == bad_date:
            row["IncorporationDate"] = "31/02/2019"
    name, dob, nationality = b.ordinary_person()
    b.officer(bad_date, name, dob=dob, nationality=nationality)
    b.officers[-1]["resigned_on"] = "1999-01-01"
    b.officers[-1]["appointed_on"] = "2005-01-01"
    return {"companies": 2, "officers": 1}


def generate_register(out_dir: Path, watchlist: Watchlist, *, seed: int = 7, companies: int = 2000) -> dict[str, Any]:
    """Write the sample register under ``out_dir``; return what was written and planted."""
    rng = random.Random(seed)
    persons, orgs = _listed(watchlist)
    b = _Builder(rng)
    rounds = max(1, companies // 1000)
    _background(b, max(0, companies // 2))
    for round_no in range(rounds):
        _plant(b, persons, orgs, round_no)
    _background(b, max(0, companies - len(b.companies)))
    defects = _defects(b)
    # PSC statements and the snapshot's closing totals record, as the real snapshot has them.
    b.psc.append(
        {
            "company_number": b.companies[0][" CompanyNumber"],
            "data": {"kind": "persons-with-significant-control-statement", "notified_on": "2016-04-06",
                     "statement": "no-individual-or-entity-with-signficant-control"},
        }
    )  # fmt: skip
    b.psc.append(
        {"data": {"kind": "totals#persons-of-significant-control-snapshot",
                  "persons_of_significant_control_count": len(b.psc), "statements_count": 1,
                  "exemptions_count": 0, "generated_at": "2026-01-01T03:00:00Z"}}
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    companies_path = out_dir / "BasicCompanyData-sample.csv"
    with companies_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=BASIC_COMPANY_COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(b.companies)
    officers_path = out_dir / "officers.csv"
    with officers_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=OFFICER_COLUMNS)
        writer.writeheader()
        writer.writerows(b.officers)
    psc_path = out_dir / "psc-snapshot.txt"
    with psc_path.open("w", encoding="utf-8") as fh:
        for record in b.psc:
            fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    truth = {
        "flagged": dict(sorted(b.truth.items())),
        "not_flagged": dict(sorted(b.clean.items())),
        "quarantined": defects,
    }
    truth_path = out_dir / "truth.json"
    truth_path.write_text(json.dumps(truth, indent=2), encoding="utf-8")
    return {
        "companies": len(b.companies),
        "psc": len(b.psc),
        "officers": len(b.officers),
        "flagged": len(b.truth),
        "files": [str(companies_path), str(officers_path), str(psc_path)],
        "truth": str(truth_path),
    }


def planted_flags_watchlist(written: dict[str, Any]) -> Watchlist:
    """The companies a sample register plants as flagged, as OWNERSHIP list entries (what the
    register step will derive), so that the bank sample can plant them among customers."""
    truth = json.loads(Path(written["truth"]).read_text(encoding="utf-8"))
    flagged: dict[str, str] = truth["flagged"]
    with Path(written["files"][0]).open(encoding="utf-8", newline="") as fh:
        names = {row[" CompanyNumber"]: row["CompanyName"] for row in csv.DictReader(fh)}
    rows = [(number, names[number]) for number in sorted(flagged) if number in names]
    entries = pl.DataFrame(
        {
            "uid": [f"OWNERSHIP:{n}" for n, _ in rows],
            "list_source": ["OWNERSHIP"] * len(rows),
            "entry_id": [n for n, _ in rows],
            "entity_type": ["organization"] * len(rows),
            "primary_name": [name for _, name in rows],
        }
    )
    names_table = entries.select(
        "uid", pl.col("primary_name").alias("name"), pl.lit("strong").alias("strength"),
        pl.lit("primary").alias("name_type"), pl.lit("Latin").alias("script"),
    )  # fmt: skip
    return Watchlist(entries=entries, names=names_table).conformed()
