"""Claims: who said what, through which channel, how hedged — read off the parse.

An attribution has a cue (the word that reports: "said", "vowed", "according to",
"reportedly"), a source (the speaker's words in the text) and one or more content spans.
The extractor works on spaCy's dependency parse and needs no model of its own:

- a cue verb's subject is the source; its clausal complement (`that`-clause, infinitive)
  or, for verbs that report through their object ("denied the report"), its object is
  the content; each conjoined `that`-clause is its own claim;
- a content inside a quotation becomes the whole quotation, across sentences and
  paragraphs, and a quotation resumed after the speech frame ("…," he said, "…") joins it;
- "according to X", a speech noun with a `that`-clause ("the Taliban's claim that …"),
  passive hedges ("it is believed that …", "X is understood to …"), hedging adverbs
  ("reportedly") and anonymous sources ("sources said") are claims too; the hedged ones
  have kind `unattributed` and say how they were hedged.

`_speakers.resolve_speaker` then links each source to an entity of the article: the
entity the words name, or for a pronoun or a description ("he", "they", "the spokesman",
"the group") the nearest compatible earlier mention. Quotation marks are paired in
`_quotes`.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from fogmap.extract._quotes import Quotations
from fogmap.extract._speakers import Mentioned, mentions_of, resolve_speaker, words
from fogmap.records import Claim, Entity

CharSpan = tuple[int, int]


# Verbs of saying, writing, showing and believing that report what someone holds true.
# Verbs that in conflict reporting mostly name deeds ("attacked", "blasted", "ordered",
# "supported", "sought") are left out, so that an event is never read as a claim.
SPEECH_VERBS = words(
    """say tell add write ask note report announce suggest tweet post argue explain continue
    declare state claim deny insist warn vow pledge promise accuse confirm acknowledge
    admit reply respond answer recall conclude predict reveal complain contend maintain
    assert allege testify stress emphasize emphasise urge threaten mention describe
    criticize criticise praise blame dismiss reject question indicate estimate propose
    agree concede boast joke quip observe point comment remark lament speculate inform
    assure brief signal hint proclaim demand swear charge refute dispute repeat reiterate
    recount cite quote show find believe think fear hope expect doubt suspect feel counter
    retort caution call condemn denounce hail welcome applaud slam mock defend endorse
    oppose characterize characterise label brand dub decline refuse discuss talk speak
    express know see consider echo tout highlight imply shout chant recognize portray
    advocate protest"""
)
# Verbs whose direct object is the thing reported ("denied the report", "called it a lie");
# "defended the town", "found three bodies", "charged the position" report nothing.
OBJECT_CONTENT = words(
    """deny announce confirm claim reject dismiss dispute refute criticize criticise praise
    blame accuse describe characterize characterise label brand dub call condemn denounce
    hail welcome applaud slam mock endorse cite quote predict reveal admit acknowledge
    concede question show estimate propose demand repeat reiterate mention recount tweet
    discuss express echo tout highlight portray advocate protest"""
)
# "X was quoted as saying", "was cited as saying": X is the speaker.
QUOTED_AS = words("quote cite report describe")
# Verbs whose object is the audience, not the content ("told reporters that …").
AUDIENCE_OBJECT = words("tell inform assure brief warn ask remind urge caution")
# Prepositions that carry the content of a cue: "called for", "talked about", "accused of".
CONTENT_PREPOSITIONS = {
    "call": "for on",
    "talk": "about",
    "speak": "about of",
    "warn": "of about against",
    "complain": "about of",
    "accuse": "of",
    "point": "to out",
    "refer": "to",
    "ask": "about for",
    "comment": "on",
    "joke": "about",
    "hint": "at",
    "boast": "about of",
}
SPEECH_NOUNS = words(
    """claim statement assertion allegation denial announcement warning promise pledge
    accusation insistence belief suggestion report assessment view argument threat vow
    admission confirmation charge"""
)
# Words that carry a statement, and where they appear ("in a statement", "on Twitter").
CHANNEL_NOUNS = words(
    """statement tweet post interview interviews video message speech address briefing
    conference broadcast letter communique communiqué email e-mail text release
    remarks op-ed column podcast blog twitter facebook telegram instagram youtube x
    television tv radio channel"""
)
HEDGE_ADVERBS = words("reportedly allegedly purportedly supposedly apparently")
PASSIVE_HEDGES = words(
    "believe understand think claim say report allege rumour rumor expect fear suspect "
    "reveal announce confirm estimate know"
)
ANONYMOUS_SOURCES = words("source sources insider insiders")
_TRIM = " \t\n,;:—–-"
_CLOSING_MARKS = frozenset(["”", '"', "»", "''", "’", "'", ")"])
# A line led by a short name and a colon: "Taliban: Panjshir Has Fallen", "RAMOS: …".
# "Taliban: Panjshir Has Fallen", a transcript's "WALLACE: Let's start …" (inside the
# quotation marks of a quoted transcript too).
_HEADLINE_COLON = re.compile(
    r"^[\"“‘']?([^\W\d][^:\n]{1,60}?)(:)[ \t]+(\S[^\n]{10,})$", re.MULTILINE
)
# A quotation signed on its own line: "“He represents our greatest shame.” ― Sonya Herridge".
_SIGNED_QUOTE = re.compile(
    r"^[ \t]*[\"“”]?(?P<content>[^\n]{10,}?)[\"”][ \t]*(?P<dash>[―—])[ \t]*"
    r"(?P<source>[^\W\d][^\n,(]{1,50}?)[ \t]*(?:[,(][^\n]*)?$",
    re.MULTILINE,
)
# Documents that say things in a headline's voice: "Poll: Clinton and Trump in dead heat".
DOCUMENT_SOURCES = words("poll survey study report analysis audit memo review census")


@dataclass(slots=True)
class Attribution:
    """One attribution as found in the text, before it becomes a stored `Claim`."""

    kind: str
    cue: CharSpan | None
    content: list[CharSpan]
    source: CharSpan | None = None
    hedge: str | None = None
    channel: str | None = None
    source_token: int | None = None  # the source's head word, for speaker resolution


def _char_span(tokens: Iterable[Token], text: str) -> CharSpan | None:
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and (
        ordered[-1].dep_ == "cc"
        or ordered[-1].is_space
        or (ordered[-1].is_punct and ordered[-1].text not in _CLOSING_MARKS)
    ):
        ordered.pop()  # "… had no role in the fighting and [supported …]", a final stop
    if not ordered:
        return None
    start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1])
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return (start, end) if end > start else None


def _sourcewords(head: Token) -> list[Token]:
    """The source phrase without a relative clause set off by commas ("Harvey, who
    acknowledged Trump was his fourth choice, said …")."""
    asides = [
        c
        for c in head.children
        if c.dep_ == "relcl" and c.left_edge.i > 0 and head.doc[c.left_edge.i - 1].text == ","
    ]
    return _subtree(head, asides)


def _frames_its_head(verb: Token) -> bool:
    """Whether a cue is a frame around the clause it hangs from: "The town fell, he said",
    "This campaign, he says, is different", "As the Post reported, the town fell"."""
    head = verb.head
    if head.i == verb.i:
        return False
    if verb.dep_ in ("parataxis", "ccomp"):
        return True
    if verb.dep_ != "advcl":
        return False
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return True
    after = [t for t in head.subtree if t.i > verb.right_edge.i]
    return verb.i > head.i and all(t.is_punct or t.is_space for t in after)


def _same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[min(a, b) : max(a, b)]


def _subtree(token: Token, without: Iterable[Token] = ()) -> list[Token]:
    hidden = {t.i for skip in without for t in skip.subtree}
    return [t for t in token.subtree if t.i not in hidden]


def _is_cue_verb(token: Token) -> bool:
    if token.lemma_.lower() not in SPEECH_VERBS or token.pos_ not in ("VERB", "AUX"):
        return False
    # "the said district": a participle used as an adjective reports nothing.
    return token.dep_ not in ("amod", "compound", "nmod")


def _subject(verb: Token) -> Token | None:
    """The subject of a cue verb, climbing through "went on to say", "…, saying that", and
    the one quoted in "was quoted as saying"."""
    quoted = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "as" else None
    if quoted is not None and quoted.lemma_.lower() in QUOTED_AS:
        return next((c for c in quoted.children if c.dep_ == "nsubjpass"), None)
    token: Token | None = verb
    for _ in range(4):
        assert token is not None
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
            if child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
        # "…, saying that", "Adding that …, he …": a participle shares its clause's subject.
        participle = token.tag_ == "VBG" or token.head.dep_ == "ROOT"
        climbs = token.dep_ in ("xcomp", "conj") or (token.dep_ in ("advcl", "acl") and participle)
        if climbs and token.head.i != token.i:
            if any(c.dep_ == "nsubjpass" for c in token.children):
                return None
            token = token.head
        else:
            return None
    return None


def _cue_tokens(verb: Token) -> list[Token]:
    tokens = [verb, *(c for c in verb.children if c.dep_ == "prt")]
    negation = [c for c in verb.children if c.dep_ == "neg"]
    if negation:  # "did not deny" reports the opposite of "denied"
        tokens += negation + [c for c in verb.children if c.dep_ == "aux" and c.i < negation[0].i]
    return tokens


def _content_prepositions(verb: Token) -> list[Token]:
    allowed = CONTENT_PREPOSITIONS.get(verb.lemma_.lower(), "").split()
    return [c for c in verb.children if c.dep_ == "prep" and c.lower_ in allowed]


def _split_conjoined(clause: Token) -> list[list[Token]]:
    """A `that`-clause with several conjoined contents, each with its own subject or
    `that`, gives one content each; otherwise the clause is one content."""
    parts = [
        c
        for c in clause.children
        if c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)
    ]
    # "says A and says B": the second cue's words are no part of the first content.
    cues = [c for c in clause.subtree if c.dep_ == "conj" and _is_cue_verb(c) and c.i != clause.i]
    if not parts:
        return [_subtree(clause, cues)]
    contents = [_subtree(clause, parts)]
    for part in parts:
        contents.append(_subtree(part, [p for p in parts if p.i != part.i]))
    # The coordinating word between contents belongs to neither.
    return [[t for t in tokens if t.dep_ != "cc" or t.head.i != clause.i] for tokens in contents]


