"""Name normalisation, applied with the same function to list names and to parties.

A name goes through these steps:

1. Unicode NFKC, transliteration of every script to Latin (``anyascii``), case folding; dots and
   apostrophes vanish ("L.L.C." → "llc", "O'Brien" → "obrien"), other punctuation splits tokens.
   Chinese, Japanese and Korean syllables are split where the transliteration capitalises them.
2. Legal forms in any language are recognised as phrases and set aside ("OOO", "Limited
   Liability Company", "GmbH" → ``llc``); organisation words are canonicalised ("Company" → ``co``).
3. Honorifics and titles are dropped; particles (``al``, ``bin``, ``van der``) are kept only in the
   *full* joined form.
4. Given-name variants and nicknames become one spelling ("Mohamed" → ``muhammad``, "Bob" →
   ``robert``); merged Arabic theophoric names are split ("Abdulrahman" → ``abd al rahman``);
   Slavic ``-off``/``-eff`` endings become ``-ov``/``-ev``.

The result, :class:`NormalName`, carries several forms used by scoring and by candidate generation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from anyascii import anyascii

from screening.resources.given_names import formal_names, variant_map
from screening.resources.legal_forms import LEGAL_FORMS, TRAILING_ONLY
from screening.resources.words import ABD_PREFIXES, HONORIFICS, NOISE, PARTICLES

# Canonical legal forms that are set aside from the compared name; the others (co, group, ...) are
# ordinary words of the name, only spelt one way.
STRIPPED_FORMS: Final = frozenset({"llc", "jsc", "lp", "gp", "coop"})

_VARIANTS: Final = variant_map()
_FORMAL: Final = formal_names()
MIN_KEY_LENGTH: Final = 3
_DROP_SILENT: Final = re.compile(r"[.'’‘`´ʼʻ]")
_NON_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_CAMEL: Final = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ABJAD: Final = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_CJK: Final = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]")
_HYPHEN_END: Final = re.compile(r"\w-\w+\s*$")
# Cyrillic Ё stands for "yo" ("Ёусеф" is "Yousef"), which the generic transliteration writes "E".
_CYRILLIC_YO: Final = str.maketrans({"Ё": "Yo", "ё": "yo"})
_SKELETON_RULES: Final = {
    "kh": "h",
    "gh": "g",
    "sh": "s",
    "ch": "s",
    "zh": "j",
    "dzh": "j",
    "dz": "j",
    # Arabic dh, th and gh written in Cyrillic ("Кадхафи", "Багхер") come back as "dkh", "tkh", "gkh".
    "dkh": "d",
    "tkh": "t",
    "gkh": "g",
    "ph": "f",
    "th": "t",
    "dh": "d",
    "ck": "k",
    "dj": "j",
    "q": "k",
    "c": "k",
    "x": "ks",
    "z": "s",
    "v": "f",
    "g": "j",
}
_SKELETON_PATTERN: Final = re.compile("|".join(sorted(_SKELETON_RULES, key=len, reverse=True)))
_REPEATS: Final = re.compile(r"(.)\1+")
_SKELETON_DROP: Final = str.maketrans("", "", "aeiouyw")
# Spellings of one sound across transliteration systems (English, French, German and Russian
# renderings of Arabic, Persian, Russian, Korean names): "Dzhesus" and "Jesus", "Mukhamad" and
# "Muhammad", "Hyeon" and "Hyon", "Youssef" and "Yusef" read the same.
_PHONETIC_RULES: Final = {
    "dkh": "dh",
    "tkh": "t",
    "gkh": "g",
    "dzh": "j",
    "dj": "j",
    "zh": "j",
    "kh": "h",
    "gh": "g",
    "ph": "f",
    "th": "t",
    "sch": "s",
    "sh": "s",
    "tch": "c",
    "ch": "c",
    "ck": "k",
    "q": "k",
    "x": "ks",
    "w": "v",
    "y": "i",
    "ee": "i",
    "oo": "u",
    "ou": "u",
    "eo": "o",
    "ue": "u",
}
_PHONETIC_PATTERN: Final = re.compile("|".join(sorted(_PHONETIC_RULES, key=len, reverse=True)))


def _legal_phrases() -> dict[tuple[str, ...], str]:
    phrases: dict[tuple[str, ...], str] = {}
    for canonical, spellings in LEGAL_FORMS.items():
        for spelling in spellings:
            phrases.setdefault(tuple(_NON_ALNUM.split(spelling.replace(".", ""))), canonical)
    return phrases


_LEGAL: Final = _legal_phrases()
_LEGAL_MAX: Final = max(len(p) for p in _LEGAL)
_LEGAL_VOCABULARY: Final = frozenset(w for p in _LEGAL for w in p)
_LEGAL_WORDS: Final = frozenset(w for w in _LEGAL_VOCABULARY if len(w) >= 5)
# First words of legal-form phrases, and the beginnings of legal-form words (a word split in two).
_LEGAL_FIRST: Final = frozenset(p[0] for p in _LEGAL)
_LEGAL_HEADS: Final = frozenset(w[:k] for w in _LEGAL_WORDS for k in range(1, len(w)))


@dataclass(frozen=True, slots=True)
class NormalName:
    """The comparison forms of one name.

    ``tokens`` are the canonical tokens of the name without particles or legal forms, in the order
    written; ``sorted`` joins them sorted (token order does not matter for persons); ``joined``
    runs them together (split and merged tokens compare equal); ``full`` runs together every
    token including particles; ``skeleton`` is the sorted consonant skeleton, used when either side
    was written in an abjad (Arabic, Hebrew), whose transliteration has no vowels; ``plain`` joins
    sorted the tokens as written, before given-name variants are merged ("yuan" stays close to
    "juan", which becomes ``john``), for the token alignment; ``phonetic`` joins sorted the tokens
    as they sound (:func:`phonetic`); ``written`` are the tokens in the order written, before
    given-name variants are merged, initials kept, for the token evidence.
    """

    tokens: tuple[str, ...]
    full_tokens: tuple[str, ...]
    sorted: str
    joined: str
    full: str
    skeleton: str
    legal_form: str
    abjad: bool
    plain: str = ""
    phonetic: str = ""
    written: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def fold(text: str) -> str:
    """Transliterated, case-folded text with punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = text.translate(_CYRILLIC_YO)
        if _CJK.search(text):
            text = " ".join(_CAMEL.sub(" ", anyascii(part)) for part in text.split())
        else:
            text = anyascii(text)
    text = _DROP_SILENT.sub("", text.casefold())
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton of a folded token: transliteration variants share it.

    >>> skeleton("hussein"), skeleton("husayn"), skeleton("mhmd"), skeleton("mohammed")
    ('hsn', 'hsn', 'mhmd', 'mhmd')
    """
    consonants = _SKELETON_PATTERN.sub(lambda m: _SKELETON_RULES[m.group()], token).translate(_SKELETON_DROP)
    return _REPEATS.sub(r"\1", consonants) or token[:1]


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A folded token as it sounds, vowels kept: transliteration variants of one sound merge.

    >>> phonetic("dzhesus"), phonetic("mukhamad"), phonetic("muhammad"), phonetic("hyeon")
    ('jesus', 'muhamad', 'muhamad', 'hion')
    """
    return _REPEATS.sub(r"\1", _PHONETIC_PATTERN.sub(lambda m: _PHONETIC_RULES[m.group()], token))


