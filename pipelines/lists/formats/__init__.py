"""One module per official publication format; ``parser_for`` maps a detected format to it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import Parsed

# detected format -> (module, function) parsing one file
PARSERS: dict[str, tuple[str, str]] = {
    "un-xml": ("un_xml", "parse"),
    "ofac-xml": ("ofac_xml", "parse"),
    "ofac-advanced-xml": ("ofac_advanced", "parse"),
    "csl-csv": ("csl", "parse"),
    "eu-fsf-xml": ("eu_fsf", "parse_xml"),
    "eu-fsf-legacy-xml": ("eu_fsf", "parse_legacy_xml"),
    "eu-fsf-csv": ("eu_fsf", "parse_csv"),
    "ofsi-csv": ("uk", "parse_ofsi_csv"),
    "uk-sl-xml": ("uk", "parse_uk_sl_xml"),
    "uk-sl-csv": ("uk", "parse_uk_sl_csv"),
    "ftm-json": ("opensanctions", "parse_ftm"),
    "os-targets-csv": ("opensanctions", "parse_targets_csv"),
}


def ofac_csv_parser(files: dict[str, Path], list_source: str) -> Callable[[], Parsed]:
    from pipelines.lists.formats import ofac_csv

    return partial(ofac_csv.parse, files, list_source)


def delta_parser(paths: list[Path]) -> Callable[[], Parsed]:
    from pipelines.lists.formats import opensanctions

    return partial(opensanctions.parse_deltas, paths)


def parser_for(fmt: str, path: Path) -> Callable[[], Parsed]:
    """A call that parses ``path`` in format ``fmt``."""
    if fmt not in PARSERS:
        raise ListError(f"{path}: format {fmt} is recognised but not supported")
    module_name, function = PARSERS[fmt]
    module = import_module(f"pipelines.lists.formats.{module_name}")
    parse: Callable[[Path], Parsed] = getattr(module, function)
    return partial(parse, path)
