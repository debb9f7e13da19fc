"""Places: every place name of an article recognised and put on the map.

Recognition takes spaCy's GPE, LOC and FAC entities, demonyms and adjectives ("a Tajik
chopper" → Tajikistan), and names of the curated feature table; a place inside an
organisation's name ("National Resistance Front of Afghanistan") is not a place mention,
and nothing is matched against the gazetteer outside entities, so villages named like
common words or people are never tagged.

Resolution scores each gazetteer entry a name may mean:

- its kind: a country before a province before a populated place, a curated feature in
  between; a province gives way to its own same-named city ("Kabul") unless the text
  says "province";
- its population (log scale);
- the article's context: the countries and provinces of names that are unambiguous, of
  demonyms, and of the dateline ("KABUL, Sept 5 (Reuters) —");
- explicit containment: "Paghman city, Kabul", "Khinj district, Panjshir", "Paris, Texas".

The confidence is the winner's share of the candidates' softmax. A name with no entry is
kept, unresolved, with no coordinates.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Doc, Span

from fogmap.extract._speakers import words
from fogmap.extract.entities import clean_name
from fogmap.geo import Entry, Gazetteer, name_key
from fogmap.records import Mention, Place

LABELS = {"GPE", "LOC", "FAC"}
KIND_PRIOR = {"PCLI": 10.0, "CONT": 10.0, "PPLC": 9.0, "ADM1": 7.0, "ADM2": 4.0}
FEATURE_PRIOR = 8.0  # curated valleys, ranges, regions
CONTEXT_COUNTRY = 4.0
CONTEXT_NATIONALITY = 1.0  # a demonym often names a foreign actor, not the scene
CONTEXT_PROVINCE = 1.0
CONTAINED = 8.0
ALIAS = 2.0
_DIVISION_WORDS = re.compile(
    r"^\s*(province|governorate|oblast|region|state|prefecture)\b", re.IGNORECASE
)
_KINDS = frozenset(
    ["town", "city", "village", "district", "municipality", "township", "county", "area"]
)
_TRAILING_KIND = re.compile(
    r"\s+(province|governorate|district|city|town|village|region|oblast|state)$", re.IGNORECASE
)


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym or adjective (as a name key) → the ISO code of its country, or the name of
    the place it belongs to ("European" → Europe)."""
    table = files("fogmap").joinpath("data/demonyms.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(table.splitlines(), delimiter="\t")
    return {name_key(row["demonym"]): row["place"] for row in rows}


@dataclass(slots=True)
class _Name:
    text: str
    spans: list[Span] = field(default_factory=list)
    demonym: str | None = None  # the country code or place name a demonym points to
    candidates: list[Entry] = field(default_factory=list)


_WHOLE_PLACES = {"PCLI", "ADM1", "PPLC", "CONT"}


def _names_a_place(ent: Span, gazetteer: Gazetteer) -> bool:
    """An "organisation" that is all of a country's, province's or capital's name ("Russia
    said", "Tamil Nadu's government") is the place, spoken of as an actor."""
    entries = gazetteer.lookup(clean_name(ent.text))
    return any(e.feature_code in _WHOLE_PLACES or e.coordinates == "curated" for e in entries)


_WORD = r"(?:[\w'’]|\.(?=\w))*"  # "St.Leon" keeps its dot, a full stop is left out
_NAME = (
    rf"[A-Z]{_WORD}(?:(?:-| - | |-[a-z]+-| (?:de|do|da|dos|das|del|la|el|al|ad|ash|as|an|"
    rf"ar|az|of|y|sur|en|am|im) )[A-Z0-9]{_WORD}){{0,5}}"
)
_KIND_WORD = (
    r"(?: (?:town|city|village|district|municipality|township|county|area|locality|"
    r"province|region|state|governorate|sadar|upazila|department|oblast|raion|rayon|krai))?"
)
_HIERARCHY = re.compile(
    rf"(?<![\w-])(?P<head>{_NAME}){_KIND_WORD}\s*\("
    rf"(?:coded (?:to|as) )?(?P<inner>{_NAME}{_KIND_WORD}(?:,\s*{_NAME}{_KIND_WORD}){{0,3}})\)"
    rf"|\b(?:in|at|near|outside|around|over|towards?|into|from) (?P<head2>{_NAME}){_KIND_WORD},\s*"
    rf"(?P<inner2>{_NAME}{_KIND_WORD}(?:,\s*{_NAME}{_KIND_WORD}){{0,2}})(?=[,.;:]|\s+[a-z(])"
)
_AFTER_PREPOSITION = re.compile(
    rf"\b(?:in|at|near|outside|into|towards?|(?:strikes?|attacks?|raids?|assault|offensive|"
    rf"shelling|bombing|advance|march) on) (?:the )?(?P<head>{_NAME})"
)


def _hierarchies(doc: Doc, text: str, gazetteer: Gazetteer) -> Iterator[list[Span]]:
    """Places written as a hierarchy, "Koalma (Pissila, Sanmatenga)", "Curitiba
    (Parana)": the syntax of place names in ACLED-style summaries and many datelines,
    which the NER model often reads as one organisation. Kept where the gazetteer knows
    one of the names."""
    for match in _HIERARCHY.finditer(text):
        head, inner = ("head", "inner") if match.group("head") else ("head2", "inner2")
        parts = [(match.start(head), match.end(head))]
        at = match.start(inner)
        for piece in match.group(inner).split(","):
            name = _TRAILING_KIND.sub("", piece.strip())
            start = at + len(piece) - len(piece.lstrip())
            parts.append((start, start + len(name)))
            at += len(piece) + 1
        outermost = gazetteer.lookup(text[slice(*parts[-1])])
        if not any(e.feature_class == "A" or e.feature_code.startswith("PPL") for e in outermost):
            continue  # "Islamic State (IS)": the outermost name must be a division or town
        spans = [doc.char_span(a, b, label="GPE", alignment_mode="expand") for a, b in parts]
        yield [span for span in spans if span is not None]


def _recognise(doc: Doc, gazetteer: Gazetteer) -> list[_Name]:
    known = demonyms()
    organisations = {t.i for ent in doc.ents if ent.label_ == "ORG" for t in ent}
    found: dict[str, _Name] = {}
    seen: set[int] = set()

    def add(span: Span, demonym: str | None = None) -> None:
        text = clean_name(span.text)
        key = name_key(text)
        if not key or any(t.i in seen for t in span):
            return
        seen.update(t.i for t in span)
        found.setdefault(key, _Name(text, demonym=demonym)).spans.append(span)

    text = doc.text  # built from the tokens on every access: once here
    for hierarchy in _hierarchies(doc, text, gazetteer):
        for span in hierarchy:
            add(span)
    other_entities = {
        (ent.start, ent.end): ent.label_ for ent in doc.ents if ent.label_ not in LABELS
    }
    entity_tokens = {t.i for ent in doc.ents for t in ent}
    for match in _AFTER_PREPOSITION.finditer(text):
        # "demonstrated in Poitiers", "air strikes on Sanaa": a name the NER model missed
        # or mislabelled (as a nationality, person or organisation), after a preposition
        # of place, taken when the gazetteer knows it as a town or division.
        named = doc.char_span(*match.span("head"), label="GPE", alignment_mode="expand")
        if named is None:
            continue
        mislabelled = other_entities.get((named.start, named.end)) in ("NORP", "PERSON", "ORG")
        if any(t.i in entity_tokens for t in named) and not mislabelled:
            continue
        if any(e.feature_class in ("P", "A") for e in gazetteer.lookup(named.text)):
            add(named)
    for ent in doc.ents:
        key = name_key(clean_name(ent.text))
        if ent.label_ in LABELS or (ent.label_ == "ORG" and _names_a_place(ent, gazetteer)):
            add(ent)
        elif key in known and ent.label_ in ("NORP", "PERSON", "ORG") and len(ent) == 1:
            add(ent, known[key])  # "a Tajik chopper": the model often says PERSON
    for token in doc:
        key = name_key(token.text)
        if key in known and token.text[:1].isupper() and token.i not in organisations:
            add(doc[token.i : token.i + 1], known[key])
    return list(found.values())


def _standing(entry: Entry) -> tuple[float, int]:
    prior = (
        FEATURE_PRIOR if entry.coordinates == "curated" else KIND_PRIOR.get(entry.feature_code, 0)
    )
    return prior, entry.population


def _score(entry: Entry, context: _Context, name: _Name) -> float:
    own_name = name_key(entry.name) == name_key(name.text) or name.demonym is not None
    if entry.coordinates == "curated":
        score = FEATURE_PRIOR  # its aliases ("EU", "Donbass") are fogmap's own choice
    elif own_name:
        score = KIND_PRIOR.get(entry.feature_code, 0.0)
    else:
        # "Delhi" is Delhi before it is an old spelling of Dili; "Salisbury" is not Harare.
        prior = KIND_PRIOR.get(entry.feature_code, 0.0)
        score = (0.0 if entry.feature_code.startswith("PPL") else prior) - ALIAS
    score += math.log10(entry.population + 1)
    if entry.country and entry.country in context.countries:
        score += CONTEXT_COUNTRY
    elif entry.country and entry.country in context.nationalities:
        score += CONTEXT_NATIONALITY
    if entry.admin1 and (entry.country, entry.admin1) in context.provinces:
        score += CONTEXT_PROVINCE
    for country, admin1 in context.containers.get(name_key(name.text), []):
        if entry.country == country and (admin1 is None or entry.admin1 == admin1):
            score += CONTAINED
    return score


@dataclass(slots=True)
class _Context:
    countries: set[str] = field(default_factory=set)
    nationalities: set[str] = field(default_factory=set)  # "Russian forces": weaker evidence
    provinces: set[tuple[str | None, str | None]] = field(default_factory=set)
    containers: Holders = field(default_factory=dict)
    enclosed: Holders = field(default_factory=dict)  # "Koalma (Pissila, Sanmatenga)" only


def _prefer_cities(name: _Name) -> list[Entry]:
    """A province gives way to its same-named city ("Kabul"), unless named as a province."""
    said_province = any(
        _DIVISION_WORDS.match(span.doc[span.end : span.end + 2].text) for span in name.spans
    )
    if said_province:
        return [
            e for e in name.candidates if not e.feature_code.startswith("PPL")
        ] or name.candidates
    key = name_key(name.text)
    cities = {
        (e.country, e.admin1)
        for e in name.candidates
        if e.feature_code.startswith("PPL") and name_key(e.name) == key
    }
    return [
        e
        for e in name.candidates
        if not (e.feature_code in ("ADM1", "ADM2") and (e.country, e.admin1) in cities)
    ]


Holders = dict[str, list[tuple[str | None, str | None]]]


def _containment(
    doc: Doc, names: list[_Name], resolved: dict[str, Entry]
) -> tuple[Holders, Holders]:
    """ "Khinj district, Panjshir": the place after the comma holds the one before it.
    Also (second) the holders of a name written with its hierarchy in parentheses,
    "Koalma (Pissila, Sanmatenga)", which rule out any entry outside them. An outer name
    that is itself ambiguous ("Mykhaylivka, Donetsk") holds in any of its places."""
    held: Holders = {}
    enclosed: Holders = {}
    by_start = {span.start: name for name in names for span in name.spans}

    def holders(outer: _Name) -> list[tuple[str | None, str | None]]:
        entries = [resolved[key]] if (key := name_key(outer.text)) in resolved else outer.candidates
        return [(e.country, None if e.feature_code == "PCLI" else e.admin1) for e in entries]

    for name in names:
        key = name_key(name.text)
        for span in name.spans:
            i = span.end
            while i < len(doc) and doc[i].lower_ in _KINDS:
                i += 1
            if i < len(doc) and doc[i].text == "(":  # "Koalma (Pissila, Sanmatenga)"
                while i + 1 < len(doc) and doc[i].text != ")":
                    i += 1
                    if (inner := by_start.get(i)) is not None:
                        held.setdefault(key, []).extend(holders(inner))
                        enclosed.setdefault(key, []).extend(holders(inner))
                continue
            i = span.end
            while i < len(doc) and doc[i].lower_ in ("district", "city", "town", "village"):
                i += 1
            if i + 1 < len(doc) and doc[i].text == "," and (i + 1) in by_start:
                held.setdefault(key, []).extend(holders(by_start[i + 1]))
    return held, enclosed


_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z .'-]{2,40}?)(?:,\s*([A-Z][\w .'-]{2,30}?))?(?:,[^\n]{0,30})?"
    r"\s*(?:\(|—|–|-{1,2}\s)"
)


