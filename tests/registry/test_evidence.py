"""The holdings behind each ownership flag, on small literal graphs, and as a page draws them."""

from __future__ import annotations

import polars as pl

from pipelines.delivery.alerts import holders_of
from pipelines.registry.evidence import LINK_SCHEMA, ownership_links
from screening.ownership import EDGE_SCHEMA, SEED_SCHEMA, resolve_ownership

X = ("X", "IVANOV, Ivan", "person", "OFAC-SDN 12345")
Y = ("Y", "ACME TRADING", "organization", "EU-FSF EU.1.2")
NODES = pl.DataFrame({"node_id": ["A", "B", "C", "D", "X", "Y"],
                      "name": ["A Ltd", "B Ltd", "C Ltd", "D Ltd", "Ivan Ivanov", "Acme"]})


def edges(*rows: tuple[str, str, float | None, float | None, list[str]]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(EDGE_SCHEMA, row, strict=True)) for row in rows], schema=EDGE_SCHEMA)


def seeds(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(SEED_SCHEMA, row, strict=True)) for row in rows], schema=SEED_SCHEMA)


def links_of(graph: pl.DataFrame, listed: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, list[dict[str, object]]]]:
    flags = resolve_ownership(graph, listed, NODES)
    links = ownership_links(flags, graph, listed, NODES)
    assert links.schema == pl.Schema(LINK_SCHEMA)
    by_company: dict[str, list[dict[str, object]]] = {}
    for row in links.iter_rows(named=True):
        by_company.setdefault(row["company_id"], []).append(row)
    return flags, by_company


def test_each_branch_keeps_its_own_level() -> None:
    # C is 30 % held by B (blocked: 60 % held by X) and 25 % held by Y directly: 55 % in all.
    graph = edges(("X", "B", 60, 60, []), ("B", "C", 30, 30, []), ("Y", "C", 25, 25, []), ("D", "C", 45, 45, []))
    flags, by_company = links_of(graph, seeds(X, Y))
    assert dict(flags.select("company_id", "basis").iter_rows()) == {"B": "ownership", "C": "ownership"}
    tree = holders_of("C", by_company)
    assert [(h.owner, h.status, h.share) for h in tree] == [("B Ltd", "blocked", "30 %"), ("ACME TRADING", "listed",
                                                                                         "25 %")]
    assert [(h.owner, h.refs, h.share) for h in tree[0].holders] == [("IVANOV, Ivan", "OFAC-SDN 12345", "60 %")]
    assert tree[1].holders == ()  # a listed party ends its branch; D, not blocked, is not evidence


def test_a_possible_flag_shows_the_bands_and_the_possibly_blocked_owner() -> None:
    graph = edges(("X", "A", 25, 50, []), ("A", "B", 75, 100, []))
    flags, by_company = links_of(graph, seeds(X))
    assert dict(flags.select("company_id", "basis").iter_rows()) == {"A": "possible", "B": "possible"}
    tree = holders_of("B", by_company)
    assert [(h.owner, h.status, h.share) for h in tree] == [("A Ltd", "possibly blocked", "75–100 %")]
    assert [(h.owner, h.status, h.share) for h in tree[0].holders] == [("IVANOV, Ivan", "listed", "25–50 %")]


def test_control_is_shown_as_the_rights_held() -> None:
    graph = edges(("X", "A", None, None, ["appoint-directors"]))
    _, by_company = links_of(graph, seeds(X))
    assert [(h.owner, h.share) for h in holders_of("A", by_company)] == [("IVANOV, Ivan", "control: appoint directors")]


def test_a_cycle_of_holdings_ends() -> None:
    graph = edges(("X", "A", 100, 100, []), ("A", "B", 60, 60, []), ("B", "A", 40, 40, []))
    _, by_company = links_of(graph, seeds(X))
    tree = holders_of("B", by_company)
    assert tree[0].owner == "A Ltd" and [h.owner for h in tree[0].holders] == ["IVANOV, Ivan"]
