"""Live sources: RSS/Atom feeds and lists of page URLs, fetched politely and safely.

`Watcher.round(urls)` fetches each listed URL; a feed's new items are fetched in turn, and
every page becomes a `RawDocument` for the ingest, so a fetched page goes through exactly
the same reading as a file. What was fetched is remembered as `Fetched` records (kept in
the store by `fogmap watch`), so a later round asks a feed only whether it changed
(conditional GET with its ETag and Last-Modified) and never fetches a page twice.

Manners and limits: robots.txt is obeyed (with its Crawl-delay), one request at a time
per host with a pause between them, a User-Agent naming fogmap, a timeout on every
request, a size cap on the *decompressed* body (a gzip bomb is cut off at the cap), and
the address guard of `_guard` on every connection and redirect.
"""

from __future__ import annotations

import calendar
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from fogmap import __version__
from fogmap.errors import InputError
from fogmap.records import Fetched, RawDocument
from fogmap.settings import DEFAULTS
from fogmap.sources._decode import DecodeError, decode
from fogmap.sources._guard import Network, RefusedAddress, guarded_transport, parse_network
from fogmap.sources.files import html_charset

__all__ = ["FetchPolicy", "Watcher", "parse_network", "read_url_list"]

USER_AGENT = f"fogmap/{__version__} (conflict-news reader; obeys robots.txt)"
ROBOTS_BYTES = 500_000  # Google reads the first 500 KiB of a robots.txt
MAX_REDIRECTS = 5
_NOTHING_ALLOWED = ["User-agent: *", "Disallow: /"]

