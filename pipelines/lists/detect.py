"""Recognise a list publication by its content (never by its name).

Each recognised file gets a *format* key; the loader picks the parser from it. Files that
are not lists (schemas, notes) are recognised as such and skipped; a file that looks like a
list (``.csv``, ``.xml``, ``.json`` ...) but matches no known format is refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines.lists.formats.ofac_csv import sniff_role

HEAD_BYTES = 65536
LIST_LIKE_SUFFIXES = frozenset({".csv", ".xml", ".json", ".jsonl", ".ndjson", ".tsv", ".ftm"})
SKIP = "skip"

# XML root element (local name) -> format
XML_ROOTS = {
    "CONSOLIDATED_LIST": "un-xml",
    "sdnList": "ofac-xml",
    "Sanctions": "ofac-advanced-xml",
    "export": "eu-fsf-xml",
    "WHOLE": "eu-fsf-legacy-xml",
    "Designations": "uk-sl-xml",
    "ArrayOfFinancialSanctionsTarget": "ofsi-xml",
    "schema": SKIP,  # an XSD
}

_XML_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL)
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def _xml_root(head: bytes) -> str | None:
    text = _XML_NOISE.sub(b"", head.lstrip(b"\xef\xbb\xbf"))
    stripped = text.lstrip()
    if not stripped.startswith(b"<"):
        return None
    m = _XML_ROOT.match(stripped)
    return m[2].decode("ascii") if m else None


def _first_line(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    return text.split("\n", 1)[0].strip().strip("\r")


def _csv_format(head: bytes) -> str | None:
    lines = head.lstrip(b"\xef\xbb\xbf").decode("utf-8", errors="replace").splitlines()
    if not lines:
        return None
    first = lines[0].strip()
    second = lines[1].strip() if len(lines) > 1 else ""
    lowered = first.casefold().replace('"', "")
    if lowered.startswith("filegenerationdate;") or lowered.startswith("filegenerationdate,"):
        return "eu-fsf-csv"
    if lowered.startswith("last updated,") and second.casefold().replace('"', "").startswith("name 6,"):
        return "ofsi-csv"
    if lowered.startswith("name 6,") and "group id" in lowered:
        return "ofsi-csv"
    if lowered.startswith("report date") and "unique id" in second.casefold():
        return "uk-sl-csv"
    if lowered.startswith("last updated,unique id") or (
        "unique id" in lowered and "name 6" in lowered and "ofsi group id" in lowered
    ):
        return "uk-sl-csv"
    if lowered.startswith("id,schema,name,aliases,birth_date"):
        return "os-targets-csv"
    if "source,entity_number,type,programs,name" in lowered:
        return "csl-csv"
    role = sniff_role(head)
    if role:
        return f"ofac-csv:{role}"
    return None


def _json_format(head: bytes) -> str | None:
    first = _first_line(head)
    if not first.startswith("{"):
        return None
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        try:
            obj = json.loads(head.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            return None
    if not isinstance(obj, dict):
        return None
    if "op" in obj and isinstance(obj.get("entity"), dict):
        return "os-delta-json"
    if "schema" in obj and "properties" in obj and "id" in obj:
        return "ftm-json"
    if "versions" in obj and isinstance(obj["versions"], dict):
        return SKIP  # the OpenSanctions delta index: names of version folders, no entities
    return None


def detect(head: bytes) -> str | None:
    """The format of a file whose first bytes are ``head``; ``"skip"`` for a known non-list,
    ``None`` when unrecognised."""
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not body:
        return None
    if body.startswith(b"<"):
        root = _xml_root(head)
        return XML_ROOTS.get(root) if root else None
    if body.startswith(b"{"):
        return _json_format(body)
    return _csv_format(head)


def detect_file(path: Path) -> str | None:
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    return detect(head)


def is_list_like(path: Path) -> bool:
    return path.suffix.lower() in LIST_LIKE_SUFFIXES