def _dateline(doc: Doc, gazetteer: Gazetteer) -> Entry | None:
    """The place a dateline names ("KABUL, Sept 5 (Reuters) —", "PARIS, Texas (AP) —"): the
    story was filed there, so its country is the article's whatever else the text names."""
    match = _DATELINE.match(doc[:40].text[:120])
    if match is None:
        return None
    entries = gazetteer.lookup(match.group(1).strip())
    if match.group(2):  # "PARIS, Texas": the state or country named after the town
        holders = gazetteer.lookup(match.group(2).strip())
        held = [
            e
            for e in entries
            for h in holders
            if e.country == h.country and (h.feature_code == "PCLI" or e.admin1 == h.admin1)
        ]
        entries = held or entries
    return max(entries, key=lambda e: (e.feature_code == "PPLC", e.population), default=None)


def _choose(name: _Name, context: _Context) -> tuple[Entry | None, float | None]:
    """The best-scoring entry and its softmax share; none for a name that only resembles a
    small place outside the article's countries ("Anaba" in Panjshir is not Annaba)."""
    if not name.candidates:
        return None, None
    scores = [_score(e, context, name) for e in name.candidates]
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    winner = scores.index(top)
    best = name.candidates[winner]
    held = context.enclosed.get(name_key(name.text))
    if held and not any(
        best.country == country and (admin1 is None or best.admin1 == admin1)
        for country, admin1 in held
    ):
        return None, None  # "Venadillo (Norte de Santander)": no such town there
    stranger = context.countries and best.country not in context.countries
    town = best.feature_code.startswith("PPL") and best.feature_code != "PPLC"
    if stranger and town and name_key(best.name) != name_key(name.text):
        return None, None
    return best, round(weights[winner] / sum(weights), 3)


