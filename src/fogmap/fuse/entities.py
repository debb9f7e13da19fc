"""Actors across articles: one record for the same person or group however each article
names it, and never one record for two namesakes.

Within an article, extraction already joins a name with its short forms ("Ahmad Massoud",
"Massoud"; "the National Resistance Front of Afghanistan", "the front"). Across articles:
- **full names** join: a person's name of two words or more, a group's proper name of
  any length (accents, case, a leading "the" ignored), whether it is an entity's name or
  an alias of it. A one-word surname never joins across articles: "Massoud" is the son
  in one story and the father in another, and "Ahmad Massoud" is not "Ahmad Shah
  Massoud";
- **short forms** join their expansion when the corpus holds exactly one: "National
  Resistance Front" the one "National Resistance Front of …", "NRF" the one group its
  initials spell; a short form two groups could stand for stays apart;
- **descriptions** ("the resistance", "the group") never join across articles: what "the
  group" is depends on the article.
People and groups are kept apart, except that a name typed as a person in one article and
an organisation in another is one entity (typing errs; full names are rare to share).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from scipy.cluster.hierarchy import DisjointSet

from fogmap.geo import name_key

GROUPS = frozenset({"organisation", "armed_group", "government"})
PEOPLE = frozenset({"person"})
_MINOR = frozenset({"of", "the", "and", "for", "in", "al", "de", "la", "el"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&-]{1,7}$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One article's entity, as fusion reads it."""

    article: str
    entity: int
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    affiliation: str | None = None


@dataclass(slots=True)
class Actor:
    """One person or group across the corpus, with every name and article it appears in."""

    name: str
    type: str
    names: list[str]
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len({m.article for m in self.mentions})


def _family(entity_type: str) -> str | None:
    if entity_type in GROUPS or entity_type in PEOPLE:
        return "actor"
    return None


def _full_names(mention: Mention) -> set[str]:
    """The proper names a mention goes by, in matching form: a person's of two words or
    more, a group's of any length ("Taliban" is one group, "Massoud" many people)."""
    shortest = 1 if mention.type in GROUPS else 2
    keys = set()
    for name in (mention.name, *mention.aliases):
        key = re.sub(r"^the ", "", name_key(name))
        proper = re.sub(r"^[Tt]he\s+", "", name)[:1].isupper()
        if len(key.split()) >= shortest and proper and not _ACRONYM.match(name):
            keys.add(key)
    return keys


def acronyms(name: str) -> set[str]:
    """What a full name may be abbreviated to: its initials, and those before "of …"
    ("National Resistance Front of Afghanistan": NRFA and NRF)."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return set()
    found = set()
    cut = next((i for i, w in enumerate(words) if w.lower() == "of"), len(words))
    for part in (words, words[:cut]):
        initials = "".join(w[0] for w in part if w.lower() not in _MINOR and w[0].isupper())
        if len(initials) >= 2:
            found.add(initials.upper())
    return found


def _bare(name: str) -> str:
    return name if _ACRONYM.match(name) else re.sub(r"^the ", "", name_key(name))


def _before_of(name: str) -> set[str]:
    """A group's name cut before "of …": what it is called for short."""
    head, of, _ = _bare(name).partition(" of ")
    return {head} if of and len(head.split()) >= 2 else set()


def resolve(mentions: Iterable[Mention]) -> list[Actor]:
    """The actors the mentions stand for, most widely reported first."""
    items = [m for m in mentions if _family(m.type)]
    same = DisjointSet(range(len(items)))
    by_key: dict[str, int] = {}
    for i, mention in enumerate(items):
        for key in _full_names(mention):
            if key in by_key:
                same.merge(i, by_key[key])
            else:
                by_key[key] = i

    def join_unique(
        short_forms: Callable[[str], set[str]], is_short: Callable[[str], bool]
    ) -> None:
        """Join each short name to the one entity it can stand for, if only one."""
        expansions: dict[str, set[int]] = {}
        for i, mention in enumerate(items):
            for name in (mention.name, *mention.aliases):
                for form in short_forms(name):
                    expansions.setdefault(form, set()).add(i)
        for i, mention in enumerate(items):
            for name in (mention.name, *mention.aliases):
                if is_short(name):
                    meant = {same[j] for j in expansions.get(_bare(name), ())} - {same[i]}
                    if len(meant) == 1:
                        same.merge(i, meant.pop())

    # "National Resistance Front" for the one "National Resistance Front of …"
    join_unique(_before_of, lambda name: len(_bare(name).split()) >= 2)
    join_unique(
        lambda name: acronyms(name) if " " in name.strip() else set(),
        lambda name: bool(_ACRONYM.match(name)),
    )
    actors = [_actor([items[i] for i in sorted(subset)]) for subset in same.subsets()]
    actors.sort(key=lambda a: (-a.articles, a.name))
    return actors


def _actor(mentions: list[Mention]) -> Actor:
    names = Counter(m.name for m in mentions)
    # the name most used, the fuller on a tie; an acronym only when nothing else is known
    name = max(names, key=lambda n: (not _ACRONYM.match(n), names[n], len(n)))
    types = Counter(m.type for m in mentions)
    every_name = list(dict.fromkeys(n for m in mentions for n in (m.name, *m.aliases)))
    return Actor(
        name=name,
        type=types.most_common(1)[0][0],
        names=every_name,
        mentions=mentions,
        roles=list(dict.fromkeys(m.role for m in mentions if m.role)),
        affiliations=list(dict.fromkeys(m.affiliation for m in mentions if m.affiliation)),
    )
