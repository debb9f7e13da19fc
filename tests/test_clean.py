"""The cleaner on flattened news text: residue goes with its reason, the story stays whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from fogmap.text.clean import clean, normalise

FIXTURES = Path(__file__).parent / "fixtures"


def _reasons(text: str) -> dict[str, str]:
    return {removed.text: removed.reason for removed in clean(text).removed}


@pytest.fixture(scope="module")
def bridge() -> str:
    return (FIXTURES / "dump-bridge-residue.txt").read_text(encoding="utf-8")


STORY_SENTENCES = [
    "Militia fighters retake river crossing after two-day battle",
    "Fighters loyal to the regional council said on Friday that they had retaken the Korva "
    "bridge after two days of fighting with government troops.",
    '"We will hold the bridge whatever it costs," a commander of the council\'s forces told '
    "reporters at the crossing.",
    "A spokesman said at least 12 soldiers had been killed since Wednesday, while local "
    "officials put the toll at more than 30 dead, including civilians.",
    "We could hear the artillery all night, one resident said by phone.",
    "The UN Security Council and NATO Secretary General Jens Stoltenberg called for an "
    "immediate ceasefire.",
]


@pytest.mark.parametrize("sentence", STORY_SENTENCES)
def test_every_story_sentence_survives(bridge: str, sentence: str) -> None:
    assert sentence in clean(bridge).text


@pytest.mark.parametrize(
    ("residue", "reason"),
    [
        ("By Hana Idris and Peter Okafor", "byline"),
        ("Published 14:05, 3 March 2023 | Updated 16:40, 3 March 2023", "dateline"),
        ("Credit: Reuters", "credit"),
        ("Do you have a story for us?", "promotion"),
        ("We pay for your stories!", "promotion"),
        ("Email news@bridgetimes.example or call +44 20 7946 0958.", "promotion"),
        ("You can also WhatsApp us on 07700 900 456.", "promotion"),
        ("Read more: Why the Korva bridge matters", "related"),
        ("Sign up to our daily newsletter for the latest news from the region.", "promotion"),
        ("All rights reserved.", "promotion"),
    ],
)
def test_each_kind_of_residue_is_removed_with_its_reason(
    bridge: str, residue: str, reason: str
) -> None:
    assert residue not in clean(bridge).text
    assert _reasons(bridge)[residue] == reason


def test_a_teaser_run_spliced_into_a_sentence_is_cut_where_the_story_resumes(bridge: str) -> None:
    cleaned = clean(bridge)
    assert "put the toll at more than 30 dead" in cleaned.text
    (teaser,) = [r for r in cleaned.removed if r.reason == "teaser"]
    assert teaser.text.startswith("TRENDING NOW EXCLUSIVE Singer's villa")
    assert teaser.text.endswith("Pension warning for millions born before 1970")


def test_captions_leave_the_body_and_are_kept_without_their_credit(bridge: str) -> None:
    cleaned = clean(bridge)
    assert cleaned.captions == ["A convoy of pickup trucks crosses the Korva bridge on Thursday"]
    assert "convoy of pickup trucks" not in cleaned.text
    assert "[/caption]" not in cleaned.text


def test_removed_spans_point_into_the_normalised_text(bridge: str) -> None:
    normal = normalise(bridge)
    removed = clean(bridge).removed
    assert len(removed) >= 12
    assert all(normal[r.start : r.end] == r.text for r in removed)
    assert all(a.end <= b.start for a, b in itertools.pairwise(removed))


def test_page_furniture_around_a_story_goes_and_its_short_lines_stay() -> None:
    page = (FIXTURES / "dump-page-furniture.txt").read_text(encoding="utf-8")
    cleaned = clean(page)
    for kept in (
        "Korva residents return to shelled homes as ceasefire holds",
        "What the ceasefire says",  # a subheading
        "Monitors from the regional bloc will patrol the crossing.",  # a short list item
        "By Friday evening the council's fighters had reached the river",
        '"We are tired of this war, and we want our children back in school," said Amina',
    ):
        assert kept in cleaned.text
    for gone in ("Skip to content", "Middle East", "Related stories", "Careers", "cookies"):
        assert gone not in cleaned.text
    assert cleaned.captions == ["Smoke rises over the southern bank of the Korva river"]
    reasons = {r.reason for r in cleaned.removed}
    assert reasons == {"boilerplate", "caption"}


@pytest.mark.parametrize(
    "sentence",
    [
        '"We pay for every shell they fire at us," the commander said.',
        'Residents were told to "call 0800 555 0199" if they found unexploded shells, the '
        "ministry said.",
        "By Friday evening the council's fighters had reached the river.",
        "The UN, NATO and EU said they were ready to send monitors to the bridge.",
        "Officials said the IDF and the PLO had not commented on the report.",
        "You could see the smoke from the city, said Amina Yusuf, a teacher.",
        "Reuters could not independently verify the figures.",
        "The photo, credited to AFP, showed fighters on the bridge.",
        "The council [sic] said the bridge was open.",
        "NGOs warn of hunger in Korva",
        "IDPs return to the river villages",
    ],
)
def test_look_alike_story_sentences_survive(sentence: str) -> None:
    text = (
        "Fighters of the regional council held the bridge on Saturday after a night of heavy "
        f"shelling, according to residents and local officials.\n\n{sentence}\n\n"
        "The defence ministry did not respond to a request for comment on the fighting."
    )
    cleaned = clean(text)
    assert sentence in cleaned.text, [r.text for r in cleaned.removed]
    assert not cleaned.removed


def test_a_teaser_run_at_the_end_of_a_paragraph_goes_whole() -> None:
    text = (
        "The shelling stopped at noon, residents of the town said on Sunday. MORE FROM WORLD "
        "LIVE Talks resume in the capital as deadline nears ANALYSIS What the ceasefire means "
        "for farmers"
    )
    cleaned = clean(text)
    assert cleaned.text == "The shelling stopped at noon, residents of the town said on Sunday."
    assert [r.reason for r in cleaned.removed] == ["teaser"]


def test_shortcodes_go_and_square_brackets_of_the_story_stay() -> None:
    text = 'The [gallery ids="4,5"] valley stayed quiet.\nHe said [the Taliban] had left.'
    cleaned = clean(text)
    assert cleaned.text == "The valley stayed quiet.\nHe said [the Taliban] had left."
    assert [(r.text, r.reason) for r in cleaned.removed] == [('[gallery ids="4,5"]', "shortcode")]


def test_extracted_text_keeps_short_lines_that_look_like_furniture() -> None:
    """An HTML extractor has already chosen the main content; only residue rules run."""
    text = "Home\nWorld\nThe talks resumed on Monday in the capital, officials said.\nSport"
    assert clean(text, extracted=True).text == text
    assert clean(text).text == "The talks resumed on Monday in the capital, officials said."


def test_a_scraped_publication_stamp_dates_a_text_article(bridge: str) -> None:
    from fogmap.pipeline import prepare
    from fogmap.records import RawDocument

    article = prepare(RawDocument("dump.txt", text=bridge), published="2023-01-01").article
    assert article.published == "2023-03-03T14:05:00"
    given = prepare(RawDocument("dump.txt", text=bridge, published="2023-03-04")).article
    assert given.published == "2023-03-04"  # a date given with the input wins
    undated = "Updated: 2 hours ago\n\n" + STORY_SENTENCES[1]
    assert prepare(
        RawDocument("x.txt", text=undated), published="2023-01-01"
    ).article.published == ("2023-01-01")


# A whole article flattened onto one line by a scraper, residue run into it.
ONE_PARAGRAPH_STORY = [
    "A convoy of 40 trucks carrying food and medicine reached the besieged town of Marel on "
    "Tuesday, the first aid to arrive since the siege began in March.",
    "Local officials said the trucks had been held at a checkpoint for two days before they "
    "were allowed through as the convoy left.",
    "The town's council said more than 20,000 people were still trapped.",
    "The United Nations called on both sides to open a permanent corridor.",
    "The council said the road north was still mined.",
    "Most of the town's bakeries closed in January.",
    "The last bakery reopened on Tuesday.",
    "A doctor at the town's only hospital said stocks of insulin had run out last week.",
    "Aid workers said a second convoy was expected on Friday.",
    'The commander of the forces around the town told reporters: "Nothing will leave without '
    'inspection."',
    "Fighting resumed near the northern gate on Wednesday, residents said.",
    "GENEVA (AP) — Talks on a ceasefire are due to resume next week, the UN envoy said.",
    "Organisers hope to sign up 5,000 volunteers to unload the trucks.",
]


@pytest.fixture(scope="module")
def one_paragraph() -> str:
    return (FIXTURES / "one-paragraph-convoy.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("sentence", ONE_PARAGRAPH_STORY)
def test_in_one_paragraph_every_story_sentence_survives(one_paragraph: str, sentence: str) -> None:
    assert sentence in clean(one_paragraph).text


@pytest.mark.parametrize(
    ("residue", "reason"),
    [
        ("Share this article Facebook Twitter WhatsApp Email", "share"),
        ("Published: 14:05 GMT, 3 March 2022 | Updated: 15:20 GMT, 3 March 2022", "dateline"),
        ("READ MORE: Singer reveals secret island wedding plans", "related"),
        ("By Hana Idris, Marel Courier", "byline"),
        ("Advertisement", "promotion"),
        (
            "SHOCK Singer's villa sold for record sum VIDEO Chef shuts restaurant after review",
            "teaser",
        ),
        ("Got a story? Email tips@marel-courier.example or call 020 7946 0123.", "promotion"),
    ],
)
def test_in_one_paragraph_residue_between_sentences_goes_with_its_reason(
    one_paragraph: str, residue: str, reason: str
) -> None:
    cleaned = clean(one_paragraph)
    parts = [r for r in cleaned.removed if r.text in residue or residue in r.text]
    assert parts and {r.reason for r in parts} == {reason}
    assert all(part not in cleaned.text for part in residue.split("? "))


def test_in_one_paragraph_captions_are_only_the_run_between_a_sentence_and_the_credit(
    one_paragraph: str,
) -> None:
    assert clean(one_paragraph).captions == [
        "A fighter checks his rifle at a checkpoint outside the town",
        "Residents queue for water in the main square",
        "Displaced families wait at the edge of the camp",
        "Smoke rises over the old market",
    ]
