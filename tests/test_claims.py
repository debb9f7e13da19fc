"""Claims: each attribution pattern of news English, the traps, and speaker resolution."""

from __future__ import annotations

import pytest

from fogmap import nlp
from fogmap.extract._quotes import quote_regions
from fogmap.extract.claims import extract_claims
from fogmap.extract.entities import extract_entities
from fogmap.records import Claim


def claims_of(text: str) -> list[Claim]:
    doc = nlp.load()(text)
    return extract_claims(doc, extract_entities(doc))


def only(text: str, cue: str | None = None) -> Claim:
    found = [c for c in claims_of(text) if cue is None or c.cue == cue]
    assert len(found) == 1, [(c.cue, c.content) for c in found]
    return found[0]


def spans_hold(text: str, claim: Claim) -> None:
    """Every offset points at the words the claim reports."""
    assert claim.cue_start is not None and claim.cue_end is not None
    assert text[claim.cue_start : claim.cue_end] == claim.cue
    if claim.speaker_start is not None:
        assert text[claim.speaker_start : claim.speaker_end] == claim.speaker_text
    assert claim.content.split(" … ")[0] in text[claim.start : claim.end]


# -- quotation marks ------------------------------------------------------------------


def test_quotes_pair_straight_curly_and_latex_marks() -> None:
    text = "He said \"yes\". She said “no”. They said ``maybe''."
    assert [text[a:b] for a, b in quote_regions(text)] == ['"yes"', "“no”", "``maybe''"]


def test_a_quote_running_over_paragraphs_is_one_quotation() -> None:
    text = "“First paragraph of the statement.\n\n“Second paragraph,” he said."
    assert [text[a:b] for a, b in quote_regions(text)] == [text[: text.index(",”") + 2]]


def test_unbalanced_quotes_end_with_their_paragraph() -> None:
    text = "“We will never surrender, the commander shouted.\n\nThe town fell on Monday."
    regions = quote_regions(text)
    assert [text[a:b] for a, b in regions] == ["“We will never surrender, the commander shouted."]


def test_a_quote_inside_a_quote_does_not_close_it() -> None:
    text = '“They told us ‘leave now’ and "never return",” said a resident.'
    assert [text[a:b] for a, b in quote_regions(text)] == [text[: text.index("”") + 1]]


def test_single_marks_quote_but_apostrophes_do_not() -> None:
    from fogmap.extract._quotes import Quotations

    text = (
        "Obama: 'We will not back down' as talks stall. He called it ‘a dark day’ on Monday. "
        "The soldiers' families said they don't know. It's the '90s again."
    )
    found = [text[a:b] for a, b in Quotations(text).regions]
    assert found == ["'We will not back down'", "‘a dark day’"]


def test_a_quote_in_single_marks_is_direct_speech() -> None:
    text = "‘Panjshir is now under our control,’ Zabihullah Mujahid said on Monday."
    claim = only(text, "said")
    assert claim.kind == "direct"
    assert claim.content == "‘Panjshir is now under our control,’"
    assert claim.speaker_name == "Zabihullah Mujahid"


# -- direct speech --------------------------------------------------------------------


def test_quote_then_speaker_after_it() -> None:
    text = (
        "Ali Nazary is head of foreign relations for the National Resistance Front. "
        "“The Taliban's claim of occupying Panjshir is false,” said Nazary."
    )
    claim = only(text, "said")
    assert claim.kind == "direct"
    assert claim.content == "“The Taliban's claim of occupying Panjshir is false,”"
    assert claim.speaker_name == "Ali Nazary"
    spans_hold(text, claim)


def test_speaker_before_a_colon_and_quote() -> None:
    text = "Zabihullah Mujahid said: “Panjshir is now under our control.”"
    claim = only(text, "said")
    assert claim.kind == "direct"
    assert claim.content == "“Panjshir is now under our control.”"
    assert claim.speaker_name == "Zabihullah Mujahid"


def test_frame_inside_a_quote_joins_both_halves() -> None:
    text = (
        'Ahmad Massoud spoke in Bazarak. "Our doors are open to peace," he told reporters, '
        '"but we will defend our valley."'
    )
    claim = only(text, "told")
    assert claim.kind == "direct"
    assert claim.content == '"Our doors are open to peace," … "but we will defend our valley."'
    assert claim.speaker_name == "Ahmad Massoud"  # "he", resolved
    assert claim.channel == "reporters"
    spans_hold(text, claim)


def test_quote_of_several_sentences_is_one_content() -> None:
    text = (
        "“We hold every strategic position. The enemy has been pushed back. We will not "
        "give up,” said Fahim Dashti."
    )
    claim = only(text, "said")
    assert claim.content.startswith("“We hold every strategic position.")
    assert claim.content.endswith("We will not give up,”")


