"""``xl/vbaProject.bin`` from VBA source text, with the standard library only.

Written from the specifications, section numbers in the comments:

- [MS-CFB] Compound File Binary format, version 3 (512-byte sectors): header, FAT, DIFAT,
  mini FAT and mini stream (streams below 4096 bytes), directory entries whose sibling
  trees are balanced binary search trees coloured all black (2.6.4 asks only that the
  root be black and no two consecutive nodes be red).
- [MS-OVBA] the VBA project storage (2.2): ``PROJECT`` text (2.3.1) with CMG/DPB/GC
  obfuscated by the data encryption of 2.4.3, ``PROJECTwm`` (2.3.3), ``VBA/_VBA_PROJECT``
  (2.3.4.1: the 7 bytes ``CC 61 FF FF 00 01 00``, no performance cache, so the host
  compiles the project from source on load), ``VBA/dir`` (2.3.4.2) and one module stream per
  module (2.3.4.3), both compressed as in 2.4.1.

No p-code, no performance cache, no ``__SRP_`` streams: Excel compiles such a project when
it opens the file. The output is deterministic: the project GUID derives from the project
name, the encryption seed is fixed, the CFB timestamps and CLSIDs are zero.
"""

from __future__ import annotations

import codecs
import re
import struct
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Module",
    "build_vba_project",
    "compress",
    "decompress",
    "module_text",
    "project_clsid",
    "write_cfb",
]

ModuleKind = Literal["standard", "document", "class"]


@dataclass(frozen=True)
class Module:
    """One VBA module.

    ``name`` is the module's VBA identifier (ASCII letter, then letters, digits or ``_``,
    at most 31 characters). ``code`` is the source as in an exported ``.bas``/``.cls``
    file, with or without its ``Attribute VB_*`` header (and, for ``.cls``, with or
    without the ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` block); it must be ASCII.
    ``kind``: ``standard`` (a procedural module), ``document`` (a host object's module:
    ``ThisWorkbook`` extends the Workbook, any other name a Worksheet) or ``class``.
    """

    name: str
    code: str
    kind: ModuleKind = "standard"


# --------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1 compression
# --------------------------------------------------------------------------------------

_CHUNK = 4096
_CHUNK_SIGNATURE = 0b011 << 12
_CHUNK_COMPRESSED = 0x8000
_RAW_HEADER = (_CHUNK + 2 - 3) | _CHUNK_SIGNATURE  # 0x3FFF: size field 4095, flag 0


