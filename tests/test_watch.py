"""`fogmap watch`: feeds and pages fetched politely, remembered, and never from a private
address unless allowed. Every test talks to real HTTP servers on this machine's loopback."""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from fogmap.errors import InputError
from fogmap.records import Fetched, RawDocument
from fogmap.sources._guard import _is_public, parse_network
from fogmap.sources.feeds import FetchPolicy, Watcher, read_url_list

LOOPBACK = [parse_network("127.0.0.1/32")]
STORY = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>Fighters of the resistance clashed with Taliban forces near Rukha on Monday, local "
    "officials said, and three fighters were killed in the fighting.</p>"
    "<p>The Taliban denied that any fighting had taken place in the district.</p>"
    "</article></body></html>"
)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    wait: float = 0.0  # seconds before answering


@dataclass
class Site:
    """A web site on loopback: routes by path, and a log of every request it answered."""

    routes: dict[str, Route | Callable[[dict[str, str]], Route]]
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def asked(self, path: str) -> int:
        return sum(1 for asked, _ in self.requests if asked == path)


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site(routes={})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            served.requests.append((self.path, headers))
            route = served.routes.get(self.path, Route(404, b"not here"))
            if callable(route):
                route = route(headers)
            time.sleep(route.wait)
            self.send_response(route.status)
            for name, value in {
                "Content-Type": "text/html; charset=utf-8",
                **route.headers,
            }.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hangs up early (a size cap, a timeout) is expected here

    server = Server(("127.0.0.1", 0), Handler)
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


def rss(site: Site, *links: str) -> bytes:
    items = "".join(
        f"<item><title>Report {n}</title><link>{link}</link>"
        f"<pubDate>Mon, 06 Sep 2021 0{n}:00:00 GMT</pubDate></item>"
        for n, link in enumerate(links, start=1)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Herald</title>'
        f"<link>{site.url('/')}</link>{items}</channel></rss>"
    ).encode()


def page(title: str) -> Route:
    return Route(body=STORY.format(title=title).encode())


def fetch_all(watcher: Watcher, urls: list[str]) -> tuple[list[RawDocument], list[InputError]]:
    docs: list[RawDocument] = []
    errors: list[InputError] = []
    for item in watcher.round(urls):
        (errors if isinstance(item, InputError) else docs).append(item)
    return docs, errors


def watcher(memory: dict[str, Fetched] | None = None, **policy: object) -> Watcher:
    memory = {} if memory is None else memory
    settings = {"delay": 0.0, "timeout": 5.0, "allowed": LOOPBACK, **policy}
    return Watcher(FetchPolicy(**settings), memory.get)  # type: ignore[arg-type]


def remember(w: Watcher, memory: dict[str, Fetched]) -> None:
    memory.update((fetch.url, fetch) for fetch in w.updates)
    w.updates.clear()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.100.100.200", False),  # shared address space (a cloud's metadata)
        ("::1", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),
        ("::ffff:127.0.0.1", False),  # loopback written as IPv6
        ("0.0.0.0", False),
    ],
)
def test_only_public_addresses_count_as_public(address: str, public: bool) -> None:
    assert _is_public(ipaddress.ip_address(address)) is public


def test_a_loopback_address_is_refused_unless_allowed(site: Site) -> None:
    site.routes["/news"] = page("Clashes near Rukha")
    with watcher(allowed=[]) as w:
        docs, errors = fetch_all(w, [site.url("/news"), site.url("/news", host="localhost")])
    assert docs == []
    assert len(errors) == 2
    assert all("not a public address" in e.reason for e in errors)
    assert site.requests == []  # nothing reached the server, robots.txt included


def test_a_redirect_to_a_private_address_is_refused(site: Site) -> None:
    site.routes["/moved"] = Route(302, headers={"Location": "http://169.254.169.254/latest/"})
    site.routes["/loop"] = Route(302, headers={"Location": site.url("/news", host="127.0.0.2")})
    with watcher() as w:
        _, errors = fetch_all(w, [site.url("/moved"), site.url("/loop")])
    assert [e.reason.split(":")[0] for e in errors] == ["refused", "refused"]
    assert "169.254.169.254" in errors[0].reason
    assert "127.0.0.2" in errors[1].reason