# -- indirect speech ------------------------------------------------------------------


def test_that_clause_with_speaker_role_and_affiliation() -> None:
    text = (
        "Zabihullah Mujahid, the Taliban's spokesman, said that the fighters had taken "
        "full control of the province."
    )
    claim = only(text)
    assert claim.kind == "indirect"
    assert claim.content == "that the fighters had taken full control of the province"
    assert claim.speaker_name == "Zabihullah Mujahid"
    assert claim.speaker_role == "spokesman"
    assert claim.speaker_affiliation == "Taliban"
    spans_hold(text, claim)


def test_conjoined_that_clauses_are_separate_claims() -> None:
    text = (
        "A Taliban spokesman said that aid agencies were free to work in the province and "
        "that the road would reopen within days."
    )
    contents = [c.content for c in claims_of(text)]
    assert contents == [
        "that aid agencies were free to work in the province",
        "that the road would reopen within days",
    ]


def test_the_one_quoted_as_saying_is_the_speaker() -> None:
    text = "Zabihullah Mujahid was quoted by Reuters as saying that the valley had fallen."
    claim = only(text, "saying")
    assert claim.content == "that the valley had fallen"
    assert claim.speaker_name == "Zabihullah Mujahid"


def test_cue_with_an_infinitive() -> None:
    text = "Ahmad Massoud vowed to crush the jihadi rulers."
    claim = only(text, "vowed")
    assert claim.content == "to crush the jihadi rulers"
    assert claim.speaker_name == "Ahmad Massoud"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "The resistance denied the reports of a surrender.",
            "denied",
            "the reports of a surrender",
        ),
        ("Iran insisted that talks were the only way.", "insisted", "that talks were the only way"),
        (
            "The United Nations warned that families were running short of food.",
            "warned",
            "that families were running short of food",
        ),
        (
            "Pakistan confirmed that its envoy had met the group.",
            "confirmed",
            "that its envoy had met the group",
        ),
        (
            "Ahmad Massoud accused Pakistan of helping the assault.",
            "accused Pakistan of",
            "helping the assault",
        ),
    ],
)
def test_common_cue_verbs(text: str, cue: str, content: str) -> None:
    claim = only(text)
    assert (claim.cue, claim.content) == (cue, content)


def test_according_to() -> None:
    text = "Taliban fighters entered Bazarak on Monday, according to a video released online."
    claim = only(text)
    assert claim.kind == "according_to"
    assert claim.content == "Taliban fighters entered Bazarak on Monday"
    assert claim.speaker_text == "a video released online"


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("Ali Nazary told the Financial Times that the valley would hold.", "the Financial Times"),
        (
            "The group said in a statement that its fighters were still present.",
            "a statement",
        ),
        ("Amrullah Saleh said on Twitter that he was in the valley.", "Twitter"),
        (
            "Massoud said in interviews with Arab media outlets that he would fight on.",
            "interviews with Arab media outlets",
        ),
    ],
)
def test_channel(text: str, channel: str) -> None:
    assert only(text).channel == channel


# -- hedged and unattributed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hedge", "content"),
    [
        (
            "It was claimed that dozens of Taliban fighters had been killed in an ambush.",
            "It was claimed",
            "that dozens of Taliban fighters had been killed in an ambush",
        ),
        (
            "It is believed that Amrullah Saleh is sheltering in the valley.",
            "It is believed",
            "that Amrullah Saleh is sheltering in the valley",
        ),
        (
            "Amrullah Saleh is understood to have left the country.",
            "is understood to",
            "Amrullah Saleh is understood to have left the country",
        ),
        (
            "The commander was reportedly killed in the fighting.",
            "reportedly",
            "The commander was reportedly killed in the fighting",
        ),
    ],
)
def test_hedged_claims_are_unattributed(text: str, hedge: str, content: str) -> None:
    claim = only(text)
    assert claim.kind == "unattributed"
    assert claim.hedge == hedge
    assert claim.speaker is None and claim.speaker_text is None
    assert claim.content == content


def test_anonymous_sources_are_unattributed_with_their_hedge() -> None:
    claim = only("Sources said the convoy had been ambushed near Rukha.")
    assert claim.kind == "unattributed"
    assert claim.hedge == "Sources said"
    assert claim.content == "the convoy had been ambushed near Rukha"


# -- traps ----------------------------------------------------------------------------


def test_said_as_an_adjective_is_no_cue() -> None:
    assert claims_of("Fighting continued in the said district on Monday.") == []


def test_a_cue_without_content_is_no_claim() -> None:
    assert claims_of("Asked about the talks, the spokesman declined. He said nothing more.") == []


