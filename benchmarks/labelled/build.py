"""Build the labelled evaluation set: positives are list names with realistic variations (one kind
per case, recorded), negatives are realistic non-listed names in many locales and scripts.

Deterministic for a given seed. The given-name nicknames come from the shared nickname table, not
from the engine's own variant table, so the set does not simply mirror the engine's resources.

    .venv/bin/python -m benchmarks.labelled.build --out var/labelled.parquet
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import polars as pl

from benchmarks.labelled.pools import (
    COMPANY_FORMS,
    COMPANY_NATIVE,
    COMPANY_TRADES,
    COMPANY_WORDS,
    NO_SPACE,
    PEOPLE,
    SURNAME_FIRST,
)
from benchmarks.screening_common import SHARED
from screening import Watchlist, normalise
from screening.normalize import NormalName, phonetic

KINDS = (
    "exact",
    "case_punct",
    "token_order",
    "typo",
    "translit",
    "dropped_middle",
    "initials",
    "honorific",
    "legal_form",
    "split_merge",
    "nickname",
    "cyrillic",
    "with_dob",
)

_TRANSLIT_RULES = (
    ("ou", "u"),
    ("u", "ou"),
    ("ee", "i"),
    ("i", "ee"),
    ("kh", "h"),
    ("ov", "off"),
    ("ev", "eff"),
    ("y", "i"),
    ("i", "y"),
    ("ss", "s"),
    ("s", "ss"),
    ("mm", "m"),
    ("dh", "d"),
    ("q", "k"),
    ("j", "dj"),
    ("sh", "ch"),
    ("oo", "u"),
    ("a", "e"),
    ("ph", "f"),
    ("w", "v"),
    ("ie", "y"),
    ("iy", "y"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("ck", "k"),
    ("tt", "t"),
    ("zh", "j"),
    ("ei", "ey"),
)
_HONORIFICS = ("Mr", "Dr.", "Sheikh", "Haji", "Mrs.", "Prof.", "Gen.", "Mullah")
_LEGAL_SWAP = {
    "llc": ("Limited Liability Company", "L.L.C.", "OOO", "Ltd"),
    "jsc": ("Joint Stock Company", "AO", "PJSC", "S.A.", "Inc."),
    "": ("Ltd", "LLC", "Co.", "Company Limited", "S.A."),
}
_LEGAL_WORDS = re.compile(
    r"\b(LLC|L\.L\.C\.|LTD\.?|LIMITED|JSC|OJSC|CJSC|PJSC|S\.A\.|SA|INC\.?|CORP\.?|GMBH|OOO|AO|CO\.?)\s*$", re.I
)
_CYR = {
    "shch": "щ",
    "sch": "щ",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ya": "я",
    "yo": "ё",
    "a": "а",
    "b": "б",
    "v": "в",
    "g": "г",
    "d": "д",
    "e": "е",
    "z": "з",
    "i": "и",
    "y": "й",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "f": "ф",
    "h": "х",
    "c": "к",
    "w": "в",
    "x": "кс",
    "j": "дж",
    "q": "к",
}
_CYR_KEYS = sorted(_CYR, key=len, reverse=True)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", name) if t]


def _typo(rng: random.Random, name: str) -> str | None:
    tokens = _tokens(name)
    long = [i for i, t in enumerate(tokens) if len(t) >= 5]
    if not long:
        return None
    i = rng.choice(long)
    t = tokens[i]
    j = rng.randrange(1, len(t) - 1)
    op = rng.choice(("del", "sub", "swap", "ins"))
    letters = "aeioulnrstmk"
    if op == "del":
        t = t[:j] + t[j + 1 :]
    elif op == "sub":
        t = t[:j] + rng.choice(letters) + t[j + 1 :]
    elif op == "swap":
        t = t[:j] + t[j + 1] + t[j] + t[j + 2 :]
    else:
        t = t[:j] + rng.choice(letters) + t[j:]
    tokens[i] = t
    return " ".join(tokens)


def _translit(rng: random.Random, name: str) -> str | None:
    lower = name.lower()
    rules = [r for r in _TRANSLIT_RULES if r[0] in lower]
    if not rules:
        return None
    old, new = rng.choice(rules)
    starts = [m.start() for m in re.finditer(re.escape(old), lower)]
    at = rng.choice(starts)
    out = lower[:at] + new + lower[at + len(old) :]
    return out.title()


def _cyrillic(name: str) -> str:
    out: list[str] = []
    low = name.lower()
    i = 0
    while i < len(low):
        for key in _CYR_KEYS:
            if low.startswith(key, i):
                out.append(_CYR[key])
                i += len(key)
                break
        else:
            out.append(low[i])
            i += 1
    return "".join(out).title()


def _nicknames() -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    path = SHARED / "names" / "namevariants-nicknames-carltonnorthern" / "names.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["relationship"] == "has_nickname":
                table[row["name1"]].append(row["name2"])
    return table


def variation(rng: random.Random, kind: str, name: str, entity_type: str, nick: dict[str, list[str]]) -> str | None:
    """``name`` changed in one realistic way of ``kind``, or None when the kind does not apply."""
    tokens = _tokens(name)
    person = entity_type == "person"
    if kind in {"exact", "with_dob"}:
        return name
    if kind == "case_punct":
        plain = re.sub(r"[,.\-']", " ", name)
        return " ".join(plain.split()).lower() if rng.random() < 0.5 else " ".join(plain.split()).upper()
    if kind == "token_order":
        if not person or len(tokens) < 2:
            return None
        shuffled = tokens[:]
        while shuffled == tokens:
            rng.shuffle(shuffled)
        return " ".join(shuffled)
    if kind == "typo":
        return _typo(rng, name)
    if kind == "translit":
        return _translit(rng, name)
    if kind == "dropped_middle":
        if not person or len(tokens) < 3:
            return None
        drop = rng.randrange(1, len(tokens) - 1)
        return " ".join(tokens[:drop] + tokens[drop + 1 :])
    if kind == "initials":
        if not person:
            return None
        if "," in name:
            surname, _, given = name.partition(",")
            parts = _tokens(given)
            if len(parts) < 2:
                return None
            return " ".join([parts[0], *(p[0] + "." for p in parts[1:]), surname.strip()])
        if len(tokens) < 3:
            return None
        return " ".join([tokens[0], *(p[0] + "." for p in tokens[1:-1]), tokens[-1]])
    if kind == "honorific":
        return f"{rng.choice(_HONORIFICS)} {name}" if person else None
    if kind == "legal_form":
        if person:
            return None
        form = normalise(name).legal_form
        base = _LEGAL_WORDS.sub("", name).strip(" ,")
        return f"{base} {rng.choice(_LEGAL_SWAP.get(form, _LEGAL_SWAP['']))}"
    if kind == "split_merge":
        joined = [i for i in range(len(tokens) - 1) if len(tokens[i]) <= 4]
        if re.search(r"\b(al|el|bin|abd|abu|abdul)[- ]", name, re.I):
            return re.sub(r"\b(al|el|bin|abd|abu|abdul)[- ]", lambda m: m.group(1), name, count=1, flags=re.I)
        if joined:
            i = rng.choice(joined)
            return " ".join([*tokens[:i], tokens[i] + tokens[i + 1].lower(), *tokens[i + 2 :]])
        long = [i for i, t in enumerate(tokens) if len(t) >= 8]
        if not long:
            return None
        i = rng.choice(long)
        t = tokens[i]
        return " ".join([*tokens[:i], t[: len(t) // 2], t[len(t) // 2 :], *tokens[i + 1 :]])
    if kind == "nickname":
        if not person:
            return None
        options = [(i, nick[t.lower()]) for i, t in enumerate(tokens) if t.lower().strip(",") in nick]
        if not options:
            return None
        i, choices = rng.choice(options)
        return " ".join([*tokens[:i], rng.choice(choices).title(), *tokens[i + 1 :]])
    if kind == "cyrillic":
        if not person or not name.isascii():
            return None
        return _cyrillic(name.replace(",", ""))
    raise ValueError(kind)


def _person(rng: random.Random) -> tuple[str, str]:
    locale = rng.choice(list(PEOPLE))
    given, family = PEOPLE[locale]
    first = rng.choice(given)
    last = rng.choice(family)
    parts = [first]
    if rng.random() < 0.3 and locale not in SURNAME_FIRST:
        parts.append(rng.choice(given))
    if locale in NO_SPACE:
        return last + first, locale
    if locale in SURNAME_FIRST:
        return f"{last} {first}", locale
    if rng.random() < 0.2:
        parts.append(rng.choice(family))
    return " ".join([*parts, last]), locale


def _company(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(COMPANY_NATIVE)
    words = [rng.choice(COMPANY_WORDS)]
    if rng.random() < 0.4:
        words.append(rng.choice(COMPANY_WORDS))
    words.append(rng.choice(COMPANY_TRADES))
    return " ".join([*words, rng.choice(COMPANY_FORMS)]).strip()


def clean_parties(rng: random.Random, n: int, *, person_share: float = 0.75) -> list[tuple[str, str, str]]:
    """``n`` realistic non-listed (name, entity_type, locale) rows."""
    rows: list[tuple[str, str, str]] = []
    for _ in range(n):
        if rng.random() < person_share:
            name, locale = _person(rng)
            rows.append((name, "person", locale))
        else:
            rows.append((_company(rng), "organization", "company"))
    return rows


_FEMININE = re.compile(r"(ov|ev|in|sk)(a|aya|aia)$")


def _homonym_tokens(name: NormalName) -> frozenset[str]:
    """A name's tokens as they sound, Slavic feminine surnames folded ("Zakharova" as "Zakharov")."""
    return frozenset(_FEMININE.sub(r"\1", phonetic(t)) for t in name.tokens if len(t) > 1)