def test_a_feed_is_read_and_then_asked_only_what_changed(site: Site) -> None:
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n")
    site.routes["/a"] = page("Clashes near Rukha")
    site.routes["/private/b"] = page("Not for robots")

    def feed(headers: dict[str, str]) -> Route:
        if headers.get("if-none-match") == '"v1"':
            return Route(304)
        body = rss(site, "/a", site.url("/private/b"))
        return Route(body=body, headers={"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    site.routes["/feed.xml"] = feed
    memory: dict[str, Fetched] = {}
    with watcher(memory) as w:
        docs, errors = fetch_all(w, [site.url("/feed.xml")])
        remember(w, memory)
        assert [d.url for d in docs] == [site.url("/a")]  # the relative link, made whole
        assert docs[0].outlet == "Valley Herald"
        assert docs[0].title == "Report 1"
        assert docs[0].published == "2021-09-06T01:00:00Z"
        assert docs[0].html and "Rukha" in docs[0].html
        assert [e.reason for e in errors] == ["robots.txt does not allow fogmap to fetch it"]
        assert site.asked("/private/b") == 0

        again, errors = fetch_all(w, [site.url("/feed.xml")])
    assert again == [] and errors == []
    assert site.requests[-1][1]["if-none-match"] == '"v1"'
    assert site.asked("/a") == 1
    assert memory[site.url("/feed.xml")].kind == "feed"


def test_a_page_is_never_fetched_twice_but_a_failing_one_is_tried_again(site: Site) -> None:
    site.routes["/a"] = page("Clashes near Rukha")
    site.routes["/busy"] = Route(503, b"try later")
    memory: dict[str, Fetched] = {}
    with watcher(memory) as w:
        for _ in range(2):
            _, errors = fetch_all(w, [site.url("/a"), site.url("/busy"), site.url("/gone")])
            remember(w, memory)
    assert site.asked("/a") == 1
    assert site.asked("/gone") == 1  # a 404 is an answer
    assert site.asked("/busy") == 2  # a 503 is not
    assert [e.reason for e in errors] == ["HTTP 503"]


def test_what_is_not_a_page_is_named_and_refused(site: Site) -> None:
    site.routes["/report.pdf"] = Route(
        body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}
    )
    with watcher() as w:
        docs, errors = fetch_all(w, [site.url("/report.pdf"), "file:///etc/passwd"])
    assert docs == []
    assert errors[0].reason == "not a web page or a feed (application/pdf)"
    assert errors[1].reason.startswith("not an http(s) URL")


def test_a_gzip_bomb_is_cut_off_at_the_size_limit(site: Site) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    site.routes["/bomb"] = Route(body=bomb, headers={"Content-Encoding": "gzip"})
    started = time.perf_counter()
    with watcher(max_bytes=1_000_000) as w:
        docs, errors = fetch_all(w, [site.url("/bomb")])
    assert docs == []
    assert errors[0].reason == "body over the 1 MB limit once decompressed"
    assert time.perf_counter() - started < 5


def test_entity_expansion_in_a_feed_is_never_resolved(site: Site) -> None:
    laughs = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    body = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">'
        f'{laughs}<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>&lol9;</title>'
        f"<item><title>&secret;</title><link>{site.url('/a')}</link></item>"
        "</channel></rss>"
    ).encode()
    site.routes["/feed.xml"] = Route(body=body, headers={"Content-Type": "application/rss+xml"})
    site.routes["/a"] = page("Clashes near Rukha")
    started = time.perf_counter()
    with watcher() as w:
        docs, _ = fetch_all(w, [site.url("/feed.xml")])
    assert time.perf_counter() - started < 5
    assert [doc.url for doc in docs] == [site.url("/a")]  # the feed is still read
    for doc in docs:
        assert "root:" not in f"{doc.title}{doc.outlet}"
        assert "lollollol" not in f"{doc.title}{doc.outlet}"


def test_a_host_that_does_not_answer_times_out(site: Site) -> None:
    site.routes["/slow"] = Route(body=b"late", wait=3)
    with watcher(timeout=1.0) as w:
        _, errors = fetch_all(w, [site.url("/slow")])
    assert errors[0].reason == "no answer within 1 s"


