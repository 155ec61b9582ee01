"""Nationalities and countries as registers write them ("British", "England & Wales", "DK")."""

from __future__ import annotations

from typing import Final

from pipelines.lists.common import country_code

# Registers give nationality as a demonym; the list tables use ISO codes.
DEMONYMS: Final[dict[str, str]] = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO",
    "argentine": "AR", "argentinian": "AR", "armenian": "AM", "australian": "AU", "austrian": "AT",
    "azerbaijani": "AZ", "bahraini": "BH", "bangladeshi": "BD", "belarusian": "BY", "belgian": "BE",
    "bosnian": "BA", "brazilian": "BR", "british": "GB", "bulgarian": "BG", "burmese": "MM",
    "canadian": "CA", "chilean": "CL", "chinese": "CN", "colombian": "CO", "croatian": "HR",
    "cuban": "CU", "cypriot": "CY", "czech": "CZ", "danish": "DK", "dutch": "NL", "egyptian": "EG",
    "emirati": "AE", "english": "GB", "eritrean": "ER", "estonian": "EE", "ethiopian": "ET",
    "filipino": "PH", "finnish": "FI", "french": "FR", "georgian": "GE", "german": "DE",
    "ghanaian": "GH", "greek": "GR", "hungarian": "HU", "icelandic": "IS", "indian": "IN",
    "indonesian": "ID", "iranian": "IR", "iraqi": "IQ", "irish": "IE", "israeli": "IL",
    "italian": "IT", "japanese": "JP", "jordanian": "JO", "kazakh": "KZ", "kazakhstani": "KZ",
    "kenyan": "KE", "korean": "KR", "south korean": "KR", "north korean": "KP", "kuwaiti": "KW",
    "kyrgyz": "KG", "latvian": "LV", "lebanese": "LB", "libyan": "LY", "lithuanian": "LT",
    "luxembourger": "LU", "malaysian": "MY", "maltese": "MT", "mexican": "MX", "moldovan": "MD",
    "mongolian": "MN", "moroccan": "MA", "nepalese": "NP", "new zealander": "NZ", "nigerian": "NG",
    "northern irish": "GB", "norwegian": "NO", "omani": "OM", "pakistani": "PK", "palestinian": "PS",
    "polish": "PL", "portuguese": "PT", "qatari": "QA", "romanian": "RO", "russian": "RU",
    "saudi": "SA", "saudi arabian": "SA", "scottish": "GB", "serbian": "RS", "singaporean": "SG",
    "slovak": "SK", "slovenian": "SI", "somali": "SO", "south african": "ZA", "spanish": "ES",
    "sri lankan": "LK", "sudanese": "SD", "swedish": "SE", "swiss": "CH", "syrian": "SY",
    "taiwanese": "TW", "tajik": "TJ", "thai": "TH", "tunisian": "TN", "turkish": "TR",
    "turkmen": "TM", "ugandan": "UG", "ukrainian": "UA", "uzbek": "UZ", "venezuelan": "VE",
    "vietnamese": "VN", "welsh": "GB", "yemeni": "YE", "zimbabwean": "ZW",
}  # fmt: skip

UK_PARTS: Final = frozenset({"england", "wales", "scotland", "northern ireland", "england & wales",
                             "england and wales", "united kingdom", "uk", "great britain"})  # fmt: skip


def nationality_code(text: str | None) -> str | None:
    """ISO alpha-2 of a published nationality ("British", "Russian", "DK"); the first of several
    ("British,Irish"); the text itself when it is not recognised."""
    if not text:
        return None
    first = text.replace(";", ",").split(",")[0].strip()
    key = first.casefold()
    if key in DEMONYMS:
        return DEMONYMS[key]
    return country_code(first) or first


def place_code(text: str | None) -> str | None:
    """ISO alpha-2 of a published country or UK nation ("England & Wales" → "GB")."""
    if not text:
        return None
    key = " ".join(text.casefold().split())
    if key in UK_PARTS:
        return "GB"
    return country_code(text)


def is_uk_registration(*texts: str | None) -> bool:
    """True when a corporate owner's identification names a UK register."""
    for text in texts:
        if not text:
            continue
        key = text.casefold()
        if "companies house" in key or place_code(text) == "GB" or "companies act" in key:
            return True
        if any(part in key for part in ("england", "wales", "scotland", "northern ireland", "united kingdom")):
            return True
    return False
