"""A GeoNames admin1 ↔ ISO 3166-2 crosswalk built by matching names.

No package ships one. Per country, every GeoNames first-level region
(`IR.26`) has names: the two of admin1CodesASCII.txt and those of the
libgeonames-common catalogues (`en` Tehran Province, `fa` استان تهران,
…). Every CLDR subdivision (`ir07`) has the names of the CLDR
subdivisions/*.xml files in 90 locales. Names are normalised (see
`normalise`) and a pair's score is the number of distinct normalised
names the two share, plus one half when GeoNames' code equals the ISO
suffix (`US.IL` ↔ `usil`) and one quarter when the CLDR subdivision is
first-level (both only ever tie-breakers). Every regular (not
deprecated) CLDR subdivision of the country competes, so a GeoNames
region that ISO files on the second level (Indonesia's provinces under
its island groups) finds its code; but a first-level subdivision that
shares at least two names with a region comes before any deeper one.
Pairs are accepted when each is the other's single best (a tie is
reported as ambiguous and left out), in rounds: matched pairs leave the
pool, so the next round can settle a region whose best partner was
taken.
"""

from __future__ import annotations

import collections
import re
import unicodedata

# Words that name the kind of region rather than the region, in the
# languages whose names most often carry one; dropped before comparing
# ("Tehran Province" = "استان تهران" = "Tehran"). Lowercase, no marks.
GENERIC = set("""
province provinces region state oblast oblast' krai kray republic of the county
district governorate prefecture municipality city autonomous department
voivodeship territory capital federal metropolitan special administrative
division parish canton emirate wilaya okrug area zone and
land bundesland provinz kreis freistaat
provincia estado departamento regione regiao distrito comunidad
de del la le les du des di da do dos das et y e
region regiao departement etat
ili vilayeti eyaleti bolgesi
wojewodztwo
область край республика автономныи автономная округ провинция штат
губерния регион город префектура остан ил вилаят мухафаза воеводство
уезд графство кантон земля раион
استان محافظة ولاية منطقة إقليم اقليم مقاطعة ایالت شهرستان
מחוז
""".split())

# Suffixes written without a space in Chinese, Japanese and Korean names
# (北京市, 東京都, 大阪府, 愛知県, 四川省, 경기도), taken off a name of at
# least three characters.
CJK_SUFFIXES = ("特别行政区", "特別行政區", "自治区", "自治區", "省", "市", "県",
                "縣", "县", "府", "都", "道", "州", "区", "區", "도", "시", "주", "현")


