"""Rewrite a few parts of a zip package and copy every other part byte for byte.

A refresh changes a handful of small sheet parts; the pasted Data sheet can be 60 MB of
compressed XML. Python's zipfile can only copy an entry by inflating and deflating it
again (seconds per refresh, and a different byte stream). This module copies each
untouched entry's local header and compressed bytes as they are, writes the replaced
entries anew, and writes a central directory with the new offsets (PKWARE APPNOTE 4.3).
Zip64 archives (over 4 GiB or 65,535 entries) are refused: no workbook csxl accepts is one.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from csxl.errors import t

_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # local file header, without name and extra
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # central directory header
_END = struct.Struct("<4sHHHHIIH")  # end of central directory record
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_FLAG_DESCRIPTOR = 0x08
_FLAG_UTF8 = 0x800
_DEFLATED = 8
_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Stream:
    """A part written from chunks as they are made, never whole in memory (an import's
    Data sheet): `chunks()` is called once, at splice time; `level` is the deflate level
    (1 for a part of hundreds of MB: level 6 costs about 3x the time for a file about a
    fifth smaller)."""

    chunks: Callable[[], Iterable[bytes]]
    level: int = 1


class SpliceError(ValueError):
    """The archive cannot be spliced (damaged, zip64, encrypted)."""


@dataclass(frozen=True)
class Entry:
    name: str
    central: bytes  # the whole central directory record (header, name, extra, comment)
    offset: int  # of the local header
    compress_size: int
    flags: int


def _entries(f: BinaryIO) -> tuple[list[Entry], bytes]:
    """The central directory's entries, and the archive comment."""
    f.seek(0, 2)
    size = f.tell()
    tail_len = min(size, _END.size + 65535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(_END_SIG)
    if at < 0:
        raise SpliceError(
            t(
                "不是 zip 压缩包（没有中央目录结尾）",
                "not a zip archive (no end of central directory)",
            )
        )
    (_, disk, _, count, total, cd_size, cd_offset, comment_len) = _END.unpack_from(tail, at)
    if disk != 0 or count != total:
        raise SpliceError(t("不支持分卷 zip 压缩包", "multi-disk zip archives are not supported"))
    if 0xFFFFFFFF in (cd_size, cd_offset) or count == 0xFFFF:
        raise SpliceError(t("不支持 zip64 压缩包", "zip64 archives are not supported"))
    comment = tail[at + _END.size : at + _END.size + comment_len]
    f.seek(cd_offset)
    directory = f.read(cd_size)
    entries: list[Entry] = []
    pos = 0
    for _ in range(count):
        fields = _CENTRAL.unpack_from(directory, pos)
        if fields[0] != _CENTRAL_SIG:
            raise SpliceError(t("中央目录已损坏", "damaged central directory"))
        flags, csize, name_len, extra_len, comment_len_e, offset = (
            fields[3],
            fields[8],
            fields[10],
            fields[11],
            fields[12],
            fields[16],
        )
        if flags & 0x1:
            raise SpliceError(t("不支持加密的 zip 条目", "encrypted zip entries are not supported"))
        end = pos + _CENTRAL.size + name_len + extra_len + comment_len_e
        raw_name = directory[pos + _CENTRAL.size : pos + _CENTRAL.size + name_len]
        name = raw_name.decode("utf-8" if flags & _FLAG_UTF8 else "cp437")
        entries.append(Entry(name, directory[pos:end], offset, csize, flags))
        pos = end
    return entries, comment


def names(f: BinaryIO) -> list[str]:
    return [e.name for e in _entries(f)[0]]


def _local_span(f: BinaryIO, entry: Entry) -> bytes:
    """The entry's local header, compressed data and data descriptor, as stored."""
    f.seek(entry.offset)
    header = f.read(_LOCAL.size)
    fields = _LOCAL.unpack(header)
    if fields[0] != _LOCAL_SIG:
        raise SpliceError(
            t(f"{entry.name} 的本地文件头已损坏", f"damaged local header for {entry.name}")
        )
    name_len, extra_len = fields[9], fields[10]
    length = _LOCAL.size + name_len + extra_len + entry.compress_size
    if entry.flags & _FLAG_DESCRIPTOR:
        f.seek(entry.offset + length)
        length += 16 if f.read(4) == _DESCRIPTOR_SIG else 12
    f.seek(entry.offset)
    return f.read(length)


def _new_entry(name: str, data: bytes, level: int) -> tuple[bytes, bytes]:
    """Local header + deflated data, and the central record (offset patched later)."""
    raw_name = name.encode("utf-8")
    flags = _FLAG_UTF8 if not raw_name.isascii() else 0
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = packer.compress(data) + packer.flush()
    crc = zlib.crc32(data)
    local = (
        _LOCAL.pack(
            _LOCAL_SIG,
            20,
            flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            len(body),
            len(data),
            len(raw_name),
            0,
        )
        + raw_name
        + body
    )
    central = _CENTRAL.pack(
        _CENTRAL_SIG,
        20,
        20,
        flags,
        _DEFLATED,
        _DOS_TIME,
        _DOS_DATE,
        crc,
        len(body),
        len(data),
        len(raw_name),
        0,
        0,
        0,
        0,
        0o600 << 16,
        0,
    )
    return local, central + raw_name


def _stream_entry(dst: BinaryIO, name: str, stream: Stream) -> bytes:
    """Write a local header, then the deflated chunks, then go back and fill in the CRC and
    sizes (`dst` must be seekable); the central record (offset patched by the caller)."""
    raw_name = name.encode("utf-8")
    flags = _FLAG_UTF8 if not raw_name.isascii() else 0
    start = dst.tell()
    dst.write(_LOCAL.pack(_LOCAL_SIG, 20, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, 0, 0, 0, 0, 0))
    dst.write(raw_name)
    deflating = _Deflating(dst, stream.level)
    try:
        for chunk in stream.chunks():
            deflating.put(chunk)
    finally:
        crc, size, written = deflating.close()
    if max(size, written, dst.tell()) > 0xFFFFFFFF:
        raise SpliceError(t(f"{name}：这一部分需要 zip64", f"{name}: the part would need zip64"))
    end = dst.tell()
    dst.seek(start)
    dst.write(
        _LOCAL.pack(
            _LOCAL_SIG,
            20,
            flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            written,
            size,
            len(raw_name),
            0,
        )
    )
    dst.seek(end)
    central = _CENTRAL.pack(
        _CENTRAL_SIG,
        20,
        20,
        flags,
        _DEFLATED,
        _DOS_TIME,
        _DOS_DATE,
        crc,
        written,
        size,
        len(raw_name),
        0,
        0,
        0,
        0,
        0o600 << 16,
        0,
    )
    return central + raw_name


class _Deflating:
    """Deflates and writes a part's chunks in a worker thread while the caller makes the
    next ones: zlib, crc32 and file writes release the GIL, so on a second core deflating
    (a third of an import's writing) costs no time. One deflate stream, fed in order: the
    bytes are those of deflating in the caller's thread."""

    def __init__(self, dst: BinaryIO, level: int) -> None:
        import queue
        import threading

        self._dst = dst
        self._packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=1)
        self.crc = self.size = self.written = 0
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="csxl-deflate", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            while (chunk := self._queue.get()) is not None:
                self.crc = zlib.crc32(chunk, self.crc)
                self.size += len(chunk)
                out = self._packer.compress(chunk)
                self.written += len(out)
                self._dst.write(out)
            out = self._packer.flush()
            self.written += len(out)
            self._dst.write(out)
        except BaseException as exc:  # raised again in the caller's thread by close()
            self._error = exc
            while self._queue.get() is not None:  # the caller never blocks on a dead worker
                pass

    def put(self, chunk: bytes | memoryview) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def close(self) -> tuple[int, int, int]:
        """Wait for the worker: (CRC, inflated size, deflated size) of what it wrote."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.crc, self.size, self.written


def splice(
    src: BinaryIO,
    dst: BinaryIO,
    replace: Mapping[str, bytes | Stream],
    add_order: list[str] | None = None,
    level: int = 6,
    remove: Collection[str] = (),
) -> None:
    """Copy `src` to `dst`, replacing (or adding) the parts in `replace` (bytes, or a
    `Stream`, which needs a seekable `dst`) and leaving out the parts in `remove`.

    Entries keep their order; new entries go at the end (in `add_order` if given).
    """
    entries, comment = _entries(src)
    records: list[bytes] = []
    seen: set[str] = set()

    def emit(local: bytes | Stream, central: bytes, name: str = "") -> None:
        offset = dst.tell()
        if isinstance(local, Stream):
            central = _stream_entry(dst, name, local)
        else:
            dst.write(local)
        # Patch the central record's local-header offset (its last fixed field).
        fixed = bytearray(central[: _CENTRAL.size])
        struct.pack_into("<I", fixed, _CENTRAL.size - 4, offset)
        records.append(bytes(fixed) + central[_CENTRAL.size :])
        if offset > 0xFFFFFFFF:
            raise SpliceError(
                t("重写后的压缩包需要 zip64", "the rewritten archive would need zip64")
            )

    for entry in entries:
        seen.add(entry.name)
        if entry.name in remove and entry.name not in replace:
            continue
        if entry.name in replace:
            emit(*_entry(entry.name, replace[entry.name], level), entry.name)
        else:
            emit(_local_span(src, entry), entry.central)
    for name in add_order or sorted(replace):
        if name not in seen:
            emit(*_entry(name, replace[name], level), name)
            seen.add(name)
    cd_offset = dst.tell()
    for record in records:
        dst.write(record)
    cd_size = dst.tell() - cd_offset
    dst.write(
        _END.pack(_END_SIG, 0, 0, len(records), len(records), cd_size, cd_offset, len(comment))
        + comment
    )


def _entry(name: str, data: bytes | Stream, level: int) -> tuple[bytes | Stream, bytes]:
    return (data, b"") if isinstance(data, Stream) else _new_entry(name, data, level)


def inflate(src: BinaryIO, name: str, chunk: int = _CHUNK) -> Iterator[bytes]:
    """One part's uncompressed bytes in chunks of at most `chunk` bytes, never whole in
    memory; refuses to inflate past the declared size and checks the CRC at the end."""
    for entry in _entries(src)[0]:
        if entry.name == name:
            break
    else:
        raise KeyError(name)
    method, crc_want = (
        struct.unpack_from("<H", entry.central, 10)[0],
        struct.unpack_from("<I", entry.central, 16)[0],
    )
    size = struct.unpack_from("<I", entry.central, 24)[0]
    src.seek(entry.offset)
    fields = _LOCAL.unpack(src.read(_LOCAL.size))
    if fields[0] != _LOCAL_SIG:
        raise SpliceError(t(f"{name} 的本地文件头已损坏", f"damaged local header for {name}"))
    src.seek(entry.offset + _LOCAL.size + fields[9] + fields[10])
    start = src.tell()
    if method not in (0, _DEFLATED):
        raise SpliceError(
            t(
                f"{name}：不支持压缩方式 {method}",
                f"{name}: compression method {method} is not supported",
            )
        )
    inflater = zlib.decompressobj(-15) if method == _DEFLATED else None
    left, produced, crc = entry.compress_size, 0, 0
    pos = start
    while left > 0:
        src.seek(pos)  # the caller may read the same file between our chunks
        raw = src.read(min(left, 1 << 16))
        if not raw:
            raise SpliceError(
                t(f"{name}：压缩包在这一部分中间结束", f"{name}: the archive ends inside the part")
            )
        pos += len(raw)
        left -= len(raw)
        while raw:
            if inflater is None:
                out, raw = raw[:chunk], raw[chunk:]
            else:
                out = inflater.decompress(raw, chunk)
                raw = inflater.unconsumed_tail
            produced += len(out)
            if produced > size:
                raise SpliceError(
                    t(f"{name}：解压后超过声明的大小", f"{name}: inflates past its declared size")
                )
            crc = zlib.crc32(out, crc)
            if out:
                yield out
    rest = inflater.flush() if inflater is not None else b""  # output zlib still held
    produced += len(rest)
    if rest and produced <= size:
        crc = zlib.crc32(rest, crc)
        yield rest
    if produced != size or crc != crc_want:
        raise SpliceError(
            t(f"{name}：CRC 校验不符（压缩包已损坏）", f"{name}: CRC mismatch (damaged archive)")
        )


def read(src: BinaryIO, name: str) -> bytes:
    """One part's uncompressed bytes (stored or deflated), checked against its CRC."""
    for entry in _entries(src)[0]:
        if entry.name == name:
            span = _local_span(src, entry)
            fields = _LOCAL.unpack_from(span)
            method = struct.unpack_from("<H", entry.central, 10)[0]
            crc = struct.unpack_from("<I", entry.central, 16)[0]
            start = _LOCAL.size + fields[9] + fields[10]
            body = span[start : start + entry.compress_size]
            if method == 0:
                data = body
            elif method == _DEFLATED:
                data = zlib.decompress(body, -15)
            else:
                raise SpliceError(
                    t(
                        f"{name}：不支持压缩方式 {method}",
                        f"{name}: compression method {method} is not supported",
                    )
                )
            if zlib.crc32(data) != crc:
                raise SpliceError(
                    t(
                        f"{name}：CRC 校验不符（压缩包已损坏）",
                        f"{name}: CRC mismatch (damaged archive)",
                    )
                )
            return data
    raise KeyError(name)
