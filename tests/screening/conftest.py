"""A small watchlist written out literally, shared by the screening tests."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from screening import Watchlist


@pytest.fixture(scope="session")
def watchlist() -> Watchlist:
    entries = pl.DataFrame(
        {
            "uid": ["OFAC:1", "UN:QDi.1", "OFAC:2", "EU:3", "UK:4", "OFAC:5"],
            "list_source": ["OFAC", "UN", "OFAC", "EU", "UK", "OFAC"],
            "entry_id": ["1", "QDi.1", "2", "3", "4", "5"],
            "entity_type": ["person", "person", "organization", "vessel", "person", "organization"],
            "primary_name": [
                "MUHAMMAD, Ali Hassan",
                "Osama bin Laden",
                "Romashka LLC",
                "OCEAN STAR",
                "Ivanov, Sergei Petrovich",
                "BANK MELLI IRAN",
            ],
            "gender": ["male", None, None, None, "male", None],
        }
    )
    names = pl.DataFrame(
        {
            "uid": ["OFAC:1", "UN:QDi.1", "UN:QDi.1", "UK:4"],
            "name": ["Abu Ali", "أسامة بن لادن", "The Sheikh", "Сергей Петрович Иванов"],
            "strength": ["weak", "strong", "weak", "strong"],
            "name_type": ["alias", "original_script", "alias", "original_script"],
            "script": [None, "Arabic", None, "Cyrillic"],
        }
    )
    dobs = pl.DataFrame(
        {
            "uid": ["OFAC:1", "UN:QDi.1", "UK:4"],
            "dob_from": [dt.date(1970, 1, 1), dt.date(1957, 3, 10), dt.date(1961, 1, 1)],
            "dob_to": [dt.date(1970, 12, 31), dt.date(1957, 3, 10), dt.date(1963, 12, 31)],
            "raw": ["1970", "1957-03-10", "1961 to 1963"],
        }
    )
    countries = pl.DataFrame({"uid": ["OFAC:1", "UK:4"], "country": ["IQ", "RU"], "kind": ["nationality"] * 2})
    identifiers = pl.DataFrame({"uid": ["EU:3"], "id_type": ["imo"], "value": ["IMO 9123456"], "country": [None]})
    return Watchlist(entries=entries, names=names, dobs=dobs, countries=countries, identifiers=identifiers).conformed()
