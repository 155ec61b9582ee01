"""Sample bank extracts: customers and payments for several banks, with planted matches.

Deterministic for a given seed. Most parties are ordinary people and companies from many
locales; a few are listed parties under realistic variations (spelling, token order,
transliteration, legal form, dropped middle name, identifier only), and a few are near misses
that share part of a listed name but must not alert. ``truth.csv`` records every planted row, and
a handful of deliberately defective rows (empty name, impossible date of birth, unknown country,
duplicated id) exercise the quarantine.
"""

from __future__ import annotations

import csv
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Final

import polars as pl

from pipelines.samples import names as pools
from screening.model import Watchlist

log = logging.getLogger(__name__)

CUSTOMER_COLUMNS: Final = (
    "customer_id", "customer_type", "full_name", "given_name", "family_name", "date_of_birth", "gender",
    "nationality", "country", "id_type", "id_number", "opened_on",
)
PAYMENT_COLUMNS: Final = (
    "payment_id", "value_date", "amount", "currency", "ordering_name", "ordering_country", "ordering_account",
    "beneficiary_name", "beneficiary_country", "beneficiary_account", "beneficiary_bic", "purpose",
)
TRUTH_COLUMNS: Final = (
    "bank", "file", "record_id", "uid", "list_source", "entry_id", "listed_name", "planted_name",
    "variation", "expected",
)
PERSON_VARIATIONS: Final = ("exact", "case", "order", "spelling", "transliteration", "drop_middle", "identifier")
ORG_VARIATIONS: Final = ("exact", "case", "spelling", "legal_form")
DEFECTS: Final = ("empty_name", "future_dob", "bad_country", "duplicate_id")
CURRENCIES: Final = ("EUR", "GBP", "USD", "CHF", "AED", "TRY", "CNY", "JPY")
PURPOSES: Final = ("invoice", "salary", "rent", "goods", "services", "loan repayment", "dividend", "freight")


@dataclass(frozen=True)
class Listed:
    uid: str
    list_source: str
    entry_id: str
    entity_type: str
    name: str
    dob: str | None
    nationality: str | None
    passport: str | None


@dataclass
class BankSample:
    bank: str
    customers: int = 0
    payments: int = 0
    planted: int = 0
    near_misses: int = 0
    defects: int = 0
    files: dict[str, Path] = field(default_factory=dict)


def _listed_parties(watchlist: Watchlist) -> list[Listed]:
    """Strong names of listed persons and organisations, with a DOB, nationality and passport."""
    entries = watchlist.entries.filter(pl.col("entity_type").is_in(["person", "organization"]))
    names = watchlist.names.filter(
        (pl.col("strength") == "strong") & (pl.col("script").is_null() | (pl.col("script") == "Latin"))
    ).group_by("uid", maintain_order=True).first()
    dobs = (
        watchlist.dobs.filter(pl.col("dob_from") == pl.col("dob_to"))
        .group_by("uid", maintain_order=True)
        .agg(pl.col("dob_from").first().dt.strftime("%Y-%m-%d").alias("dob"))
    )
    nat = (
        watchlist.countries.filter(pl.col("kind").is_in(["nationality", "citizenship"]))
        .group_by("uid", maintain_order=True)
        .agg(pl.col("country").first().alias("nationality"))
    )
    passports = (
        watchlist.identifiers.filter(pl.col("id_type") == "passport")
        .group_by("uid", maintain_order=True)
        .agg(pl.col("value").first().alias("passport"))
    )
    joined = (
        entries.select("uid", "list_source", "entry_id", "entity_type")
        .join(names.select("uid", "name"), on="uid")
        .join(dobs, on="uid", how="left")
        .join(nat, on="uid", how="left")
        .join(passports, on="uid", how="left")
        .sort("uid")
    )
    return [Listed(**row) for row in joined.iter_rows(named=True)]


