"""quality_summary: what in the parties limits screening quality."""

from __future__ import annotations

import polars as pl

from pipelines.validation import quality_summary


def test_quality_summary_of_parties() -> None:
    parties = pl.DataFrame(
        {
            "record_id": ["1", "2", "3", "4", "5"],
            "name": ["Anna Berg", "محمد علي", "Petrov, Ivan", "张伟", "ACME Ltd"],
            "entity_type": ["person", "person", "person", "unknown", "organization"],
            "dob": ["1980", None, "1970-01-02", None, None],
            "country": ["SE", "EG", None, "CN", "GB"],
        }
    )
    summary = quality_summary(parties)
    assert summary["rows"] == 5
    assert summary["entity_types"] == {"organization": 1, "person": 3, "unknown": 1}
    assert summary["share_persons_with_dob"] == round(2 / 3, 4)
    assert summary["share_persons_with_nationality"] == round(2 / 3, 4)
    assert summary["non_latin_names"] == 2
    assert summary["scripts"] == {"Arabic": 1, "Han": 1}
    assert summary["swapped_looking_names"] == 1  # "Petrov, Ivan"
    assert summary["swapped_check"] == "comma"


def test_swapped_given_and_family_fields() -> None:
    customers = pl.DataFrame(
        {
            "full_name": ["Anna Berg", "Berg Anna", "BERG Anna", "Li Wei", "Bo Ek"],
            "given_name": ["Anna", "Anna", "BERG", "Wei", "Bo"],
            "family_name": ["Berg", "Berg", "Anna", "Li", "Ek"],
            "customer_type": ["person"] * 5,
            "date_of_birth": [None] * 5,
            "nationality": ["SE"] * 5,
        }
    )
    summary = quality_summary(customers)
    assert summary["swapped_looking_names"] == 3  # Berg Anna, BERG/Anna, Li Wei (family name first)
    assert summary["share_persons_with_dob"] == 0.0


def test_empty_frame() -> None:
    summary = quality_summary(pl.DataFrame(schema={"name": pl.String, "entity_type": pl.String}))
    assert summary["rows"] == 0 and summary["share_persons_with_dob"] is None
