"""Residue that scrapers glue into a story: captions, teaser runs, promotion, bylines.

Every rule here reads typography and contact patterns rather than one outlet's phrases:
a credit glued to the next word ("AFPFighters"), a run of ALL-CAPS kickers each before a
headline, an e-mail address or phone number with the sentences that address the reader
around it. A sentence in quotation marks, or one with a speech verb, is the story speaking
and is never taken for promotion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from statistics import median

from fogmap.text._stopwords import stopwords
from fogmap.text.clean import Cut, lines, rule

# A sentence ends at . ! ? (and a closing quote) before a space and a capital, digit or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»)]?\s+(?=[\"“‘«(]?[A-Z0-9ÀÁÂÄÉÈÖÜ])")


def sentences(line: re.Match[str]) -> Iterator[tuple[int, int]]:
    """Offsets (into the whole text) of the sentences of one line."""
    start = 0
    body = line.group()
    for end in _SENTENCE_END.finditer(body):
        yield line.start() + start, line.start() + end.start()
        start = end.end()
    if start < len(body):
        yield line.start() + start, line.end()


# -- captions ------------------------------------------------------------------------------

_SHORTCODE = re.compile(r"\[/?(caption|gallery|embed|video|audio|playlist)\b[^\]\n]{0,300}\]")
_CAPTION_PAIR = re.compile(r"\[caption\b[^\]\n]{0,300}\](.{1,600}?)\[/caption\]")
_CAPTION_CLOSE = re.compile(r"\[/caption\]")
_AGENCY = (
    r"AFP|AP|Reuters|EPA(?:-EFE)?|Getty(?: Images)?|Shutterstock|Alamy|PA(?: Images| Wire)?|"
    r"ANP|dpa|Xinhua|Anadolu(?: Agency)?|Sipa|Bloomberg|SWNS|Rex Features|Corbis|IStock|"
    r"UPI|TASS|NurPhoto|SOPA Images|ZUMA(?: Press| Wire)?|Wikimedia Commons"
)
# A credit run into the caption's first word: "AFPFighters of …", "Getty ImagesA soldier …".
_GLUED_CREDIT = re.compile(
    rf"^(?:(?:{_AGENCY})(?:/[A-Za-z]+)?(?=[A-Z])|[A-Z]{{3,}}(?=[A-Z][a-z]{{2,}}))"
)
_COPYRIGHT = re.compile(r"\d{4}|rights reserved", re.IGNORECASE)
_CREDIT = re.compile(
    rf"(?:^|[\s(|–—-])(?:(?:Photo|Picture|Image|Foto|Bild|Credit|Source|Quelle)s?(?: credit)?"
    rf"\s*[:©]\s*[^.\n]{{1,80}}|©\s*[^.\n]{{1,60}}|(?:{_AGENCY})(?: via (?:{_AGENCY}))?)\)?\s*$"
)
_CREDIT_LINE = re.compile(
    rf"^\(?(?:(?:Photo|Picture|Image|Foto|Bild|Credit|Quelle)s?(?: credit)?\s*[:©]\s*"
    rf"[^.\n]{{1,80}}|©\s*[^\n]{{1,80}}|(?:{_AGENCY})(?:\s*(?:/|via)\s*[^\n]{{1,40}})?)\)?$"
)


def _caption_text(text: str) -> str:
    text = _SHORTCODE.sub("", text)
    text = _GLUED_CREDIT.sub("", text.strip())
    return _CREDIT.sub("", text).strip(" |–—-")


@rule("caption")
def captions(text: str) -> Iterator[Cut]:
    """Photo captions, kept apart: `[caption]` blocks, lines closed by a stray `[/caption]`,
    lines that open with a glued credit, short lines that end with one; and the same run
    into a paragraph, where a caption is only the short run between the story's sentence
    before it and its credit or closing mark (`_inline_captions`)."""
    claimed: list[tuple[int, int]] = []
    for match in _CAPTION_PAIR.finditer(text):
        claimed.append(match.span())
        yield Cut(*match.span(), "caption", _caption_text(match.group(1)) or None)
    for line in lines(text):
        if any(start <= line.start() < end for start, end in claimed):
            continue
        body = line.group()
        closed = _CAPTION_CLOSE.search(body)
        if closed and closed.end() == len(body) and _caption_start(body, closed.start()) == 0:
            caption = _caption_text(body[: closed.start()]) or None
            yield Cut(line.start(), line.start() + closed.end(), "caption", caption)
        elif _CREDIT_LINE.match(body) and not _COPYRIGHT.search(body):
            yield Cut(line.start(), line.end(), "credit")
        elif (
            len(body) <= 300
            and (_glued_caption(body) or _credited_caption(body))
            and _caption_start(body, len(body)) == 0  # no sentence of the story before it
        ):
            yield Cut(line.start(), line.end(), "caption", _caption_text(body) or None)
        else:
            for start, end, caption in _inline_captions(text, line):
                yield Cut(line.start() + start, line.start() + end, "caption", caption or None)


_CAPTION_WORDS = 30  # a run longer than this before a credit is the story, not a caption
# A credit that closes a caption inside a paragraph: "(AFP)", "(Photo: Xinhua)",
# "Photograph: Jane Morgan/AP", "| EPA", "© Reuters", "Credit: Lucy Fraser/SWNS".
_INLINE_CREDIT = re.compile(
    rf"\s*(?:\((?:(?:Photo|Picture|Image|Foto)s?\s*:\s*)?(?:{_AGENCY})\)"
    rf"|(?:Photo(?:graph)?|Picture|Image|Credit)s?\s*:\s*(?:[A-Z][\w.'’-]*\s?){{0,3}}/?(?:{_AGENCY})"
    rf"|[|©]\s*(?:{_AGENCY}))(?=\s|$)(?!\s*[—–-])"  # "WASHINGTON (AP) —" is a dateline
)
# A credit glued to the caption's first word, or a caption label, after a sentence.
_INLINE_OPENING = re.compile(
    rf"(?:^|(?<=[.!?\"”’)])\s)(?:(?:{_AGENCY})(?=[A-Z][a-z])|(?:Image|Photo|Picture) caption\s+"
    r"|Caption:\s+)"
)


def _caption_start(body: str, end: int) -> int:
    """Where a caption that ends at `end` starts: after the story's last sentence before
    it (a caption itself has no full stop)."""
    starts = [match.end() for match in _SENTENCE_END.finditer(body, 0, end)]
    return starts[-1] if starts else 0


def _inline_captions(text: str, line: re.Match[str]) -> Iterator[tuple[int, int, str]]:
    """Captions run into a paragraph: (start, end, caption text) of each, in the line."""
    body = line.group()
    previous = 0  # captions in a row: each starts where the one before it closed
    for closed in _CAPTION_CLOSE.finditer(body):
        start = max(_caption_start(body, closed.start()), previous)
        start += len(body[start:]) - len(body[start:].lstrip())
        previous = closed.end()
        yield start, closed.end(), _caption_text(body[start : closed.start()])
    for credit in _INLINE_CREDIT.finditer(body):
        start = _caption_start(body, credit.start())
        run = body[start : credit.start()]
        if run and not _ends_sentence(run) and len(run.split()) <= _CAPTION_WORDS:
            yield start, credit.end(), _caption_text(run)
    for opening in _INLINE_OPENING.finditer(body):
        start = opening.start() + body[opening.start()].isspace()
        end = _headline_end(text, line, opening.end())
        if end is not None:
            yield start, end, _caption_text(body[opening.end() : end])


def _glued_caption(line: str) -> bool:
    return bool(_GLUED_CREDIT.match(line)) and not _ends_sentence(line)


def _credited_caption(line: str) -> bool:
    """A short line that ends with a credit, the words before it not a finished sentence."""
    credit = _CREDIT.search(line)
    if credit is None:
        return False
    return not _COPYRIGHT.search(line) and not _ends_sentence(line[: credit.start()])


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", '"', "”", "’"))


@rule("shortcode")
def shortcodes(text: str) -> Iterator[Cut]:
    """WordPress-style `[gallery]`, `[embed]` … markers leaked into scraped text."""
    for match in _SHORTCODE.finditer(text):
        yield Cut(*match.span(), "shortcode")


# -- teaser runs ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_KICKER = re.compile(r"^[A-Z][A-Z'’&\-]+:?$")
_WORD = re.compile(r"[a-zà-ÿ]{4,}")
_MIN_HEADLINE, _MAX_HEADLINE = 3, 20


def _is_headline(tokens: list[re.Match[str]]) -> bool:
    return (
        _MIN_HEADLINE <= len(tokens) <= _MAX_HEADLINE
        and (tokens[0].group()[0].isupper() or tokens[0].group()[0].isdigit())
        and not any(token.group().endswith((".", "!", "?")) for token in tokens[:-1])
    )


def _vocabulary(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return set(words) - stopwords(words)


def _topical(tokens: list[re.Match[str]], vocabulary: set[str]) -> int:
    """How many of the tokens are words of the article (its vocabulary has no stop words)."""
    return sum(bool(set(_WORD.findall(token.group().lower())) & vocabulary) for token in tokens)


@rule("teaser")
def teaser_runs(text: str) -> Iterator[Cut]:
    """Teaser runs ("MOST READ … EXCLUSIVE Soap star's … SHOCK Man finds …"), also spliced
    into the middle of a sentence.

    A run is two or more ALL-CAPS kickers, each before a headline-shaped stretch. Where the
    story resumes inside the last headline ("… garden party positions across the
    valley."), the split is the one whose tail shares most words with the rest of the
    article, ties going to the headline length closest to the run's other headlines.
    """
    for line in lines(text):
        tokens = list(_TOKEN.finditer(line.group()))
        segments: list[tuple[int, int, int]] = []  # kicker start, headline start, end
        index = 0
        while index < len(tokens):
            if not _KICKER.match(tokens[index].group()):
                index += 1
                continue
            kicker = index
            while index < len(tokens) and _KICKER.match(tokens[index].group()):
                index += 1
            headline = index
            while index < len(tokens) and not _KICKER.match(tokens[index].group()):
                if tokens[index].group().endswith((".", "!", "?")):
                    index += 1
                    break
                index += 1
            segments.append((kicker, headline, index))
        yield from _teaser_cuts(text, line, tokens, segments)


def _teaser_cuts(
    text: str,
    line: re.Match[str],
    tokens: list[re.Match[str]],
    segments: list[tuple[int, int, int]],
) -> Iterator[Cut]:
    run: list[tuple[int, int, int]] = []
    for segment in [*segments, None]:
        if (
            segment is not None
            and run
            and segment[0] == run[-1][2]
            and (_is_headline(tokens[run[-1][1] : run[-1][2]]))
        ):
            run.append(segment)
            continue
        if run and run[-1][1] == run[-1][2]:
            run.pop()  # a kicker with no headline after it ends the line
        if (
            len(run) >= 2
            and all(_is_headline(tokens[h:e]) for _, h, e in run[:-1])
            and (len(run) >= 3 or run[0][1] - run[0][0] >= 2 or _headlines_open(tokens, run))
        ):
            yield _close_run(text, line, tokens, run)
        run = [segment] if segment is not None else []


def _headlines_open(tokens: list[re.Match[str]], run: list[tuple[int, int, int]]) -> bool:
    """Whether a run opens where a sentence may and every kicker stands before a
    capitalised headline ("… last week. SHOCK Man finds … VIDEO Chef shuts …"), as
    acronyms inside a sentence do not ("The UN Security Council and NATO Secretary …")."""
    first = run[0][0]
    opens = first == 0 or tokens[first - 1].group().endswith((".", "!", "?", '"', "”", "’"))
    return opens and all(h < e and tokens[h].group()[0].isupper() for _, h, e in run)


def _close_run(
    text: str, line: re.Match[str], tokens: list[re.Match[str]], run: list[tuple[int, int, int]]
) -> Cut:
    offset = line.start()
    start = offset + tokens[run[0][0]].start()
    _, first, end = run[-1]
    last = tokens[first:end]
    lengths = [e - h for _, h, e in run[:-1]]
    typical = median(lengths)
    ends_line = end == len(tokens) and not last[-1].group().endswith((".", "!", "?"))
    if ends_line and len(last) <= _MAX_HEADLINE:
        return Cut(start, offset + last[-1].end(), "teaser")
    vocabulary = _vocabulary(text[:start] + " " + text[offset + tokens[end - 1].end() :])
    function_words = stopwords([t.group() for t in last])

    def opens_sentence(token: re.Match[str]) -> bool:
        return token.group()[0].isupper() and token.group().lower() in function_words

    candidates = [
        split
        for split in range(_MIN_HEADLINE, min(len(last), _MAX_HEADLINE) + 1)
        if split == len(last) or last[split].group()[0].islower() or opens_sentence(last[split])
    ]
    split = max(
        candidates,
        key=lambda split: (
            _topical(last[split:], vocabulary) - _topical(last[:split], vocabulary),
            split < len(last) and opens_sentence(last[split]),
            -abs(split - typical),
        ),
        default=min(len(last), round(typical)),
    )
    return Cut(start, offset + last[split - 1].end(), "teaser")


# -- links to other stories ---------------------------------------------------------------

# A capitalised label of link words ending in a colon ("READ MORE:", "Related:", "See
# also:", "Lesen Sie auch:"), or a "Related articles" heading; what follows is a headline.
# The words are the closed class links are labelled with (a "Termin: 19 Uhr" or "Precht:
# Also ich glaube" line is the page's own).
_LINK_WORDS = (
    r"read|more|related|see|also|next|recommended|further|reading|watch|lesen|sie|mehr|"
    r"zum|thema|auch|voir|lire|aussi|leer|más|ver|también|leggi|anche|altro"
)
_LINK_LABEL = re.compile(
    rf"(?:^|(?<=\s))(?:(?=[A-Z])(?i:(?:{_LINK_WORDS})(?: (?:{_LINK_WORDS})){{0,2}}):"
    r"|(?i:related (?:articles|stories|content|coverage|news|links)))\s+(?=[A-Z0-9\"“‘])"
)


@rule("related")
def related_links(text: str) -> Iterator[Cut]:
    """Links to other stories left in the body: a label, then a headline that ends at the
    line's end or where the story resumes (the split whose tail shares most words with
    the article, a sentence opening with a capitalised function word preferred)."""
    for line in lines(text):
        body = line.group()
        for label in _LINK_LABEL.finditer(body):
            if body[label.end()] in '"“‘':
                continue  # a quotation follows a speaker, not a link
            end = _headline_end(text, line, label.end())
            if end is not None:
                start = label.start() + (body[label.start()].isspace())
                yield Cut(line.start() + start, line.start() + end, "related")


def _headline_end(text: str, line: re.Match[str], start: int) -> int | None:
    """Where a headline that starts at `start` (in the line) ends, or None where a sentence
    starts there. Where the story resumes on the same line, the split is the one whose
    tail shares most words with the rest of the article (the words around this stretch),
    a sentence opening with a capitalised function word preferred."""
    body = line.group()
    tokens = list(_TOKEN.finditer(body, start))
    stop = next((i for i, t in enumerate(tokens) if t.group().endswith((".", "!", "?"))), None)
    if stop is not None and stop < _MIN_HEADLINE:
        return None  # a short sentence, not a headline
    if stop is None and len(tokens) <= _MAX_HEADLINE * 2:
        return tokens[-1].end()  # the headline (or two, "Related articles …") ends the line
    reach = min(len(tokens), _MAX_HEADLINE * 2, stop if stop is not None else len(tokens))
    candidates = [
        split
        for split in range(_MIN_HEADLINE, reach)
        if tokens[split].group()[0].isupper() or tokens[split].group()[0] in '"“‘'
    ]
    if not candidates:
        return None
    sentence_end = (stop + 1) if stop is not None else len(tokens)
    window = (line.start() + start, line.start() + tokens[sentence_end - 1].end())
    vocabulary = _vocabulary(text[: window[0]] + " " + text[window[1] :])
    function_words = stopwords([t.group() for t in tokens])

    def fit(split: int) -> tuple[int, bool, int]:
        head, tail = tokens[:split], tokens[split:sentence_end]
        opens = tokens[split].group().lower().strip('"“‘') in function_words
        return (_topical(tail, vocabulary) - _topical(head, vocabulary), opens, -split)

    return tokens[max(candidates, key=fit) - 1].end()


# -- promotion and service text ------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w/.])\+?\(?\d[\d ()\-.]{7,16}\d(?![\w/])")
_CONTACT_WORD = re.compile(
    r"\b(?:call|phone|tel|telephone|ring|text|sms|whatsapp|signal|telegram|contact|hotline|"
    r"fax|mobile)\b",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"\b(?:click|tap) here\b|\bsign up (?:to|for) (?:our|the)\b|^sign up\b|\bsubscribe\b|"
    r"\bnewsletters?\b|\bfollow us\b|"
    r"\bshare (?:this|on)\b|\bdownload (?:our|the)\b.{0,40}\bapp\b|"
    r"^follow\b.{0,40}\bon (?:twitter|facebook|instagram|tiktok|youtube|telegram|x)\b|"
    r"^advertisement$|\bcontinues? below(?: the)? advert|\bcontinue reading (?:below|the main)|"
    r"\bwe pay for (?:your )?stor|"
    r"\bcookies?\b.{0,60}\b(?:accept|consent|use|policy|settings)\b|"
    r"\b(?:accept|consent to|use of) (?:all )?cookies\b|\bprivacy policy\b|"
    r"\bterms (?:of|and) (?:use|service|conditions)\b|\ball rights reserved\b|"
    r"\bcopyright\b.{0,40}\d{4}|©|\bread more\s*:|\bfor the latest\b.{0,40}\bvisit\b|"
    r"\bsupport (?:our|independent) journalism\b|\bdonate\b.{0,30}\b(?:today|now)\b",
    re.IGNORECASE,
)
# An advertising marker left between two sentences ("… last week. Advertisement The …").
_AD_MARKER = re.compile(
    r"(?:^|(?<=[.!?\"”’)]\s))(?:ADVERTISEMENT|Advertisement|Sponsored content|"
    r"Story continues below(?: the)? advertisement|Continue reading (?:below|the main story))"
    r"(?=\s+[\"“‘]?[A-Z0-9]|\s*$)"
)
# Addressing the reader: second person, or "us"/"our" as the outlet.
_READER = re.compile(r"\b(?:you|your|yours|us)\b", re.IGNORECASE)
_SPEECH = re.compile(
    r"[\"“”«»]|\b(?:said|says|told|added|stated|claimed|according to)\b", re.IGNORECASE
)


def _promotional(sentence: str) -> bool:
    sentence = _BUTTON_RUN.sub(" ", sentence)  # a share bar is the byline rule's
    if _SPEECH.search(sentence):
        return False
    if _EMAIL.search(sentence) or _CALL_TO_ACTION.search(sentence):
        return True
    phone = _PHONE.search(sentence)
    return bool(phone and _CONTACT_WORD.search(sentence) and _digits(phone.group()) >= 9)


def _to_the_reader(sentence: str) -> bool:
    """A sentence that addresses the reader: in the second person, or a short question
    ("Got a story?", "Were you there?")."""
    if _SPEECH.search(sentence):
        return False
    short_question = sentence.rstrip().endswith("?") and len(sentence.split()) <= 4
    return short_question or bool(_READER.search(sentence))


def _digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


@rule("promotion")
def promotion(text: str) -> Iterator[Cut]:
    """Tip lines, calls to action, subscription, cookie and copyright notices.

    A sentence with contact details or a call to action goes; so do the sentences next to
    it in the same paragraph that address the reader ("We pay for your stories! Do you
    have a story for …?"), unless they quote someone.
    """
    for line in lines(text):
        for marker in _AD_MARKER.finditer(line.group()):
            yield Cut(line.start() + marker.start(), line.start() + marker.end(), "promotion")
        spans = list(sentences(line))
        promo = [_promotional(text[start:end]) for start, end in spans]
        if not any(promo):
            continue
        reader = [_to_the_reader(text[start:end]) for start, end in spans]
        changed = True
        while changed:
            changed = False
            for index in range(len(spans)):
                if promo[index] or not reader[index]:
                    continue
                if (index and promo[index - 1]) or (index + 1 < len(spans) and promo[index + 1]):
                    promo[index] = changed = True
        for (start, end), is_promo in zip(spans, promo, strict=True):
            if is_promo:
                yield Cut(start, start + _promotion_end(text[start:end]), "promotion")


_CREDIT_AFTER = re.compile(rf"\s*(?:{_AGENCY})\b")
_STORY_RESUMES = re.compile(r"\s+[\"“‘]?[A-Z][a-z]+(?:\s+\S+){3}")


def _promotion_end(sentence: str) -> int:
    """Where the promotion in a sentence ends: where the story resumes after an address or
    a call to action with no full stop between them ("… at news@example.org He said …")."""
    patterns = (_EMAIL, _PHONE, _CALL_TO_ACTION, _BUTTON_RUN)
    marks = [m for pattern in patterns for m in pattern.finditer(sentence)]
    if not marks:
        return len(sentence)
    last = max(mark.end() for mark in marks)
    credit = _CREDIT_AFTER.match(sentence, last)  # "© PA"
    last = credit.end() if credit else last
    if _STORY_RESUMES.match(sentence, last) and not _SPEECH.search(sentence, last):
        return last
    return len(sentence)


_BYLINE = re.compile(
    r"^(?:By|Von|Par|Por|Di)\s+[A-ZÀ-Ý][\w.'’-]*(?:[ ,]+(?:and |und |&\s)?[A-ZÀ-Ý][\w.'’-]*){0,7}"
    r"(?:\s*[|,–—-]\s*.{0,60})?$"
)
_STAMP_WORD = r"(?:Published|Updated|Posted|Last (?:updated|modified)|Veröffentlicht|Aktualisiert)"
_DATELINE = re.compile(
    rf"^(?:{_STAMP_WORD}\s*(?:on|at|:)?\s*[^|\n]{{4,40}}(?:\s*\|\s*|\s*$))+$", re.IGNORECASE
)
_SOCIAL = re.compile(
    r"^(?:(?:Share|Teilen|Tweet|Facebook|Twitter|X|WhatsApp|LinkedIn|Pinterest|Reddit|E-?mail|"
    r"Telegram|Print|Copy link|Flipboard|Messenger|Xing|Drucken)\b[\s:|,·•/]*){1,10}$",
    re.IGNORECASE,
)


def dateline_date(stamp: str) -> str | None:
    """The publication date of a "Published 14:05, 3 March 2023 | Updated …" stamp, ISO 8601
    (a time when the stamp has one); None where it cannot be read."""
    import dateparser  # slow to import, needed only for text that carries a stamp

    first = re.sub(rf"^\s*{_STAMP_WORD}\s*(?:on|at|:)?\s*", "", stamp.split("|")[0], flags=re.I)
    if not re.search(r"\b(?:19|20)\d{2}\b", first):
        return None  # "yesterday", "2 hours ago": relative to a moment the text does not give
    found = dateparser.parse(first, languages=["en", "de", "fr", "es"])
    if found is None:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", first))
    return found.isoformat() if has_time else found.date().isoformat()


# Button labels in a row, as a share bar leaves them inside a flattened paragraph: three or
# more capitalised labels with nothing but spaces or separators between them ("Facebook,
# Twitter and WhatsApp" in a sentence has commas and a conjunction).
_BUTTON = (
    r"(?:Share(?: (?:on|via) [A-Z][\w-]+| this(?: article| story| page)?)?|Tweet|Pin(?: it)?|"
    r"E-?mail|Print|Facebook|Twitter|WhatsApp|LinkedIn|Telegram|Reddit|Pinterest|Messenger|"
    r"Flipboard|Copy link|Comments?)"
)
_BUTTON_RUN = re.compile(rf"(?<![\w,])(?:{_BUTTON}(?:\s*[|·•/]\s*|\s+)){{2,}}{_BUTTON}\b")
# A time stamp inside the body: a stamp word, then only date and time words.
_DATE_WORD = (
    r"(?:\d{1,4}(?:[:.]\d{2})?(?:am|pm)?|[AaPp]\.?[Mm]\.?|GMT|BST|UTC|CET|CEST|EST|EDT|ET|"
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Mon(?:day)?|Tue(?:sday)?|"
    r"Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)"
)
_ONE_STAMP = rf"{_STAMP_WORD}\s*(?:on|at)?\s*:?\s*{_DATE_WORD}(?:[\s,/-]*{_DATE_WORD}){{1,8}}"
_STAMP = re.compile(rf"\b{_ONE_STAMP}(?:\s*\|\s*{_ONE_STAMP})*")  # "Published … | Updated …"


_NAME = r"[A-Z][\w’'-]+ [A-Z][\w’'-]+"
# A byline run into a paragraph: "By Jane Morgan", "By A B and C D", "By Jane Morgan, The
# Courier", before the next sentence.
_INLINE_BYLINE = re.compile(
    rf"(?:^|(?<=[.!?\"”’)]\s))By {_NAME}(?: and {_NAME})?(?=(?P<outlet>,)?\s)"
)


def _inline_byline_end(body: str, byline: re.Match[str]) -> int | None:
    """Where an inline byline ends: after its names, or after the outlet named after a
    comma (up to three capitalised words before a sentence start: before a capitalised
    function word where there is one, else two words, as most outlets' names are)."""
    if byline.group("outlet") is None:
        rest = body[byline.end() :].lstrip()
        return byline.end() if not rest or rest[0].isupper() or rest[0] in '"“‘' else None
    words = list(_TOKEN.finditer(body, byline.end() + 1))
    function_words = stopwords([w.group() for w in words[:12]])
    fits = [
        k
        for k in range(1, min(3, len(words)) + 1)
        if all(w.group()[0].isupper() for w in words[:k])
        and (k == len(words) or words[k].group()[0].isupper() or words[k].group()[0] in '"“‘')
    ]
    if not fits:
        return None
    opening = [k for k in fits if k < len(words) and words[k].group().lower() in function_words]
    k = opening[0] if opening else (2 if 2 in fits else fits[0])
    return words[k - 1].end()


@rule("byline")
def bylines(text: str) -> Iterator[Cut]:
    """Bylines, publication stamps and share-button rows, as lines of the body or run into
    its paragraphs."""
    for line in lines(text):
        body = line.group()
        short = len(body) <= 120
        if short and _BYLINE.match(body) and not _ends_sentence(body):
            yield Cut(line.start(), line.end(), "byline")
        elif short and _DATELINE.match(body):
            yield Cut(line.start(), line.end(), "dateline")
        elif short and _SOCIAL.match(body):
            yield Cut(line.start(), line.end(), "share")
        else:
            for match in _BUTTON_RUN.finditer(body):
                yield Cut(line.start() + match.start(), line.start() + match.end(), "share")
            for match in _STAMP.finditer(body):
                yield Cut(line.start() + match.start(), line.start() + match.end(), "dateline")
            for match in _INLINE_BYLINE.finditer(body):
                end = _inline_byline_end(body, match)
                if end is not None:
                    yield Cut(line.start() + match.start(), line.start() + end, "byline")
