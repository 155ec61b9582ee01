"""Normalisation primitives: literal inputs and the forms they must give."""

from __future__ import annotations

import pytest

from screening.normalize import blocking_keys, fold, normalise, skeleton


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Müller GmbH", "muller gmbh"),
        ("Straße", "strasse"),
        ("O'Brien", "obrien"),
        ("L.L.C.", "llc"),
        ("AL-QAIDA", "al qaida"),
        ("Владимир Путин", "vladimir putin"),
        ("Ελευθέριος Βενιζέλος", "eleytherios venizelos"),
        ("习近平", "xi jin ping"),
        ("ＡＢＣ　Trading", "abc trading"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Sheikh Mohamed Abdulrahman AL-HUSSEINI", "muhammad abd rahman husseini"),
        ("Dr. Hussein Bin Ali", "husayn ali"),
        ("MUHAMMAD, Ali Hassan", "muhammad ali hasan"),
        ("Usama bin Ladin", "usama ladin"),
        ("Abd al-Rahman", "abd rahman"),
        ("Abdel Rahman", "abd rahman"),
        ("Sergei Ivanoff", "sergey ivanov"),
        ("Bob Smith", "robert smith"),
        ("Van der Berg, Jan", "berg jan"),
        ("OOO Romashka", "romashka"),
        ("Romashka Limited Liability Company", "romashka"),
        ("Sberbank PJSC", "sberbank"),
        ("Müller GmbH & Co. KG", "muller co"),
        ("Mrs", "mrs"),
        ("John F. Kennedy", "john kennedy"),
        ("J. Kennedy", "j kennedy"),
    ],
)
def test_normalised_tokens(name: str, text: str) -> None:
    assert normalise(name).text == text


@pytest.mark.parametrize(
    ("name", "legal_form"),
    [
        ("OOO Romashka", "llc"),
        ("Romashka L.L.C.", "llc"),
        ("Romashka GmbH", "llc"),
        ("Joint Stock Company Romashka", "jsc"),
        ("Romashka S.A.", "jsc"),
        ("Sa Romashka", ""),  # "sa" counts as a legal form only at the end
        ("Romashka", ""),
    ],
)
def test_legal_forms(name: str, legal_form: str) -> None:
    assert normalise(name).legal_form == legal_form


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Al-Qaida", "Alqaida"),
        ("Abdulrahman", "Abd al-Rahman"),
        ("Xi Jinping", "习近平"),
    ],
)
def test_split_and_merged_tokens_share_the_full_form(left: str, right: str) -> None:
    assert normalise(left).full == normalise(right).full


@pytest.mark.parametrize(
    ("tokens", "key"),
    [
        (("hussein", "husayn", "husain", "hossein"), "hsn"),
        (("muhammad", "mohammed", "mhmd"), "mhmd"),
        (("qasim", "kasim"), "ksm"),
        (("ivanov", "ivanof"), "fnf"),
    ],
)
def test_transliteration_variants_share_a_skeleton(tokens: tuple[str, ...], key: str) -> None:
    assert {skeleton(t) for t in tokens} == {key}


def test_arabic_script_marks_the_name_as_abjad() -> None:
    assert normalise("محمد بن سلمان").abjad
    assert not normalise("Mohammed bin Salman").abjad


def test_blocking_keys_of_variants_overlap() -> None:
    a = set(blocking_keys(normalise("Mohamed Hussein Tantawi")))
    b = set(blocking_keys(normalise("TANTAWI, Muhammad Husayn")))
    assert "w:husayn muhammad tantawi" in a & b
    assert "t:tnt" in a & b


@pytest.mark.parametrize(
    ("left", "right", "kind"),
    [
        ("Khaleel ZGHRAYA", "Khaleel ZGHRAYBA", "e:"),  # a letter missing
        ("Esmktullah Asem", "Esmatullah Asem", "e:"),  # a letter changed
        ("RUDSJAN", "RUSDJAN", "d:"),  # two letters swapped in a one-word name
        ("MAKUEI Mike", "MAKUEI, Michael", "p:"),  # a nickname
        ("Удван Атеф", "UDWAN, Atef", "p:"),  # в read as v, written w
        ("ALARURI, Salih", "AL-ARURI, Salih", "p:"),  # article run into the name
        ("Haji G. Mohammad", "Haji Ghul Mohammad", "i:"),  # an initial
    ],
)
def test_blocking_keys_of_misspellings_and_initials_overlap(left: str, right: str, kind: str) -> None:
    shared = set(blocking_keys(normalise(left))) & set(blocking_keys(normalise(right)))
    assert any(key.startswith(kind) for key in shared), shared


@pytest.mark.parametrize(
    ("name", "text", "legal_form"),
    [
        ("Joint Stok Compani Hals-Development", "hals development", "jsc"),  # misspelt by sound
        ("Aktsionernoe Obshchesstvo Biotekhprom", "biotekhprom", "jsc"),  # one letter off
        ("AKTSIO NERNOE OBSHCHESTVO 'DRUZHBA'", "druzhba", "jsc"),  # a word split in two
        ("Royal Shipping A/S", "royal shipping", "jsc"),
        ("Stoker Johnson", "stoker johnson", ""),  # a name near a legal word stays a name
    ],
)
def test_misspelt_and_split_legal_forms(name: str, text: str, legal_form: str) -> None:
    normal = normalise(name)
    assert (normal.text, normal.legal_form) == (text, legal_form)


def test_cyrillic_yo_reads_yo() -> None:
    assert normalise("Ёусеф Хасан").sorted == normalise("YOUSEF, Hasan").sorted
