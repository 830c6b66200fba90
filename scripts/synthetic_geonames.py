#!/usr/bin/env python3
"""Write synthetic GeoNames dump files of a chosen size, in the real formats.

    python3 scripts/synthetic_geonames.py --rows 12000000 \
        --alternate-names 15000000 --out /tmp/geonames-synth

writes DIR/allCountries.txt (19 tab-separated columns) and
DIR/alternateNamesV2.txt (10 columns, sorted by alternateNameId with the
geonameids in random order, as in the real file) for measuring
`gazetteer build --geonames ... --alternate-names ...` at full size (the real
dump has about 12 million places and 15 million alternate names).

The names are made of syllables in Latin (with diacritics), Cyrillic, Greek,
Arabic, Devanagari, Han and Kana, one to four syllables, sometimes two or
three words, so name lengths and the mix of scripts look like the real data.
Feature classes, populations and the share of pseudo-codes in the alternate
names (`link`, `wkdt`, `post`, `iata`, ...) roughly follow the real dump.
Output is deterministic for a given --seed. Python standard library only.
"""

import argparse
import os
import random
import sys
import unicodedata

LATIN = ["ba", "ka", "ri", "mo", "sa", "te", "lu", "na", "do", "vi", "an", "el",
         "or", "is", "ber", "gen", "ville", "burg", "stad", "dorf", "ton", "ham",
         "pur", "abad", "grad", "ova", "ino", "ár", "é", "ñu", "ø", "ü", "ş", "ł"]
CYRILLIC = ["мо", "ска", "ва", "пе", "тер", "бург", "но", "во", "си", "бирск",
            "ка", "зань", "гра", "д", "ов", "ка", "ино", "ск"]
GREEK = ["Α", "θή", "να", "Πα", "τρα", "Λά", "ρι", "σα", "Κό", "ρι", "νθος"]
ARABIC = ["طه", "ران", "اص", "فه", "ان", "مش", "هد", "تب", "ريز", "شي", "راز", "آباد"]
DEVANAGARI = ["मुं", "बई", "दि", "ल्ली", "पु", "णे", "को", "लका", "ता", "पुर"]
HAN = ["東", "京", "北", "南", "山", "川", "上", "海", "州", "城", "安", "西", "広", "島"]
KANA = ["と", "う", "きょ", "お", "さか", "な", "ご", "や", "テ", "ヘ", "ラン"]

SCRIPTS = [  # (syllables, weight, joins words with a space)
    (LATIN, 70, True),
    (CYRILLIC, 10, True),
    (ARABIC, 6, True),
    (HAN, 5, False),
    (GREEK, 3, True),
    (DEVANAGARI, 3, True),
    (KANA, 3, False),
]
SCRIPT_WEIGHTS = [s[1] for s in SCRIPTS]

# (feature class, codes, weight) roughly as in allCountries.txt.
FEATURES = [
    ("P", ["PPL", "PPL", "PPL", "PPLA", "PPLA2", "PPLX", "PPLL"], 40),
    ("H", ["STM", "LK", "SPNG", "RSV", "WLL"], 20),
    ("S", ["HTL", "SCH", "CH", "BLDG", "FRM"], 17),
    ("T", ["MT", "HLL", "PK", "VAL", "PASS"], 13),
    ("L", ["LCTY", "AREA", "PRK"], 4),
    ("A", ["ADM4", "ADM3", "ADM2", "ADM1"], 3),
    ("V", ["FRST", "GRSLD"], 1),
    ("R", ["RD", "RR"], 1),
    ("U", ["SMU", "RDGU"], 1),
]
FEATURE_WEIGHTS = [f[2] for f in FEATURES]

LANGS = ["en", "de", "fr", "es", "it", "ru", "fa", "ar", "ja", "zh", "zh-CN",
         "ko", "pt", "pl", "nl", "sv", "tr", "uk", "hi", "el", "he", "ka", "hy",
         "az", "be", "bg", "", ""]
PSEUDO = ["link", "wkdt", "post", "iata", "icao", "unlc", "abbr", "faac", "tcid"]
PSEUDO_WEIGHTS = [40, 30, 20, 2, 2, 3, 1, 1, 1]
COUNTRIES = ["US", "CN", "IN", "RU", "BR", "FR", "DE", "IR", "JP", "MX", "ID",
             "NO", "CA", "AU", "TR", "IT", "ES", "GB", "PL", "UA", "AM", "AZ"]