# Words that name no place on their own, though a gazetteer holds towns spelled so:
# compass words ("Central" is a region of Uganda), words a tagger takes for names in
# capitals ("IS" is a town in Russia), and abbreviations ("Mo." is a town in Norway).
NOT_ALONE = words(
    "central north south east west northern southern eastern western middle upper lower "
    "is it as at in on an or be do go no so to up we he me my by of if am us"
)


def not_a_place_alone(text: str) -> bool:
    """Whether a name is a compass word, a function word or an abbreviation with a dot."""
    stripped = text.strip()
    if stripped.endswith(".") and len(stripped) <= 5:
        return True  # "Mo.", "Ga.", "Fla."
    return stripped.lower() in NOT_ALONE and stripped != "US"


def _candidates(name: _Name, gazetteer: Gazetteer) -> list[Entry]:
    if name.demonym:
        if re.fullmatch(r"[A-Z]{2}", name.demonym):
            entry = gazetteer.country(name.demonym)
            return [entry] if entry else []
        # "European" → Europe the continent, not África in Puebla.
        return sorted(gazetteer.lookup(name.demonym), key=_standing, reverse=True)[:1]
    if not_a_place_alone(name.text):
        return []
    name.candidates = gazetteer.lookup(name.text)
    if not name.candidates and _TRAILING_KIND.search(name.text):  # "Khinj district"
        name.candidates = gazetteer.lookup(_TRAILING_KIND.sub("", name.text))
    if not name.candidates and " - " in name.text:  # "Seoul City - Jongno": a city's area
        city = name.text.split(" - ")[0]
        name.candidates = gazetteer.lookup(city) or gazetteer.lookup(_TRAILING_KIND.sub("", city))
    return _prefer_cities(name)


