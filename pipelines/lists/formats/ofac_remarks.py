"""OFAC remarks: the free-text field of the SDN legacy CSV (and the CSL) that carries dates and
places of birth, nationalities, passports, registration numbers, IMO numbers and digital
currency addresses, as ``"DOB 09 Feb 1951; POB Gaza, Egypt; Passport 92/664 (Egypt); ..."``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.lists.common import ListBuilder, date_range

# label (lower-case, after an optional "alt. ") -> identifier type
ID_LABELS: dict[str, str] = {
    "passport": "passport",
    "diplomatic passport": "passport",
    "national id no.": "national_id",
    "national id": "national_id",
    "national id number": "national_id",
    "national foreign id number": "national_id",
    "identification number": "national_id",
    "personal id card": "national_id",
    "cedula no.": "national_id",
    "cedula": "national_id",
    "id no.": "national_id",
    "c.u.r.p.": "national_id",
    "curp #": "national_id",
    "ssn": "national_id",
    "registration number": "registration",
    "registration id": "registration",
    "business registration number": "registration",
    "business registration document #": "registration",
    "commercial registry number": "registration",
    "company number": "registration",
    "certificate of incorporation number": "registration",
    "chamber of commerce number": "registration",
    "public registration number": "registration",
    "registration no.": "registration",
    "matricula mercantil no": "registration",
    "folio mercantil no.": "registration",
    "trade license no.": "registration",
    "government gazette number": "registration",
    "tax id no.": "tax",
    "tax id": "tax",
    "rfc": "tax",
    "nit #": "tax",
    "v.a.t. number": "tax",
    "ruc #": "tax",
    "italian fiscal code": "tax",
    "swift/bic": "bic",
    "legal entity number": "lei",
    "lei": "lei",
    "vessel registration identification": "imo",
    "mmsi": "other",
    "aircraft manufacturer's serial number (msn)": "other",
    "aircraft tail number": "other",
}

_LABELS_BY_LENGTH = sorted(ID_LABELS, key=len, reverse=True)
_COUNTRY_SUFFIX = re.compile(r"^(?P<value>.*?)\s*\((?P<country>[^()]*)\)\s*(?P<rest>.*)$")
_IMO = re.compile(r"\bIMO\s*(\d{7})\b")
_CRYPTO = re.compile(r"^Digital Currency Address - (?P<ticker>[A-Z0-9]+)\s+(?P<address>\S+)")
_UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
_ALIAS = re.compile(r"^[afn]\.k\.a\.[, ]", re.IGNORECASE)


@dataclass
class RemarkFacts:
    """What the remarks said that does not fit a table row: for the entry itself."""

    gender: str | None = None
    linked_to: list[str] = field(default_factory=list)
    un_refs: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)


def split_remarks(remarks: str) -> list[str]:
    """Split on ``;`` outside parentheses and quotes."""
    parts: list[str] = []
    depth, quote, start = 0, False, 0
    for i, ch in enumerate(remarks):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "'" and (i == 0 or not remarks[i - 1].isalpha()):
            quote = True
        elif ch == "'" and quote and (i + 1 == len(remarks) or not remarks[i + 1].isalpha()):
            quote = False
        elif ch == ";" and depth == 0 and not quote:
            parts.append(remarks[start:i])
            start = i + 1
    parts.append(remarks[start:])
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


def _identifier(builder: ListBuilder, uid: str, id_type: str, text: str) -> None:
    m = _COUNTRY_SUFFIX.match(text)
    if m:
        value, country = m["value"], m["country"]
    else:
        value, country = text, None
        # "Passport A123 issued 01 Jan 2001 expires ..." — keep the number only
    value = re.split(r"\s+(?:issued|expires|expiring|Issue Date)\b", value, maxsplit=1)[0]
    value = value.strip().strip(",").strip()
    if id_type == "imo":
        found = _IMO.search(text)
        value = found[1] if found else value.removeprefix("IMO").strip()
    if value:
        builder.identifier(uid, id_type, value, country)


def parse_remarks(builder: ListBuilder, uid: str, entry_id: str, remarks: str, location: str) -> RemarkFacts:
    """Add what ``remarks`` says about ``uid`` to the builder; return the entry-level facts."""
    facts = RemarkFacts()
    for part in split_remarks(remarks):
        text = re.sub(r"^alt\.\s+", "", part, flags=re.IGNORECASE)
        lowered = text.casefold()
        if lowered.startswith("dob "):
            raw = text[4:]
            span = date_range(raw)
            if span is None:
                builder.problem(entry_id, location, f"date of birth not understood: {raw!r}")
            builder.dob(uid, raw, span)
        elif lowered.startswith("pob "):
            place = text[4:].strip()
            country = place.rsplit(",", 1)[-1]
            builder.address(uid, place, country=country, kind="birth_place")
        elif lowered.startswith("nationality of registration "):
            builder.country(uid, text[len("nationality of registration ") :], "registration")
        elif lowered.startswith("nationality "):
            builder.country(uid, text[len("nationality ") :], "nationality")
        elif lowered.startswith("citizen "):
            builder.country(uid, text[len("citizen ") :], "citizenship")
        elif lowered.startswith("gender "):
            facts.gender = text[len("gender ") :].strip().lower() or None
        elif m := _CRYPTO.match(text):
            builder.identifier(uid, "crypto", f"{m['ticker']}:{m['address']}")
        elif lowered.startswith("linked to:"):
            facts.linked_to.append(text[len("linked to:") :].strip())
        elif _ALIAS.match(text):
            # quoted a.k.a.s in remarks are the low-quality (weak) aliases; alt.csv holds the strong ones
            facts.weak_aliases.extend(re.findall(r"'([^']+)'", text))
        elif found := _IMO.search(text):
            builder.identifier(uid, "imo", found[1])
        else:
            for label in _LABELS_BY_LENGTH:
                if lowered.startswith(label + " ") or lowered == label:
                    _identifier(builder, uid, ID_LABELS[label], text[len(label) :].strip())
                    break
        facts.un_refs.extend(_UN_REF.findall(text))
    return facts


_SKIP_LABELS = (
    "website",
    "email",
    "phone",
    "target type",
    "secondary sanctions risk",
    "executive order",
    "listing date",
    "effective date",
    "purchase/sales",
    "organization established date",
    "organization type",
    "issuer name",
    "equity ticker",
    "caatsa",
    "additional sanctions information",
    "transactions prohibited",
    "aircraft",
    "vessel type",
    "vessel flag",
    "vessel owner",
    "vessel call sign",
    "gender",
    "nationality of registration",
    "other vessel",
    "former vessel flag",
)


def id_type_for(label: str) -> str | None:
    """Identifier type of an OFAC ``idType`` / document type label; ``None`` when the label is
    not an identifier (websites, directive dates, ...)."""
    lowered = " ".join(label.casefold().split()).rstrip(":")
    if lowered in ID_LABELS:
        return ID_LABELS[lowered]
    if lowered.startswith("digital currency address"):
        return "crypto"
    if lowered.startswith(_SKIP_LABELS):
        return None
    for needle, kind in (
        ("passport", "passport"),
        ("imo", "imo"),
        ("swift", "bic"),
        ("legal entity", "lei"),
        ("tax", "tax"),
        ("v.a.t.", "tax"),
        ("registration", "registration"),
        ("social credit code", "registration"),
        ("company number", "registration"),
        ("national id", "national_id"),
        ("identification", "national_id"),
        ("cedula", "national_id"),
        ("id no", "national_id"),
    ):
        if needle in lowered:
            return kind
    return "other"