TIMEZONES = ["America/New_York", "Asia/Shanghai", "Asia/Kolkata", "Europe/Moscow",
             "Europe/Paris", "Asia/Tehran", "Asia/Tokyo", "Europe/Berlin"]


def geonameid(i):
    """Increasing ids with gaps, computable without keeping a list."""
    return 3 * i + 1 + (i * 7919) % 3


def word(rng, syllables):
    n = rng.choices((1, 2, 3, 4), (20, 45, 25, 10))[0]
    return "".join(rng.choice(syllables) for _ in range(n))


def name(rng, script=None):
    syllables, _, spaced = script or rng.choices(SCRIPTS, SCRIPT_WEIGHTS)[0]
    words = rng.choices((1, 2, 3), (75, 20, 5))[0]
    parts = [word(rng, syllables) for _ in range(words)]
    if syllables is LATIN:
        parts = [p[:1].upper() + p[1:] for p in parts]
    return (" " if spaced else "").join(parts)


def ascii_fold(s):
    """GeoNames' asciiname: the name without diacritics, ASCII only."""
    folded = unicodedata.normalize("NFKD", s)
    return "".join(c for c in folded if c.isascii()).strip() or s


def write_main(path, rows, rng):
    out = []
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for i in range(rows):
            gid = geonameid(i)
            primary = name(rng, SCRIPTS[0] if rng.random() < 0.85 else None)
            fclass, codes, _ = rng.choices(FEATURES, FEATURE_WEIGHTS)[0]
            code = rng.choice(codes)
            alternates = ""
            if rng.random() < 0.2:
                alternates = ",".join(name(rng) for _ in range(rng.randint(1, 6)))
            population = 0
            if fclass == "P" and rng.random() < 0.3:
                population = int(rng.lognormvariate(7, 2))
            out.append("\t".join((
                str(gid), primary, ascii_fold(primary), alternates,
                f"{rng.uniform(-60, 75):.5f}", f"{rng.uniform(-180, 180):.5f}",
                fclass, code, rng.choice(COUNTRIES), "", f"{rng.randint(1, 40):02d}",
                "", "", "", str(population), "", str(rng.randint(-10, 4000)),
                rng.choice(TIMEZONES), "2024-01-01",
            )))
            if len(out) >= 20000:
                f.write("\n".join(out) + "\n")
                out.clear()
        if out:
            f.write("\n".join(out) + "\n")


def write_alternate_names(path, count, rows, rng):
    out = []
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for n in range(count):
            # Skewed towards the first rows, as big places have more names.
            i = min(rows - 1, int(rows * rng.random() ** 1.5))
            gid = geonameid(i)
            if rng.random() < 0.22:
                lang = rng.choices(PSEUDO, PSEUDO_WEIGHTS)[0]
                if lang == "link":
                    text = f"https://en.wikipedia.org/wiki/Place_{gid}"
                elif lang == "wkdt":
                    text = f"Q{rng.randint(1, 120000000)}"
                elif lang == "post":
                    text = str(rng.randint(1000, 99999))
                else:
                    text = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
            else:
                lang = rng.choice(LANGS)
                text = name(rng)
            flags = ["1" if rng.random() < p else "" for p in (0.05, 0.02, 0.01, 0.02)]
            out.append("\t".join([str(n + 1), str(gid), lang, text, *flags, "", ""]))
            if len(out) >= 20000:
                f.write("\n".join(out) + "\n")
                out.clear()
        if out:
            f.write("\n".join(out) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="places in allCountries.txt")
    parser.add_argument("--alternate-names", type=int, default=1_250_000,
                        help="rows of alternateNamesV2.txt")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="output directory")
    args = parser.parse_args()
    if args.rows < 1 or args.alternate_names < 0:
        parser.error("--rows must be at least 1 and --alternate-names at least 0")
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    main_path = os.path.join(args.out, "allCountries.txt")
    alt_path = os.path.join(args.out, "alternateNamesV2.txt")
    write_main(main_path, args.rows, rng)
    write_alternate_names(alt_path, args.alternate_names, args.rows, rng)
    for path in (main_path, alt_path):
        print(f"{path}: {os.path.getsize(path):,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
