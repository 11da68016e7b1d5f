"""The zip splicer: replaced parts are new, every other part is copied byte for byte."""

import io
import random
import zipfile
import zlib

import pytest

from csxl.errors import language
from csxl.workbook import zipsplice


def _zip(entries, compression=zipfile.ZIP_DEFLATED, stream=False):
    buf = io.BytesIO()
    target = _Unseekable(buf) if stream else buf
    with zipfile.ZipFile(target, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


class _Unseekable(io.RawIOBase):
    """Makes zipfile write data descriptors, as streaming writers do."""

    def __init__(self, buf):
        self.buf = buf

    def writable(self):
        return True

    def write(self, b):
        return self.buf.write(b)

    def tell(self):
        return self.buf.tell()

    def flush(self):
        pass


ENTRIES = {
    "[Content_Types].xml": b"<Types/>",
    "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row/>" * 5000 + b"</worksheet>",
    "xl/worksheets/sheet2.xml": b"<worksheet>owned</worksheet>",
    "xl/数据.xml": "中文名".encode(),
}


def _raw_span(data: bytes, name: str) -> bytes:
    """An entry's compressed bytes (and descriptor) as stored, without its local header."""
    f = io.BytesIO(data)
    entry = next(e for e in zipsplice._entries(f)[0] if e.name == name)
    return zipsplice._local_span(f, entry)[30 + len(name.encode()) :]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_replace_one_part_copy_the_rest(stream, compression):
    original = _zip(ENTRIES, compression, stream)
    out = io.BytesIO()
    zipsplice.splice(
        io.BytesIO(original), out, {"xl/worksheets/sheet2.xml": b"<worksheet>new</worksheet>"}
    )
    result = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(result)) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == list(ENTRIES)
        assert zf.read("xl/worksheets/sheet2.xml") == b"<worksheet>new</worksheet>"
        for name in ("[Content_Types].xml", "xl/worksheets/sheet1.xml", "xl/数据.xml"):
            assert zf.read(name) == ENTRIES[name]
    # The untouched big part's compressed bytes are the very same bytes.
    big = "xl/worksheets/sheet1.xml"
    assert _raw_span(result, big) == _raw_span(original, big)


def test_new_parts_are_appended_and_readable():
    out = io.BytesIO()
    zipsplice.splice(io.BytesIO(_zip(ENTRIES)), out, {"xl/new.xml": b"<x/>"})
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        assert zf.namelist()[-1] == "xl/new.xml" and zf.read("xl/new.xml") == b"<x/>"


def test_read_checks_the_crc():
    data = bytearray(_zip(ENTRIES, zipfile.ZIP_STORED))
    assert (
        zipsplice.read(io.BytesIO(bytes(data)), "xl/worksheets/sheet2.xml")
        == ENTRIES["xl/worksheets/sheet2.xml"]
    )
    at = data.find(b"owned")
    data[at] = ord("O")
    with pytest.raises(zipsplice.SpliceError, match="CRC 校验不符"):
        zipsplice.read(io.BytesIO(bytes(data)), "xl/worksheets/sheet2.xml")
    with language("en"), pytest.raises(zipsplice.SpliceError, match="CRC mismatch"):
        zipsplice.read(io.BytesIO(bytes(data)), "xl/worksheets/sheet2.xml")


def test_not_a_zip_is_refused():
    with pytest.raises(zipsplice.SpliceError, match=r"^不是 zip 压缩包"):
        zipsplice.names(io.BytesIO(b"hello" * 100))
    with language("en"), pytest.raises(zipsplice.SpliceError, match=r"^not a zip"):
        zipsplice.names(io.BytesIO(b"hello" * 100))


def test_a_real_workbook_still_opens(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "keep"
    wb.create_sheet("Owned")["A1"] = "old"
    wb.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as zf:
        part = zf.read("xl/worksheets/sheet2.xml")
    assert b"old" in part  # openpyxl writes inline strings
    with (tmp_path / "a.xlsx").open("rb") as src, (tmp_path / "b.xlsx").open("wb") as dst:
        zipsplice.splice(src, dst, {"xl/worksheets/sheet2.xml": part.replace(b"old", b"new")})
    wb2 = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb2["Sheet"]["A1"].value == "keep" and wb2["Owned"]["A1"].value == "new"


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_streamed_part_is_written_from_its_chunks_and_inflates_back(compression):
    src = io.BytesIO(_zip(ENTRIES, compression))
    big = b"".join(b'<row r="%d"><c><v>%d</v></c></row>' % (i, i) for i in range(50_000))
    pieces = [big[i : i + 4096] for i in range(0, len(big), 4096)]
    name = next(iter(ENTRIES))
    dst = io.BytesIO()
    zipsplice.splice(src, dst, {name: zipsplice.Stream(lambda: iter(pieces)), "new.xml": b"x"})
    with zipfile.ZipFile(io.BytesIO(dst.getvalue())) as zf:
        assert zf.testzip() is None and zf.read(name) == big and zf.read("new.xml") == b"x"
        assert zf.namelist()[0] == name
    out = io.BytesIO(dst.getvalue())
    chunks = list(zipsplice.inflate(out, name, chunk=1000))
    assert b"".join(chunks) == big and max(map(len, chunks)) <= 1000
    assert b"".join(zipsplice.inflate(src, "xl/数据.xml")) == ENTRIES["xl/数据.xml"]


def test_inflate_refuses_a_damaged_part():
    data = bytearray(_zip({"a.xml": b"<a>" + b"x" * 10_000 + b"</a>"}))
    data[data.index(b"a.xml") + 5 + 20] ^= 0xFF  # a byte of the deflated data
    with pytest.raises((zipsplice.SpliceError, zlib.error)):
        b"".join(zipsplice.inflate(io.BytesIO(bytes(data)), "a.xml"))


def test_a_stream_that_fails_writes_nothing_usable_and_says_why():
    def broken():
        yield b"<worksheet>"
        raise ValueError("the export changed")

    src = io.BytesIO(_zip(ENTRIES))
    with pytest.raises(ValueError, match="export changed"):
        zipsplice.splice(src, io.BytesIO(), {next(iter(ENTRIES)): zipsplice.Stream(broken)})


def test_a_write_that_fails_while_a_part_streams_stops_the_splice_and_says_why():
    class Full(io.BytesIO):  # a disk that fills up once the streamed part is under way
        def write(self, data):
            if self.tell() > 1000:
                raise OSError("No space left on device")
            return super().write(data)

    noise = random.Random(1)
    big = [noise.randbytes(16_384) for _ in range(20)]  # does not deflate below 1000 bytes
    src = io.BytesIO(_zip(ENTRIES))
    stream = zipsplice.Stream(lambda: iter(big))
    with pytest.raises(OSError, match="No space left"):
        zipsplice.splice(src, Full(), {next(iter(ENTRIES)): stream})
