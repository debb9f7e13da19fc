"""Sources: every input kind streams documents, and every bad input becomes a clear error."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from fogmap.errors import InputError
from fogmap.records import RawDocument
from fogmap.settings import Settings
from fogmap.sources import read_sources
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources.warc import split_http, warc_response

HTML = "<html><body><article><p>Fighters entered the town.</p></article></body></html>"


def _read(*paths: Path | str, settings: Settings | None = None) -> list[RawDocument | InputError]:
    return list(read_sources(paths, settings or Settings()))


def test_text_and_html_files_are_read_by_kind(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Fighting was reported on Sunday.", encoding="utf-8")
    (tmp_path / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article")
    (tmp_path / ".hidden.txt").write_text("ignored")
    a, b = _read(tmp_path)
    assert isinstance(a, RawDocument) and a.text == "Fighting was reported on Sunday."
    assert isinstance(b, RawDocument) and b.html == HTML and b.text is None
    assert a.locator.endswith("a.txt")


def test_directories_are_walked_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "2.txt").write_text("second article")
    (tmp_path / "1.txt").write_text("first article")
    texts = [d.text for d in _read(tmp_path) if isinstance(d, RawDocument)]
    assert texts == ["first article", "second article"]


def test_jsonl_lines_keep_their_ids_and_bad_lines_do_not_stop_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "Shelling hit the market.",
                "url": "https://x.example/1",
                "published": "2021-09-05",
                "outlet": "X",
                "title": "Market shelled",
            }
        ),
        "{not json",
        json.dumps({"id": "a3", "html": HTML}),
        json.dumps({"id": "a4", "text": "   "}),
        "",
        json.dumps(["a list"]),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "a7", "text": "caf\xe9"}\n')
    results = _read(path)
    first = results[0]
    assert isinstance(first, RawDocument)
    assert (first.source_id, first.url, first.published, first.outlet, first.title) == (
        "a1",
        "https://x.example/1",
        "2021-09-05",
        "X",
        "Market shelled",
    )
    assert isinstance(results[1], InputError) and results[1].locator.endswith("feed.jsonl:2")
    assert "not valid JSON" in results[1].reason
    assert isinstance(results[2], RawDocument) and results[2].html == HTML
    assert isinstance(results[3], InputError) and "no `text` or `html`" in results[3].reason
    assert isinstance(results[4], InputError) and "object" in results[4].reason
    assert isinstance(results[5], InputError) and "UTF-8" in results[5].reason
    assert results[5].locator.endswith(":7")
    assert len(results) == 6


def _warc(tmp_path: Path, name: str, pages: list[tuple[str, str]]) -> Path:
    data = b"".join(
        warc_response(url, html, "2021-09-06T00:00:00Z", f"00000000-0000-0000-0000-00000000000{i}")
        for i, (url, html) in enumerate(pages)
    )
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_warc_gz_yields_html_responses_with_urls(tmp_path: Path) -> None:
    path = _warc(
        tmp_path,
        "crawl.warc.gz",
        [("https://a.example/1", HTML), ("https://b.example/2", HTML.replace("town", "city"))],
    )
    docs = _read(path)
    assert [d.url for d in docs if isinstance(d, RawDocument)] == [
        "https://a.example/1",
        "https://b.example/2",
    ]
    assert all(isinstance(d, RawDocument) and "#<urn:uuid:" in d.locator for d in docs)


def test_uncompressed_warc_is_read_too(tmp_path: Path) -> None:
    gz = _warc(tmp_path, "x.warc.gz", [("https://a.example/1", HTML)])
    plain = tmp_path / "x.warc"
    plain.write_bytes(gzip.decompress(gz.read_bytes()))
    (doc,) = _read(plain)
    assert isinstance(doc, RawDocument) and doc.html == HTML


def test_truncated_warc_gz_keeps_complete_records_and_reports_the_broken_one(
    tmp_path: Path,
) -> None:
    path = _warc(
        tmp_path, "cut.warc.gz", [("https://a.example/1", HTML), ("https://b.example/2", HTML * 20)]
    )
    path.write_bytes(path.read_bytes()[:-60])
    first, second = _read(path)
    assert isinstance(first, RawDocument) and first.url == "https://a.example/1"
    assert isinstance(second, InputError) and "truncated" in second.reason


def test_warc_records_that_are_not_html_pages_are_passed_over() -> None:
    status, headers, body = split_http(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Encoding: gzip\r\n\r\n"
        + b"%x\r\n" % len(gzip.compress(b"<p>hi</p>"))
        + gzip.compress(b"<p>hi</p>")
        + b"\r\n0\r\n\r\n"
    )
    assert (status, headers["content-type"], body) == (200, "text/html", b"<p>hi</p>")


def test_legacy_encodings_are_detected_not_guessed_as_latin1() -> None:
    russian = "Бои продолжаются в Донецке, сообщили местные власти. " * 5
    assert decode(russian.encode("cp1251")) == russian
    quotes = "The commander said: “We will hold the pass” — and left. " * 5
    assert decode(quotes.encode("cp1252")) == quotes
    assert decode(b"\xef\xbb\xbfwith a BOM") == "with a BOM"


def test_utf16_and_utf32_with_a_byte_order_mark_are_text() -> None:
    story = "Fighting resumed near Marel on Sunday, officials said. — «Бои»"
    for codec in ("utf-16", "utf-16-be", "utf-32"):
        data = story.encode(codec)
        if codec == "utf-16-be":
            data = b"\xfe\xff" + data
        assert decode(data) == story
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\xff\xfe" + b"\x01\x00\x02\x00\x1b\x00" * 100)  # a mark on control codes


def test_damaged_utf8_and_binary_data_are_refused() -> None:
    with pytest.raises(DecodeError, match="invalid UTF-8 at byte"):
        decode("Kabul – Panjshir".encode() + b"\xff\xfe broken")
    with pytest.raises(DecodeError, match="binary"):
        decode(bytes(range(256)) * 10)


def test_bad_files_each_give_one_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50_000_000)  # a 50 MB file, refused before it is read
    reasons = {Path(e.locator).name: e.reason for e in _read(tmp_path) if isinstance(e, InputError)}
    assert reasons["empty.txt"] == "empty file"
    assert "white space" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "50.0 MB" in reasons["huge.txt"] and "limit" in reasons["huge.txt"]


def test_missing_paths_are_errors_not_exceptions(tmp_path: Path) -> None:
    (error,) = _read(tmp_path / "nope.txt")
    assert isinstance(error, InputError) and error.reason == "no such file or directory"


def test_stdin_jsonl_is_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"id": "s1", "text": "one"}\n{"id": "s2", "text": "two"}\n'

    class Stdin:
        buffer = io.BufferedReader(io.BytesIO(data))

    monkeypatch.setattr("sys.stdin", Stdin)
    assert [d.source_id for d in _read("-") if isinstance(d, RawDocument)] == ["s1", "s2"]


def _raw_warc(tmp_path: Path, http: bytes, record: int = 1) -> Path:
    """A WARC file of one response record with this HTTP response, built by hand."""
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000{record}>\r\n"
        "WARC-Date: 2021-09-06T00:00:00Z\r\nWARC-Target-URI: https://a.example/bomb\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    path = tmp_path / f"bomb{record}.warc.gz"
    path.write_bytes(
        gzip.compress(header + http + b"\r\n\r\n")
        + warc_response(
            "https://b.example/ok",
            HTML,
            "2021-09-06T00:00:00Z",
            "00000000-0000-0000-0000-000000000009",
        )
    )
    return path


def test_a_gzip_bomb_in_a_crawled_page_is_refused_before_it_fills_the_memory(
    tmp_path: Path,
) -> None:
    bomb = gzip.compress(b"<p>" + b"\0" * 50_000_000)  # 50 MB of page in about 50 KB
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(bomb)}\r\n\r\n".encode()
        + bomb
    )
    first, second = _read(_raw_warc(tmp_path, http), settings=Settings(max_file_bytes=1_000_000))
    assert isinstance(first, InputError) and "expands beyond 1.0 MB" in first.reason
    assert isinstance(second, RawDocument) and second.url == "https://b.example/ok"


def test_a_record_too_large_for_an_article_is_refused_unread(tmp_path: Path) -> None:
    body = b"<p>" + b"a" * 3_000_000
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    first, second = _read(_raw_warc(tmp_path, http, 2), settings=Settings(max_file_bytes=1_000_000))
    assert isinstance(first, InputError) and "over the limit" in first.reason
    assert isinstance(second, RawDocument)


def _jsonl(*texts: str) -> bytes:
    return "".join(
        json.dumps({"id": f"a{n}", "text": t}) + "\n" for n, t in enumerate(texts)
    ).encode()


def test_gzip_compressed_inputs_are_read_like_the_plain_ones(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(_jsonl("One.", "Two.")))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(b"Fighters entered the town."))
    found = _read(tmp_path)
    assert [type(item).__name__ for item in found] == ["RawDocument"] * 4
    assert [item.locator for item in found] == [
        f"{tmp_path}/feed.jsonl.gz:1",
        f"{tmp_path}/feed.jsonl.gz:2",
        f"{tmp_path}/page.html.gz",
        f"{tmp_path}/story.txt.gz",
    ]
    assert found[2].html == HTML and found[3].text == "Fighters entered the town."


def test_a_gzip_bomb_as_an_article_file_is_refused_at_the_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "story.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * 30_000_000))  # about 30 KB on disk
    (error,) = _read(bomb, settings=Settings(max_file_bytes=1_000_000))
    assert isinstance(error, InputError)
    assert error.reason == "expands beyond the 1 MB limit for one article"


def test_a_gzip_bomb_of_many_lines_is_stopped_and_the_lines_before_it_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feed.jsonl.gz"
    filler = b'{"text": "x"}\n' * 2_000_000  # 28 MB of lines, under 100 KB compressed
    path.write_bytes(gzip.compress(_jsonl("Fighters entered the town.") + filler))
    found = _read(path, settings=Settings(max_file_bytes=1_000_000))
    assert isinstance(found[0], RawDocument)
    assert isinstance(found[-1], InputError)
    assert "expands more than 100 times its size" in found[-1].reason
    assert len(found) < 500_000  # stopped at 100 times the file size, not two million lines


def test_a_truncated_gzip_keeps_its_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    packed = gzip.compress(_jsonl(*(f"Report number {n} from the valley." for n in range(500))))
    path.write_bytes(packed[: len(packed) * 2 // 3])
    found = _read(path)
    assert isinstance(found[-1], InputError)
    assert found[-1].reason.startswith("damaged gzip data")
    assert 100 < sum(isinstance(item, RawDocument) for item in found) < 500


def test_the_read_meter_follows_the_inputs_to_their_whole_size(tmp_path: Path) -> None:
    from fogmap.sources import ReadMeter, input_bytes

    pages = [(f"https://a.example/{n}", HTML.replace("town", f"town {n}")) for n in range(20)]
    _warc(tmp_path, "crawl.warc.gz", pages)
    (tmp_path / "feed.jsonl").write_bytes(_jsonl(*(f"Report {n}." for n in range(50))))
    (tmp_path / "story.txt").write_text("Fighters entered the town.")
    meter = ReadMeter(total=input_bytes([tmp_path]))
    seen = []
    for _ in read_sources([tmp_path], Settings(), meter):
        seen.append(meter.read)
    assert seen == sorted(seen) and 0 < seen[0] < meter.total  # it moves as records come
    assert meter.read == meter.total == sum(p.stat().st_size for p in tmp_path.iterdir())