def _frame_end(verb: Token, source: Token | None) -> int:
    """Where the speech frame around a cue ends: its last word, its subject or its
    prepositional phrases ("he said in a statement")."""
    last = verb.i
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("nsubj", "prep", "npadvmod", "advmod", "dobj"):
            last = max(last, child.right_edge.i)
    if source is not None:
        last = max(last, source.right_edge.i)
    token = verb.doc[last]
    return token.idx + len(token)


def _that_clause_in_channel(verb: Token) -> list[Token] | None:
    """A `that`-clause the parser hung inside the channel phrase as a relative clause."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "on", "during"):
            continue
        for token in prep.subtree:
            if token.dep_ == "relcl" and token.left_edge.lower_ == "that":
                return list(token.subtree)
    return None


def _channel(verb: Token) -> str | None:
    """The channel a cue names: "told the Financial Times", "in a statement", "on Twitter",
    "in interviews with Arab media outlets"."""
    misplaced = {t.i for t in _that_clause_in_channel(verb) or ()}
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "on", "via", "during", "through"):
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in CHANNEL_NOUNS:
                    return _text([t for t in obj.subtree if t.i not in misplaced])
    if verb.lemma_.lower() == "tell":
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and child.pos_ in ("PROPN", "NOUN"):
                return _text(_subtree(child))
    for ancestor in (verb.head,) if verb.dep_ in ("advcl", "xcomp", "conj") else ():
        if ancestor.i != verb.i:
            return _channel_of_taking(ancestor)
    return None


def _channel_of_taking(verb: Token) -> str | None:
    """ "taking to Twitter to say": the channel is on the verb the cue hangs from."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "on"):
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in CHANNEL_NOUNS:
                    return _text(_subtree(obj))
    return None