def _one_out(word: str) -> list[str]:
    """``word`` with each of its letters left out in turn."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each key mapped to its word, where the key belongs to one word only."""
    found: dict[str, set[str]] = {}
    for key, word in pairs:
        found.setdefault(key, set()).add(word)
    return {key: next(iter(words)) for key, words in found.items() if len(words) == 1}


def without_article(token: str) -> str:
    """A token with an article run into it ("alaruri", "elsheikh") without it; others unchanged."""
    return token[2:] if len(token) > 5 and token.startswith(("al", "el")) else token


# Given-name variants looked up by how they sound, where that sound belongs to one name only: a
# spelling the tables lack ("Mukhamed", "Abdallakh") still finds its name.
_SOUNDS: Final = _unique((phonetic(spelling), canonical) for spelling, canonical in _VARIANTS.items())


@lru_cache(maxsize=200_000)
def canonical_token(token: str) -> tuple[str, ...]:
    """One folded token rewritten to its canonical spelling; may split into several tokens."""
    if token in _VARIANTS:
        return (_VARIANTS[token],)
    sound = _SOUNDS.get(phonetic(token)) if len(token) >= 4 else None
    if sound is not None:
        return (sound,)
    for prefix in ABD_PREFIXES:
        if token.startswith(prefix):
            rest = token[len(prefix) :]
            if not rest:
                return ("abd", "al") if prefix != "abd" else ("abd",)
            if (len(rest) >= 3 and prefix != "abdu") or len(rest) >= 4:
                rest = rest[2:] if rest.startswith(("al", "el", "ul")) and len(rest) > 4 else rest
                return ("abd", "al", *canonical_token(rest))
            break
    if len(token) > 4 and token.endswith(("off", "eff")):
        return (token[:-2] + "v",)
    return (token,)


