"""Given-name variants: transliterations of the same name and common nicknames.

Each group starts with the canonical spelling every member is rewritten to. Only unambiguous
variants are listed: a spelling that belongs to two different names stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from nicknames import NickNamer

VARIANT_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    # Arabic and Persian names, in the spellings lists and bank records use.
    (
        "muhammad",
        "mohammed",
        "mohammad",
        "mohamed",
        "mohamad",
        "muhammed",
        "mohamud",
        "mahomed",
        "muhamad",
        "mohummad",
        "mouhamed",
        "muhamed",
        "mohammd",
        "mohd",
        "mhd",
        "mehmet",
        "mehmed",
        "mokhammed",
        "magomed",
        "mukhammad",
        "muhamet",
        "mamadou",
        "mamadu",
        "mohamet",
    ),
    ("ahmad", "ahmed", "ahmet", "akhmed", "akhmad", "ehmed", "achmed", "achmad"),
    ("mahmud", "mahmoud", "mahmood", "mahmut", "makhmud"),
    (
        "husayn",
        "hussein",
        "husein",
        "hussain",
        "husain",
        "hossein",
        "hosein",
        "huseyin",
        "hussien",
        "husseyn",
        "khusein",
        "gusein",
        "huseyn",
        "hoseyn",
    ),
    ("hasan", "hassan", "hasen", "khasan", "hassen"),
    ("husni", "hosni", "housni"),
    ("ali", "aly", "alee"),
    ("umar", "omar", "omer", "oumar", "omur"),
    ("uthman", "othman", "osman", "usman", "othmane", "ousmane", "usmon"),
    ("usama", "osama", "oussama", "usamah", "osamah"),
    (
        "yusuf",
        "yousef",
        "youssef",
        "yousif",
        "yusef",
        "yussuf",
        "yousuf",
        "jusuf",
        "yossef",
        "youcef",
        "yusup",
        "iusuf",
    ),
    ("ibrahim", "ebrahim", "ibraheem", "ibragim", "ebraheem", "brahim"),
    ("ismail", "ismael", "esmail", "ismayil", "ismoil", "ismaeel"),
    ("abdallah", "abdullah", "abdulla", "abdalla", "abdallahi", "abdollah", "abdellah", "abdullahi"),
    ("khalid", "khaled", "halid", "khaleed", "haled"),
    ("khalil", "khaleel", "halil", "kalil"),
    ("saeed", "said", "saed", "saeid", "saiid"),
    ("sayyid", "sayed", "sayyed", "seyed", "seyyed", "sayid", "syed", "sayyad"),
    ("mustafa", "mustapha", "moustafa", "mostafa", "mustefa", "mostapha"),
    ("yasin", "yassin", "yaseen", "yassine", "yacine"),
    ("yahya", "yehia", "yahia", "yehya"),
    ("jafar", "jaafar", "jafer", "djafar", "cafer"),
    ("jamal", "gamal", "djamal", "cemal", "jamaal"),
    ("jamil", "gamil", "djamil", "cemil", "jameel"),
    ("hamid", "hamed", "hameed"),
    ("majid", "majed", "maged", "magid", "majeed"),
    ("rashid", "rashed", "rasheed", "rachid", "rached", "reshid"),
    ("nasir", "nasser", "naser", "nasr", "nassir", "nacer", "naseer"),
    ("nur", "noor", "nour"),
    ("nuri", "nouri", "noori"),
    ("qasim", "qassim", "kassem", "kasim", "qasem", "gassem", "qassem", "kasym"),
    ("abbas", "abas"),
    ("anwar", "anouar", "anvar", "enver"),
    ("aziz", "azeez"),
    ("amin", "ameen", "emin"),
    ("amir", "ameer", "emir"),
    ("bakr", "bakar", "bekr", "bakir", "bekir"),
    ("faisal", "faysal", "feisal", "faycal", "faisel"),
    ("fahd", "fahad"),
    ("hafiz", "hafez", "hafeez"),
    ("hamza", "hamzah", "hamzeh"),
    ("harun", "haroun", "haroon", "harun"),
    ("hisham", "hesham", "hicham"),
    ("idris", "idrees", "edris", "driss"),
    ("ilyas", "elias", "ilias", "iliyas"),
    ("jalal", "djalal", "celal"),
    ("karim", "kareem", "kerim"),
    ("latif", "lateef"),
    ("mansur", "mansour", "mansoor"),
    ("masud", "masoud", "massoud", "masood", "mesut"),
    ("munir", "mounir", "muneer"),
    ("murad", "mourad", "murat"),
    ("nabil", "nabeel"),
    ("nadir", "nader"),
    ("rahim", "raheem"),
    ("rahman", "rehman", "rakhman"),
    ("ramadan", "ramazan", "ramadhan"),
    ("salih", "saleh", "salekh"),
    ("salim", "saleem", "selim"),
    ("salman", "soliman"),
    ("sulayman", "suleiman", "sulaiman", "suleyman", "soleiman", "sulejman", "suleman"),
    ("shakir", "shaker"),
    ("sharif", "sherif", "shareef", "cherif", "charif"),
    ("tahir", "taher", "tahar"),
    ("tariq", "tarik", "tarek", "tarak"),
    ("walid", "waleed", "oualid"),
    ("zakariya", "zakaria", "zakariyya", "zakariah", "zakarya"),
    ("zayd", "zaid", "zayed", "zeid"),
    ("zubayr", "zubair", "zubeir", "zoubair"),
    ("abu", "abou", "abo"),
    ("ayman", "aiman", "eiman"),
    ("bashir", "basheer", "bachir"),
    ("fadl", "fadel", "fadil", "fazil", "fazl"),
    ("ghazi", "gazi"),
    ("habib", "habeeb"),
    ("jabir", "jaber"),
    ("khalifa", "khalifah"),
    ("rida", "reza", "ridha", "riza"),
    ("ruhollah", "ruhullah", "rouhollah"),
    # Slavic names.
    (
        "aleksandr",
        "alexander",
        "aleksander",
        "alexandr",
        "oleksandr",
        "aliaksandr",
        "alexandre",
        "alessandro",
        "alejandro",
        "sasha",
    ),
    ("aleksey", "alexey", "aleksei", "alexei", "oleksiy", "oleksii", "aliaksei", "alexej"),
    ("andrey", "andrei", "andriy", "andrii", "andrej", "andrzej", "andrew", "andreas", "andre"),
    ("dmitry", "dmitri", "dmitriy", "dmytro", "dimitri", "dimitry", "dzmitry", "dimitrij"),
    ("evgeny", "evgeniy", "yevgeny", "yevgeniy", "evgenii", "yevhen", "eugene", "jewgeni", "yauhen"),
    ("georgy", "georgiy", "georgii", "heorhiy", "george", "georg", "jorge", "giorgi"),
    ("grigory", "grigoriy", "grigorii", "hryhoriy", "gregory", "gregor"),
    ("igor", "ihor", "ihar"),
    ("ivan", "ivan", "ioann", "ivane", "iwan"),
    ("konstantin", "kostiantyn", "konstantyn", "constantin", "constantine", "kanstantsin"),
    ("maksim", "maxim", "maksym", "maxime", "maksimilian"),
    (
        "mikhail",
        "mikhael",
        "mykhailo",
        "mikhailo",
        "mikhal",
        "michael",
        "michel",
        "michal",
        "mikail",
        "mikhayil",
        "mihail",
        "michail",
    ),
    ("nikolay", "nikolai", "mykola", "nicolai", "nikolaj", "mikalai", "nicholas", "nicolas", "nikola"),
    ("oleg", "oleh", "aleh"),
    ("pavel", "pavlo", "paul", "pawel", "pablo", "paolo"),
    ("pyotr", "petr", "piotr", "petro", "peter", "pierre", "pedro", "pietro"),
    ("sergey", "sergei", "serhiy", "serhii", "siarhei", "sergiy", "sergej", "serge", "sergio"),
    ("viktor", "victor", "wiktor"),
    ("vladimir", "volodymyr", "uladzimir", "wladimir", "vladimer", "wlodzimierz"),
    ("vyacheslav", "viacheslav", "vjaceslav", "vyacheslaw"),
    ("yury", "yuri", "yuriy", "iurii", "yurii", "jurij", "juri", "yuriy", "jury"),
    ("yakov", "yakiv", "jakob", "jacob", "jakub", "iakov"),
    ("yelena", "elena", "olena", "alena", "helena", "jelena", "yelyena"),
    ("yekaterina", "ekaterina", "kateryna", "katerina", "catherine", "katarzyna", "caterina", "katherine"),
    ("natalya", "natalia", "nataliya", "natalie", "natalja"),
    ("tatyana", "tatiana", "tetiana", "tatsiana", "tatjana"),
    ("yuliya", "yulia", "julia", "iuliia", "yuliia", "julija"),
    ("olga", "olha", "volha"),
    ("anastasiya", "anastasia", "anastasija"),
    # European and English names, with the commonest nicknames.
    ("william", "bill", "billy", "will", "willie", "wilhelm", "guillaume", "guillermo"),
    ("robert", "bob", "bobby", "rob", "robbie", "roberto"),
    ("richard", "dick", "rick", "ricky", "rich", "ricardo", "riccardo"),
    ("james", "jim", "jimmy", "jamie", "diego", "jaime"),
    ("john", "johnny", "jon", "johann", "johannes", "juan", "giovanni", "joao"),
    ("joseph", "joe", "joey", "jose", "giuseppe", "josef", "jozef"),
    ("thomas", "tom", "tommy", "tomas", "tomasz", "tommaso"),
    ("charles", "charlie", "chuck", "carlos", "carl", "karl", "carlo"),
    ("edward", "ed", "eddie", "ted", "teddy", "eduardo", "eduard", "edouard"),
    ("francis", "frank", "francisco", "francesco", "franz", "francois", "frantisek"),
    ("henry", "harry", "hank", "henri", "enrique", "heinrich", "enrico"),
    ("anthony", "tony", "antonio", "anton", "antoine", "antony"),
    ("daniel", "dan", "danny", "daniele"),
    ("david", "dave", "davide", "davit", "dawid"),
    ("stephen", "steven", "steve", "stefan", "stephan", "esteban", "stefano", "stepan", "stephane"),
    ("christopher", "chris", "kristopher", "christoph", "cristobal", "christophe"),
    ("matthew", "matt", "mateo", "matteo", "mathieu", "matthias", "mateusz", "matvey"),
    ("benjamin", "ben", "benny", "benjamim"),
    ("samuel", "sam", "sammy"),
    ("elizabeth", "liz", "beth", "betty", "eliza", "elisabeth", "elisabetta"),
    ("margaret", "maggie", "meg", "peggy", "margarita", "margarete", "marguerite"),
    ("mary", "maria", "marie", "mariya", "maryam", "miriam", "mariam", "marija"),
    ("ann", "anne", "anna", "annie", "hannah", "ana"),
    ("susan", "sue", "susie", "suzanne", "susanne", "susanna"),
    ("patrick", "pat", "paddy", "patricio", "patrice"),
    ("lawrence", "larry", "laurence", "lorenzo", "laurent"),
    ("nicole", "nicola", "nichole"),
    ("jennifer", "jenny", "jen"),
    ("catalina", "catalin"),
    ("ernesto", "ernest", "ernst"),
    ("luis", "louis", "luiz", "ludwig", "luigi", "lewis"),
    ("manuel", "emmanuel", "emanuel", "manny", "emanuele"),
    ("miguel", "miquel"),
    ("rafael", "raphael", "raffaele"),
    ("vicente", "vincent", "vincenzo", "vincente"),
)


def variant_map() -> dict[str, str]:
    """Every spelling in :data:`VARIANT_GROUPS` mapped to its group's canonical form."""
    mapping: dict[str, str] = {}
    for group in VARIANT_GROUPS:
        canonical = group[0]
        for spelling in group:
            mapping.setdefault(spelling, canonical)
    return mapping


