"""Read queries behind `fogmap articles`, `show`, `claims`, `places`, `events` and `export`,
for SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from sqlalchemy import Select, column, func, select, table, text
from sqlalchemy.orm import Session

from fogmap.errors import UsageError
from fogmap.records import (
    Article,
    Claim,
    Document,
    Entity,
    Event,
    EventMention,
    Mention,
    Place,
    Removed,
)
from fogmap.store.schema import (
    ArticleRow,
    ClaimRow,
    EntityRow,
    EventRow,
    MentionRow,
    PlaceRow,
    SourceRow,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    id: str
    published: str | None
    outlet: str | None
    title: str | None
    sources: int
    near_duplicate_group: str
    entities: int


SEARCHED_CHARS = 100_000  # PostgreSQL's search vector reads this much of an article
# The FTS5 table made by the first migration (SQLite only).
_ARTICLE_SEARCH = table("article_search", column("article_id"))


def _fts5_query(words: str) -> str:
    """Each word as a quoted FTS5 term, so user input never breaks the query syntax."""
    terms = re.findall(r"\w[\w'-]*", words)
    if not terms:
        raise UsageError("the search has no words")
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _search(query: Select, session: Session, words: str) -> Select:
    if len(words.split()) > MAX_SEARCH_WORDS:
        raise UsageError(f"a search of {len(words.split())} words; give at most {MAX_SEARCH_WORDS}")
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        searched = func.coalesce(ArticleRow.title, "") + " " + ArticleRow.text
        # the expression of the index (migration 0006), so that the index is used
        vector = func.to_tsvector("english", func.left(searched, SEARCHED_CHARS))
        return query.where(vector.op("@@")(func.plainto_tsquery("english", words)))
    matches = select(_ARTICLE_SEARCH.c.article_id).where(
        text("article_search MATCH :q").bindparams(q=_fts5_query(words))
    )
    return query.where(ArticleRow.id.in_(matches))


def list_articles(
    session: Session,
    search: str | None = None,
    outlet: str | None = None,
    limit: int = 50,
) -> list[ArticleSummary]:
    sources = (
        select(func.count(SourceRow.id))
        .where(SourceRow.article_id == ArticleRow.id)
        .scalar_subquery()
    )
    entities = (
        select(func.count(EntityRow.id))
        .where(EntityRow.article_id == ArticleRow.id)
        .scalar_subquery()
    )
    query = select(
        ArticleRow.id,
        ArticleRow.published,
        ArticleRow.outlet,
        ArticleRow.title,
        sources,
        ArticleRow.near_duplicate_group,
        entities,
    )
    if search:
        query = _search(query, session, search)
    if outlet:
        query = query.where(func.lower(ArticleRow.outlet) == outlet.lower())
    query = query.order_by(ArticleRow.published.desc(), ArticleRow.id).limit(limit)
    return [ArticleSummary(*row) for row in session.execute(query)]


def resolve_id(session: Session, prefix: str) -> str:
    """A full article id from a unique prefix (ids are long; users type a few characters)."""
    if not re.fullmatch(r"[0-9a-f]{4,32}", prefix):
        raise UsageError(f"{prefix!r} is not an article id (4 or more hex digits)")
    ids = session.scalars(
        select(ArticleRow.id).where(ArticleRow.id.startswith(prefix)).limit(2)
    ).all()
    if not ids:
        raise UsageError(f"no article with id {prefix}")
    if len(ids) > 1:
        raise UsageError(f"id prefix {prefix} matches several articles; give more digits")
    return ids[0]


def _of_article(session: Session, row_type: Any, article_id: str, order: Any = None) -> list[Any]:
    """One article's rows of a table, in their order within the article."""
    query = select(row_type).where(row_type.article_id == article_id)
    return list(session.scalars(query.order_by(order if order is not None else row_type.number)))


def _record(cls: type[T], row: Any, **values: Any) -> T:
    """A record from its row: same field names, with `id` from the row's `number`."""
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    copied = {n: getattr(row, n) for n in names if n not in values and n != "id"}
    return cls(id=row.number, **copied, **values)  # type: ignore[call-arg]  # a dataclass


