"""`fogmap eval cleaning`: boilerplate removal against trafilatura's evaluation pages.

Each page comes with snippets that must appear in the extracted text and snippets that
must not. Two questions are measured on the same pages in one run:

- HTML mode: fogmap's HTML path against bare `trafilatura.extract` with its defaults,
  counted as trafilatura's own evaluation counts them (a must-include snippet found is a
  true positive, a must-exclude snippet found a false positive).
- Flattened mode: the page is first turned into the text a naive scraper would keep (all
  visible text in document order; separately the article container's text only), then
  cleaned by fogmap. Of the snippets present in that flat text, how many must-include
  ones survive and how many must-exclude ones are removed. The flat text itself is the
  baseline: it keeps every snippet and removes none.

Both the extracted text and each snippet pass through `normalise` before matching, so
that a quote-style or spacing change is not counted as a lost snippet. Where the data
gives a publication date, the date fogmap reads from the page is scored as well.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree

from fogmap.errors import InputError
from fogmap.evaluate.metrics import Score
from fogmap.sources import DecodeError, decode
from fogmap.text.clean import clean, normalise
from fogmap.text.html import extract_html

# Never rendered: a naive scraper that knows this much still keeps all the rest.
_INVISIBLE = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "iframe",
    "object",
    "canvas",
    "select",
    "option",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_WHITESPACE = re.compile(r"\s+")
SCOPES = ("page", "article")


@dataclass(slots=True)
class Page:
    file: str
    url: str
    html: str
    include: list[str]
    exclude: list[str]
    date: str | None = None


def read_pages(folder: Path) -> Iterator[Page]:
    """The annotated pages; as trafilatura's loader does, `cache/` is looked in first."""
    with (folder / "tests" / "evaldata.json").open(encoding="utf-8") as handle:
        gold = json.load(handle)
    for url, item in gold.items():
        for subfolder in ("cache", "eval"):
            path = folder / "tests" / subfolder / f"{item['file']}.gz"
            if path.is_file():
                break
        else:
            continue
        try:
            html = decode(gzip.decompress(path.read_bytes()))
        except DecodeError:
            continue
        include = [s for s in item.get("with", []) if s]
        exclude = [s for s in item.get("without", []) if s]
        yield Page(item["file"], url, html, include, exclude, item.get("date"))


def flatten(html: str, scope: str = "page") -> str | None:
    """The text a naive scraper keeps: every visible text node, one line per block.

    `scope="article"` keeps only the article container (the longest `<article>` or
    `itemprop=articleBody` element, else `<main>`); None where the page has none.
    """
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    root = tree
    if scope == "article":
        containers = tree.xpath('//article | //*[@itemprop="articleBody"]') or tree.xpath(
            '//main | //*[@role="main"]'
        )
        if not containers:
            return None
        root = max(containers, key=lambda element: len(element.text_content()))
    parts: list[str] = []
    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag in _INVISIBLE or skipping:
                skipping += tag in _INVISIBLE
                continue
            if tag in _BLOCK:
                parts.append("\n")
            if tag and element.text:
                parts.append(element.text)
        else:
            if tag in _INVISIBLE:
                skipping -= 1
            elif skipping:
                continue
            elif tag in _BLOCK:
                parts.append("\n")
            if element is not root and element.tail and not skipping:
                parts.append(element.tail)
    lines = (_WHITESPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line) or None


def _found(snippets: Iterable[str], text: str) -> list[bool]:
    return [normalise(snippet) in text for snippet in snippets]


def snippet_score(page: Page, text: str | None) -> Score:
    """trafilatura's counting: predicted = snippets present, matched = the wanted ones."""
    text = normalise(text or "")
    kept = sum(_found(page.include, text))
    leaked = sum(_found(page.exclude, text))
    return Score(
        predicted=kept + leaked, predicted_matched=kept, gold=len(page.include), gold_matched=kept
    )


