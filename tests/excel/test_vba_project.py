"""csxl.excel.vba_project against the specifications and independent readers.

- Compression: the byte arrays of [MS-OVBA] 3.2 (the compressor must produce them where the
  specification gives them, the decompressor must read them), and round trips on random
  bytes and on VBA-like text.
- Compound file: olefile opens every file in strict mode (``DEFECT_INCORRECT``) and reads
  each stream back; a small reader written here from [MS-CFB] checks the header, the
  directory trees and where streams are stored.
- VBA project: olevba (oletools) extracts every module with its source text; the dir
  stream, read record by record here, lists the modules; the CMG/DPB/GC fields decrypt,
  with the specification's own example as a test vector. Negative controls: a module
  stream renamed in the compound file, or a dir stream whose MODULESTREAMNAME points at
  another module's stream, make the olevba round trip fail; a MODULESTREAMNAME naming a
  missing stream fails the dir check (olevba then falls back on the module's name).
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile

import olefile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from csxl.excel.vba_project import (
    Module,
    _decrypt,
    _encrypt,
    build_vba_project,
    compress,
    decompress,
    module_text,
    project_clsid,
    write_cfb,
)

# --------------------------------------------------------------------------------------
# [MS-OVBA] 3.2 compression examples
# --------------------------------------------------------------------------------------

NO_COMPRESSION = b"abcdefghijklmnopqrstuv."
NO_COMPRESSION_BYTES = bytes.fromhex(
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
)
NORMAL = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
NORMAL_BYTES = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 20"
    " 6D 6E 6F 70 06 71 02 70 04 00 72 73 74 75 76 10 77 78 79 7A 00 2C"
)
# An earlier (PDF) edition of 3.2.2 printed these bytes: other copy tokens, same text.
NORMAL_BYTES_EARLIER = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30"
    " 6D 6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)
MAXIMUM = b"a" * 73
MAXIMUM_BYTES = bytes.fromhex("01 03 B0 02 61 45 00")

SPEC_EXAMPLES = [
    pytest.param(NO_COMPRESSION, NO_COMPRESSION_BYTES, id="3.2.1-no-compression"),
    pytest.param(NORMAL, NORMAL_BYTES, id="3.2.2-normal"),
    pytest.param(MAXIMUM, MAXIMUM_BYTES, id="3.2.3-maximum"),
]


@pytest.mark.parametrize(("text", "compressed"), SPEC_EXAMPLES)
def test_compressor_produces_the_specified_bytes(text: bytes, compressed: bytes) -> None:
    assert compress(text) == compressed


@pytest.mark.parametrize(
    ("text", "compressed"),
    [*SPEC_EXAMPLES, pytest.param(NORMAL, NORMAL_BYTES_EARLIER, id="3.2.2-earlier-edition")],
)
def test_decompressor_reads_the_specified_bytes(text: bytes, compressed: bytes) -> None:
    assert decompress(compressed) == text


def test_empty_input_is_the_signature_byte_alone() -> None:
    assert compress(b"") == b"\x01"
    assert decompress(b"\x01") == b""


def test_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(6).randbytes(4096)  # too few repeats to pay for the flag bytes
    out = compress(data)
    assert struct.unpack_from("<H", out, 1)[0] == 0x3FFF  # size 4095, signature 3, raw
    assert len(out) == 1 + 2 + 4096
    assert decompress(out) == data


def test_raw_final_chunk_is_padded_as_specified() -> None:
    """2.4.1.3.10: a raw chunk always holds 4096 bytes, so a short one is zero-padded."""
    tail = random.Random(7).randbytes(4000)
    compressed = compress(tail)
    assert struct.unpack_from("<H", compressed, 1)[0] == 0x3FFF
    assert decompress(compressed) == tail + bytes(96)


def test_compression_spans_chunks() -> None:
    text = b"".join(b'    Range("A%d").Value = %d\r\n' % (i, i * i) for i in range(2000))
    out = compress(text)
    assert len(out) < len(text) // 2
    assert decompress(out) == text


@pytest.mark.parametrize(
    "bad",
    [b"", b"\x02\x00\xb0", b"\x01\x19", b"\x01\x19\xa0abc", b"\x01\xff\x3f" + b"x" * 10],
)
def test_decompress_rejects_malformed_containers(bad: bytes) -> None:
    with pytest.raises(ValueError):
        decompress(bad)


def test_copy_token_before_its_chunk_is_rejected() -> None:
    # flag byte 0x02: a literal, then a copy token with offset 2 at position 1
    with pytest.raises(ValueError, match="before its chunk"):
        decompress(bytes.fromhex("01 03 B0 02 61 00 10"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=9000))
def test_round_trip_random_bytes(data: bytes) -> None:
    out = decompress(compress(data))
    # A final chunk stored raw comes back padded with zeros to 4096 bytes (see above).
    assert out[: len(data)] == data
    assert out[len(data) :] == bytes(len(out) - len(data))
    assert len(out) == len(data) or len(out) % 4096 == 0


VBA_WORDS = [
    "Option Explicit",
    "Public Sub ",
    "Private Function ",
    "End Sub",
    "End Function",
    "Dim ",
    " As ",
    "Long",
    "String",
    "Variant",
    "If ",
    " Then",
    "End If",
    "For i = 1 To ",
    "Next i",
    "ActiveWorkbook.FullName",
    'Range("A1").Value',
    "MsgBox ",
    "    ",
    "\r\n",
    "'",
    '"',
    "(",
    ")",
    " = ",
    ", ",
]
vba_text = st.lists(
    st.one_of(st.sampled_from(VBA_WORDS), st.text("abcxyzABCXYZ0123456789_", max_size=12)),
    max_size=1500,
).map(lambda parts: "".join(parts).encode("ascii"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vba_text)
def test_round_trip_vba_like_text(text: bytes) -> None:
    out = compress(text)
    assert decompress(out) == text
    if len(text) > 200:
        assert len(out) < len(text)


# --------------------------------------------------------------------------------------
# [MS-CFB]: olefile, and a small reader written here from the specification
# --------------------------------------------------------------------------------------

ENDOFCHAIN, FREESECT, FATSECT, DIFSECT, NOSTREAM = (
    0xFFFFFFFE,
    0xFFFFFFFF,
    0xFFFFFFFD,
    0xFFFFFFFC,
    0xFFFFFFFF,
)


def strict_open(data: bytes) -> olefile.OleFileIO:
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.parsing_issues == []
    return ole


def all_streams(ole: olefile.OleFileIO) -> dict[str, bytes]:
    return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


class CfbReader:
    """Just enough of [MS-CFB] to check what olefile does not: layout and trees."""

    def __init__(self, data: bytes) -> None:
        assert len(data) % 512 == 0
        self.data = data
        header = struct.unpack_from("<8s16sHHHHH6sIIIIIIIII", data, 0)
        (sig, clsid, minor, major, order, shift, mini_shift, reserved) = header[:8]
        assert sig == bytes.fromhex("D0CF11E0A1B11AE1")
        assert (clsid, minor, major, order, shift, mini_shift, reserved) == (
            bytes(16),
            0x3E,
            3,
            0xFFFE,
            9,
            6,
            bytes(6),
        )
        (
            n_dir,
            self.n_fat,
            self.dir_start,
            transaction,
            cutoff,
            self.minifat_start,
            self.n_minifat,
            self.difat_start,
            self.n_difat,
        ) = header[8:]
        assert (n_dir, transaction, cutoff) == (0, 0, 4096)
        difat = list(struct.unpack_from("<109I", data, 76))
        sect = self.difat_start
        for _ in range(self.n_difat):
            entries = struct.unpack_from("<128I", self.sector(sect))
            difat += entries[:127]
            sect = entries[127]
        assert sect == ENDOFCHAIN
        self.fat_sectors = difat[: self.n_fat]
        assert all(s == FREESECT for s in difat[self.n_fat :])
        self.fat: list[int] = []
        for s in self.fat_sectors:
            self.fat += struct.unpack_from("<128I", self.sector(s))
        self.n_sectors = len(data) // 512 - 1
        assert len(self.fat) >= self.n_sectors
        assert all(entry == FREESECT for entry in self.fat[self.n_sectors :])
        assert [i for i, e in enumerate(self.fat) if e == FATSECT] == self.fat_sectors
        assert len([e for e in self.fat if e == DIFSECT]) == self.n_difat
        self.entries = self._directory()

    def sector(self, n: int) -> bytes:
        return self.data[512 + n * 512 : 1024 + n * 512]

    def chain(self, start: int) -> list[int]:
        out = []
        while start != ENDOFCHAIN:
            assert start < self.n_sectors, "sector beyond the end of the file"
            assert start not in out, "loop in a FAT chain"
            out.append(start)
            start = self.fat[start]
        return out

    def _directory(self) -> list[dict]:
        raw = b"".join(self.sector(s) for s in self.chain(self.dir_start))
        entries = []
        for i in range(len(raw) // 128):
            fields = struct.unpack_from("<64sHBBIII16sIQQIQ", raw, i * 128)
            name_raw, name_len, kind, color, left, right, child = fields[:7]
            clsid, state, created, modified, start, size = fields[7:]
            entries.append(
                {
                    "name": name_raw[: max(name_len - 2, 0)].decode("utf-16-le"),
                    "kind": kind,
                    "color": color,
                    "left": left,
                    "right": right,
                    "child": child,
                    "clsid": clsid,
                    "state": state,
                    "times": (created, modified),
                    "start": start,
                    "size": size,
                }
            )
        return entries

    def read(self, entry: dict) -> bytes:
        """A stream's bytes: from the mini stream below 4096 bytes, else from the FAT."""
        if entry["size"] == 0:
            assert entry["start"] == ENDOFCHAIN
            return b""
        if entry["size"] >= 4096:
            sectors = self.chain(entry["start"])
            assert len(sectors) == -(-entry["size"] // 512)
            return b"".join(self.sector(s) for s in sectors)[: entry["size"]]
        root = self.entries[0]
        mini = b"".join(self.sector(s) for s in self.chain(root["start"]))[: root["size"]]
        minifat_sectors = self.chain(self.minifat_start)
        assert len(minifat_sectors) == self.n_minifat
        table = b"".join(self.sector(s) for s in minifat_sectors)
        minifat = struct.unpack(f"<{len(table) // 4}I", table)
        out, n = [], entry["start"]
        while n != ENDOFCHAIN:
            assert (n + 1) * 64 <= len(mini), "mini sector beyond the mini stream"
            out.append(mini[n * 64 : (n + 1) * 64])
            n = minifat[n]
        assert len(out) == -(-entry["size"] // 64)
        return b"".join(out)[: entry["size"]]

    def streams(self) -> dict[str, bytes]:
        """Every stream by path, walking the directory trees from the root."""
        out = {}
        todo = [(0, "")]
        while todo:
            sid, prefix = todo.pop()
            for i in self.siblings(self.entries[sid]["child"]):
                entry = self.entries[i]
                if entry["kind"] == 1:
                    todo.append((i, prefix + entry["name"] + "/"))
                else:
                    assert entry["kind"] == 2
                    out[prefix + entry["name"]] = self.read(entry)
        return out

    def siblings(self, top: int) -> list[int]:
        """In-order walk of one sibling tree."""
        if top == NOSTREAM:
            return []
        entry = self.entries[top]
        return [*self.siblings(entry["left"]), top, *self.siblings(entry["right"])]


def cfb_order(name: str) -> tuple[int, str]:
    return len(name.encode("utf-16-le")), name.upper()


def check_trees(reader: CfbReader) -> None:
    root = reader.entries[0]
    assert (root["name"], root["kind"], root["color"]) == ("Root Entry", 5, 1)
    assert root["left"] == root["right"] == NOSTREAM
    seen = {0}
    todo = [0]
    while todo:
        parent = reader.entries[todo.pop()]
        ids = reader.siblings(parent["child"])
        names = [reader.entries[i]["name"] for i in ids]
        assert names == sorted(names, key=cfb_order), "siblings out of [MS-CFB] 2.6.4 order"
        for i in ids:
            entry = reader.entries[i]
            assert entry["color"] == 1  # all black: no two consecutive red nodes
            assert entry["clsid"] == bytes(16) and entry["times"] == (0, 0)
            assert i not in seen
            seen.add(i)
            if entry["kind"] == 1:
                todo.append(i)
    used = [i for i, e in enumerate(reader.entries) if e["kind"] != 0]
    assert sorted(seen) == used
    for e in reader.entries:
        if e["kind"] == 0:  # unused entries: zero but for NOSTREAM links
            assert (e["left"], e["right"], e["child"]) == (NOSTREAM,) * 3
            assert (e["name"], e["size"], e["start"]) == ("", 0, 0)


def test_cfb_streams_storages_mini_and_regular() -> None:
    streams = {
        "PROJECT": b"p" * 100,
        "PROJECTwm": b"",
        "VBA/dir": b"d" * 4095,  # mini stream
        "VBA/big": bytes(range(256)) * 20,  # 5120 bytes: regular sectors
        "VBA/exactly4096": b"e" * 4096,  # the cutoff itself is regular
        "VBA/Nested/deeper": b"n" * 65,
        "Ünïcode": b"u",
    } | {f"VBA/m{i:02d}": bytes([i]) * (i * 50) for i in range(1, 30)}
    data = write_cfb(streams)
    ole = strict_open(data)
    assert all_streams(ole) == streams
    assert ole.get_type("VBA/Nested") == olefile.STGTY_STORAGE

    reader = CfbReader(data)
    assert len(reader.chain(reader.dir_start)) > 3  # the directory spans several sectors
    check_trees(reader)
    # Streams below 4096 bytes read back through the mini FAT, others through the FAT.
    assert reader.streams() == streams
    root = reader.entries[0]
    assert root["size"] % 64 == 0 and root["size"] > 0


def test_cfb_without_small_streams_has_no_mini_stream() -> None:
    data = write_cfb({"A": b"a" * 5000})
    reader = CfbReader(data)
    assert reader.minifat_start == ENDOFCHAIN and reader.n_minifat == 0
    assert reader.entries[0]["start"] == ENDOFCHAIN and reader.entries[0]["size"] == 0
    assert all_streams(strict_open(data)) == {"A": b"a" * 5000}


def test_cfb_large_file_uses_difat_sectors() -> None:
    big = bytes(range(251)) * 30_000  # 7.5 MB: more than 109 FAT sectors
    data = write_cfb({"big": big, "small": b"s"})
    reader = CfbReader(data)
    assert reader.n_fat > 109 and reader.n_difat >= 1
    assert reader.streams() == {"big": big, "small": b"s"}
    ole = strict_open(data)
    assert ole.openstream("big").read() == big
    assert ole.openstream("small").read() == b"s"


stream_names = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=31
)
stream_sizes = st.sampled_from([0, 1, 63, 64, 65, 511, 512, 513, 4095, 4096, 4097, 9000])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            stream_names, st.sampled_from(["", "Sto1/", "Sto2/", "Sto2/Sto3/"]), stream_sizes
        ),
        min_size=1,
        max_size=25,
        unique_by=lambda item: (item[1] + item[0]).upper(),
    )
)
def test_cfb_property(items: list[tuple[str, str, int]]) -> None:
    streams = {
        prefix + name: bytes((i + k) & 0xFF for k in range(size))
        for i, (name, prefix, size) in enumerate(items)
    }
    data = write_cfb(streams)
    assert all_streams(strict_open(data)) == streams
    reader = CfbReader(data)
    check_trees(reader)
    assert reader.streams() == streams


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        ({"A" * 32: b""}, "longer than 31"),
        ({"a:b": b""}, "illegal"),
        ({"VBA//dir": b""}, "empty name"),
        ({"VBA": b"x", "VBA/dir": b"y"}, "clashes"),
        ({"vba/dir": b"x", "VBA/DIR": b"y"}, "clashes"),
    ],
)
def test_cfb_rejects_bad_paths(streams: dict[str, bytes], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_cfb(streams)


# --------------------------------------------------------------------------------------
# [MS-OVBA] the VBA project
# --------------------------------------------------------------------------------------

RIBBON = """Attribute VB_Name = "csxlRibbon"
Option Explicit

' Ribbon callbacks: each passes the active workbook explicitly.
Public Sub csxlOnValidate(control As IRibbonControl)
    csxlRun "validate", ActiveWorkbook.FullName
End Sub

Public Sub csxlOnRefresh(control As IRibbonControl)
    csxlRun "refresh", ActiveWorkbook.FullName
End Sub

Private Sub csxlRun(verb As String, book As String)
    MsgBox verb & " " & book
End Sub
"""

SETTINGS_CLS = """VERSION 1.0 CLASS
BEGIN
  MultiUse = -1  'True
END
Attribute VB_Name = "csxlSettings"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = False
Option Explicit

Public ExePath As String
"""

MODULES = [
    Module("ThisWorkbook", "Option Explicit\n", "document"),
    Module("csxlRibbon", RIBBON),
    Module("csxlSettings", SETTINGS_CLS, "class"),
    Module("Sheet1", "", "document"),
]


def code_lines(code: str) -> list[str]:
    """Source lines without line-ending differences, the attribute header or trailing blanks."""
    lines = re.split(r"\r\n|\r|\n", code)
    if lines and re.match(r"VERSION \d+\.\d+ CLASS", lines[0]):
        lines = lines[lines.index("END") + 1 :]
    lines = [line for line in lines if not re.match(r"Attribute VB_\w+\s*=", line)]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def olevba_modules(data: bytes, filename: str = "vbaProject.bin") -> list[tuple[str, str]]:
    """(module name, code) for every module olevba extracts, in its order.

    olevba also reports streams of the VBA storage that no module refers to (an "orphan"
    stream comes back under its stream name), so a name can appear twice.
    """
    parser = VBA_Parser(filename, data=data)
    try:
        assert parser.detect_vba_macros()
        return [
            (vba_filename.rsplit(".", 1)[0], code)
            for _, _, vba_filename, code in parser.extract_macros()
        ]
    finally:
        parser.close()


def dir_problems(data: bytes, modules: list[Module]) -> list[str]:
    """What the dir stream gets wrong about the modules' names and streams; [] if nothing."""
    ole = strict_open(data)
    records = dir_records(decompress(ole.openstream("VBA/dir").read()))
    names = [p.decode("cp1252") for rid, p in records if rid == 0x19]
    streams = [p.decode("cp1252") for rid, p in records if rid == 0x1A]
    streams_unicode = [p.decode("utf-16-le") for rid, p in records if rid == 0x32]
    problems = []
    if names != [m.name for m in modules]:
        problems.append(f"dir lists modules {names}")
    for name, stream, stream_unicode in zip(names, streams, streams_unicode, strict=True):
        if stream != stream_unicode:
            problems.append(f"module {name}: stream names {stream!r} / {stream_unicode!r}")
        if not ole.exists(f"VBA/{stream}"):
            problems.append(f"module {name}: stream {stream!r} is not in the VBA storage")
        if stream != name:
            problems.append(f"module {name}: stream name {stream!r} is not the module's name")
    return problems


def round_trip_problems(data: bytes, modules: list[Module]) -> list[str]:
    """What differs between the sources and olevba's reading of the project; [] if none."""
    try:
        found = olevba_modules(data)
    except Exception as error:  # olevba refusing the file is a failed round trip too
        return [f"olevba failed: {error!r}"]
    problems = []
    names = sorted(name for name, _ in found)
    if names != sorted(m.name for m in modules):
        problems.append(f"olevba found modules {names}")
    codes = dict(found)
    for module in modules:
        code = codes.get(module.name)
        if code is None or code_lines(code) != code_lines(module.code):
            problems.append(f"module {module.name}: code differs")
    return problems


def dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The decompressed dir stream as (id, payload) records ([MS-OVBA] 2.3.4.2).

    Every record is id, size, payload, except PROJECTVERSION, whose size field is a
    reserved 4 followed by six bytes. Reserved-id halves of two-part records (docstrings,
    unicode names) come out as records of their own.
    """
    out, pos = [], 0
    while pos < len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        if record_id == 0x0009:
            assert size == 4
            size = 6
        out.append((record_id, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    assert pos == len(data)
    return out


def encode_records(records: list[tuple[int, bytes]]) -> bytes:
    """The inverse of dir_records."""
    out = bytearray()
    for record_id, payload in records:
        size = 4 if record_id == 0x0009 else len(payload)
        out += struct.pack("<HI", record_id, size) + payload
    return bytes(out)


@pytest.fixture(scope="module")
def project() -> bytes:
    return build_vba_project("csxl", MODULES)


def test_project_opens_strictly_with_the_expected_streams(project: bytes) -> None:
    ole = strict_open(project)
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(
        ["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"] + [f"VBA/{m.name}" for m in MODULES]
    )
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")
    check_trees(CfbReader(project))


def test_olevba_extracts_every_module_with_its_source(project: bytes) -> None:
    assert round_trip_problems(project, MODULES) == []
    found = dict(olevba_modules(project))
    assert found["csxlRibbon"].startswith('Attribute VB_Name = "csxlRibbon"\r\n')
    assert "Public Sub csxlOnValidate(control As IRibbonControl)\r\n" in found["csxlRibbon"]


def test_large_module_lives_in_regular_sectors_and_round_trips() -> None:
    lines = [
        f'    ws.Cells({i}, {i % 7 + 1}).Value = "{(i * 7919) % 100003:05d}"' for i in range(3000)
    ]
    modules = [
        Module("csxlBig", "Public Sub Fill(ws As Object)\n" + "\n".join(lines) + "\nEnd Sub\n")
    ]
    data = build_vba_project("csxlLarge", modules)
    reader = CfbReader(data)
    entry = next(e for e in reader.entries if e["name"] == "csxlBig")
    assert entry["size"] > 4096  # even compressed: a regular stream, not a mini one
    assert round_trip_problems(data, modules) == []
    assert dir_problems(data, modules) == []


def test_olevba_reads_the_project_inside_an_xlsm_package(project: bytes) -> None:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="bin" ContentType='
            '"application/vnd.ms-office.vbaProject"/></Types>',
        )
        z.writestr("xl/vbaProject.bin", project)
    found = olevba_modules(package.getvalue(), "twin.xlsm")
    assert {name: code_lines(code) for name, code in found} == {
        m.name: code_lines(m.code) for m in MODULES
    }


def test_dir_stream_records(project: bytes) -> None:
    ole = strict_open(project)
    records = dir_records(decompress(ole.openstream("VBA/dir").read()))
    ids = [record_id for record_id, _ in records]
    information = [0x01, 0x02, 0x14, 0x03, 0x04, 0x05, 0x40, 0x06, 0x3D, 0x07, 0x08, 0x09]
    information += [0x0C, 0x3C]
    references = [0x16, 0x3E, 0x0D] * 2
    module = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C, None, 0x2B]
    expected = information + references + [0x0F, 0x13]
    for m in MODULES:
        kind = 0x21 if m.kind == "standard" else 0x22
        expected += [kind if i is None else i for i in module]
    assert ids == [*expected, 0x10]

    values = dict(records[:14])
    assert struct.unpack("<I", values[0x01]) == (1,)  # SysKind Win32
    assert struct.unpack("<I", values[0x02]) == struct.unpack("<I", values[0x14]) == (0x409,)
    assert struct.unpack("<H", values[0x03]) == (1252,)
    assert values[0x04] == b"csxl"
    assert len(values[0x09]) == 6  # PROJECTVERSION: VersionMajor, VersionMinor

    names = [payload for record_id, payload in records if record_id == 0x16]
    assert names == [b"stdole", b"Office"]
    libids = [payload[4:-6].decode() for record_id, payload in records if record_id == 0x0D]
    assert libids[0].startswith(r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#")
    assert libids[1].startswith(r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#")

    count = dict(records)[0x0F]
    assert struct.unpack("<H", count) == (len(MODULES),)
    listed = [payload.decode() for record_id, payload in records if record_id == 0x19]
    assert listed == [m.name for m in MODULES]
    streams = [payload.decode() for record_id, payload in records if record_id == 0x1A]
    assert streams == listed
    unicode = [payload.decode("utf-16-le") for record_id, payload in records if record_id == 0x47]
    assert unicode == listed
    offsets = [payload for record_id, payload in records if record_id == 0x31]
    assert offsets == [bytes(4)] * len(MODULES)
    cookies = [payload for record_id, payload in records if record_id == 0x2C]
    assert cookies == [b"\xff\xff"] * len(MODULES)


def test_module_streams_hold_the_compressed_text_at_offset_zero(project: bytes) -> None:
    ole = strict_open(project)
    for module in MODULES:
        text = decompress(ole.openstream(f"VBA/{module.name}").read()).decode("cp1252")
        assert text == module_text(module)
        assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_project_stream(project: bytes) -> None:
    ole = strict_open(project)
    text = ole.openstream("PROJECT").read().decode("cp1252")
    clsid = project_clsid("csxl")
    assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", clsid)
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert lines[:12] == [
        f'ID="{clsid}"',
        "Document=ThisWorkbook/&H00000000",
        "Module=csxlRibbon",
        "Class=csxlSettings",
        "Document=Sheet1/&H00000000",
        'Name="csxl"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        lines[8],
        lines[9],
        lines[10],
        "",
    ]
    assert lines[12:-1] == [
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in MODULES),
    ]
    protection = dict(line.split("=", 1) for line in lines[8:11])
    key = sum(clsid.encode()) & 0xFF
    expected = {"CMG": bytes(4), "DPB": b"\x00", "GC": b"\xff"}
    for field, data in expected.items():
        _seed, proj_key, _, decrypted = _decrypt(protection[field].strip('"'))
        assert (proj_key, decrypted) == (key, data), field


def test_projectwm_stream(project: bytes) -> None:
    ole = strict_open(project)
    expected = b"".join(
        m.name.encode("ascii") + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in MODULES
    )
    assert ole.openstream("PROJECTwm").read() == expected + b"\0\0"


def test_encryption_matches_the_specification_example() -> None:
    """[MS-OVBA] 3.1.6: the example PROJECT stream's ID and CMG/DPB/GC values."""
    clsid = "{917DED54-440B-4FD1-A5C1-74ACF261E600}"
    example = {
        "0705D8E3D8EDDBF1DBF1DBF1DBF1": bytes(4),  # CMG: no protection
        "0E0CD1ECDFF4E7F5E7F5E7": b"\x00",  # DPB: no password
        "1517CAF1D6F9D7F9D706": b"\xff",  # GC: visible
    }
    for text, data in example.items():
        seed, key, ignored, decrypted = _decrypt(text)
        assert key == sum(clsid.encode()) & 0xFF
        assert decrypted == data
        assert _encrypt(clsid, data, seed, ignored) == text


def test_build_is_deterministic() -> None:
    assert build_vba_project("csxl", MODULES) == build_vba_project("csxl", MODULES)
    assert project_clsid("csxl") == project_clsid("csxl") != project_clsid("csxl2")


def with_stream_name(project: bytes, module: str, stream: str) -> bytes:
    """The project with ``module``'s MODULESTREAMNAME (both halves) changed to ``stream``."""
    streams = all_streams(strict_open(project))
    records = dir_records(decompress(streams["VBA/dir"]))
    right = {0x1A: module.encode(), 0x32: module.encode("utf-16-le")}
    wrong = {0x1A: stream.encode(), 0x32: stream.encode("utf-16-le")}
    corrupted = [(rid, wrong[rid] if right.get(rid) == data else data) for rid, data in records]
    assert corrupted != records
    return write_cfb(streams | {"VBA/dir": compress(encode_records(corrupted))})


def test_negative_control_stream_name_pointing_at_another_module(project: bytes) -> None:
    broken = with_stream_name(project, "csxlRibbon", "csxlSettings")
    assert round_trip_problems(broken, MODULES)
    assert dir_problems(broken, MODULES)


def test_negative_control_stream_name_of_a_missing_stream(project: bytes) -> None:
    """olevba falls back to the module's name when its stream is missing, so the dir check
    is the one that catches this."""
    broken = with_stream_name(project, "csxlRibbon", "csxlRibbox")
    assert dir_problems(broken, MODULES) == [
        "module csxlRibbon: stream 'csxlRibbox' is not in the VBA storage",
        "module csxlRibbon: stream name 'csxlRibbox' is not the module's name",
    ]


def test_checks_pass_on_the_untouched_project(project: bytes) -> None:
    assert round_trip_problems(project, MODULES) == []
    assert dir_problems(project, MODULES) == []


def test_negative_control_module_stream_renamed(project: bytes) -> None:
    streams = all_streams(strict_open(project))
    streams["VBA/csxlRibbox"] = streams.pop("VBA/csxlRibbon")
    assert round_trip_problems(write_cfb(streams), MODULES)


def test_negative_control_module_code_changed() -> None:
    changed = [
        Module(m.name, RIBBON.replace("refresh", "reload")) if m.name == "csxlRibbon" else m
        for m in MODULES
    ]
    assert round_trip_problems(build_vba_project("csxl", changed), MODULES)


# --------------------------------------------------------------------------------------
# Module text and validation
# --------------------------------------------------------------------------------------


def test_non_ascii_source_is_refused_naming_module_and_line() -> None:
    code = 'Option Explicit\r\n\r\nSub A()\r\n    MsgBox "校验"\r\nEnd Sub\r\n'
    with pytest.raises(ValueError, match=r"'csxlRibbon', line 4: non-ASCII character '校'"):
        build_vba_project("csxl", [Module("csxlRibbon", code)])


def test_standard_module_text() -> None:
    text = module_text(Module("Mod1", "Sub A()\nEnd Sub"))
    assert text == 'Attribute VB_Name = "Mod1"\r\nSub A()\r\nEnd Sub\r\n'
    again = module_text(Module("Mod1", 'Attribute VB_Name = "Mod1"\r\nSub A()\r\nEnd Sub\r\n'))
    assert again == text
    assert module_text(Module("Mod1", "")) == 'Attribute VB_Name = "Mod1"\r\n'


def test_document_module_text() -> None:
    workbook = module_text(Module("ThisWorkbook", "", "document")).split("\r\n")
    assert workbook[:3] == [
        'Attribute VB_Name = "ThisWorkbook"',
        'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"',
        "Attribute VB_GlobalNameSpace = False",
    ]
    assert workbook[3:8] == [
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    sheet = module_text(Module("Sheet1", "", "document"))
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in sheet


def test_class_module_text_reads_the_cls_header() -> None:
    text = module_text(Module("csxlSettings", SETTINGS_CLS, "class"))
    assert text.split("\r\n")[:6] == [
        'Attribute VB_Name = "csxlSettings"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",  # from the source, not the default False
        "Attribute VB_Exposed = False",
        "Option Explicit",
    ]
    assert "VERSION" not in text and "MultiUse" not in text
    plain = module_text(Module("Thing", "Public X As Long", "class"))
    assert "Attribute VB_PredeclaredId = False\r\n" in plain
    assert plain.endswith("Attribute VB_Exposed = False\r\nPublic X As Long\r\n")


def test_other_leading_attributes_are_kept() -> None:
    text = module_text(Module("M", 'Attribute VB_Description = "Helpers"\nSub A()\nEnd Sub\n'))
    assert text.startswith('Attribute VB_Name = "M"\r\nAttribute VB_Description = "Helpers"\r\n')


def test_vb_name_must_match_the_module() -> None:
    with pytest.raises(ValueError, match="VB_Name"):
        module_text(Module("Mod1", 'Attribute VB_Name = "Other"\nSub A()\nEnd Sub\n'))


@pytest.mark.parametrize(
    ("project_name", "modules", "message"),
    [
        ("csxl", [Module("1abc", "")], "not a VBA identifier"),
        ("csxl", [Module("a" * 32, "")], "not a VBA identifier"),
        ("cs xl", [Module("A", "")], "not a VBA identifier"),
        ("csxl", [Module("Mod", ""), Module("MOD", "")], "two modules"),
        ("csxl", [Module("dir", "")], "reserved"),
        ("csxl", [Module("A", "", "form")], "unknown kind"),  # type: ignore[arg-type]
    ],
)
def test_invalid_projects_are_refused(
    project_name: str, modules: list[Module], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build_vba_project(project_name, modules)


def test_lcid_and_codepage_are_checked() -> None:
    with pytest.raises(ValueError, match="0x409"):
        build_vba_project("csxl", [Module("A", "")], lcid=0x804)
    with pytest.raises(ValueError, match="code page"):
        build_vba_project("csxl", [Module("A", "")], codepage=4242)
    cp936 = build_vba_project("csxl", [Module("A", "Sub B()\nEnd Sub\n")], codepage=936)
    records = dict(dir_records(decompress(strict_open(cp936).openstream("VBA/dir").read())))
    assert struct.unpack("<H", records[0x03]) == (936,)