def load_document(session: Session, article_id: str) -> tuple[Document, list[SourceRow]]:
    """One stored article with its extractions, in the shape `extract` prints."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise UsageError(f"no article with id {article_id}")
    article = Article(
        id=row.id,
        text=row.text,
        url=row.url,
        outlet=row.outlet,
        title=row.title,
        author=row.author,
        published=row.published,
        language=row.language,
        captions=list(row.captions),
        removed=[Removed(**r) for r in row.removed],  # type: ignore[arg-type]
        near_duplicate_group=row.near_duplicate_group,
    )
    entity_rows = _of_article(session, EntityRow, article_id)
    mentions: dict[int, list[Mention]] = {}
    for m in _of_article(session, MentionRow, article_id, MentionRow.start):
        mentions.setdefault(m.entity_id, []).append(Mention(m.start, m.end, m.text, m.label))
    entity_number = {e.id: e.number for e in entity_rows}
    entities = [
        _record(Entity, e, aliases=list(e.aliases), mentions=mentions.get(e.id, []))
        for e in entity_rows
    ]
    place_rows = _of_article(session, PlaceRow, article_id)
    place_number = {p.id: p.number for p in place_rows}
    places = [_record(Place, p, mentions=[Mention(**m) for m in p.mentions]) for p in place_rows]
    claim_rows = _of_article(session, ClaimRow, article_id)
    claim_number = {c.id: c.number for c in claim_rows}
    claims = [_record(Claim, c, speaker=entity_number.get(c.speaker_entity_id)) for c in claim_rows]
    events = [
        _record(
            Event,
            e,
            place=place_number.get(e.place_id),
            claim=claim_number.get(e.claim_id),
            mentions=[EventMention(**m) for m in e.mentions],
        )
        for e in _of_article(session, EventRow, article_id)
    ]
    sources = list(
        session.scalars(
            select(SourceRow).where(SourceRow.article_id == article_id).order_by(SourceRow.id)
        )
    )
    document = Document(article, None, entities, places, claims, events)
    return document, sources


def counts(session: Session) -> dict[str, int]:
    """Row counts for the demo summary and `fogmap articles --stats`."""
    tables = {
        "articles": ArticleRow,
        "sources": SourceRow,
        "entities": EntityRow,
        "places": PlaceRow,
        "claims": ClaimRow,
        "events": EventRow,
    }
    out = {
        name: session.scalar(select(func.count()).select_from(t)) or 0 for name, t in tables.items()
    }
    out["near_duplicate_groups"] = (
        session.scalar(select(func.count(func.distinct(ArticleRow.near_duplicate_group)))) or 0
    )
    return out


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    article_id: str
    published: str | None
    outlet: str | None
    claim: Claim
    sentence: str


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) around a span, for showing a claim in its context."""
    opening = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    closing = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    stop = min(closing) + 1 if closing else len(text)
    return " ".join(text[opening + 1 : stop].split())


MAX_SEARCH_WORDS = 32  # words a claims search may combine
MAX_SEARCH_CHARS = 200  # the longest word or name searched for


def _contains(column: Any, words: str) -> Any:
    """`column` holds `words`, case aside, taken literally: `%` and `_` are characters,
    not wildcards."""
    if len(words) > MAX_SEARCH_CHARS:
        raise UsageError(
            f"a search term of {len(words):,} characters; give at most {MAX_SEARCH_CHARS}"
        )
    escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def list_claims(
    session: Session,
    speaker: str | None = None,
    affiliation: str | None = None,
    topic: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
) -> list[ClaimSummary]:
    """Claims, newest article first, filtered the way a fact-checker asks: who said it, for
    whom, about what, where it was published, and when."""
    query = (
        select(ClaimRow, ArticleRow, EntityRow.number)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(EntityRow, EntityRow.id == ClaimRow.speaker_entity_id)
    )
    if speaker:
        spoken = func.coalesce(ClaimRow.speaker_name, ClaimRow.speaker_text, "")
        query = query.where(_contains(spoken, speaker))
    if affiliation:
        query = query.where(_contains(func.coalesce(ClaimRow.speaker_affiliation, ""), affiliation))
    if topic:
        words = topic.split()
        if len(words) > MAX_SEARCH_WORDS:
            raise UsageError(f"a search of {len(words)} words; give at most {MAX_SEARCH_WORDS}")
        for word in words:
            query = query.where(_contains(ClaimRow.content, word))
    if outlet:
        carried = select(SourceRow.article_id).where(func.lower(SourceRow.outlet) == outlet.lower())
        query = query.where(
            (func.lower(ArticleRow.outlet) == outlet.lower()) | ArticleRow.id.in_(carried)
        )
    if kind:
        query = query.where(ClaimRow.kind == kind)
    if since:
        query = query.where(ArticleRow.published >= since)
    if until:
        # A bare date includes that whole day: "2021-09-06T10:00" sorts after "2021-09-06".
        query = query.where(ArticleRow.published < until + "\uffff")
    query = query.order_by(ArticleRow.published.desc(), ArticleRow.id, ClaimRow.number)
    found = []
    for row, article, speaker_number in session.execute(query.limit(limit)):
        claim = _record(Claim, row, speaker=speaker_number)
        spans = [s for s in (row.start, row.end, row.cue_start, row.speaker_start) if s is not None]
        context = _sentence(article.text, min(spans), row.end)
        found.append(ClaimSummary(article.id, article.published, article.outlet, claim, context))
    return found


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    name: str
    feature_code: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    articles: int
    mentions: int
    claims: int  # claims whose content names the place
    events: int