def _typo(rng: random.Random, name: str) -> str:
    tokens = name.split()
    long_tokens = [i for i, t in enumerate(tokens) if len(t) >= 6]
    if not long_tokens:
        return name + "e" if not name.endswith("e") else name[:-1]
    i = rng.choice(long_tokens)
    token = tokens[i]
    pos = rng.randrange(2, len(token) - 1)
    action = rng.choice(("swap", "drop", "double"))
    if action == "swap":
        token = token[:pos - 1] + token[pos] + token[pos - 1] + token[pos + 1:]
    elif action == "drop":
        token = token[:pos] + token[pos + 1:]
    else:
        token = token[:pos] + token[pos] + token[pos:]
    tokens[i] = token
    return " ".join(tokens)


def _substitute(rng: random.Random, name: str, table: tuple[tuple[str, str], ...]) -> str | None:
    padded = name + " "
    options = [(a, b) for a, b in table if a in padded]
    if not options:
        return None
    a, b = rng.choice(options)
    return padded.replace(a, b, 1).strip()


def vary(rng: random.Random, listed: Listed, variation: str) -> str:
    """``listed.name`` under one kind of realistic variation."""
    name = " ".join(listed.name.replace(",", " ").split())
    tokens = name.split()
    if variation == "case":
        return name.upper() if name != name.upper() else name.title()
    if variation == "order" and len(tokens) >= 2:
        return " ".join(tokens[1:] + tokens[:1])
    if variation == "drop_middle" and len(tokens) >= 3:
        return " ".join(tokens[:1] + tokens[2:])
    if variation == "transliteration":
        return _substitute(rng, name, pools.TRANSLIT_VARIANTS) or _typo(rng, name)
    if variation == "legal_form":
        return _substitute(rng, name, pools.LEGAL_FORM_VARIANTS) or name.title()
    if variation == "spelling":
        return _typo(rng, name)
    return name


def near_miss(rng: random.Random, listed: Listed) -> str:
    """A name that shares a part with ``listed.name`` but belongs to somebody else."""
    tokens = listed.name.replace(",", " ").split()
    if listed.entity_type == "person":
        locale = rng.choice(sorted(pools.GIVEN))
        return f"{rng.choice(pools.GIVEN[locale])} {tokens[-1] if len(tokens) > 1 else tokens[0]}"
    return f"{tokens[0]} {rng.choice(pools.COMPANY_TRADES)} {rng.choice(pools.LEGAL_FORMS['GB'])}"


def _random_dob(rng: random.Random) -> str:
    return (date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62))).isoformat()


def _clean_person(rng: random.Random, cid: str, run_date: date) -> dict[str, str]:
    locale = rng.choice(sorted(pools.GIVEN))
    if locale in pools.NATIVE and rng.random() < 0.08:
        full = rng.choice(pools.NATIVE[locale])
        given, family = "", ""
    else:
        given = rng.choice(pools.GIVEN[locale])
        if rng.random() < 0.2:
            given = f"{given} {rng.choice(pools.GIVEN[locale])}"
        family = rng.choice(pools.FAMILY[locale])
        full = f"{given} {family}"
    nationality = locale if rng.random() < 0.9 else rng.choice(sorted(pools.GIVEN))
    return {
        "customer_id": cid,
        "customer_type": "person",
        "full_name": full,
        "given_name": given,
        "family_name": family,
        "date_of_birth": _random_dob(rng) if rng.random() < 0.92 else "",
        "gender": rng.choice(("M", "F", "")),
        "nationality": nationality if rng.random() < 0.95 else "",
        "country": rng.choice((nationality, "GB", "DE", "FR", "AE")),
        "id_type": "passport",
        "id_number": f"{nationality}{rng.randrange(10**7, 10**8)}",
        "opened_on": (run_date - timedelta(days=rng.randrange(1, 4000))).isoformat(),
    }