def test_requests_to_one_host_are_spaced_and_robots_crawl_delay_is_obeyed(site: Site) -> None:
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 3\n")
    for name in "abc":
        site.routes[f"/{name}"] = page(f"Report {name}")
    waits: list[float] = []
    with Watcher(
        FetchPolicy(delay=0.5, allowed=LOOPBACK), lambda url: None, sleep=waits.append
    ) as w:
        docs, _ = fetch_all(w, [site.url(f"/{name}") for name in "abc"])
    assert len(docs) == 3
    assert len(waits) == 3  # before each page: robots.txt came first
    assert all(2.5 < wait <= 3 for wait in waits)
    assert all(h["user-agent"].startswith("fogmap/") for _, h in site.requests)


def test_a_url_list_file_takes_one_url_a_line_with_notes(tmp_path: Path) -> None:
    text = "# front pages\nhttps://a.example/feed  # wire\n\n  https://b.example/news\n"
    assert read_url_list(text) == ["https://a.example/feed", "https://b.example/news"]


@pytest.mark.slow
def test_watch_ingests_a_feed_once_and_remembers_it(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fogmap.cli import app
    from fogmap.store import Store
    from fogmap.store.queries import list_articles

    site.routes["/feed.xml"] = lambda headers: Route(
        304 if headers.get("if-modified-since") else 200,
        rss(site, "/a", "/b") if not headers.get("if-modified-since") else b"",
        {"Content-Type": "application/rss+xml", "Last-Modified": formatdate(usegmt=True)},
    )
    site.routes["/a"] = page("Clashes near Rukha")
    site.routes["/b"] = Route(body=STORY.replace("Rukha", "Anaba").format(title="Anaba").encode())
    urls = tmp_path / "watched.txt"
    urls.write_text(f"{site.url('/feed.xml')}\n")
    db = str(tmp_path / "watch.db")
    runner = CliRunner()
    args = ["watch", str(urls), "--db", db, "--delay", "0", "--allow-network", "127.0.0.1"]

    first = runner.invoke(app, args)
    second = runner.invoke(app, args)

    assert first.exit_code == 0, first.output
    assert "2 new articles" in first.output
    assert second.exit_code == 0, second.output
    assert "0 new articles" in second.output
    assert site.asked("/a") == site.asked("/b") == 1
    store = Store.open(db, read_only=True)
    with store.session() as session:
        rows = list_articles(session, None, None, 10)
    store.close()
    assert {row.outlet for row in rows} == {"Valley Herald"}
    refused = runner.invoke(app, ["watch", site.url("/feed.xml"), "--db", db])
    assert refused.exit_code == 1
    assert "not a public address" in refused.output


def test_a_long_feed_is_read_a_slice_per_round(site: Site) -> None:
    links = [f"/n{n}" for n in range(5)]
    for link in links:
        site.routes[link] = page(f"Report {link}")
    site.routes["/feed.xml"] = Route(
        body=rss(site, *links), headers={"Content-Type": "application/rss+xml"}
    )
    memory: dict[str, Fetched] = {}
    rounds = []
    with watcher(memory, max_items=2) as w:
        for _ in range(4):
            docs, _ = fetch_all(w, [site.url("/feed.xml")])
            remember(w, memory)
            rounds.append([doc.url.rsplit("/", 1)[1] for doc in docs if doc.url])
    assert rounds == [["n0", "n1"], ["n2", "n3"], ["n4"], []]


def test_a_body_that_trickles_in_is_cut_at_the_deadline(site: Site) -> None:
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def trickle() -> None:
        while True:
            connection, _ = listener.accept()
            if not connection.recv(65536).startswith(b"GET /robots.txt "):
                break
            connection.sendall(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            connection.close()
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>")
        try:
            for _ in range(40):
                time.sleep(0.1)
                connection.sendall(b"a")
        except OSError:
            pass
        connection.close()

    threading.Thread(target=trickle, daemon=True).start()
    with watcher(deadline=1.0) as w:
        _, errors = fetch_all(w, [f"http://127.0.0.1:{port}/slow"])
    listener.close()
    assert errors[0].reason == "still sending after 1 s"
