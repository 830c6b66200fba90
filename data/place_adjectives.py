"""Russian relational adjectives of cities and regions (`лондонский` for
London, `калифорнийский` for California), added to the default gazetteer
as demonyms: Russian news names places by them as often as by the noun
(`в лондонском районе`, `уфимской больнице`), and the resolver reads
their case and number endings (`src/resolve/inflection.rs`).

Regular adjectives are derived from the place's Russian name by the rules
of `regular_adjectives`; the irregular ones (`Москва` → `московский`,
`Уфа` → `уфимский`) come from data/sources/place_adjectives.tsv. A rule
may derive a form that Russian does not use (`тверский` beside the real
`тверской`): such a form never occurs in text and costs nothing, while
one that is an ordinary word would be a false match, so forms that are
a country's demonym or a frequent word are left out (see `add`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Cities this big get rule-derived adjectives; smaller towns' adjectives
# are rarely written and more often collide with ordinary words.
MIN_CITY_POPULATION = 100_000
# A frequent word is kept as the adjective of a city this big
# (`петербургский`): its frequency is the city's own.
FREQUENT_WORD_CITY_POPULATION = 1_000_000

# Derived forms whose everyday meaning is not the place (`славянский` is
# Slavic far more often than of Sloviansk; `ленинский` is Lenin's).
NOT_THE_PLACE = {
    "славянский", "советский", "русский", "российский", "ленинский", "октябрьский",
    "первомайский", "комсомольский", "пролетарский", "красноармейский", "заводской",
    "горский", "северский", "кировский",
}

CYRILLIC_WORD = re.compile(r"[а-яё]+(-[а-яё]+)*")
CONSONANTS = set("бвгджзйклмнпрстфхцчшщ")


def regular_adjectives(name: str) -> list[str]:
    """The masculine nominative singular forms the regular rules derive
    from a Russian place name of one word (hyphens allowed): `Лондон` →
    `лондонский`, `Минск` → `минский`, `Казань` → `казанский`,
    `Самара` → `самарский`, `Калифорния` → `калифорнийский` and
    `Бавария` → `баварский`. Empty for other names."""
    word = name.lower()
    if not CYRILLIC_WORD.fullmatch(word) or len(word) < 3:
        return []
    forms: list[str] = []
    if word.endswith("ия"):
        stem = word[:-2]
        forms += [stem + "ский", stem + "ийский"]
    elif word.endswith(("ск", "цк")):
        forms.append(word + "ий")
    elif word.endswith("ь"):
        stem = word[:-1]
        forms += [stem + "ский", word + "ский"]
    elif word.endswith(("а", "я", "ы")):
        stem = word[:-1]
        if stem.endswith("с"):
            forms.append(stem + "кий")
        else:
            forms.append(stem + "ский")
        if stem.endswith("л"):
            forms.append(stem + "ьский")
    elif word[-1] in CONSONANTS:
        if word.endswith("с"):
            forms += [word + "кий", word + "ский"]
        else:
            forms.append(word + "ский")
    return [f for f in dict.fromkeys(forms) if len(f) > 6]


def read_tsv(path: Path, tsv_rows) -> dict[str, list[str]]:
    """data/sources/place_adjectives.tsv: `id<TAB>lang<TAB>forms<TAB>name
    <TAB>source`; record ID (`geonames:524901`, `wikidata:Q15180`) → the
    forms (`|`-separated). Any malformed line or repeated ID is fatal, with
    its line number."""
    out: dict[str, list[str]] = {}
    for where, _, cols in tsv_rows(path, ("id", "lang", "forms", "name", "source")):
        gid, lang, forms, _name, source = cols
        if not re.fullmatch(r"geonames:[1-9][0-9]*|wikidata:Q[1-9][0-9]*", gid):
            sys.exit(f"error: {where}: bad record ID {gid!r}")
        if lang != "ru":
            sys.exit(f"error: {where}: language {lang!r}: only ru adjectives are read")
        if not source:
            sys.exit(f"error: {where}: {gid} names no source")
        if gid in out:
            sys.exit(f"error: {where}: {gid} listed twice")
        parsed = [f.strip() for f in forms.split("|")]
        for form in parsed:
            if not CYRILLIC_WORD.fullmatch(form) or not form.endswith(("ий", "ый", "ой")):
                sys.exit(f"error: {where}: {form!r} is no masculine adjective in lowercase")
        out[gid] = parsed
    return out


def russian_names(record: dict) -> list[str]:
    """The names of a record tagged Russian."""
    return [n["name"] for n in record.get("names", [])
            if isinstance(n, dict) and n.get("lang") == "ru" and not n.get("kind")]


def add(outputs: dict[str, list[dict]], curated: dict[str, list[str]],
        frequent: dict[str, set[str]]) -> tuple[int, int]:
    """Adds the adjectives of cities (of `MIN_CITY_POPULATION` or more) and
    first-level regions as `ru` demonym names, and the curated ones of any
    record (a continent or a former country too). Left out: a derived form that is a demonym of a country
    (`советский` from Sovetsk, `украинский` from Ukrainsk), one of
    `NOT_THE_PLACE`, or a frequent
    Russian word, unless the city is of `FREQUENT_WORD_CITY_POPULATION`.
    Returns (records given adjectives, forms added); a curated ID that no
    record has is fatal."""
    country_demonyms = {n["name"].lower()
                        for r in outputs["countries"] for n in r.get("names", [])
                        if isinstance(n, dict) and n.get("kind") == "demonym"}
    is_frequent = (lambda form: "ru" in frequent.get(form, set()))
    by_id = {r["id"] for recs in outputs.values() for r in recs}
    missing = sorted(set(curated) - by_id)
    if missing:
        sys.exit(f"error: place_adjectives.tsv: no record {', '.join(missing)}")
    records = n_forms = 0
    for stem, recs in outputs.items():
        if stem not in ("cities", "regions") and not curated.keys() & {r["id"] for r in recs}:
            continue
        for r in recs:
            population = r.get("population") or 0
            derived: list[str] = []
            if stem == "regions" or (stem == "cities" and population >= MIN_CITY_POPULATION):
                for name in russian_names(r):
                    derived += regular_adjectives(name)
            derived = [f for f in derived
                       if f not in country_demonyms and f not in NOT_THE_PLACE
                       and (population >= FREQUENT_WORD_CITY_POPULATION
                            or not is_frequent(f))]
            forms = list(dict.fromkeys(curated.get(r["id"], []) + derived))
            have = {n["name"] if isinstance(n, dict) else n for n in r.get("names", [])}
            forms = [f for f in forms if f not in have]
            if not forms:
                continue
            r.setdefault("names", []).extend(
                {"name": f, "lang": "ru", "kind": "demonym"} for f in forms)
            records += 1
            n_forms += len(forms)
    return records, n_forms