def _clean_company(rng: random.Random, cid: str, run_date: date) -> dict[str, str]:
    country = rng.choice(sorted(pools.LEGAL_FORMS))
    name = (
        f"{rng.choice(pools.COMPANY_WORDS)} {rng.choice(pools.COMPANY_TRADES)} "
        f"{rng.choice(pools.LEGAL_FORMS[country])}"
    )
    return {
        "customer_id": cid,
        "customer_type": "organization",
        "full_name": name,
        "given_name": "",
        "family_name": "",
        "date_of_birth": "",
        "gender": "",
        "nationality": "",
        "country": country,
        "id_type": "registration",
        "id_number": f"{country}{rng.randrange(10**6, 10**7)}",
        "opened_on": (run_date - timedelta(days=rng.randrange(1, 4000))).isoformat(),
    }


def _bic(rng: random.Random, country: str) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(rng.choice(letters) for _ in range(4)) + country + "".join(rng.choice(letters) for _ in range(2))


def _write_csv(path: Path, columns: Sequence[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def generate_bank(
    out_dir: Path,
    bank: str,
    listed: list[Listed],
    *,
    run_date: date,
    seed: int,
    parties: int,
    truth: list[dict[str, str]],
) -> BankSample:
    """Write one bank's ``customers.csv`` and ``payments.csv`` under ``out_dir/bank``."""
    rng = random.Random(f"{seed}:{bank}")
    sample = BankSample(bank)
    n_customers = max(parties // 2, 10)
    n_payments = max(parties - n_customers, 10)
    customers: list[dict[str, str]] = []
    for i in range(n_customers):
        cid = f"{bank.upper()}-C{i:07d}"
        row = _clean_person(rng, cid, run_date) if rng.random() < 0.75 else _clean_company(rng, cid, run_date)
        customers.append(row)
    payments: list[dict[str, str]] = []
    for i in range(n_payments):
        orderer = customers[rng.randrange(len(customers))]
        beneficiary = (
            _clean_person(rng, "", run_date) if rng.random() < 0.6 else _clean_company(rng, "", run_date)
        )
        payments.append({
            "payment_id": f"{bank.upper()}-P{i:08d}",
            "value_date": (run_date - timedelta(days=rng.randrange(0, 2))).isoformat(),
            "amount": f"{rng.lognormvariate(7, 1.5):.2f}",
            "currency": rng.choice(CURRENCIES),
            "ordering_name": orderer["full_name"],
            "ordering_country": orderer["country"],
            "ordering_account": f"GB{rng.randrange(10, 99)}{bank[-1].upper()}BNK{rng.randrange(10**13, 10**14)}",
            "beneficiary_name": beneficiary["full_name"],
            "beneficiary_country": beneficiary["country"],
            "beneficiary_account": f"{beneficiary['country']}{rng.randrange(10**15, 10**16)}",
            "beneficiary_bic": _bic(rng, beneficiary["country"]),
            "purpose": rng.choice(PURPOSES),
        })

    def record(file: str, record_id: str, who: Listed, planted: str, variation: str, expected: str) -> None:
        truth.append({
            "bank": bank, "file": file, "record_id": record_id, "uid": who.uid, "list_source": who.list_source,
            "entry_id": who.entry_id, "listed_name": who.name, "planted_name": planted, "variation": variation,
            "expected": expected,
        })

    # Planted listed parties: customers with their secondary identifiers, and payment beneficiaries.
    n_planted = min(max(parties // 100, 12), 2000, len(listed) * 3) if listed else 0
    used: set[int] = set()  # customer rows already planted
    used_payments: set[int] = set()
    for k in range(n_planted):
        who = listed[rng.randrange(len(listed))]
        kinds = PERSON_VARIATIONS if who.entity_type == "person" else ORG_VARIATIONS
        variation = kinds[k % len(kinds)]
        if variation == "identifier" and not who.passport:
            variation = "exact"
        in_payment = k % 3 == 2
        if in_payment:
            i = rng.randrange(n_payments)
            while i in used_payments:
                i = rng.randrange(n_payments)
            used_payments.add(i)
            planted = vary(rng, who, variation if variation != "identifier" else "exact")
            payments[i]["beneficiary_name"] = planted
            payments[i]["beneficiary_country"] = who.nationality or payments[i]["beneficiary_country"]
            record("payments", f"payment:{payments[i]['payment_id']}:beneficiary", who, planted,
                   variation if variation != "identifier" else "exact", "match")
            sample.planted += 1
            continue
        i = rng.randrange(n_customers)
        while i in used:
            i = rng.randrange(n_customers)
        used.add(i)
        row = customers[i]
        if variation == "identifier":
            # A namesake-looking spelling, but the listed passport number: the identifier decides.
            planted = _typo(rng, vary(rng, who, "spelling"))
            row.update(id_type="passport", id_number=who.passport or "")
        else:
            planted = vary(rng, who, variation)
        row.update(
            customer_type=who.entity_type,
            full_name=planted,
            given_name="",
            family_name="",
            date_of_birth=(who.dob or "") if who.entity_type == "person" else "",
            nationality=(who.nationality or "") if who.entity_type == "person" else "",
            country=who.nationality or row["country"],
        )
        record("customers", f"customer:{row['customer_id']}", who, planted, variation, "match")
        sample.planted += 1

    # Near misses: a shared surname or trading word, different person or company.
    for _ in range(max(n_planted // 2, 4) if listed else 0):
        who = listed[rng.randrange(len(listed))]
        i = rng.randrange(n_customers)
        while i in used:
            i = rng.randrange(n_customers)
        used.add(i)
        planted = near_miss(rng, who)
        customers[i].update(
            customer_type=who.entity_type, full_name=planted, given_name="", family_name="",
            date_of_birth=_random_dob(rng) if who.entity_type == "person" else "",
        )
        record("customers", f"customer:{customers[i]['customer_id']}", who, planted, "near_miss", "no_match")
        sample.near_misses += 1

    # Defective rows the data-quality gate must quarantine, never drop.
    for defect in DEFECTS:
        i = rng.randrange(n_customers)
        while i in used:
            i = rng.randrange(n_customers)
        used.add(i)
        row = customers[i]
        if defect == "empty_name":
            row.update(full_name="", given_name="", family_name="")
        elif defect == "future_dob":
            row.update(customer_type="person", date_of_birth=(run_date + timedelta(days=400)).isoformat())
        elif defect == "bad_country":
            row.update(nationality="XX", country="XX")
        else:
            # Both rows sharing the id are quarantined: the twin must not be a planted row either.
            j = rng.randrange(n_customers)
            while j in used:
                j = rng.randrange(n_customers)
            used.add(j)
            row.update(customer_id=customers[j]["customer_id"])
        truth.append({
            "bank": bank, "file": "customers", "record_id": f"customer:{row['customer_id']}", "uid": "",
            "list_source": "", "entry_id": "", "listed_name": "", "planted_name": row["full_name"],
            "variation": defect, "expected": "quarantine",
        })
        sample.defects += 1

    sample.files["customers"] = out_dir / bank / "customers.csv"
    sample.files["payments"] = out_dir / bank / "payments.csv"
    _write_csv(sample.files["customers"], CUSTOMER_COLUMNS, customers)
    _write_csv(sample.files["payments"], PAYMENT_COLUMNS, payments)
    sample.customers, sample.payments = len(customers), len(payments)
    return sample


def generate_banks(
    out_dir: Path,
    watchlist: Watchlist,
    banks: Sequence[str],
    *,
    run_date: date,
    seed: int = 42,
    parties: int = 2000,
) -> list[BankSample]:
    """Write every bank's extracts and ``truth.csv`` under ``out_dir``; returns per-bank counts."""
    listed = _listed_parties(watchlist)
    truth: list[dict[str, str]] = []
    samples = [
        generate_bank(out_dir, bank, listed, run_date=run_date, seed=seed, parties=parties, truth=truth)
        for bank in banks
    ]
    _write_csv(out_dir / "truth.csv", TRUTH_COLUMNS, truth)
    for s in samples:
        log.info("sample %s: %d customers, %d payments, %d planted matches, %d near misses, %d defects",
                 s.bank, s.customers, s.payments, s.planted, s.near_misses, s.defects)
    return samples