def list_places(
    session: Session, country: str | None = None, unresolved: bool = False, limit: int = 50
) -> list[PlaceSummary]:
    """Places across articles, most reported first: one row per gazetteer entry (or per
    name where a name found no entry)."""
    key = (PlaceRow.gazetteer_id, PlaceRow.name, PlaceRow.feature_code, PlaceRow.country,
           PlaceRow.admin1, PlaceRow.lat, PlaceRow.lon)  # fmt: skip
    events = func.count(func.distinct(EventRow.id))
    articles = func.count(func.distinct(PlaceRow.article_id))
    query = (
        select(*key, articles, events)
        .outerjoin(EventRow, EventRow.place_id == PlaceRow.id)
        .group_by(*key)
        .order_by(articles.desc(), PlaceRow.name)
        .limit(limit)
    )
    if country:
        query = query.where(func.upper(PlaceRow.country) == country.upper())
    if unresolved:
        query = query.where(PlaceRow.gazetteer_id.is_(None))
    found = []
    for (
        gazetteer_id,
        name,
        code,
        place_country,
        admin1,
        lat,
        lon,
        n_articles,
        n_events,
    ) in session.execute(query):
        same = (
            PlaceRow.gazetteer_id == gazetteer_id
            if gazetteer_id is not None
            else (PlaceRow.gazetteer_id.is_(None) & (PlaceRow.name == name))
        )
        # Two queries per place, not one per article: its mentions, then the claims of the
        # articles that name it, matched by offsets.
        spans: dict[str, list[dict[str, Any]]] = {}
        for article_id, mentioned in session.execute(
            select(PlaceRow.article_id, PlaceRow.mentions).where(same)
        ):
            spans.setdefault(article_id, []).extend(mentioned)
        contents = session.execute(
            select(ClaimRow.article_id, ClaimRow.start, ClaimRow.end).where(
                ClaimRow.article_id.in_(select(PlaceRow.article_id).where(same))
            )
        )
        claims = sum(
            any(start <= m["start"] and m["end"] <= end for m in spans.get(article_id, []))
            for article_id, start, end in contents
        )
        mentions = sum(len(found) for found in spans.values())
        found.append(
            PlaceSummary(
                name, code, place_country, admin1, lat, lon, n_articles, mentions, claims, n_events
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class EventSummary:
    """One stored event with what an analyst reads beside it: its article, its place, the
    claim it rests on and the sentences it was told in."""

    article_id: str
    url: str | None
    outlet: str | None
    published: str | None
    event: Event
    place: Place | None
    claim: Claim | None
    evidence: str


HAPPENED = ("asserted", "claimed")


def told_in(text: str, event: Event | EventRow) -> str:
    """The sentences that tell an event, each once, in the article's order (an event
    record, or a stored row whose mentions are plain dicts)."""
    mentions: list[Any] = list(event.mentions)
    spans: list[tuple[int, int]] = [
        (m["sentence_start"], m["sentence_end"])
        if isinstance(m, dict)
        else (m.sentence_start, m.sentence_end)
        for m in mentions
    ] or [(event.sentence_start or event.start, event.sentence_end or event.end)]
    told = (" ".join(text[start:end].split()) for start, end in dict.fromkeys(spans))
    return " … ".join(filter(None, told))


def iter_events(
    session: Session,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    all_modes: bool = False,
    limit: int | None = None,
) -> Iterator[EventSummary]:
    """Events by event date, newest first, streamed from the database. Only events told
    as having happened (asserted or claimed) unless `all_modes`."""
    query = (
        select(EventRow, ArticleRow, PlaceRow, ClaimRow)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .outerjoin(PlaceRow, PlaceRow.id == EventRow.place_id)
        .outerjoin(ClaimRow, ClaimRow.id == EventRow.claim_id)
    )
    if not all_modes:
        query = query.where(EventRow.mode.in_(HAPPENED))
    if event_type:
        wanted = event_type.lower()
        query = query.where(
            (func.lower(EventRow.event_type) == wanted)
            | (func.lower(EventRow.sub_event_type) == wanted)
        )
    if country:
        query = query.where(func.upper(PlaceRow.country) == country.upper())
    if since:
        query = query.where(EventRow.event_date >= since)
    if until:
        query = query.where(EventRow.event_date <= until)
    query = query.order_by(
        EventRow.event_date.desc(), EventRow.article_id, EventRow.number
    ).execution_options(yield_per=500)
    if limit is not None:
        query = query.limit(limit)
    for row, article, place_row, claim_row in session.execute(query):
        place = (
            _record(Place, place_row, mentions=[Mention(**m) for m in place_row.mentions])  # type: ignore[arg-type]
            if place_row is not None
            else None
        )
        claim = _record(Claim, claim_row, speaker=None) if claim_row is not None else None
        event = _record(
            Event,
            row,
            place=place.id if place else None,
            claim=claim.id if claim else None,
            mentions=[EventMention(**m) for m in row.mentions],  # type: ignore[arg-type]
        )
        evidence = told_in(article.text, event)
        yield EventSummary(
            article.id,
            article.url,
            article.outlet,
            article.published,
            event,
            place,
            claim,
            evidence or _sentence(article.text, row.start, row.end),
        )