@lru_cache(maxsize=200_000)
def _legal_spelling(token: str) -> str:
    """The legal-form word ``token`` misspells (how it sounds: "holdyng", "compani", "stok"; or one
    letter off a word of six letters or more: "obshchesstvo", "limiked"), or ``token`` itself."""
    if token in _LEGAL_VOCABULARY or len(token) < 4:
        return token
    sound = _LEGAL_SOUNDS.get(phonetic(token))
    if sound is not None:
        return sound
    if len(token) < 6:
        return token
    words = {_LEGAL_ONE_OFF[k] for k in (token, *_one_out(token)) if k in _LEGAL_ONE_OFF}
    return next(iter(words)) if len(words) == 1 else token


def _mend_legal_words(tokens: list[str]) -> list[str]:
    """Misspelt legal-form words spelt right, and two adjacent tokens that make a word of a legal
    form only together ("AKTSIO NERNOE") joined."""
    tokens = [_legal_spelling(t) for t in tokens]
    if _LEGAL_HEADS.isdisjoint(tokens[:-1]):
        return tokens
    out: list[str] = []
    i = 0
    while i < len(tokens):
        a = tokens[i]
        if (
            i + 1 < len(tokens)
            and a in _LEGAL_HEADS
            and a + tokens[i + 1] in _LEGAL_WORDS
            and tokens[i + 1] not in _LEGAL_WORDS
        ):
            out.append(a + tokens[i + 1])
            i += 2
        else:
            out.append(a)
            i += 1
    return out


_LEGAL_SOUNDS: Final = _unique((phonetic(w), w) for w in _LEGAL_VOCABULARY if len(w) >= 4)
_LEGAL_ONE_OFF: Final = _unique(
    (key, w) for w in _LEGAL_VOCABULARY if len(w) >= 6 for key in (w, *_one_out(w)) if key not in _LEGAL_VOCABULARY
)


