"""Small helpers for namespaced XML read with ElementTree.iterparse."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import clean


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def strip_namespaces(el: ET.Element) -> ET.Element:
    """Drop namespaces from ``el`` and its descendants, in place, so paths read plainly."""
    for node in el.iter():
        if "}" in node.tag:
            node.tag = local(node.tag)
    return el


def text(el: ET.Element | None, path: str) -> str | None:
    if el is None:
        return None
    child = el.find(path)
    return clean(child.text) if child is not None and child.text else None


def texts(el: ET.Element, path: str) -> list[str]:
    out: list[str] = []
    for child in el.findall(path):
        value = clean(child.text) if child.text else None
        if value:
            out.append(value)
    return out


def iter_records(path: Path, record_tags: set[str], root_tags: set[str], what: str) -> Iterator[ET.Element]:
    """Stream the record elements (namespaces stripped) of a list file; clear each after use.

    A file whose root is not one of ``root_tags`` or that ends early is refused with ListError.
    """
    root_checked = False
    try:
        for event, el in ET.iterparse(path, events=("start", "end")):
            if event == "start":
                if not root_checked:
                    root_checked = True
                    if local(el.tag) not in root_tags:
                        raise ListError(f"{path}: not a {what} file (root <{local(el.tag)}>)")
                continue
            if local(el.tag) in record_tags:
                yield strip_namespaces(el)
                el.clear()
    except ET.ParseError as exc:
        raise ListError(f"{path}: truncated or malformed {what} ({exc})") from exc
