"""One module per official publication format; ``parser_for`` maps a detected format to it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import Parsed


def ofac_csv_parser(files: dict[str, Path], list_source: str) -> Callable[[], Parsed]:
    from pipelines.lists.formats import ofac_csv

    return partial(ofac_csv.parse, files, list_source)


def parser_for(fmt: str, path: Path) -> Callable[[], Parsed]:
    """A call that parses ``path`` in format ``fmt``."""
    if fmt == "un-xml":
        from pipelines.lists.formats import un_xml

        return partial(un_xml.parse, path)
    raise ListError(f"{path}: format {fmt} is recognised but not supported")
