#!/usr/bin/env python3
"""Writes a synthetic Wikidata JSON dump in the real format, for load tests
of `gazetteer build --wikidata`.

    scripts/synthetic_wikidata.py ITEMS OUT.json[.gz|.bz2] [--seed N]

The array form of `latest-all.json`: `[`, one entity per line ending in `,`,
`]`. Items are humans, cities, countries and organisations with made-up
names in several languages and scripts, and items of other classes that the
importer skips, in about the proportions of a real dump (most items are
neither people, places nor organisations). QIDs start at Q100000000, far
above real ones. Standard library only.
"""

import bz2
import gzip
import json
import random
import sys

SYLLABLES = ["ka", "ro", "mi", "ta", "shi", "ven", "dor", "la", "nu", "ar", "bel", "qui", "zan", "tor", "el"]
CYRILLIC = str.maketrans("aeiouklmnrstdbvz", "аеиоуклмнрстдбвз")
LANGS = ["en", "de", "fr", "es", "it", "ru", "uk", "fa", "ar", "ja", "zh", "tr", "pl", "nl", "pt"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def item_snak(prop, q, rank="normal"):
    return {"mainsnak": {"snaktype": "value", "property": prop,
                         "datavalue": {"value": {"entity-type": "item", "numeric-id": q, "id": f"Q{q}"},
                                       "type": "wikibase-entityid"}, "datatype": "wikibase-item"},
            "type": "statement", "rank": rank}


def string_snak(prop, value):
    return {"mainsnak": {"snaktype": "value", "property": prop,
                         "datavalue": {"value": value, "type": "string"}, "datatype": "external-id"},
            "type": "statement", "rank": "normal"}


def entity(rng, qid, countries):
    roll = rng.random()
    name = word(rng) if roll > 0.2 else f"{word(rng)} {word(rng)}"
    labels = {"en": {"language": "en", "value": name}}
    for lang in rng.sample(LANGS[1:], rng.randint(0, 8)):
        value = name.lower().translate(CYRILLIC).capitalize() if lang in ("ru", "uk") else name
        labels[lang] = {"language": lang, "value": value}
    aliases = {"en": [{"language": "en", "value": word(rng)}]} if rng.random() < 0.3 else {}
    claims = {
        # Statements the importer does not read, as real items carry many.
        "P646": [string_snak("P646", f"/m/0{qid:x}")],
        "P227": [string_snak("P227", str(qid))],
    }
    if roll < 0.10:
        claims["P31"] = [item_snak("P31", 5)]
        claims["P27"] = [item_snak("P27", rng.choice(countries)[0])]
    elif roll < 0.20:
        claims["P31"] = [item_snak("P31", rng.choice([515, 3957, 532, 486972]))]
        claims["P17"] = [item_snak("P17", rng.choice(countries)[0])]
        claims["P1566"] = [string_snak("P1566", str(qid - 90000000))]
        claims["P625"] = [{"mainsnak": {"snaktype": "value", "property": "P625", "datavalue": {
            "value": {"latitude": rng.uniform(-60, 70), "longitude": rng.uniform(-180, 180), "altitude": None,
                      "precision": 0.0001, "globe": "http://www.wikidata.org/entity/Q2"},
            "type": "globecoordinate"}, "datatype": "globe-coordinate"}, "type": "statement", "rank": "normal"}]
        claims["P1082"] = [{"mainsnak": {"snaktype": "value", "property": "P1082", "datavalue": {
            "value": {"amount": f"+{rng.randint(100, 5000000)}", "unit": "1"}, "type": "quantity"},
            "datatype": "quantity"}, "type": "statement", "rank": "normal"}]
    elif roll < 0.25:
        claims["P31"] = [item_snak("P31", rng.choice([43229, 4830453, 7278]))]
    else:
        # Scholarly articles, taxa, paintings, …: skipped by the importer.
        claims["P31"] = [item_snak("P31", rng.choice([13442814, 16521, 3305213, 4167836]))]
    sites = rng.sample(LANGS, rng.randint(0, len(LANGS))) if roll < 0.25 else []
    return {"type": "item", "id": f"Q{qid}", "labels": labels,
            "descriptions": {"en": {"language": "en", "value": "synthetic test item"}},
            "aliases": aliases, "claims": claims,
            "sitelinks": {f"{s}wiki": {"site": f"{s}wiki", "title": name, "badges": []} for s in sites}}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    opener = gzip.open if out.endswith(".gz") else bz2.open if out.endswith(".bz2") else open
    countries = [(100000000 + i, code) for i, code in enumerate(["AA", "BB", "CC", "DD", "EE"])]
    with opener(out, "wt", encoding="utf-8") as f:
        f.write("[\n")
        first = True
        for qid, code in countries:
            country = {"type": "item", "id": f"Q{qid}",
                       "labels": {"en": {"language": "en", "value": f"Country {code}"}},
                       "claims": {"P31": [item_snak("P31", 6256)], "P297": [string_snak("P297", code)]},
                       "sitelinks": {}}
            f.write(("" if first else ",\n") + json.dumps(country, ensure_ascii=False, separators=(",", ":")))
            first = False
        for i in range(count):
            line = json.dumps(entity(rng, 100000100 + i, countries), ensure_ascii=False, separators=(",", ":"))
            f.write(",\n" + line)
        f.write("\n]\n")


if __name__ == "__main__":
    main()