class Homonyms:
    """Listed names, to tell whether a name is a listed one with a name more or less: the tokens of
    one contained in the tokens of the other, at least two shared."""

    def __init__(self, listed: list[NormalName]) -> None:
        self.sets = {t for t in map(_homonym_tokens, listed) if len(t) >= 2}
        self.by_token: dict[str, list[frozenset[str]]] = defaultdict(list)
        for tokens in self.sets:
            for token in tokens:
                self.by_token[token].append(tokens)

    def of(self, name: NormalName) -> bool:
        tokens = _homonym_tokens(name)
        if len(tokens) < 2:
            return False
        # A listed name within this one ("Rajesh Sunita Gupta" holds "GUPTA, Rajesh") ...
        for size in range(2, len(tokens) + 1):
            if any(frozenset(c) in self.sets for c in combinations(sorted(tokens), size)):
                return True
        # ... or this one within a listed name.
        rarest = min(tokens, key=lambda t: len(self.by_token.get(t, ())))
        return any(tokens <= listed for listed in self.by_token.get(rarest, ()))


def build(watchlist: Watchlist, *, positives: int, negatives: int, seed: int) -> pl.DataFrame:
    """The labelled set: record_id, name, entity_type, dob, kind, true_uid (null for negatives)."""
    rng = random.Random(seed)
    nick = _nicknames()
    wl = watchlist.conformed()
    strong = (
        wl.names.filter(pl.col("strength") == "strong")
        .select("uid", "name")
        .vstack(wl.entries.select("uid", pl.col("primary_name").alias("name")))
        .unique()
        .filter(pl.col("name").str.contains(r"^[\x00-\x7f]+$"))
        .join(wl.entries.select("uid", "entity_type"), on="uid")
        .filter(pl.col("entity_type").is_in(["person", "organization"]))
        .sort("uid", "name")
    )
    dobs = wl.dobs.filter(pl.col("dob_from") == pl.col("dob_to")).group_by("uid").agg(pl.col("dob_from").first())
    dob_of = dict(zip(dobs["uid"].to_list(), dobs["dob_from"].to_list(), strict=True))
    listed = strong.rows()
    rows: list[dict[str, str | None]] = []
    per_kind = positives // len(KINDS)
    for kind in KINDS:
        made = 0
        tries = 0
        while made < per_kind and tries < per_kind * 50:
            tries += 1
            uid, name, entity_type = rng.choice(listed)
            if kind == "with_dob" and uid not in dob_of:
                continue
            varied = variation(rng, kind, name, entity_type, nick)
            if not varied or (kind != "exact" and kind != "with_dob" and varied == name):
                continue
            dob = dob_of[uid].isoformat() if kind == "with_dob" else None
            party_type = entity_type if rng.random() < 0.8 else "unknown"
            rows.append(
                {
                    "name": varied,
                    "entity_type": party_type,
                    "dob": dob,
                    "kind": kind,
                    "true_uid": uid,
                    "list_name": name,
                }
            )
            made += 1
    # Every name on the watchlist, whatever its script, strength or entity type.
    every_name = pl.concat([wl.names["name"], wl.entries["primary_name"]]).drop_nulls().unique().sort()
    listed_forms = [normalise(n) for n in every_name.to_list()]
    listed_norm = {form for n in listed_forms for form in (n.sorted, n.phonetic)}
    homonyms = Homonyms(listed_forms)
    made = 0
    left_out = 0
    for name, entity_type, locale in clean_parties(rng, negatives * 2):
        if made >= negatives:
            break
        # A clean record that is name-identical to a listed name (the same tokens, or tokens that
        # sound the same: "राजेश गुप्ता" and "GUPTA, Rajesh") is not clean: leave it out. So is a
        # listed name with a name more or less ("Artem Stepanov" and "STEPANOV, Artem
        # Nikolaevich"): it is a homonym by name, the same shape as a dropped-middle-name positive.
        forms = normalise(name)
        if forms.sorted in listed_norm or forms.phonetic in listed_norm or homonyms.of(forms):
            left_out += 1
            continue
        party_type = entity_type if rng.random() < 0.8 else "unknown"
        rows.append(
            {
                "name": name,
                "entity_type": party_type,
                "dob": None,
                "kind": f"clean:{locale}",
                "true_uid": None,
                "list_name": None,
            }
        )
        made += 1
    print(f"clean records left out as name-identical to or homonyms of listed names: {left_out}")
    frame = pl.DataFrame(
        rows, schema={k: pl.String for k in ("name", "entity_type", "dob", "kind", "true_uid", "list_name")}
    )
    return frame.with_row_index("n").select(pl.format("case-{}", pl.col("n")).alias("record_id"), pl.exclude("n"))


def main() -> None:
    from benchmarks.screening_common import full_watchlist

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("var/labelled.parquet"))
    parser.add_argument("--positives", type=int, default=2600)
    parser.add_argument("--negatives", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    watchlist, _ = full_watchlist()
    frame = build(watchlist, positives=args.positives, negatives=args.negatives, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(args.out)
    print(frame.group_by("kind").len().sort("kind"))


if __name__ == "__main__":
    main()
