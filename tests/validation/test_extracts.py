"""read_extract: every input gives rows (with _row and _problem) or one InputError naming the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import InputError
from pipelines.extracts import detect_delimiter, detect_encoding, read_extract

HEADER = "customer_id,customer_type,full_name,date_of_birth,nationality"


def write(tmp_path: Path, content: bytes | str, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_plain_csv_gives_strings_row_numbers_and_nulls(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nC1,person,Anna Berg,1980-02-03,SE\nC2,organization,ACME Ltd,,\n")
    frame = read_extract(path, "customers")
    assert frame.columns == [*HEADER.split(","), "_row", "_problem"]
    assert frame["_row"].to_list() == [2, 3]
    assert frame.row(1, named=True)["date_of_birth"] is None
    assert frame["_problem"].null_count() == 2
    assert all(dtype == pl.String for name, dtype in frame.schema.items() if name != "_row")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8-sig", "Zoë Ørsted"),
        ("utf-16", "Лев Толстой"),
        ("utf-16-le", "محمد علي"),
        ("cp1252", "François Müller – Œuvre"),
        ("latin-1", "José Núñez"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, name: str) -> None:
    text = f"{HEADER}\r\nC1,person,{name},1980-02-03,FR\r\n"
    path = write(tmp_path, text.encode(encoding))
    frame = read_extract(path, "customers")
    assert frame["full_name"].to_list() == [name]
    assert frame["customer_id"].to_list() == ["C1"]


def test_configured_encoding_wins_and_a_wrong_one_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\nC1,person,Zoë,,\n".encode())
    assert read_extract(path, "customers", encoding="latin-1")["full_name"].to_list() == ["ZoÃ«"]
    latin = write(tmp_path, f"{HEADER}\nC1,person,Zoë,,\n".encode("latin-1"), "latin.csv")
    with pytest.raises(InputError, match=r"latin\.csv: line 2: bytes .* are not valid utf-8"):
        read_extract(latin, "customers", encoding="utf-8")


def test_mostly_utf8_file_with_a_bad_byte_flags_that_row(tmp_path: Path) -> None:
    content = f"{HEADER}\nC1,person,Zoë Ørsted,,\n".encode() + b"C2,person,Jos\xe9,,\n"
    frame = read_extract(write(tmp_path, content), "customers")
    assert frame["_problem"].to_list() == [None, "line 3: bytes that are not valid utf-8"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    text = f"{HEADER}\nC1,person,'Berg, Anna',,\n".replace(",", delimiter).replace("'", '"')
    frame = read_extract(write(tmp_path, text), "customers")
    assert frame["full_name"].to_list() == ["Berg, Anna".replace(",", delimiter)]


def test_excel_sep_line_and_formula_quoted_values(tmp_path: Path) -> None:
    text = f'sep=;\n{HEADER.replace(",", ";")};;\nC1;person;Anna;="1980-02-03";SE;;\n'
    frame = read_extract(write(tmp_path, text), "customers")
    assert frame["date_of_birth"].to_list() == ["1980-02-03"]
    assert frame["_row"].to_list() == [3]
    assert "column_6" not in frame.columns  # unnamed, empty trailing columns are dropped
    assert frame["_problem"].to_list() == [None]


def test_quoted_newlines_and_crlf_keep_the_starting_line(tmp_path: Path) -> None:
    text = f'{HEADER}\r\nC1,organization,"ACME\r\nHoldings",,\r\nC2,person,Bo,,\r\n'
    frame = read_extract(write(tmp_path, text), "customers")
    assert frame["full_name"].to_list() == ["ACME\r\nHoldings", "Bo"]
    assert frame["_row"].to_list() == [2, 4]


def test_ragged_rows_are_kept_with_a_problem(tmp_path: Path) -> None:
    text = f"{HEADER}\nC1,person\nC2,person,Bo,,SE,surplus\nC3,person,Al,,SE,,\n"
    frame = read_extract(write(tmp_path, text), "customers")
    assert frame["customer_id"].to_list() == ["C1", "C2", "C3"]
    assert frame["_problem"].to_list() == [
        "line 2: 2 fields, expected 5",
        "line 3: 6 fields, expected 5; extra values: ['surplus']",
        None,  # trailing empty fields, as spreadsheets write them
    ]


def test_nul_bytes_and_malformed_quotes_are_row_problems(tmp_path: Path) -> None:
    text = f'{HEADER}\nC1,person,An\x00na,,\nC2,person,"Bo"x,,\nC3,person,Cy,,\n'
    frame = read_extract(write(tmp_path, text), "customers")
    assert frame["customer_id"].to_list() == ["C1", None, "C3"]
    problems = frame["_problem"].to_list()
    assert problems[0] == "line 2: NUL byte in full_name"
    assert problems[1].startswith("line 3: malformed quoting") and 'C2,person,"Bo"x' in problems[1]
    assert problems[2] is None


def test_blank_lines_are_not_records(tmp_path: Path) -> None:
    frame = read_extract(write(tmp_path, f"\n{HEADER}\n\nC1,person,Al,,\n , , \n"), "customers")
    assert frame["_row"].to_list() == [4]


def test_very_long_field_is_read(tmp_path: Path) -> None:
    frame = read_extract(write(tmp_path, f"{HEADER}\nC1,person,{'A' * 300_000},,\n"), "customers")
    assert frame["full_name"].str.len_chars().to_list() == [300_000]


def test_header_names_are_matched_loosely(tmp_path: Path) -> None:
    frame = read_extract(write(tmp_path, " Customer ID ,Customer_Type,FULL NAME\nC1,person,Al\n"), "customers")
    assert frame.columns[:3] == ["customer_id", "customer_type", "full_name"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b"PK\x03\x04rest-of-a-workbook", "not a CSV or Parquet file: it looks like a spreadsheet"),
        (bytes(range(256)) * 20, "not a CSV or Parquet file: binary content"),
        (b"full_name,nationality\nAl,SE\n", "missing required columns 'customer_id', 'customer_type'"),
        (b"customer_id;customer_type;full_name\nC1;person;Al\n".replace(b";", b"#"), "is the delimiter right?"),
        (f'{HEADER}\nC1,person,"Al,,\nC2,person,Bo,,\n'.encode(), "line 2: unterminated quoted field"),
        (b"customer_id,customer_type,full_name,full_name\nC1,person,A,B\n", "duplicate column 'full_name'"),
        (b"PAR1 this is not really parquet", "not a readable Parquet file"),
        (b'[{"customer_id": "C1",', "invalid JSON"),
    ],
)
def test_unusable_files_raise_one_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = write(tmp_path, content, "bad.csv")
    with pytest.raises(InputError) as error:
        read_extract(path, "customers")
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_extract(tmp_path / "nope.csv", "customers")


def test_parquet_with_wrong_types_becomes_text(tmp_path: Path) -> None:
    path = tmp_path / "customers.parquet"
    pl.DataFrame(
        {
            "customer_id": [101, 102],
            "customer_type": ["person", "organization"],
            "full_name": ["Al Bo", "ACME"],
            "date_of_birth": [dt.datetime(1980, 2, 3), None],
            "score": [1.5, None],
            "tags": [["a", "b"], []],
        }
    ).write_parquet(path)
    frame = read_extract(path, "customers")
    assert frame["customer_id"].to_list() == ["101", "102"]
    assert frame["date_of_birth"].to_list() == ["1980-02-03", None]
    assert frame["score"].to_list() == ["1.5", None]
    assert frame["tags"].to_list() == ["a;b", None]
    assert frame["_row"].to_list() == [1, 2]


def test_psc_json_lines_are_flattened_and_the_trailer_skipped(tmp_path: Path) -> None:
    lines = [
        '{"company_number":"08209948","data":{"kind":"individual-person-with-significant-control",'
        '"name":"Mr Marc Feldman","date_of_birth":{"month":12,"year":1961},'
        '"natures_of_control":["ownership-of-shares-75-to-100-percent","voting-rights-75-to-100-percent"],'
        '"notified_on":"2021-12-13"}}',
        "{not json",
        '{"data":{"kind":"totals#persons-of-significant-control-snapshot","persons_of_significant_control_count":1}}',
    ]
    frame = read_extract(write(tmp_path, "\n".join(lines) + "\n", "psc.jsonl"), "psc")
    assert frame["_row"].to_list() == [1, 2]
    first = frame.row(0, named=True)
    assert first["company_number"] == "08209948"
    assert first["date_of_birth.year"] == "1961"
    assert first["natures_of_control"] == "ownership-of-shares-75-to-100-percent;voting-rights-75-to-100-percent"
    assert frame["_problem"][1].startswith("line 2: invalid JSON")


def test_detectors() -> None:
    assert detect_encoding("a,b\n".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("a,b\n".encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding(b"\xef\xbb\xbfa,b") == "utf-8-sig"
    assert detect_encoding("é".encode("cp1252")) == "cp1252"
    assert detect_encoding(b"\x81\xe9") == "latin-1"
    assert detect_delimiter('a;"b;c";d') == ";"
    assert detect_delimiter("a|b|c") == "|"
    assert detect_delimiter("single") == ","


def test_utf32_and_gzip(tmp_path: Path) -> None:
    import gzip

    text = f"{HEADER}\nC1,person,Zoë,,\n"
    assert read_extract(write(tmp_path, text.encode("utf-32"), "a.csv"), "customers")["full_name"][0] == "Zoë"
    assert read_extract(write(tmp_path, gzip.compress(text.encode()), "b.csv.gz"), "customers")["full_name"][0] == "Zoë"
