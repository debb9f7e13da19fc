"""Whole articles, written for these tests: each incident once, with all its tellings,
its place, actors and toll; no event from words that tell none. Each test is one pattern
seen on real news (see docs/events.md, "Incidents, not mentions")."""

from __future__ import annotations

import pytest

from fogmap.evaluate.news_events import match
from fogmap.extract.events import HAPPENED
from fogmap.pipeline import extract_document
from fogmap.records import Article, Document, Event

pytestmark = pytest.mark.slow  # each test runs the spaCy model and the gazetteer

PUBLISHED = "2014-10-01"


@pytest.fixture(scope="module")
def read(nlp, gazetteer):
    def run(text: str) -> Document:
        return extract_document(nlp(text), Article("t", text, published=PUBLISHED), gazetteer)

    return run


def happened(document: Document) -> list[Event]:
    return [e for e in document.events if e.mode in HAPPENED]


def test_an_assault_told_over_many_sentences_is_one_event_with_all_its_fields(read) -> None:
    document = read(
        "Taliban fighters attacked a police post in Kunduz province on Sunday. "
        "The attackers used rockets and machine guns. "
        "The assault lasted ten hours, officials said. "
        "Three policemen were killed in the attack, the governor said. "
        "The police repelled the attack."
    )
    (event,) = happened(document)
    assert event.sub_event_type == "Armed clash"
    assert (event.actor1, event.actor2) == ("Taliban", "Police Forces of Afghanistan")
    assert event.fatalities == 3
    assert document.places[event.place].name == "Kunduz"  # type: ignore[index]
    assert event.event_date == "2014-09-28"
    assert len({m.sentence_start for m in event.mentions}) == 5  # every telling is evidence


def test_a_hostage_beheaded_is_one_attack_not_an_abduction_per_mention(read) -> None:
    document = read(
        "Islamic State militants beheaded a British hostage, David Haines, in Syria, a video "
        "released on Saturday showed. The hostage was killed by a masked man. "
        "The British hostage had worked for aid agencies."
    )
    current = [e for e in happened(document) if e.timing == "current"]
    assert [(e.sub_event_type, e.fatalities) for e in current] == [("Attack", 1)]
    assert current[0].actor1 == "Islamic State (Syria)"
    assert {m.trigger for m in current[0].mentions} == {"beheaded", "killed"}


def test_background_is_marked_and_dated_to_its_own_time_not_today(read) -> None:
    document = read(
        "Militants attacked a checkpoint in Kandahar on Tuesday, killing two soldiers. "
        "In March 2013, a suicide bomber had killed 12 people in the same district."
    )
    events = {e.sub_event_type: e for e in happened(document)}
    assert events["Armed clash"].timing == "current"
    assert events["Armed clash"].event_date == "2014-09-30"
    recalled = events["Suicide bomb"]
    assert recalled.timing == "background"
    assert recalled.date_start is not None and recalled.date_start.startswith("2013-03")


@pytest.mark.parametrize(
    "text",
    [
        "The United Nations said 790 people were killed in September across Iraq.",
        "Police said there was no visible protest activity in the city on Tuesday.",
        "Officers carried assault rifles at the press conference.",
        "U.S. airstrikes have come under criticism for their effectiveness.",
        "The group has been recruiting fighters for months to fight in Syria.",
        "A man was saved from a vicious bear attack by his ringtone.",
        "The commissioner committed suicide in his office.",
        "The video demonstrates that anyone is vulnerable.",
        "The fighters marched through the mountains towards the capital.",
        "Obama outlined a strategy to combat the militants.",
    ],
)
def test_words_in_another_sense_habits_and_totals_are_no_events(read, text: str) -> None:
    assert happened(read(text)) == []


def test_clashes_that_failed_to_dislodge_the_fighters_still_happened(read) -> None:
    document = read(
        "Government forces clashed with the militants in Kobani on Monday but failed to "
        "dislodge them."
    )
    (event,) = happened(document)
    assert (event.sub_event_type, event.mode) == ("Armed clash", "asserted")


def test_the_place_named_for_the_incident_over_a_nationality(read) -> None:
    document = read(
        "A US air strike hit a meeting of militant leaders in Mosul on Saturday, "
        "Iraqi officials said. The strike wounded several commanders."
    )
    (event,) = happened(document)
    assert event.sub_event_type == "Air/drone strike"
    place = document.places[event.place]  # type: ignore[index]
    assert (place.name, place.country) == ("Mosul", "IQ")
    assert event.actor1 == "Military Forces of the United States"


def test_an_outcome_told_first_takes_the_type_of_what_caused_it(read) -> None:
    document = read(
        "The leader of the group was wounded on Friday, officials said. "
        "An air strike had hit his convoy near Raqqa on Friday."
    )
    events = happened(document)
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]


def test_two_incidents_in_two_towns_stay_two(read) -> None:
    document = read(
        "Gunmen attacked a police station in Kano on Monday, killing four officers. "
        "In a separate attack, gunmen attacked a market in Maiduguri, killing six traders."
    )
    places = {document.places[e.place].name for e in happened(document)}  # type: ignore[index]
    assert len(happened(document)) == 2 and places == {"Kano", "Maiduguri"}


