"""HTML pages to article text and metadata.

trafilatura finds the body; the metadata that later stages depend on (above all the
publication date, against which every relative date is resolved) is read here first from
the most explicit markup (JSON-LD, article meta tags, <time>) and only then from
trafilatura's own guesses, keeping the time and offset whenever the page gives them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from fogmap.errors import InputError

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
)
_NEWS_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "webpage"}


@dataclass(slots=True)
class HtmlArticle:
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


def normalise_date(value: str | None) -> str | None:
    """ISO 8601 out: a datetime with its offset when the source has a time, else a date."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_.]|$)")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def url_date(url: str | None) -> str | None:
    """The date in a URL's path ("/2019/10/22/…"), which sites set once, at publication."""
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def _agrees(published: str, day: str) -> bool:
    """Within a day: markup in UTC may fall on the day before or after the local date."""
    return abs((date.fromisoformat(published[:10]) - date.fromisoformat(day)).days) <= 1


def _publication_date(published: str | None, *urls: str | None) -> str | None:
    """The markup's date unless the URL carries a full date it contradicts (pages often
    mark up the date they were last modified or rendered as `datePublished`)."""
    day = next((found for found in map(url_date, urls) if found), None)
    if day and (published is None or not _agrees(published, day)):
        return day
    return published


def _json_ld_objects(tree: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "null")
        except json.JSONDecodeError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return found


def _ld_type(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    return {k.lower() for k in ([kind] if isinstance(kind, str) else kind) if isinstance(k, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _meta(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        if key and key.lower() not in meta:
            meta[key.lower()] = element.get("content").strip()
    return meta


def read_metadata(tree: Any) -> dict[str, str | None]:
    """Title, author, outlet, canonical URL and publication date from explicit markup."""
    meta = _meta(tree)
    articles = [item for item in _json_ld_objects(tree) if _ld_type(item) & _NEWS_TYPES]
    ld = articles[0] if articles else {}

    published = normalise_date(ld.get("datePublished") if isinstance(ld, dict) else None)
    for key in _DATE_META:
        if published:
            break
        published = normalise_date(meta.get(key))
    if not published:
        for element in tree.xpath("//time[@datetime]"):
            published = normalise_date(element.get("datetime"))
            if published:
                break

    authors = _names(ld.get("author")) or ([meta["author"]] if meta.get("author") else [])
    publisher = _names(ld.get("publisher"))
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    return {
        "title": meta.get("og:title") or (ld.get("headline") if ld else None),
        "author": ", ".join(dict.fromkeys(a.strip() for a in authors if a.strip())) or None,
        "outlet": meta.get("og:site_name") or (publisher[0] if publisher else None),
        "url": (canonical[0].strip() if canonical else None) or meta.get("og:url"),
        "published": published,
    }


# Tags that only nest and lay out; dropped from a page nested deeper than the parser goes.
_CONTAINERS = re.compile(
    r"</?(?:div|span|section|aside|font|center|table|tbody|thead|tr|td|th|b|i|u|em|strong)"
    r"\b[^>]*>",
    re.IGNORECASE,
)


def _parser() -> lxml.html.HTMLParser:
    """Set as trafilatura sets its own (comments and processing instructions dropped), and
    with libxml2's HUGE option, so a page nested over 256 levels deep, as broken
    generators write them, is still read (down to 2,048)."""
    return lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )


def _parse(html: str, locator: str) -> Any:
    parser = _parser()
    try:
        tree = lxml.html.fromstring(html, parser=parser)
        if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
            # deeper than 2,048 levels: what lies below is lost to the parser, so the
            # containers go and the story's paragraphs come through
            tree = lxml.html.fromstring(_CONTAINERS.sub("", html), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise InputError(locator, f"unparseable HTML ({exc})") from exc
    return tree


def _main_text(page: Any, url: str | None) -> Any:
    return trafilatura.bare_extraction(
        page, url=url, with_metadata=True, include_comments=False, include_tables=True
    )


def extract_html(html: str, locator: str, url: str | None = None) -> HtmlArticle:
    """Main text and metadata of one page; an `InputError` when it holds no article."""
    # lxml refuses a str that still declares its encoding; the text is decoded already.
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = _parse(html, locator)
    meta = read_metadata(tree)
    result = _main_text(html, url)
    if result is None or not (result.text or "").strip():
        result = _main_text(tree, url)  # trafilatura's parse stops 256 levels deep; ours not
    assert not isinstance(result, dict)  # a dict only when asked for with as_dict
    if result is None or not (result.text or "").strip():
        raise InputError(locator, "no article text found in the HTML")
    text: str = (result.text or "").strip()
    title = meta["title"] or result.title
    if title and text.startswith(title + "\n"):
        text = text[len(title) + 1 :].lstrip()
    page_url = meta["url"] or url or result.url
    outlet = meta["outlet"] or result.sitename
    if not outlet and page_url:
        outlet = urlsplit(page_url).hostname
    return HtmlArticle(
        text=text,
        title=title,
        author=meta["author"] or result.author,
        outlet=outlet,
        url=page_url,
        published=_publication_date(
            meta["published"] or normalise_date(result.date), page_url, url
        ),
    )