@lru_cache(maxsize=1)
def _nickname_table() -> Mapping[str, set[str]]:
    """Each formal name of the open English nickname table with its nicknames, read once."""
    return NickNamer().nickname_lookup


def nickname_relations() -> dict[str, frozenset[str]]:
    """Every given name and nickname of the open English nickname table (``nicknames``,
    carltonnorthern/nicknames) mapped to the names it can stand for or be called: the formal names
    of a nickname, the nicknames of a formal name, and the other nicknames of the same formal name
    that start with the same letter ("mike" ~ "michael", "micky"; "sandy" ~ "alexander", "sandra",
    not "al")."""
    related: dict[str, set[str]] = {}
    for formal, nicks in _nickname_table().items():
        for nick in nicks:
            related.setdefault(nick, set()).add(formal)
            related.setdefault(formal, set()).add(nick)
            related[nick].update(n for n in nicks if n != nick and n[0] == nick[0])
    return {name: frozenset(others) for name, others in related.items()}


def formal_names() -> dict[str, frozenset[str]]:
    """Every nickname of the open English nickname table mapped to the formal names it stands for
    ("mike": michael, miguel, ...)."""
    formal: dict[str, set[str]] = {}
    for name, nicks in _nickname_table().items():
        for nick in nicks:
            formal.setdefault(nick, set()).add(name)
    return {nick: frozenset(names) for nick, names in formal.items()}