# Letters written two ways: Turkish and Azerbaijani dotless ı (Bakı =
# Baki), Arabic and Persian yeh, kaf and teh marbuta (اذربايجان =
# اذربایجان), the Arabic tatweel.
FOLD = str.maketrans({"ı": "i", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ـ": None})


def normalise(name: str) -> str:
    """Casefolded, marks removed, punctuation as spaces, generic words
    (`province`, `استان`, `область`) and CJK suffixes (`省`, `県`)
    dropped. A name that would become empty is kept whole."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(FOLD))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", folded)
    tokens = re.sub(r"[\W_]+", " ", folded).split()
    kept = [t for t in tokens if t not in GENERIC]
    if not kept:
        kept = tokens
    out = " ".join(kept)
    if " " not in out and len(out) >= 3:
        for suffix in CJK_SUFFIXES:
            if out.endswith(suffix) and len(out) - len(suffix) >= 2:
                out = out[: -len(suffix)]
                break
    return out


# Countries whose CLDR 41 subdivision names do not fit their codes:
# Morocco's twelve codes of 2019 (MA-01 … MA-12) carry the names of the
# sixteen regions before 2015 (`ma04` Oriental, `ma05` Fès-Boulemane),
# so a name match would give a wrong code.
EXCLUDED = {"MA"}


# ISO renumbered Iran's provinces on 2020-11-24 (ISO Online Browsing
# Platform, change history of ISO 3166-2:IR: "Change of subdivision code
# from IR-01 to IR-03, …"). CLDR 41 lists the new codes as Iran's
# subdivisions but still files nearly every name under the old code
# (`ir07` Tehran, now IR-23; only `en` has the new `ir00` Markazī and
# `ir09` Khorāsān-e Raẕavī), and marks the old IR-31 and IR-32 deprecated.
# Old code → new code; IR-27 and IR-29 kept theirs.
RECODED = {
    "ir": {"01": "03", "02": "04", "03": "24", "04": "10", "05": "16", "06": "18",
           "07": "23", "08": "14", "10": "06", "11": "19", "12": "20", "13": "11",
           "14": "07", "15": "08", "16": "12", "17": "05", "18": "17", "19": "01",
           "20": "15", "21": "02", "22": "00", "23": "22", "24": "13", "25": "21",
           "26": "25", "28": "26", "30": "09", "31": "28", "32": "30"},
}


def recoded(names_by_code: dict[str, str]) -> dict[str, str]:
    """One locale's CLDR subdivision names (code → name) with Iran's old
    codes moved to the new ones (RECODED); a name CLDR already files
    under a new code (`ir00`, `ir09` in `en`) wins over a moved one."""
    out = {}
    moved = {}
    for code, name in names_by_code.items():
        table = RECODED.get(code[:2])
        if table is not None and code[2:] in table and code[2:] not in ("00", "09"):
            moved[code[:2] + table[code[2:]]] = name
        else:
            out[code] = name
    for code, name in moved.items():
        out.setdefault(code, name)
    return out


def _score_table(g_names, c_names, country, first=frozenset()):
    """{(admin1, iso): score} for every pair sharing a normalised name."""
    by_name = collections.defaultdict(set)
    for code, names in c_names.items():
        for n in names:
            by_name[n].add(code)
    scores = collections.Counter()
    for admin1, names in g_names.items():
        for n in names:
            for code in by_name.get(n, ()):
                scores[(admin1, code)] += 1
    for admin1 in g_names:
        suffix = admin1.split(".", 1)[1].lower()
        code = country.lower() + suffix
        if (admin1, code) in scores:
            scores[(admin1, code)] += 0.5
    for (admin1, code) in scores:
        if code in first:
            scores[(admin1, code)] += 0.25
    return scores


def _rounds(g_names, c_names, country, first, matches, ambiguous):
    """Mutual-best matching in rounds; fills `matches` (admin1 →
    (iso, score, method)) and `ambiguous` (admin1 → tied codes)."""
    g_left = {g: n for g, n in g_names.items() if g not in matches}
    taken = {iso for iso, _, _ in matches.values()}
    c_left = {c: n for c, n in c_names.items() if c not in taken}
    while True:
        scores = _score_table(g_left, c_left, country, first)
        if not scores:
            return
        best_g = collections.defaultdict(list)  # admin1 → [(rank, code)]
        best_c = collections.defaultdict(list)
        for (g, c), s in scores.items():
            # A first-level subdivision sharing at least two names comes
            # before any deeper one (Trentino-Alto Adige is IT-32, not its
            # province IT-BZ, which more locales name alike).
            rank = (c in first and s >= 2, s)
            best_g[g].append((rank, c))
            best_c[c].append((rank, g))
        new = {}
        for g, cands in best_g.items():
            top = max(s for s, _ in cands)
            codes = sorted(c for s, c in cands if s == top)
            if len(codes) > 1:
                ambiguous[g] = codes
                continue
            c = codes[0]
            c_top = max(s for s, _ in best_c[c])
            c_best = [x for s, x in best_c[c] if s == c_top]
            if c_best == [g]:
                new[g] = (c, top[1], "first-level" if c in first else "any-level")
        if not new:
            return
        for g, (c, s, m) in new.items():
            matches[g] = (c, s, m)
            ambiguous.pop(g, None)
            del g_left[g]
            del c_left[c]


def build_crosswalk(geonames: dict, cldr: dict, first_level: dict):
    """geonames: country → {admin1 → set of names}; cldr: country → {CLDR
    code → set of names} (every level); first_level: country → first-level
    CLDR codes. Names are raw; they are normalised here.

    Returns (matches, ambiguous): matches admin1 → (ISO 3166-2 code as
    `IR-07`, score, method `first-level` or `any-level`); ambiguous
    admin1 → tied CLDR codes, for the regions left unmatched by a tie."""
    matches, ambiguous = {}, {}
    for country in sorted(geonames):
        g_names = {g: {normalise(n) for n in names} for g, names in geonames[country].items()}
        all_c = {c: {normalise(n) for n in names}
                 for c, names in cldr.get(country, {}).items()}
        if country in EXCLUDED:
            continue
        local = {}
        _rounds(g_names, all_c, country, set(first_level.get(country, ())), local,
                ambiguous)
        for g, (c, s, m) in local.items():
            iso = f"{country}-{c[len(country):].upper()}"
            matches[g] = (iso, s, m)
    for g in matches:
        ambiguous.pop(g, None)
    return matches, ambiguous