_FEED_TYPES = ("rss", "atom", "xml", "rdf")
_PAGE_TYPES = ("text/html", "application/xhtml", "text/plain")


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How `fogmap watch` treats the hosts it reads."""

    delay: float = 1.0  # seconds between two requests to one host (robots.txt may ask more)
    timeout: float = 20.0  # seconds to connect, and between two reads of a response
    deadline: float = 120.0  # seconds for a whole response, however it trickles in
    max_items: int = 500  # a feed's items read in one round; the rest wait for the next
    max_bytes: int = DEFAULTS.max_file_bytes  # of a body once decompressed
    allowed: Sequence[Network] = ()  # non-public networks the user lets fogmap fetch from
    user_agent: str = USER_AGENT


class _Failure(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(slots=True)
class _Answer:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    body: bytes


@dataclass(slots=True)
class _Item:
    """A feed entry: the page to fetch and what the feed says about it."""

    url: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


def read_url_list(text: str) -> list[str]:
    """The URLs of a list file: one per line, blank lines and `#` comments ignored."""
    return [s for line in text.splitlines() if (s := line.split("#", 1)[0].strip())]


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        stamp = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError):
        return None
    return stamp.isoformat().replace("+00:00", "Z")


def _looks_like_feed(content_type: str, body: bytes) -> bool:
    if any(kind in content_type for kind in _FEED_TYPES):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))


def _unknown(url: str) -> Fetched | None:
    return None


@dataclass
class Watcher:
    """One HTTP client, its manners and its memory across the rounds of a watch."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    known: Callable[[str], Fetched | None] = _unknown
    sleep: Callable[[float], None] = time.sleep
    updates: list[Fetched] = field(default_factory=list)
    _asked: set[str] = field(default_factory=set)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            transport=guarded_transport(self.policy.allowed),
            headers={"User-Agent": self.policy.user_agent},
            timeout=self.policy.timeout,
            follow_redirects=False,  # each hop is checked here, then by the guard
            trust_env=False,  # a proxy from the environment would bypass the guard
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one round -----------------------------------------------------------------------

    def round(self, urls: Iterable[str]) -> Iterator[RawDocument | InputError]:
        """Fetch what is new behind `urls` (feeds or pages); what was learnt is appended
        to `updates`, for the caller to keep once the articles are stored."""
        seen: set[str] = set()
        self._asked.clear()
        for url in urls:
            if url in seen:
                continue
            seen.add(url)
            before = self.known(url)
            if before is not None and before.settled:
                continue
            yield from self._listed(url, before)

    def _listed(self, url: str, before: Fetched | None) -> Iterator[RawDocument | InputError]:
        conditional: dict[str, str] = {}
        if before is not None and before.kind == "feed":
            if before.etag:
                conditional["If-None-Match"] = before.etag
            if before.last_modified:
                conditional["If-Modified-Since"] = before.last_modified
        try:
            answer = self._get(url, conditional)
        except _Failure as failure:
            self._remember(url, "failed", failure.status, failure.reason)
            yield InputError(url, failure.reason)
            return
        if answer.status == 304 and before is not None:
            self._remember(url, "feed", 304, None, before.etag, before.last_modified)
            return
        content_type = answer.headers.get("content-type", "").lower()
        if _looks_like_feed(content_type, answer.body):
            items = self._items(answer, content_type)
            if items is not None:
                self._remember(
                    url,
                    "feed",
                    answer.status,
                    None,
                    answer.headers.get("etag"),
                    answer.headers.get("last-modified"),
                )
                new = (item for item in items if not self._known(item.url))
                for item in islice(new, self.policy.max_items):  # the rest: next round
                    yield from self._item(item)
                return
        yield self._page(url, answer, _Item(url))

    def _items(self, answer: _Answer, content_type: str) -> list[_Item] | None:
        """A feed's entries, or None where the XML is not a feed. feedparser neither
        fetches nor resolves external entities, and expands none that nest."""
        parsed = feedparser.parse(
            answer.body,
            response_headers={"content-type": content_type, "content-location": answer.url},
        )
        if not parsed.get("version") and not parsed.entries:
            return None
        outlet = parsed.feed.get("title") or urlsplit(answer.url).hostname
        items: list[_Item] = []
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            items.append(
                _Item(
                    url=urljoin(answer.url, link),
                    title=entry.get("title"),
                    published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                    outlet=outlet,
                )
            )
        return items

    def _known(self, url: str) -> bool:
        """Read before, or asked already in this round (two feeds carried it)."""
        before = self.known(url)
        return (before is not None and before.settled) or url in self._asked

    def _item(self, item: _Item) -> Iterator[RawDocument | InputError]:
        try:
            answer = self._get(item.url, {})
        except _Failure as failure:
            self._remember(item.url, "failed", failure.status, failure.reason)
            yield InputError(item.url, failure.reason)
            return
        yield self._page(item.url, answer, item)

    def _page(self, url: str, answer: _Answer, item: _Item) -> RawDocument | InputError:
        content_type = answer.headers.get("content-type", "").lower().split(";")[0].strip()
        if content_type and not content_type.startswith(_PAGE_TYPES):
            reason = f"not a web page or a feed ({content_type})"
            self._remember(url, "page", answer.status, reason)
            return InputError(url, reason)
        declared = answer.headers.get("content-type", "")
        charset = None
        if "charset=" in declared.lower():
            charset = declared.lower().split("charset=", 1)[1].split(";")[0].strip("\"' ")
        try:
            text = decode(answer.body, charset or html_charset(answer.body))
        except DecodeError as exc:
            self._remember(url, "page", answer.status, str(exc))
            return InputError(url, str(exc))
        self._remember(url, "page", answer.status, None)
        html = content_type != "text/plain" and text.lstrip()[:1] == "<"
        return RawDocument(
            locator=url,
            html=text if html else None,
            text=None if html else text,
            url=answer.url,
            title=item.title,
            published=item.published,
            outlet=item.outlet,
        )

    def _remember(
        self,
        url: str,
        kind: str,
        status: int | None,
        note: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        self._asked.add(url)
        self.updates.append(Fetched(url, kind, etag, last_modified, status, note))

    # -- one request ---------------------------------------------------------------------

    def _get(self, url: str, headers: dict[str, str]) -> _Answer:
        """GET with robots.txt, the per-host pause, redirects checked hop by hop and the
        body capped; any failure is a `_Failure` with the reason a user reads."""
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise _Failure(f"not an http(s) URL: {url[:200]}")
            if not self._allowed_by_robots(url):
                raise _Failure("robots.txt does not allow fogmap to fetch it", status=403)
            answer = self._request(url, headers, self.policy.max_bytes)
            if answer.status in (301, 302, 303, 307, 308) and "location" in answer.headers:
                url = urljoin(url, answer.headers["location"])
                continue
            if answer.status == 304 or 200 <= answer.status < 300:
                return answer
            raise _Failure(f"HTTP {answer.status}", status=answer.status)
        raise _Failure(f"more than {MAX_REDIRECTS} redirects")

    def _request(self, url: str, headers: dict[str, str], limit: int) -> _Answer:
        assert self._client is not None
        host = urlsplit(url).netloc.lower()
        self._pause(host)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise _Failure(self._too_big(limit), status=response.status_code)
                body = bytearray()
                started = time.monotonic()
                for chunk in response.iter_bytes():  # decompressed as it arrives
                    body += chunk
                    if len(body) > limit:
                        raise _Failure(self._too_big(limit), status=response.status_code)
                    if time.monotonic() - started > self.policy.deadline:
                        raise _Failure(f"still sending after {self.policy.deadline:g} s")
                return _Answer(
                    str(response.url), response.status_code, response.headers, bytes(body)
                )
        except RefusedAddress as exc:
            raise _Failure(f"refused: {exc}", status=403) from None
        except httpx.TimeoutException:
            raise _Failure(f"no answer within {self.policy.timeout:g} s") from None
        except httpx.HTTPError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, RefusedAddress):
                raise _Failure(f"refused: {cause}", status=403) from None
            raise _Failure(f"cannot fetch: {exc or type(exc).__name__}") from None
        finally:
            self._last[host] = time.monotonic()

    @staticmethod
    def _too_big(limit: int) -> str:
        return f"body over the {limit / 1e6:g} MB limit once decompressed"

    def _pause(self, host: str) -> None:
        delay = self.policy.delay
        robots = self._robots.get(host)
        if robots is not None:
            asked = robots.crawl_delay(self.policy.user_agent)
            if asked is not None:
                delay = max(delay, min(float(asked), 60.0))
        if host in self._last:
            wait = self._last[host] + delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)

    def _allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            self._robots[host] = self._read_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        robots = self._robots[host]
        return robots is None or robots.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """RFC 9309: a robots.txt that is missing or refused (4xx) allows everything; one
        that cannot be read (5xx, no answer) allows nothing for now."""
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            answer = self._request(url, {}, ROBOTS_BYTES)
        except _Failure as failure:
            if failure.reason.startswith("refused"):
                raise
            parser.parse(_NOTHING_ALLOWED)
            return parser
        if answer.status >= 500:
            parser.parse(_NOTHING_ALLOWED)
        elif answer.status >= 300:
            return None  # missing, refused or moved: no rules
        else:
            parser.parse(answer.body.decode("utf-8", "replace").splitlines())
        return parser