def _split_legal_form(tokens: list[str]) -> tuple[list[str], str]:
    """Tokens with legal-form phrases replaced by their canonical word; the stripped form apart."""
    tokens = _mend_legal_words(tokens)
    out: list[str] = []
    stripped = ""
    i = 0
    n = len(tokens)
    while i < n:
        if tokens[i] not in _LEGAL_FIRST:
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(_LEGAL_MAX, n - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            canonical = _LEGAL.get(phrase)
            if canonical is None:
                continue
            at_end = i + size == n
            if size == 1 and phrase[0] in TRAILING_ONLY and not (at_end and n > 1):
                continue
            if canonical in STRIPPED_FORMS and n > size:
                stripped = stripped or canonical
            else:
                out.append(canonical)
            i += size
            break
        else:
            out.append(tokens[i])
            i += 1
    return out, stripped


@lru_cache(maxsize=50_000)
def normalise(name: str) -> NormalName:
    """All comparison forms of ``name``.

    >>> normalise("Sheikh Mohamed Abdulrahman AL-HUSSEINI").text
    'muhammad abd rahman husseini'
    >>> normalise("OOO Romashka").text, normalise("Romashka LLC").legal_form
    ('romashka', 'llc')
    """
    folded = fold(name)
    raw = folded.split()
    words, legal_form = _split_legal_form(raw)
    kept = [w for w in words if w not in HONORIFICS and w not in NOISE] or words
    full: list[str] = []
    for word in kept:
        full.extend(canonical_token(word))
    # A particle precedes the name it belongs to ("bin Laden"): as the last token of a name written
    # with a hyphen there ("Su-bin") or in Hangul or Han script it is a syllable of a given name.
    syllable = len(full) > 1 and bool(_CJK.search(name) or _HYPHEN_END.search(name))
    core = [t for i, t in enumerate(full) if t not in PARTICLES or (syllable and i == len(full) - 1)] or full
    # Initials ("John F. Kennedy") are left out when two full tokens remain: the name then
    # compares as one with a dropped middle name.
    spelled = [t for t in core if len(t) > 1]
    if len(spelled) >= 2:
        core = spelled
    skeletons = sorted(skeleton(t) for t in core)
    plain = [w for i, w in enumerate(kept) if w not in PARTICLES or (syllable and i == len(kept) - 1)] or kept
    # Honorifics and noise words stay in the written tokens: a misspelt one must still find its pair.
    # A one-letter particle ("y" in "Ortega y Gasset") is as likely an initial ("Abu Y. Al-Iraqi").
    written = [
        w for i, w in enumerate(words) if w not in PARTICLES or len(w) == 1 or (syllable and i == len(words) - 1)
    ] or words
    if len(spelled) >= 2:
        plain = [w for w in plain if len(w) > 1] or plain
    return NormalName(
        tokens=tuple(core),
        full_tokens=tuple(full),
        sorted=" ".join(sorted(core)),
        joined="".join(core),
        full="".join(full),
        skeleton=" ".join(skeletons),
        legal_form=legal_form,
        abjad=bool(_ABJAD.search(name)),
        plain=" ".join(sorted(plain)),
        phonetic=" ".join(sorted(phonetic(t) for t in core)),
        written=tuple(written),
    )


@lru_cache(maxsize=200_000)
def _token_skeletons(token: str) -> tuple[str, ...]:
    """The skeleton of a token; where it has a v, the skeleton with v left out like w ("Udwan" and
    Cyrillic "Удван", "udvan"); where it starts with a merged ``al``, the skeleton without it; where
    it is a nickname, the skeletons of the names it stands for."""
    out = {skeleton(token)}
    # A nickname also blocks as the names it stands for ("Mike" as Michael and Miguel).
    out.update(skeleton(t) for name in _FORMAL.get(token, ()) for t in canonical_token(name))
    if "v" in token:
        out.add(skeleton(token.replace("v", "w")))
    out.add(skeleton(without_article(token)))
    return tuple(sorted(out))


@lru_cache(maxsize=200_000)
def _deletions(skel: str) -> tuple[str, ...]:
    """The skeleton, and where more than three consonants, the skeleton with each consonant left out
    in turn: a changed, missing or extra letter leaves two spellings with one of these in common."""
    if len(skel) <= MIN_KEY_LENGTH:
        return (skel,)
    return (skel, *_one_out(skel))


@lru_cache(maxsize=200_000)
def _misspelling_keys(skel: str) -> tuple[str, ...]:
    return tuple(f"d:{d}" for d in _deletions(skel))


@lru_cache(maxsize=500_000)
def _misspelling_pair_keys(skel: str, initial: str) -> tuple[str, ...]:
    return tuple(f"e:{d}|{initial}" for d in _deletions(skel))


def blocking_keys(name: NormalName, *, max_tokens: int = 6) -> list[str]:
    """Keys that a name and its likely variants share.

    - ``w:`` the whole normalised name (exact matches; never capped by frequency);
    - ``t:`` the consonant skeleton of each token of three consonants or more, of adjacent tokens
      run together (split and merged tokens) and of the whole name;
    - ``d:`` the skeleton of a one-token name, and each with one consonant left out (misspelt);
    - ``e:`` the same for each token of a longer name, with the initial of its longest other token;
    - ``p:`` the skeletons of each pair of tokens;
    - ``i:`` the skeleton of one token with the initial of another, spelt out or not (a changed
      given name, an initial).
    """
    spelt = sorted({t for t in name.tokens if len(t) > 1})[:max_tokens]
    initials = [t[0] for t in name.written if t]
    firsts = {c: initials.count(c) for c in set(initials)}
    skels = sorted({s for t in spelt for s in _token_skeletons(t)})
    keys = [f"w:{name.sorted}"]
    # Skeletons shorter than three consonants ("li", "jn") say little on their own: such tokens
    # take part through pairs.
    keys.extend(f"t:{s}" for s in skels if len(s) >= MIN_KEY_LENGTH)
    keys.extend(f"p:{a}|{b}" for i, a in enumerate(skels) for b in skels[i + 1 :])
    longest = sorted(spelt, key=lambda t: (-len(t), t))
    for a in spelt:
        skel = skeleton(a)
        if len(skel) < MIN_KEY_LENGTH:
            continue
        # The initials of the other tokens (a token's own initial only if another shares it).
        keys.extend(f"i:{skel}|{c}" for c, n in firsts.items() if c != a[0] or n > 1)
        # A misspelt token: alone for a one-token name, else with the initial of the longest
        # other token, which far fewer names share ("Khaleel ZGHRAYA").
        other = next((t for t in longest if t != a), None)
        keys.extend(_misspelling_keys(skel) if other is None else _misspelling_pair_keys(skel, other[0]))
    merged = (skeleton(a + b) for a, b in zip(name.full_tokens, name.full_tokens[1:], strict=False))
    keys.extend(f"t:{s}" for s in merged if len(s) >= MIN_KEY_LENGTH)
    if len(spelt) > 1:
        keys.append(f"t:{skeleton(name.joined)}")
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=200_000)
def word_count(name: str) -> int:
    """How many words ``name`` is written in ("Abdelrahman": one, though it compares as two)."""
    return len(fold(name).split())


def normalise_many(names: Iterable[str]) -> list[NormalName]:
    return [normalise(n) for n in names]
