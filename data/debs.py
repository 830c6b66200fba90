"""Reading pinned Debian packages with the standard library only.

A .deb is an `ar` archive of three members: `debian-binary`,
`control.tar.*` and `data.tar.*`. Both packages regenerate.py reads
(libgeonames-common 0.3.0-1, unicode-cldr-core 41-0.1) compress their
`data.tar` with xz, which `tarfile` reads. A package compressed with
zstd (which the standard library cannot read before Python 3.14) is
unpacked through `dpkg-deb --fsys-tarfile`, which every Debian system
has.

Also here: a reader of GNU gettext `.mo` catalogues (the format of
libgeonames-common's names).
"""

from __future__ import annotations

import io
import struct
import subprocess
import tarfile
from pathlib import Path
from typing import Callable

AR_MAGIC = b"!<arch>\n"
AR_HEADER = 60


def ar_members(blob: bytes) -> dict[str, bytes]:
    """The members of a System V / GNU `ar` archive, by name."""
    if not blob.startswith(AR_MAGIC):
        raise ValueError("not an ar archive")
    out = {}
    pos = len(AR_MAGIC)
    while pos + AR_HEADER <= len(blob):
        header = blob[pos:pos + AR_HEADER]
        if header[58:60] != b"`\n":
            raise ValueError(f"bad ar member header at byte {pos}")
        name = header[0:16].decode("ascii").strip().rstrip("/")
        size = int(header[48:58].decode("ascii").strip())
        start = pos + AR_HEADER
        out[name] = blob[start:start + size]
        pos = start + size + (size & 1)  # members are 2-byte aligned
    return out


def deb_files(path: Path, wanted: Callable[[str], bool]) -> dict[str, bytes]:
    """The regular files of a .deb's data archive whose path (without the
    leading `./`) satisfies `wanted`, by path."""
    members = ar_members(path.read_bytes())
    data = [n for n in members if n.startswith("data.tar")]
    if len(data) != 1:
        raise ValueError(f"{path}: expected one data.tar member, found {data}")
    name = data[0]
    if name.endswith(".zst"):
        tar_bytes = subprocess.run(
            ["dpkg-deb", "--fsys-tarfile", str(path)],
            check=True, stdout=subprocess.PIPE).stdout
        tf = tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:")
    else:  # data.tar, .gz, .bz2, .xz
        tf = tarfile.open(fileobj=io.BytesIO(members[name]), mode="r:*")
    out = {}
    with tf:
        for info in tf:
            if not info.isfile():
                continue
            member = info.name.removeprefix("./")
            if wanted(member):
                out[member] = tf.extractfile(info).read()
    return out


def mo_catalogue(blob: bytes) -> dict[str, str]:
    """msgid → msgstr of a GNU gettext .mo file (either byte order).
    The header entry (empty msgid) and plural entries (msgid with a NUL)
    are left out; text is UTF-8 (libgeonames declares it)."""
    if len(blob) < 20:
        raise ValueError("truncated .mo file")
    magic = struct.unpack("<I", blob[:4])[0]
    if magic == 0x950412DE:
        order = "<"
    elif magic == 0xDE120495:
        order = ">"
    else:
        raise ValueError("not a .mo file")
    _revision, count, orig_at, trans_at = struct.unpack(order + "4I", blob[4:20])
    out = {}
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", blob[orig_at + 8 * i:orig_at + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", blob[trans_at + 8 * i:trans_at + 8 * i + 8])
        msgid = blob[ooff:ooff + olen].decode("utf-8")
        msgstr = blob[toff:toff + tlen].decode("utf-8")
        if not msgid or "\x00" in msgid:
            continue
        out[msgid] = msgstr
    return out