def test_a_cue_inside_a_quotation_is_part_of_the_quote() -> None:
    text = "“They said we would be safe, and we believed them,” a resident of Rukha said."
    found = claims_of(text)
    assert [c.cue for c in found] == ["said"]
    assert found[0].content == "“They said we would be safe, and we believed them,”"


def test_headline_fragment_with_a_speaker_and_a_colon() -> None:
    text = "Taliban: Panjshir Has Fallen To Our Fighters\n\nThe group made the claim on Monday."
    claim = only(text)
    assert (claim.cue, claim.speaker_text) == (":", "Taliban")
    assert claim.content == "Panjshir Has Fallen To Our Fighters"


def test_a_quoted_transcript_names_each_speaker_by_line() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        '"WALLACE: Let us start with the breaking news on the debate story tonight.\n\n'
        'PENCE: Well, the question really should be why the campaign did it."'
    )
    found = [(c.speaker_text, c.cue, c.content[:12]) for c in claims_of(text)]
    assert ("WALLACE", ":", "Let us start") in found and ("PENCE", ":", "Well, the qu") in found


def test_a_poll_speaks_in_a_headline() -> None:
    text = "Poll: Wealthy Voters Abandon the Party for Clinton\n\nThe survey was published."
    claim = only(text, ":")
    assert (claim.speaker_text, claim.content) == (
        "Poll",
        "Wealthy Voters Abandon the Party for Clinton",
    )


def test_a_quotation_signed_after_a_dash() -> None:
    text = (
        "Readers wrote to us.\n\n"
        "“He has divided the country and he represents our greatest shame.” ― Sonya Herridge\n"
        "Others disagreed."
    )
    claim = only(text, "―")
    assert (claim.kind, claim.speaker_text) == ("direct", "Sonya Herridge")
    assert claim.content.startswith("“He has divided") or claim.content.startswith("He has")


def test_reported_speech_across_a_sentence_boundary() -> None:
    text = (
        "“The road to the valley is closed. Nobody can bring in food,” said Ahmad Massoud. "
        "“We need help.”"
    )
    claim = only(text, "said")
    assert claim.content == (
        "“The road to the valley is closed. Nobody can bring in food,” … “We need help.”"
    )


def test_mixed_quote_marks_degrade_without_error() -> None:
    text = 'He said: “we are ready" and then left. "Another one never closed'
    claims_of(text)  # must not raise
    assert quote_regions(text)


# -- speaker resolution ---------------------------------------------------------------


def test_pronoun_prefers_the_subject_over_a_nearer_mention() -> None:
    text = (
        "Ahmad Massoud, the son of the late commander Ahmad Shah Massoud, said he was safe. "
        "He denied that he had left for Tajikistan."
    )
    claim = only(text, "denied")
    assert claim.speaker_text == "He"
    assert claim.speaker_name == "Ahmad Massoud"


def test_description_refers_back_to_the_group_it_names() -> None:
    text = (
        "The National Resistance Front of Afghanistan fought on in Panjshir. The Taliban "
        "attacked from Parwan. The front said its fighters held the passes."
    )
    claim = only(text, "said")
    assert claim.speaker_name == "National Resistance Front of Afghanistan"


def test_indefinite_description_is_someone_new_with_an_affiliation() -> None:
    text = (
        "General Abdul Wudod Zara, a senior commander, was killed. A Taliban commander in "
        "Parwan said the group had taken two outposts."
    )
    claim = only(text, "said")
    assert claim.speaker_name is None
    assert (claim.speaker_role, claim.speaker_affiliation) == ("commander", "Taliban")


def test_relative_pronoun_speaker_is_its_antecedent() -> None:
    text = "Amrullah Saleh, who said he was still in the valley, posted a video."
    claim = only(text, "said")
    assert claim.speaker_text == "who"
    assert claim.speaker_name == "Amrullah Saleh"


@pytest.mark.parametrize(
    "text",
    [
        "Taliban fighters attacked the checkpoint at dawn.",
        "Police found three bodies near the river.",
        "The resistance defended the town for a week.",
        "The commander ordered his men to withdraw.",
    ],
)
def test_deeds_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_as_someone_reported_frames_the_main_clause() -> None:
    text = "As the Kabul Ledger reported on Monday, Taliban fighters entered Bazarak."
    claim = only(text)
    assert (claim.cue, claim.content) == ("reported", "Taliban fighters entered Bazarak")
    assert claim.speaker_text == "the Kabul Ledger"


def test_a_source_stays_on_its_own_line() -> None:
    text = "11:05 a.m.\n\nAhmad Massoud says the valley will hold."
    claim = only(text)
    assert claim.speaker_text == "Ahmad Massoud"
