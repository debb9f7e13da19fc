"""Independent origins: ten reprints of one wire story are one source, not ten.

An article's report is traced to where it came from by what the article shows:
- its near-duplicate group (syndicated copies of one text, found at ingest);
- the news agency it credits: a dateline "KABUL (Reuters) —", a closing "— AFP", "told
  Reuters", "according to the Associated Press" (agencies listed in `data/wires.tsv`);
- another outlet it retells: "told the Financial Times", "the BBC reported";
- its own outlet: one outlet's follow-ups are one source.

Reports that share any of these are one origin (a union over the shared keys), so an
incident's corroboration counts origins, not articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from scipy.cluster.hierarchy import DisjointSet

LEAD = 600  # a dateline credit is in the article's first characters
# The verbs of a retelling: the pattern of credits is tried only around them, as running
# it over a whole text costs a millisecond an article.
RETELLING = re.compile(r"\b(?:told|according|reported|quoted|interview|learned)\b")
REACH = 200  # characters either side of such a verb a credit can span
# Names that make a capitalised phrase an outlet when someone "told" it or it "reported".
OUTLET_WORDS = (
    r"Times|Post|News|Journal|Guardian|Telegraph|Independent|Herald|Tribune|Mail|Express|"
    r"Gazette|Chronicle|Observer|Monitor|Standard|Press|Agency|Radio|Television|TV|"
    r"BBC|CNN|NBC|CBS|ABC|Fox News|Sky News|Al Jazeera|Al Arabiya|Der Spiegel|Le Monde|"
    r"Bloomberg|Politico|Axios|Vice|Newsweek|Wire"
)


@lru_cache(maxsize=1)
def wires() -> dict[str, str]:
    """Every spelling of every agency in `data/wires.tsv` (as written, and in capitals as
    datelines write it) to the agency's name."""
    text = files("fogmap").joinpath("data/wires.tsv").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, *aliases = (part.strip() for part in line.split("\t"))
            for spelling in (name, *aliases):
                names[spelling] = names[spelling.upper()] = name
    return names


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    spellings = sorted(wires(), key=len, reverse=True)
    agency = "|".join(re.escape(s) for s in spellings)
    dateline = re.compile(
        rf"\((?P<a>{agency})\)|^\s*(?:By\s+)?(?P<b>{agency})\s*[-—–:]|[-—–]\s*(?P<c>{agency})\s*$",
        re.MULTILINE,
    )
    outlet = rf"(?:{agency})\b|(?:the\s+)?(?:[A-Z][\w'’&.-]*\s+){{0,4}}(?:{OUTLET_WORDS})\b"
    retold = re.compile(
        rf"\b(?:told|according to|reported by|quoted by|interview with)\s+(?P<d>{outlet})"
        rf"|(?P<e>{outlet})\s+(?:reported|said it had learned|has learned|first reported)",
    )
    return dateline, retold


def _outlet_key(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    return wires().get(name, name).lower()


def credits(text: str) -> frozenset[str]:
    """The agencies and outlets an article credits or retells, lower case."""
    dateline, retold = _credit_patterns()
    found: set[str] = set()
    for part in (text[:LEAD], text[-200:]):
        for match in dateline.finditer(part):
            found.add(_outlet_key(next(g for g in match.groups() if g)))
    for cue in RETELLING.finditer(text):
        start = max(0, cue.start() - REACH)
        if start:  # from a word's start, so no outlet's name is read cut
            start = text.find(" ", start, cue.start()) + 1 or cue.start()
        for match in retold.finditer(text, start, cue.end() + REACH):
            found.add(_outlet_key(match.group("d") or match.group("e")))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Provenance:
    """What an article shows of where it came from."""

    article: str
    outlet: str | None = None
    near_duplicate_group: str | None = None
    credits: frozenset[str] = frozenset()

    def keys(self) -> Iterable[str]:
        yield "article:" + self.article
        # a group is named by its first article, which is in it
        yield "copy:" + (self.near_duplicate_group or self.article)
        if self.outlet:
            yield "outlet:" + _outlet_key(self.outlet)
        for credit in self.credits:
            yield "outlet:" + credit


def origins(articles: Sequence[Provenance]) -> list[list[str]]:
    """The articles grouped by independent origin."""
    shared = DisjointSet()
    for article in articles:
        keys = list(article.keys())
        for key in keys:
            shared.add(key)
            shared.merge(keys[0], key)
    groups: dict[str, list[str]] = {}
    for article in articles:
        groups.setdefault(shared["article:" + article.article], []).append(article.article)
    return list(groups.values())