def _bit_count(difference: int) -> int:
    """2.4.1.3.19.1 CopyToken Help: max(ceil(log2(difference)), 4)."""
    return max((difference - 1).bit_length(), 4)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer (2.4.1.1.1).

    Follows the compression algorithm of 2.4.1.3 step by step, including its matching
    rule (2.4.1.3.19.4: the longest match within the chunk, the nearest one among equals),
    so the output is the specified one. A chunk whose tokens would not fit in 4096 bytes is
    stored raw (2.4.1.3.10), padded with zeros to 4096 bytes as the specification says;
    such a chunk does not occur for text.
    """
    buf = bytes(data)
    out = bytearray(b"\x01")
    for start in range(0, len(buf), _CHUNK):
        out += _compress_chunk(buf, start, min(start + _CHUNK, len(buf)))
    return bytes(out)


def _compress_chunk(buf: bytes, start: int, end: int) -> bytes:
    body = bytearray()
    candidates: dict[bytes, list[int]] = {}
    indexed = start  # positions below this are in `candidates`
    cur = start
    while cur < end and len(body) <= _CHUNK:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if cur >= end:
                break
            last = min(cur, end - 2)  # a candidate needs three bytes inside the chunk
            for p in range(indexed, last):
                candidates.setdefault(buf[p : p + 3], []).append(p)
            indexed = max(indexed, last)
            offset, length = _match(buf, start, cur, end, candidates)
            if length:
                bits = _bit_count(cur - start)
                body += struct.pack("<H", ((offset - 1) << (16 - bits)) | (length - 3))
                flags |= 1 << bit
                cur += length
            else:
                body.append(buf[cur])
                cur += 1
        body[flag_at] = flags
    if cur < end or len(body) > _CHUNK:
        raw = buf[start:end]
        return struct.pack("<H", _RAW_HEADER) + raw + bytes(_CHUNK - len(raw))
    header = (len(body) + 2 - 3) | _CHUNK_SIGNATURE | _CHUNK_COMPRESSED
    return struct.pack("<H", header) + bytes(body)


def _match(
    buf: bytes, start: int, cur: int, end: int, candidates: dict[bytes, list[int]]
) -> tuple[int, int]:
    """2.4.1.3.19.4 Matching: (offset, length), or (0, 0) for no match of 3 bytes or more.

    The specification scans every earlier position of the chunk, nearest first, and keeps
    the first one with the longest (uncapped) match. Only positions that start with the
    same three bytes can reach a length of 3, so only those are scanned; the answer is the
    same.
    """
    if cur + 3 > end:
        return 0, 0
    positions = candidates.get(buf[cur : cur + 3])
    if not positions:
        return 0, 0
    limit = end - cur
    best_len = 0
    best = -1
    for p in reversed(positions):
        # A candidate beats the best so far only if it also matches at index best_len.
        if best_len and buf[p + best_len] != buf[cur + best_len]:
            continue
        length = _common_length(buf, p, cur, limit)
        if length > best_len:
            best_len, best = length, p
            if length == limit:
                break
    maximum = (0xFFFF >> _bit_count(cur - start)) + 3
    return cur - best, min(best_len, maximum)


def _common_length(buf: bytes, a: int, b: int, limit: int) -> int:
    """Length of the common prefix of buf[a:] and buf[b:], at most ``limit`` (a < b)."""
    n = 0
    step = 64
    while n + step <= limit and buf[a + n : a + n + step] == buf[b + n : b + n + step]:
        n += step
    while n < limit and buf[a + n] == buf[b + n]:
        n += 1
    return n


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer (2.4.1.3.1); ValueError when it is malformed."""
    if not data or data[0] != 0x01:
        raise ValueError("not an MS-OVBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    pos = 1
    total = len(data)
    while pos < total:
        if pos + 2 > total:
            raise ValueError(f"truncated chunk header at offset {pos}")
        (header,) = struct.unpack_from("<H", data, pos)
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise ValueError(f"bad chunk signature at offset {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, total)
        pos += 2
        chunk_start = len(out)
        if not header & _CHUNK_COMPRESSED:
            if pos + _CHUNK > total:
                raise ValueError(f"truncated raw chunk at offset {pos - 2}")
            out += data[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise ValueError(f"truncated copy token at offset {pos}")
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                difference = len(out) - chunk_start
                if difference == 0:
                    raise ValueError(f"copy token at the start of a chunk (offset {pos - 2})")
                bits = _bit_count(difference)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                if offset > difference:
                    raise ValueError(f"copy token reaches before its chunk (offset {pos - 2})")
                source = len(out) - offset
                if offset >= length:
                    out += out[source : source + length]
                else:  # the copy overlaps its own output: repeat the last `offset` bytes
                    pattern = bytes(out[source:])
                    out += (pattern * (length // offset + 1))[:length]
        if len(out) - chunk_start > _CHUNK:
            raise ValueError("a compressed chunk decompresses to more than 4096 bytes")
    return bytes(out)


# --------------------------------------------------------------------------------------
# [MS-CFB] compound file writer (version 3)
# --------------------------------------------------------------------------------------

_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_FAT_PER_SECTOR = _SECTOR // 4  # 128 sector numbers per FAT / mini FAT sector
_DIFAT_IN_HEADER = 109
_DIFAT_PER_SECTOR = _FAT_PER_SECTOR - 1  # the last slot chains to the next DIFAT sector
_DIFSECT = 0xFFFFFFFC
_FATSECT = 0xFFFFFFFD
_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_NOSTREAM = 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ILLEGAL_NAME_CHARS = frozenset("/\\:!")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1


class _Node:
    __slots__ = ("children", "data", "left", "name", "right", "sid")

    def __init__(self, name: str, data: bytes | None) -> None:
        self.name = name
        self.data = data  # None for a storage
        self.children: dict[str, _Node] = {}  # upper-cased name -> node
        self.sid = 0
        self.left = self.right = _NOSTREAM


def _cfb_key(name: str) -> tuple[int, tuple[int, ...]]:
    """2.6.4: shorter names first, then code unit by code unit after simple upper-casing."""
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in name)
    units = upper.encode("utf-16-le")
    return len(units) // 2, struct.unpack(f"<{len(units) // 2}H", units)


def _check_entry_name(name: str, path: str) -> None:
    if not name:
        raise ValueError(f"empty name in CFB path {path!r}")
    if len(name.encode("utf-16-le")) // 2 > 31:
        raise ValueError(f"CFB entry name longer than 31 UTF-16 code units: {name!r}")
    bad = _ILLEGAL_NAME_CHARS.intersection(name) | {c for c in name if ord(c) < 0x20}
    if bad:
        raise ValueError(f"CFB entry name {name!r} contains illegal characters {sorted(bad)}")


def write_cfb(streams: Mapping[str, bytes]) -> bytes:
    """A CFB v3 file holding ``streams``, keyed by ``/``-separated paths ("VBA/dir").

    Storages are created as needed. Streams below 4096 bytes live in the mini stream,
    larger ones in regular sectors. Names compare case-insensitively, as in CFB.
    """
    root = _Node("Root Entry", None)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for depth, part in enumerate(parts):
            _check_entry_name(part, path)
            is_stream = depth == len(parts) - 1
            key = part.upper()
            child = node.children.get(key)
            if child is None:
                child = _Node(part, bytes(data) if is_stream else None)
                node.children[key] = child
            elif is_stream or child.data is not None:
                raise ValueError(f"CFB path {path!r} clashes with another stream or storage")
            node = child

    # Directory entries in a fixed order: the root, then depth first, siblings sorted.
    entries: list[_Node] = []

    def number(node: _Node) -> None:
        node.sid = len(entries)
        entries.append(node)
        for child in sorted(node.children.values(), key=lambda n: _cfb_key(n.name)):
            number(child)

    number(root)

    def tree(siblings: list[_Node]) -> int:
        """Balanced binary search tree over sorted siblings; returns the top's stream ID."""
        if not siblings:
            return _NOSTREAM
        middle = len(siblings) // 2
        top = siblings[middle]
        top.left = tree(siblings[:middle])
        top.right = tree(siblings[middle + 1 :])
        return top.sid

    child_of: dict[int, int] = {}
    for node in entries:
        if node.data is None:
            ordered = sorted(node.children.values(), key=lambda n: _cfb_key(n.name))
            child_of[node.sid] = tree(ordered)

    # Mini stream: every stream below the cutoff, each padded to whole mini sectors.
    mini = bytearray()
    minifat: list[int] = []
    start_of: dict[int, int] = {}
    for node in entries:
        if node.data is not None and 0 < len(node.data) < _MINI_CUTOFF:
            first = len(minifat)
            count = -(-len(node.data) // _MINI_SECTOR)
            minifat += [*range(first + 1, first + count), _ENDOFCHAIN]
            start_of[node.sid] = first
            mini += node.data + bytes(count * _MINI_SECTOR - len(node.data))

    # Regular sectors: directory, mini FAT, mini stream, large streams, then FAT and DIFAT.
    sectors: list[bytes] = []
    fat: list[int] = []

    def place(payload: bytes) -> int:
        """Append a chain of sectors holding ``payload``; return its first sector."""
        first = len(sectors)
        count = -(-len(payload) // _SECTOR)
        if not count:
            return _ENDOFCHAIN
        for i in range(count):
            sectors.append(payload[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\0"))
        fat.extend([*range(first + 1, first + count), _ENDOFCHAIN])
        return first

    directory_size = -(-len(entries) // 4) * 4 * 128
    directory_start = place(bytes(directory_size))  # filled in below, once starts are known
    minifat_start = _ENDOFCHAIN
    if minifat:
        table = minifat + [_FREESECT] * (-len(minifat) % _FAT_PER_SECTOR)
        minifat_start = place(struct.pack(f"<{len(table)}I", *table))
    ministream_start = place(bytes(mini)) if mini else _ENDOFCHAIN
    for node in entries:
        if node.data is not None and len(node.data) >= _MINI_CUTOFF:
            start_of[node.sid] = place(node.data)

    n_data = len(sectors)
    n_fat = n_difat = 0
    while True:  # FAT and DIFAT sectors take FAT entries themselves
        total = n_data + n_fat + n_difat
        need_fat = -(-total // _FAT_PER_SECTOR)
        need_difat = max(0, -(-(need_fat - _DIFAT_IN_HEADER) // _DIFAT_PER_SECTOR))
        if (need_fat, need_difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = need_fat, need_difat
    fat_sectors = list(range(n_data, n_data + n_fat))
    difat_sectors = list(range(n_data + n_fat, n_data + n_fat + n_difat))
    fat += [_FATSECT] * n_fat + [_DIFSECT] * n_difat
    fat += [_FREESECT] * (n_fat * _FAT_PER_SECTOR - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [fat_bytes[i * _SECTOR : (i + 1) * _SECTOR] for i in range(n_fat)]
    spill = fat_sectors[_DIFAT_IN_HEADER:]
    for i in range(n_difat):
        chunk = spill[i * _DIFAT_PER_SECTOR : (i + 1) * _DIFAT_PER_SECTOR]
        chunk += [_FREESECT] * (_DIFAT_PER_SECTOR - len(chunk))
        following = difat_sectors[i + 1] if i + 1 < n_difat else _ENDOFCHAIN
        sectors.append(struct.pack(f"<{_FAT_PER_SECTOR}I", *chunk, following))

    directory = bytearray()
    for node in entries:
        if node is root:
            kind, start, size = _ROOT, ministream_start, len(mini)
        elif node.data is None:
            kind, start, size = _STORAGE, 0, 0
        else:
            kind, size = _STREAM, len(node.data)
            start = start_of.get(node.sid, _ENDOFCHAIN)  # empty streams: ENDOFCHAIN
        name = node.name.encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            kind,
            _BLACK,
            node.left,
            node.right,
            child_of.get(node.sid, _NOSTREAM),
            bytes(16),  # CLSID
            0,  # state bits
            0,  # creation time
            0,  # modified time
            start,
            size,
        )
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, *(3 * [_NOSTREAM]), b"", 0, 0, 0, 0, 0)
    directory += unused * ((directory_size - len(directory)) // 128)
    for i in range(directory_size // _SECTOR):
        sectors[directory_start + i] = bytes(directory[i * _SECTOR : (i + 1) * _SECTOR])

    header_difat = fat_sectors[:_DIFAT_IN_HEADER]
    header_difat += [_FREESECT] * (_DIFAT_IN_HEADER - len(header_difat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        _SIGNATURE,
        bytes(16),  # header CLSID
        0x003E,  # minor version
        0x0003,  # major version 3
        0xFFFE,  # byte order
        9,  # sector shift: 512
        6,  # mini sector shift: 64
        bytes(6),
        0,  # number of directory sectors: 0 in version 3
        n_fat,
        directory_start,
        0,  # transaction signature
        _MINI_CUTOFF,
        minifat_start,
        -(-len(minifat) // _FAT_PER_SECTOR),
        difat_sectors[0] if difat_sectors else _ENDOFCHAIN,
        n_difat,
        *header_difat,
    )
    return header + b"".join(sectors)


# --------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.3 data encryption (CMG, DPB, GC)
# --------------------------------------------------------------------------------------

_SEED = 0x17  # fixed, so that builds are reproducible; (seed & 6) >> 1 = 3 ignored bytes
_IGNORED = 0x00  # the "any value" of the ignored bytes


def _project_key(project_clsid: str) -> int:
    return sum(project_clsid.encode("ascii")) & 0xFF


def _encrypt(
    project_clsid: str, data: bytes, seed: int = _SEED, ignored: bytes | None = None
) -> str:
    """2.4.3.2: the Encrypted Data Structure of ``data``, as upper-case hex.

    ``ignored`` are the (seed & 6) >> 1 arbitrary bytes; zeros unless given.
    """
    version = 2
    key = _project_key(project_clsid)
    count = (seed & 6) >> 1
    if ignored is None:
        ignored = bytes([_IGNORED]) * count
    if len(ignored) != count:
        raise ValueError(f"seed {seed:#04x} needs {count} ignored bytes")
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted1, encrypted1, encrypted2 = key, seed ^ key, seed ^ version
    for byte in ignored + struct.pack("<I", len(data)) + bytes(data):
        enc = byte ^ ((encrypted2 + unencrypted1) & 0xFF)
        out.append(enc)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    return out.hex().upper()


def _decrypt(text: str) -> tuple[int, int, bytes, bytes]:
    """2.4.3.3 decryption of the hex of an Encrypted Data Structure.

    Returns (Seed, ProjKey, the ignored bytes, Data); ValueError when it is inconsistent.
    """
    raw = bytes.fromhex(text)
    if len(raw) < 7:
        raise ValueError("encrypted data too short")
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError(f"encryption version {seed ^ version_enc}, expected 2")
    key = seed ^ key_enc
    unencrypted1, encrypted1, encrypted2 = key, key_enc, version_enc
    plain = bytearray()
    for enc in raw[3:]:
        byte = enc ^ ((encrypted2 + unencrypted1) & 0xFF)
        plain.append(byte)
        encrypted2, encrypted1, unencrypted1 = encrypted1, enc, byte
    count = (seed & 6) >> 1
    if len(plain) < count + 4:
        raise ValueError("encrypted data too short")
    (length,) = struct.unpack_from("<I", plain, count)
    data = bytes(plain[count + 4 :])
    if len(data) != length:
        raise ValueError(f"encrypted data holds {len(data)} bytes, its length says {length}")
    return seed, key, bytes(plain[:count]), data


# --------------------------------------------------------------------------------------
# [MS-OVBA] the VBA project
# --------------------------------------------------------------------------------------

# 2.3.4.2.1.1 SysKind: 0x01 = 32-bit Windows, the common choice. The project carries no
# compiled code (_VBA_PROJECT version 0xFFFF), so every Excel compiles it from source on
# load; that 64-bit Excel and Excel for Mac accept it is for the manual acceptance check.
_SYSKIND_WIN32 = 0x00000001
_VERSION_MAJOR, _VERSION_MINOR = 1, 0
_VBA_PROJECT_STREAM = bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00])  # 2.3.4.1

# 2.3.4.2.2.5 REFERENCEREGISTERED, the two references of a new Excel workbook besides the
# built-in VBA and Excel libraries: OLE Automation (stdole) and the Office object library,
# which declares IRibbonControl for ribbon callbacks. A registered type library is found by
# GUID and version (COM's registry); the path in the libid is the fallback.
_REFERENCES = (
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        r"C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)

_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"  # Excel Workbook
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"  # Excel Worksheet
_GUID_NAMESPACE = uuid.UUID("6f1d5a0e-3c2b-5e47-9a1d-63737860726a")  # csxl VBA projects

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*\Z", re.IGNORECASE)
_CLASS_HEADER = re.compile(r"VERSION\s+\d+\.\d+\s+CLASS\s*\Z", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_RESERVED_STREAMS = {"DIR", "_VBA_PROJECT", "PROJECT", "PROJECTWM", "PROJECTLK"}


def _check_identifier(what: str, name: str, longest: int) -> None:
    if not _IDENTIFIER.match(name) or len(name) > longest:
        raise ValueError(
            f"{what} {name!r} is not a VBA identifier: an ASCII letter, then letters, "
            f"digits or '_', at most {longest} characters"
        )


def _default_attributes(module: Module) -> list[tuple[str, str]]:
    quoted = f'"{module.name}"'
    if module.kind == "standard":
        return [("VB_Name", quoted)]
    if module.kind == "class":
        return [
            ("VB_Name", quoted),
            ("VB_GlobalNameSpace", "False"),
            ("VB_Creatable", "False"),
            ("VB_PredeclaredId", "False"),
            ("VB_Exposed", "False"),
        ]
    base = _WORKBOOK_BASE if module.name.lower() == "thisworkbook" else _WORKSHEET_BASE
    return [
        ("VB_Name", quoted),
        ("VB_Base", f'"{base}"'),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "True"),
        ("VB_Exposed", "True"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "True"),
    ]


def module_text(module: Module) -> str:
    """The module's text as stored in its stream: attribute header, then code; CRLF lines.

    A leading ``VERSION ... CLASS`` block and leading ``Attribute VB_*`` lines in the source
    are read, not copied: attributes given there override the defaults for the module's
    kind (a differing ``VB_Name`` is an error), others are kept after the defaults.
    """
    lines = _LINE_BREAK.split(module.code)
    for number, line in enumerate(lines, start=1):
        for char in line:
            if ord(char) > 0x7F:
                raise ValueError(
                    f"VBA module {module.name!r}, line {number}: non-ASCII character "
                    f"{char!r} (U+{ord(char):04X}). VBA sources must be ASCII; keep "
                    "user-facing text in the workbook or in the program's messages."
                )
    if lines and lines[-1] == "":
        lines.pop()
    body = 0
    if lines and _CLASS_HEADER.match(lines[0].strip()):
        end = next((i for i, line in enumerate(lines) if line.strip().upper() == "END"), None)
        if end is None:
            raise ValueError(f"VBA module {module.name!r}: VERSION ... CLASS without END")
        body = end + 1
    given: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    defaults = _default_attributes(module)
    known = {key.lower(): key for key, _ in defaults}
    while body < len(lines) and (found := _ATTRIBUTE.match(lines[body].strip())):
        key, value = found.group(1), found.group(2)
        if key.lower() in known:
            given[known[key.lower()]] = value
        else:
            extra.append((key, value))
        body += 1
    name_given = given.get("VB_Name")
    if name_given is not None and name_given.strip('"') != module.name:
        raise ValueError(
            f"VBA module {module.name!r}: its source says Attribute VB_Name = {name_given}"
        )
    given.pop("VB_Name", None)
    header = [f"Attribute {key} = {given.get(key, value)}" for key, value in defaults]
    header += [f"Attribute {key} = {value}" for key, value in extra]
    return "".join(line + "\r\n" for line in header + lines[body:])


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _text_record(record_id: int, text: bytes, unicode_id: int, unicode_text: bytes) -> bytes:
    """A record with an MBCS text and its UTF-16 twin under a reserved id."""
    return _record(record_id, text) + _record(unicode_id, unicode_text)


def _dir_stream(
    project_name: str, modules: Sequence[Module], encoding: str, codepage: int
) -> bytes:
    """2.3.4.2 dir stream (uncompressed)."""
    out = bytearray()
    # 2.3.4.2.1 PROJECTINFORMATION
    out += _record(0x0001, struct.pack("<I", _SYSKIND_WIN32))  # PROJECTSYSKIND
    out += _record(0x0002, struct.pack("<I", 0x0409))  # PROJECTLCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", codepage))  # PROJECTCODEPAGE
    out += _record(0x0004, project_name.encode(encoding))  # PROJECTNAME
    out += _text_record(0x0005, b"", 0x0040, b"")  # PROJECTDOCSTRING
    out += _text_record(0x0006, b"", 0x003D, b"")  # PROJECTHELPFILEPATH
    out += _record(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: its "size" field is a reserved 4, and 6 bytes follow.
    out += struct.pack("<HIIH", 0x0009, 4, _VERSION_MAJOR, _VERSION_MINOR)
    out += _text_record(0x000C, b"", 0x003C, b"")  # PROJECTCONSTANTS
    # 2.3.4.2.2 PROJECTREFERENCES
    for name, libid in _REFERENCES:
        out += _text_record(0x0016, name.encode(encoding), 0x003E, name.encode("utf-16-le"))
        libid_bytes = libid.encode(encoding)
        out += _record(0x000D, struct.pack("<I", len(libid_bytes)) + libid_bytes + bytes(6))
    # 2.3.4.2.3 PROJECTMODULES
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        mbcs, utf16 = module.name.encode(encoding), module.name.encode("utf-16-le")
        out += _record(0x0019, mbcs)  # MODULENAME
        out += _record(0x0047, utf16)  # MODULENAMEUNICODE
        out += _text_record(0x001A, mbcs, 0x0032, utf16)  # MODULESTREAMNAME
        out += _text_record(0x001C, b"", 0x0048, b"")  # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at offset 0
        out += _record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _record(0x0021 if module.kind == "standard" else 0x0022, b"")  # MODULETYPE
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir stream terminator
    return bytes(out)


def _project_stream(project_name: str, modules: Sequence[Module], clsid: str) -> str:
    """2.3.1 PROJECT stream text."""
    lines = [f'ID="{clsid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{_encrypt(clsid, bytes(4))}"',  # 2.3.1.15: not protected
        f'DPB="{_encrypt(clsid, bytes(1))}"',  # 2.3.1.16: no password
        f'GC="{_encrypt(clsid, bytes([0xFF]))}"',  # 2.3.1.17: visible
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{module.name}=0, 0, 0, 0, C" for module in modules),
    ]
    return "".join(line + "\r\n" for line in lines)


def _projectwm_stream(modules: Sequence[Module], encoding: str) -> bytes:
    """2.3.3 PROJECTwm: each module name in MBCS and UTF-16, null-terminated; then 0x0000."""
    out = bytearray()
    for module in modules:
        out += module.name.encode(encoding) + b"\0"
        out += module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def project_clsid(project_name: str) -> str:
    """The project's ID (2.3.1.2), derived from its name so that builds are reproducible."""
    return "{" + str(uuid.uuid5(_GUID_NAMESPACE, project_name)).upper() + "}"


def build_vba_project(
    project_name: str,
    modules: Sequence[Module],
    *,
    codepage: int = 1252,
    lcid: int = 0x409,
) -> bytes:
    """The bytes of ``vbaProject.bin`` for ``modules``, in their order.

    ``codepage`` is the project's code page (sources are ASCII, so 1252 suits every
    locale). ``lcid`` must be 0x409: [MS-OVBA] 2.3.4.2.1.3/.4 require it whatever the
    user's language. Raises ValueError for invalid names, duplicate module names or
    non-ASCII source (naming the module and line).
    """
    if lcid != 0x409:
        raise ValueError(f"lcid must be 0x409 ([MS-OVBA] 2.3.4.2.1.3), not {lcid:#x}")
    try:
        encoding = codecs.lookup(f"cp{codepage}").name
    except LookupError:
        raise ValueError(f"unknown code page {codepage}") from None
    if "ASCII".encode(encoding) != b"ASCII" or not 0 < codepage < 0x10000:
        raise ValueError(f"code page {codepage} is not an ASCII-compatible MBCS code page")
    _check_identifier("project name", project_name, 128)
    seen: set[str] = set()
    for module in modules:
        _check_identifier("module name", module.name, 31)
        if module.kind not in ("standard", "document", "class"):
            raise ValueError(f"module {module.name!r}: unknown kind {module.kind!r}")
        folded = module.name.upper()
        if folded in seen:
            raise ValueError(f"two modules named {module.name!r} (names ignore case)")
        if folded in _RESERVED_STREAMS:
            raise ValueError(f"module name {module.name!r} is reserved for a project stream")
        seen.add(folded)

    clsid = project_clsid(project_name)
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(project_name, modules, clsid).encode(encoding),
        "PROJECTwm": _projectwm_stream(modules, encoding),
        "VBA/_VBA_PROJECT": _VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(project_name, modules, encoding, codepage)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module_text(module).encode(encoding))
    return write_cfb(streams)
