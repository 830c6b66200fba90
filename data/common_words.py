"""Common-word lists from the pinned wordfreq wheel, for `regenerate.py`.

wordfreq stores each language as a gzipped msgpack "cBpack": a header map,
then one list of words per frequency bucket (most frequent first). Only the
msgpack types that format uses are decoded here, so the standard library
suffices.
"""

import gzip
import struct
import zipfile

# Languages whose news the service meets most; words per language.
LANGUAGES = {
    "en": 5000, "de": 3000, "fr": 3000, "es": 3000, "it": 3000, "pt": 3000,
    "nl": 2000, "ru": 3000, "uk": 2000, "pl": 2000, "tr": 2000,
}


def _unpack(data: bytes, at: int):
    """Decodes one msgpack value at `at`; returns (value, next offset)."""
    b = data[at]
    if b <= 0x7F:
        return b, at + 1
    if 0xA0 <= b <= 0xBF:
        n = b & 0x1F
        return data[at + 1:at + 1 + n].decode("utf-8"), at + 1 + n
    if 0x90 <= b <= 0x9F:
        return _array(data, at + 1, b & 0x0F)
    if 0x80 <= b <= 0x8F:
        return _map(data, at + 1, b & 0x0F)
    if b == 0xC0:
        return None, at + 1
    if b in (0xC2, 0xC3):
        return b == 0xC3, at + 1
    if b in (0xD9, 0xDA, 0xDB):
        size = {0xD9: 1, 0xDA: 2, 0xDB: 4}[b]
        n = int.from_bytes(data[at + 1:at + 1 + size], "big")
        start = at + 1 + size
        return data[start:start + n].decode("utf-8"), start + n
    if b in (0xDC, 0xDD):
        size = 2 if b == 0xDC else 4
        n = int.from_bytes(data[at + 1:at + 1 + size], "big")
        return _array(data, at + 1 + size, n)
    if b in (0xDE, 0xDF):
        size = 2 if b == 0xDE else 4
        n = int.from_bytes(data[at + 1:at + 1 + size], "big")
        return _map(data, at + 1 + size, n)
    if b in (0xCC, 0xCD, 0xCE, 0xCF):
        size = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[b]
        return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size
    if b == 0xCB:
        return struct.unpack(">d", data[at + 1:at + 9])[0], at + 9
    raise ValueError(f"unsupported msgpack byte 0x{b:02x} at {at}")


def _array(data: bytes, at: int, n: int):
    items = []
    for _ in range(n):
        item, at = _unpack(data, at)
        items.append(item)
    return items, at


def _map(data: bytes, at: int, n: int):
    result = {}
    for _ in range(n):
        key, at = _unpack(data, at)
        value, at = _unpack(data, at)
        result[key] = value
    return result, at


def top_words(wheel: zipfile.ZipFile, lang: str, limit: int) -> list[str]:
    """The `limit` most frequent alphabetic words of a language."""
    names = set(wheel.namelist())
    member = f"wordfreq/data/large_{lang}.msgpack.gz"
    if member not in names:
        member = f"wordfreq/data/small_{lang}.msgpack.gz"
    with wheel.open(member) as fh:
        packed = gzip.decompress(fh.read())
    buckets, _ = _unpack(packed, 0)
    words = []
    for bucket in buckets[1:]:  # the first element is the header
        for word in bucket:
            if word.isalpha() and len(word) >= 2:
                words.append(word)
                if len(words) == limit:
                    return words
    return words


def common_words(wheel_path) -> list[str]:
    """`word<TAB>languages` lines, sorted, for every language in LANGUAGES."""
    langs_of: dict[str, set[str]] = {}
    with zipfile.ZipFile(wheel_path) as wheel:
        for lang, limit in LANGUAGES.items():
            for word in top_words(wheel, lang, limit):
                langs_of.setdefault(word, set()).add(lang)
    return [f"{w}\t{','.join(sorted(ls))}" for w, ls in sorted(langs_of.items())]