def _text(tokens: list[Token]) -> str:
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and ordered[0].dep_ == "prep":
        ordered.pop(0)
    return "".join(t.text_with_ws for t in ordered).strip(_TRIM)


class _Finder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # built from the tokens on every access: once here
        self.quotes = Quotations(self.text)
        self.found: list[Attribution] = []
        self.cued: set[int] = set()

    def span(self, tokens: Iterable[Token]) -> CharSpan | None:
        return _char_span(tokens, self.text)

    def widen(self, content: CharSpan) -> CharSpan:
        return self.quotes.widen(*content)

    def _quoted(self, content: CharSpan) -> bool:
        """A content that is a quotation: in double marks, or a quote in single marks
        (not a span that starts at an apostrophe)."""
        mark = self.text[content[0]]
        return mark in '"“„«`' or (mark in "‘'" and self.quotes.around(*content) is not None)

    def add(
        self,
        kind: str,
        cue: list[Token],
        contents: list[CharSpan],
        source: Token | None,
        hedge: str | None = None,
        channel: str | None = None,
        source_tokens: list[Token] | None = None,
    ) -> None:
        contents = [c for c in dict.fromkeys(contents) if c[1] - c[0] > 1]
        if kind == "indirect" and any(self._quoted(c) for c in contents):
            kind = "direct"
        if not contents or any(a.content == contents and a.kind == kind for a in self.found[-3:]):
            return  # two clauses of one quotation give one claim
        source_span = None
        if source is not None:
            tokens = source_tokens if source_tokens is not None else _sourcewords(source)
            # The parser runs a dateline into the next paragraph's subject ("11 a.m.\n\nJeb
            # Bush says …"): the source is the line its head word is on.
            tokens = [t for t in tokens if _same_line(self.text, t.idx, source.idx)]
            source_span = self.span(tokens)
        if (
            source is not None
            and source.lemma_.lower() in ANONYMOUS_SOURCES
            and not any(t.ent_type_ for t in source.subtree)
        ):
            kind, hedge = "unattributed", hedge or f"{source.text} {cue[0].text}"
        self.found.append(
            Attribution(
                kind=kind,
                cue=(min(t.idx for t in cue), max(t.idx + len(t) for t in cue)),
                content=contents,
                source=source_span,
                hedge=hedge,
                channel=channel,
                source_token=source.i if source is not None else None,
            )
        )
        self.cued.update(t.i for t in cue)

    # -- the patterns -------------------------------------------------------------------

    def verb_cue(self, verb: Token) -> None:
        if self.quotes.around(verb.idx, verb.idx + len(verb)):
            return  # a cue inside a quotation is part of what is quoted
        if verb.tag_ == "VBN" and not any(
            c.dep_ in ("aux", "auxpass", "nsubj") for c in verb.children
        ):
            return  # "Asked about the talks, …": someone else asked; the subject answers
        source = _subject(verb)
        if source is not None and self.quotes.around(source.idx, source.idx + len(source)):
            source = None  # the parser took a word of the quotation for the speaker
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        if passive:
            if verb.lemma_.lower() in PASSIVE_HEDGES:
                self.passive_hedge(verb)
            return
        cue = _cue_tokens(verb)
        claims = self.complements(verb, source, cue)
        if not claims and _frames_its_head(verb):
            claims = [self.inverted(verb)]
        if not any(claims):
            claims = [self.adjacent_quotes(verb, source)]
        elif self.quotes.around(*claims[-1][-1]):
            resumed = self.quotes.after(_frame_end(verb, source), gap=" ,.:")
            if resumed and resumed[0] > claims[-1][-1][0]:
                claims[-1].append(resumed)
        channel = _channel(verb)
        for contents in claims:
            self.add("indirect", cue, contents, source, channel=channel)

    def complements(
        self, verb: Token, source: Token | None, cue: list[Token]
    ) -> list[list[CharSpan]]:
        """The contents a cue verb governs: one list of spans per claim."""
        lemma = verb.lemma_.lower()
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        xcomps = [c for c in verb.children if c.dep_ == "xcomp" and not _is_cue_verb(c)]
        claims: list[list[CharSpan]] = []
        if clauses:
            for clause in clauses:
                if clause.i < verb.i and source is not None and source.i < clause.i:
                    continue  # "X, he said, Y": the inverted frame
                for tokens in _split_conjoined(clause):
                    span = self.span(tokens)
                    if span:
                        claims.append([self.widen(span)])
            return claims
        if xcomps:
            spans = [self.span(xcomp.subtree) for xcomp in xcomps]
            return [[self.widen(span)] for span in spans if span]
        channel_clause = _that_clause_in_channel(verb)
        if channel_clause is not None:  # "said in interviews with Arab media [that he would…]"
            span = self.span(channel_clause)
            return [[self.widen(span)]] if span else []
        preps = _content_prepositions(verb)
        if preps:
            cue += preps
            spans = [self.span(t for t in prep.subtree if t.i != prep.i) for prep in preps]
            return [[span for span in spans if span]]
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
        audience = any(c.dep_ == "dative" for c in verb.children)  # "asked him a question"
        reports_object = lemma in OBJECT_CONTENT and lemma not in AUDIENCE_OBJECT
        if objects and (reports_object or audience):
            tokens = [t for obj in objects for t in obj.subtree]
            tokens += [
                t
                for c in verb.children
                if c.dep_ == "prep" and c.i > objects[0].i and c.lower_ in ("as", "of")
                for t in c.subtree
            ]
            span = self.span(tokens)
            return [[self.widen(span)]] if span else []
        return []

    def inverted(self, verb: Token) -> list[CharSpan]:
        """ "The Taliban have been defeated, Nazary said": the content is the clause the cue
        hangs from, up to the cue's own words."""
        head = verb.head
        frame = {t.i for t in verb.subtree}
        before = self.span(t for t in head.subtree if t.i < verb.left_edge.i)
        after = self.span(t for t in head.subtree if t.i > verb.right_edge.i and t.i not in frame)
        # "This campaign, he says, is different": the frame interrupts the content.
        return [self.widen(span) for span in (before, after) if span]

    def adjacent_quotes(self, verb: Token, source: Token | None) -> list[CharSpan]:
        """A quotation that the speech frame closes ("“…,” said X") or opens ("X said: “…”",
        also at the start of the next paragraph)."""
        frame_start = verb.left_edge.idx if source is None else min(verb.idx, source.left_edge.idx)
        before = self.quotes.before(frame_start)
        frame_end = _frame_end(verb, source)
        after = self.quotes.after(frame_end)
        contents = []
        if before and (not after or self.text[frame_end : after[0]].strip() in (",", ".")):
            contents.append(before)
        if after:
            contents.append(after)
        return contents

    def passive_hedge(self, verb: Token) -> None:
        """ "It is believed that …" and "X is understood to have …": hedged, unattributed."""
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            return  # "was claimed by the group": attributed, and rare enough to leave
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")), None)
        if clause is None:
            return
        aux = [c for c in verb.children if c.dep_ in ("auxpass", "aux", "neg")]
        if subject is not None and subject.lower_ == "it":
            content = self.span(clause.subtree)
            hedge_tokens = [subject, *aux, verb]
        elif subject is not None and clause.dep_ == "xcomp":
            content = self.span([*subject.subtree, *clause.subtree])
            to = [t for t in clause.children if t.dep_ == "aux" and t.lower_ == "to"]
            hedge_tokens = [*aux, verb, *to]
        else:
            return
        hedge = " ".join(t.text for t in sorted(hedge_tokens, key=lambda t: t.i))
        if content:
            self.add("unattributed", [*aux, verb], [content], None, hedge=hedge)

    def according_to(self, token: Token) -> None:
        """ "…, according to X" — X is the source, the clause around it the content."""
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if to is None or source is None:
            return
        head = token.head
        while head.dep_ not in ("ROOT", "ccomp", "conj", "advcl") and head.head.i != head.i:
            head = head.head
        frame = {t.i for t in (*token.subtree, *to.subtree)}
        tokens = [t for t in head.subtree if t.i not in frame]
        span = self.span(tokens)
        if span is None:
            return
        hedge = None
        if source.lemma_.lower() in ("report", "reports", "source", "sources", "rumour"):
            hedge = f"according to {source.text}"
        kind = "unattributed" if hedge else "according_to"
        self.add(kind, [token, to], [self.widen(span)], source, hedge=hedge)

    def hedge_adverb(self, adverb: Token) -> None:
        """ "The commander was reportedly killed": a claim nobody in the text makes."""
        clause = adverb.head
        span = self.span(t for t in clause.subtree if t.i != adverb.i)
        if span:
            self.add("unattributed", [adverb], [span], None, hedge=adverb.lower_)

    def speech_noun(self, noun: Token) -> None:
        """ "the Taliban's claim that Panjshir had fallen"."""
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")), None)
        if clause is None or not any(
            c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
        ):
            return
        source = next((c for c in noun.children if c.dep_ == "poss"), None)
        span = self.span(clause.subtree)
        if span is None:
            return
        if source is None:  # "reports that Pakistani drones had struck …": nobody's word
            self.add("unattributed", [noun], [self.widen(span)], None, hedge=noun.text)
        else:
            self.add("indirect", [noun], [self.widen(span)], source)

    def headline_colon(self) -> None:
        """ "Taliban: Panjshir Has Fallen" — a headline or transcript line led by a speaker."""
        for line in _HEADLINE_COLON.finditer(self.text):
            speaker = self.doc.char_span(*line.span(1), alignment_mode="contract")
            if speaker is None or len(speaker) > 6:
                continue
            transcript = speaker.text.isupper() and len(speaker.text) > 2
            if self.quotes.around(*line.span(1)) and not transcript:
                continue
            if any(t.pos_ in ("VERB", "AUX") for t in speaker):
                continue  # "Mujahid said: …" is a speech verb's frame
            named = [e for e in speaker.ents if e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
            document = len(speaker) == 1 and speaker.root.lemma_.lower() in DOCUMENT_SOURCES
            if not (named or transcript or document or speaker.root.pos_ == "PROPN"):
                continue
            colon = self.doc.char_span(line.start(2), line.end(2))
            content = self.span(self.doc.char_span(*line.span(3), alignment_mode="expand") or [])
            if colon is None or content is None:
                continue
            source = speaker.root
            self.add("indirect", list(colon), [content], source, source_tokens=list(speaker))

    def signed_quote(self) -> None:
        """A quotation with its speaker after a dash, as pages show quotes and tweets
        ("“…” ― Sonya Herridge", "“…” — Donald J. Trump (@realDonaldTrump) …")."""
        for line in _SIGNED_QUOTE.finditer(self.text):
            speaker = self.doc.char_span(*line.span("source"), alignment_mode="contract")
            dash = self.doc.char_span(*line.span("dash"), alignment_mode="expand")
            content = self.doc.char_span(*line.span("content"), alignment_mode="contract")
            if speaker is None or dash is None or content is None or len(speaker) > 6:
                continue
            if not any(t.pos_ == "PROPN" for t in speaker):
                continue
            self.add("direct", list(dash), [self.widen(line.span("content"))], speaker.root,
                     source_tokens=list(speaker))  # fmt: skip

    def run(self) -> list[Attribution]:
        self.headline_colon()
        self.signed_quote()
        for token in self.doc:
            lower = token.lower_
            if lower == "according" and token.dep_ == "prep":
                self.according_to(token)
            elif lower in HEDGE_ADVERBS and token.dep_ == "advmod":
                self.hedge_adverb(token)
            elif _is_cue_verb(token):
                self.verb_cue(token)
            elif token.lemma_.lower() in PASSIVE_HEDGES and token.tag_ == "VBN":
                self.passive_hedge(token)  # "is understood to", "is thought to"
            elif token.lemma_.lower() in SPEECH_NOUNS and token.pos_ == "NOUN":
                self.speech_noun(token)
        return self.found


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every attribution in a parsed text, in text order of its cue."""
    found = _Finder(doc).run()
    found.sort(key=lambda a: a.cue or a.content[0])
    return found


def extract_claims(doc: Doc, entities: list[Entity]) -> list[Claim]:
    """The article's claims, each linked to its speaker's entity where one is found."""
    mentions = mentions_of(entities)
    text = doc.text
    claims: list[Claim] = []
    for attribution in find_attributions(doc):
        speaker = resolve_speaker(doc, attribution.source, attribution.source_token, mentions)
        entity = speaker.entity
        head = attribution.source_token
        pronoun = head is not None and doc[head].pos_ == "PRON"
        if entity is not None and attribution.source and pronoun:  # "He said … He denied …"
            insort(mentions, Mentioned(*attribution.source, entity), key=lambda m: m.start)
        start, end = attribution.content[0][0], attribution.content[-1][1]
        cue = attribution.cue
        source = attribution.source
        claims.append(
            Claim(
                id=len(claims),
                kind=attribution.kind,  # type: ignore[arg-type]
                cue=text[cue[0] : cue[1]] if cue else None,
                content=" … ".join(text[a:b] for a, b in attribution.content),
                start=start,
                end=end,
                speaker=entity.id if entity else None,
                speaker_text=text[source[0] : source[1]] if source else None,
                speaker_name=entity.name if entity else None,
                speaker_role=speaker.role,
                speaker_affiliation=speaker.affiliation,
                hedge=attribution.hedge,
                channel=attribution.channel,
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
                speaker_start=source[0] if source else None,
                speaker_end=source[1] if source else None,
            )
        )
    return claims