def test_the_scorer_counts_a_second_prediction_on_one_incident_as_a_duplicate() -> None:
    text = "Militants attacked a checkpoint in Kandahar on Tuesday. The attack killed two."
    gold = [
        {
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "mode": "asserted",
            "timing": "current",
            "evidence": ["Militants attacked a checkpoint in Kandahar on Tuesday."],
        }
    ]
    first = Event(0, "Battles", "Armed clash", 10, 18, sentence_start=0, sentence_end=56)
    second = Event(1, "Battles", "Armed clash", 10, 18, sentence_start=0, sentence_end=56)
    result, pairs = match([first, second], gold, text, typed=True)
    assert (result.predicted_matched, result.duplicates, result.precision, result.recall) == (
        1,
        1,
        0.5,
        1,
    )
    assert pairs == [(first, gold[0])]


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        (
            "Police fired live rounds at demonstrators in Khartoum on Monday, killing three.",
            "Excessive force against protesters",
        ),
        (
            "Syrian government forces dropped barrels filled with chlorine gas on the town "
            "of Kafr Zita on Friday.",
            "Chemical weapon",
        ),
        ("Soldiers found a cache of explosives near Gao on Sunday.", "Disrupted weapons use"),
        (
            "The army set up new checkpoints around the town of Bunia on Monday.",
            "Headquarters or base established",
        ),
        (
            "A senior commander of the militia defected to the government side on Sunday.",
            "Change to group/activity",
        ),
        (
            "The army freed three villages from Boko Haram fighters on Saturday.",
            "Government regains territory",
        ),
        ("Rebels seized the airport in Goma on Tuesday.", "Non-state actor overtakes territory"),
    ],
)
def test_news_wording_of_the_less_common_types(read, text: str, sub_event_type: str) -> None:
    assert [e.sub_event_type for e in happened(read(text))] == [sub_event_type]


def test_the_panjshir_reporting(read) -> None:
    document = read(
        "Opposition fighters in Panjshir said they had defeated the Taliban in the valley on "
        "Sunday. A Taliban spokesman said there had been no fighting in Panjshir. Resistance "
        "fighters marched through the mountains to their positions. Pakistan is believed to "
        "have flown in supplies for the Taliban, according to reports."
    )
    told = {(e.sub_event_type, e.mode) for e in document.events}
    assert ("Armed clash", "claimed") in told  # the resistance's claimed victory
    assert ("Armed clash", "negated") in told  # "no fighting" is no battle
    assert ("Other", "claimed") in told  # supplies believed flown in
    assert not any(e.event_type == "Protests" for e in document.events)  # marching fighters
    battle = next(e for e in document.events if e.mode == "claimed" and e.event_type == "Battles")
    assert document.places[battle.place].name == "Panjshayr"  # type: ignore[index]


def test_an_event_inside_a_denial_of_reports_is_denied(read) -> None:
    document = read(
        "Pakistan's foreign ministry on Tuesday denied reports that Pakistani drones had "
        "struck resistance positions in the Panjshir valley."
    )
    assert happened(document) == []
    assert [e.mode for e in document.events] == ["denied"]


QUARREL_STORY = (
    "A man was shot dead in a quarrel over a parking space in Limoges on Sunday. "
    "His neighbour fired twice from a window, police said. "
    "The victim, a 42-year-old baker, died at the scene. "
    "The neighbour was arrested an hour later. "
    "Residents said the two men had argued for years. "
    "One of them had complained about noise to the town hall. "
    "The suspect's lawyer said his client regretted the killing. "
    "He is to appear before a judge on Tuesday. "
    "The town has seen two other shootings this year. "
    "The mayor called for calm."
)


def test_a_whole_article_that_speaks_of_no_conflict_or_protest_codes_no_event(read) -> None:
    # private violence (a crime, an animal, an illness) is outside ACLED's scope
    assert read(QUARREL_STORY).events == []


def test_the_same_story_with_militants_in_it_is_in_scope(read) -> None:
    story = QUARREL_STORY.replace("a quarrel over a parking space", "a militant attack").replace(
        "His neighbour fired", "Jihadist gunmen fired"
    )
    assert happened(read(story))


def test_a_snippet_too_short_to_judge_its_scope_is_read_as_it_is(read) -> None:
    document = read("On 3 May 2022, a man was shot and killed by unknown assailants in Bamenda.")
    assert [e.sub_event_type for e in happened(document)] == ["Attack"]


def test_a_battle_for_a_cause_is_a_campaign_and_a_battle_for_a_town_is_fighting(read) -> None:
    cause = read(
        "Islamic State militants claim to have beheaded the poster girl of the Kurdish "
        "militia's battle for freedom in Syria."
    )
    assert [(e.sub_event_type, e.mode) for e in cause.events] == [("Attack", "claimed")]
    town = read("Fierce fighting raged on Sunday in the battle for the town of Kobane.")
    assert [e.sub_event_type for e in happened(town)] == ["Armed clash"]


def test_a_toll_in_a_clause_describing_someone_is_not_the_events_toll(read) -> None:
    document = read(
        "The Briton who beheaded two American hostages was injured in a US air strike near "
        "Mosul on Saturday."
    )
    (strike,) = [e for e in happened(document) if e.sub_event_type == "Air/drone strike"]
    assert strike.fatalities == 0
    told = read("Militants attacked the police post in Kunduz on Sunday, killing five officers.")
    assert [e.fatalities for e in happened(told)] == [5]


def test_quoted_rhetoric_is_no_incident_but_a_quoted_incident_with_its_place_is(read) -> None:
    rhetoric = read(
        'A lawmaker said the coalition was "not serious in fighting against the militants, '
        'because it has the power to find them."'
    )
    assert happened(rhetoric) == []
    incident = read(
        '"Our fighters repelled an attack on the checkpoint in Gwoza on Sunday," the '
        "commander said."
    )
    assert [e.sub_event_type for e in happened(incident)] == ["Armed clash"]


def test_a_tally_in_the_present_perfect_is_no_incident_but_a_killing_in_an_attack_is(read) -> None:
    assert happened(read("Rehana has killed more than a hundred ISIS fighters in Kobane.")) == []
    market = read("Gunmen have killed 12 people in an attack on a market in Kano.")
    assert [(e.sub_event_type, e.fatalities) for e in happened(market)] == [("Attack", 12)]