@dataclass(slots=True)
class Survival:
    """Of the snippets present in the flat text, how many cleaning kept or removed."""

    pages: int = 0
    include_present: int = 0
    include_kept: int = 0
    exclude_present: int = 0
    exclude_removed: int = 0

    @property
    def kept(self) -> float:
        return self.include_kept / self.include_present if self.include_present else 0.0

    @property
    def removed(self) -> float:
        return self.exclude_removed / self.exclude_present if self.exclude_present else 0.0

    def add(self, other: Survival) -> None:
        self.pages += other.pages
        self.include_present += other.include_present
        self.include_kept += other.include_kept
        self.exclude_present += other.exclude_present
        self.exclude_removed += other.exclude_removed


def survival(page: Page, flat: str, cleaned: str) -> Survival:
    flat, cleaned = normalise(flat), normalise(cleaned)
    result = Survival(pages=1)
    for snippet in page.include:
        if normalise(snippet) in flat:
            result.include_present += 1
            result.include_kept += normalise(snippet) in cleaned
    for snippet in page.exclude:
        if normalise(snippet) in flat:
            result.exclude_present += 1
            result.exclude_removed += normalise(snippet) not in cleaned
    return result


def _days_apart(found: str | None, gold: str) -> int | None:
    if found is None:
        return None
    try:
        return abs((date.fromisoformat(found[:10]) - date.fromisoformat(gold[:10])).days)
    except (TypeError, ValueError):
        return None


@dataclass(slots=True)
class PageResult:
    html: dict[str, Score] = field(default_factory=dict)
    flat: dict[str, Survival] = field(default_factory=dict)
    date_error: dict[str, int | None] = field(default_factory=dict)  # days; None: no date


def kept_text(text: str, extracted: bool = False) -> str:
    """What fogmap keeps of a text: the cleaned body and, apart from it, the captions."""
    cleaned = clean(text, extracted=extracted)
    return "\n".join([cleaned.text, *cleaned.captions])


def score_page(page: Page) -> PageResult:
    result = PageResult()
    result.html["trafilatura"] = snippet_score(page, trafilatura.extract(page.html))
    try:
        article = extract_html(page.html, page.file, page.url)
    except InputError:
        article = None
    result.html["fogmap"] = snippet_score(
        page, kept_text(article.text, extracted=True) if article else None
    )
    if page.date:
        baseline = trafilatura.extract_metadata(page.html)
        found = {
            "trafilatura": baseline.date if baseline else None,
            "fogmap": article.published if article else None,
        }
        for name, published in found.items():
            result.date_error[name] = _days_apart(published, page.date)
    for scope in SCOPES:
        flat = flatten(page.html, scope)
        if flat:
            result.flat[scope] = survival(page, flat, kept_text(flat))
    return result


@dataclass(slots=True)
class CleaningResults:
    pages: int = 0
    html: dict[str, Score] = field(default_factory=dict)
    flat: dict[str, Survival] = field(default_factory=dict)
    dates: int = 0
    date_errors: dict[str, list[int | None]] = field(default_factory=dict)

    def date_accuracy(self, system: str, tolerance: int = 0) -> float:
        """Share of gold dates matched within `tolerance` days. A page's markup may give the
        time in UTC, which can fall on another day than the local date the gold records."""
        errors = self.date_errors.get(system, [])
        right = sum(error is not None and error <= tolerance for error in errors)
        return right / self.dates if self.dates else 0.0

    def add(self, page: PageResult) -> None:
        self.pages += 1
        for name, score in page.html.items():
            self.html.setdefault(name, Score()).add(score)
        for scope, counts in page.flat.items():
            self.flat.setdefault(scope, Survival()).add(counts)
        self.dates += bool(page.date_error)
        for name, error in page.date_error.items():
            self.date_errors.setdefault(name, []).append(error)


def evaluate(folder: Path, workers: int = 2, limit: int | None = None) -> CleaningResults:
    """Score every page; pages are streamed to `workers` processes a few at a time."""
    results = CleaningResults()
    pages: Iterable[Page] = read_pages(folder)
    if limit is not None:
        pages = (page for index, page in zip(range(limit), pages, strict=False))
    if workers <= 1:
        for page in pages:
            results.add(score_page(page))
        return results
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[Future[PageResult]] = deque()
        for page in pages:
            pending.append(pool.submit(score_page, page))
            if len(pending) >= workers * 4:
                results.add(pending.popleft().result())
        while pending:
            results.add(pending.popleft().result())
    return results