def _context_of(doc: Doc, names: list[_Name], gazetteer: Gazetteer) -> _Context:
    """Countries and provinces of the names that leave no doubt (one candidate, or one
    country or province among them) and of the dateline; containment between names."""
    context = _Context()
    unambiguous: dict[str, Entry] = {}
    for name in names:
        firm = [e for e in name.candidates if e.feature_code in ("PCLI", "ADM1")]
        if len(name.candidates) == 1 or len(firm) == 1:
            entry = firm[0] if firm else name.candidates[0]
            unambiguous[name_key(name.text)] = entry
            if entry.country and name.demonym is None:
                context.countries.add(entry.country)
            elif entry.country:
                context.nationalities.add(entry.country)
            if entry.feature_code == "ADM1":
                context.provinces.add((entry.country, entry.admin1))
    dateline = _dateline(doc, gazetteer)
    if dateline is not None and dateline.country:
        context.countries.add(dateline.country)
    context.containers, context.enclosed = _containment(doc, names, unambiguous)
    return context


def extract_places(doc: Doc, gazetteer: Gazetteer) -> list[Place]:
    names = _recognise(doc, gazetteer)
    for name in names:
        name.candidates = _candidates(name, gazetteer)
    context = _context_of(doc, names, gazetteer)

    # One place per gazetteer entry: "Pakistan" and "Pakistani" are one place.
    chosen: dict[int | str, tuple[Entry | None, float | None, list[Span]]] = {}
    for name in sorted(names, key=lambda n: n.spans[0].start):
        best, confidence = _choose(name, context)
        key: int | str = best.id if best else name_key(name.text)
        if key in chosen:
            chosen[key][2].extend(name.spans)
        else:
            chosen[key] = (best, confidence, list(name.spans))

    places: list[Place] = []
    for best, confidence, spans in chosen.values():
        spans.sort(key=lambda s: s.start)
        mentions = [Mention(s.start_char, s.end_char, s.text, s.label_) for s in spans]
        name_text = clean_name(spans[0].text)
        places.append(
            Place(
                id=len(places),
                name=best.name if best else name_text,
                geonames_id=best.id if best and best.id > 0 else None,
                feature_class=best.feature_class if best else None,
                feature_code=best.feature_code if best else None,
                country=best.country if best else None,
                admin1=best.admin1 if best else None,
                lat=best.lat if best else None,
                lon=best.lon if best else None,
                gazetteer_id=best.id if best else None,
                confidence=confidence,
                mentions=mentions,
            )
        )
    return places
