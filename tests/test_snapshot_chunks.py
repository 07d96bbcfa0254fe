"""columnar.split_gz: a gzip JSON Lines file cut into plain-text chunks at line ends, each
knowing how many records (non-blank lines, as iter_gz_lines counts them) come before it."""

from __future__ import annotations

import gzip

import pytest

from hubwh.snapshot.columnar import Unreadable, split_gz
from hubwh.snapshot.format import iter_gz_lines


def _gz(path, *members: bytes):
    path.write_bytes(b"".join(gzip.compress(m) for m in members))
    return path


def _split(path, folder, size):
    chunks = list(split_gz(path, folder, "t", chunk_bytes=size))
    return chunks, [c.path.read_bytes() for c in chunks]


@pytest.mark.parametrize("size", [1, 7, 30, 1 << 20])
def test_chunks_are_whole_lines_whose_offsets_count_the_records_before(tmp_path, size):
    text = b'{"a": 1}\n\n   \n{"b": [2, 3]}\r\n\t{"c": "x\\ny"}\n{"d": 4}\n \n{"e": 5}'  # blanks, CRLF, no last newline
    path = _gz(tmp_path / "f.jsonl.gz", text[:20], text[20:])  # two gzip members
    chunks, texts = _split(path, tmp_path, size)
    assert b"".join(texts) == text
    assert all(t.endswith(b"\n") for t in texts[:-1])
    assert [c.index for c in chunks] == list(range(len(chunks)))
    records = [line for _, line in iter_gz_lines(path)]
    assert sum(c.count for c in chunks) == len(records) == 5
    for chunk, chunk_text in zip(chunks, texts, strict=True):
        before = sum(c.count for c in chunks[: chunk.index])
        assert chunk.first == before
        assert [line.strip() for line in chunk_text.split(b"\n") if line.strip()] == records[
            before : before + chunk.count
        ]
    if size == 1:
        assert len(chunks) == 8  # a chunk per line, the last without a line end
    # every chunk but the last ends at the first line end past the size
    assert all(t.find(b"\n", size - 1) == len(t) - 1 for t in texts[:-1])
    assert texts[-1].find(b"\n", size - 1) in (-1, len(texts[-1]) - 1)


def test_an_empty_file_is_one_empty_chunk(tmp_path):
    chunks, texts = _split(_gz(tmp_path / "f.jsonl.gz", b""), tmp_path, 10)
    assert [(c.first, c.count) for c in chunks] == [(0, 0)] and texts == [b""]


def test_a_truncated_file_is_unreadable(tmp_path):
    data = gzip.compress(b'{"a": 1}\n' * 1000)
    path = tmp_path / "f.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(Unreadable, match="ends early"):
        list(split_gz(path, tmp_path, "t", chunk_bytes=10))


@pytest.mark.parametrize("data", [b"not gzip at all", gzip.compress(b"{}\n") + b"trailing junk"])
def test_data_that_is_not_gzip_is_unreadable(tmp_path, data):
    path = tmp_path / "f.jsonl.gz"
    path.write_bytes(data)
    with pytest.raises(Unreadable, match="not whole gzip data"):
        list(split_gz(path, tmp_path, "t"))
