"""Events: ACLED coding of the project's own sentences, one per sub-event type, with the
fatality conventions, the modes an event can be told in, and the 2021 Panjshir cases."""

from __future__ import annotations

import pytest

from fogmap.evaluate.events import Labels, actor_key
from fogmap.extract.events import EVENT_TYPES, SUB_EVENT_TYPES
from fogmap.pipeline import extract_document
from fogmap.records import Article, Document, Event

pytestmark = pytest.mark.slow  # each test runs the spaCy model and the gazetteer

SENTENCES = {
    "Armed clash": "On 3 May 2022, army troops clashed with Ansar militants near Gao.",
    "Government regains territory": "On 4 May 2022, government forces recaptured the town of Maridi from rebels.",  # noqa: E501
    "Non-state actor overtakes territory": "On 5 May 2022, Ansar militants took control of the town of Maridi after heavy fighting with the army.",  # noqa: E501
    "Chemical weapon": "On 6 May 2022, a chemical weapon attack hit the village of Zor, killing four people.",  # noqa: E501
    "Air/drone strike": "On 7 May 2022, a military drone strike hit a market in Gao, killing two civilians.",  # noqa: E501
    "Suicide bomb": "On 8 May 2022, a suicide bomber blew himself up at a checkpoint in Kabul, killing three soldiers.",  # noqa: E501
    "Shelling/artillery/missile attack": "On 9 May 2022, Russian forces shelled residential areas of Kharkiv.",  # noqa: E501
    "Remote explosive/landmine/IED": "On 10 May 2022, a roadside bomb exploded under a bus near Mogadishu, killing five passengers.",  # noqa: E501
    "Grenade": "On 11 May 2022, unknown men threw a grenade into a bar in Bujumbura, injuring six people.",  # noqa: E501
    "Peaceful protest": "On 12 May 2022, hundreds of teachers protested in Nairobi to demand higher pay.",  # noqa: E501
    "Protest with intervention": "On 13 May 2022, police fired tear gas to disperse students who were demonstrating in Dhaka.",  # noqa: E501
    "Excessive force against protesters": "On 14 May 2022, security forces opened fire on protesters in Khartoum, killing three demonstrators.",  # noqa: E501
    "Violent demonstration": "On 15 May 2022, protesters burned tyres and threw stones at police in Lagos during a demonstration against fuel prices.",  # noqa: E501
    "Mob violence": "On 16 May 2022, a mob lynched a suspected thief in Kampala.",
    "Agreement": "On 17 May 2022, the government and the rebels signed a ceasefire agreement in Juba.",  # noqa: E501
    "Arrests": "On 18 May 2022, police arrested a journalist at his home in Harare.",
    "Change to group/activity": "On 19 May 2022, the army deployed reinforcements to the border town of Goma.",  # noqa: E501
    "Disrupted weapons use": "On 20 May 2022, soldiers defused two improvised explosive devices near Gao.",  # noqa: E501
    "Headquarters or base established": "On 21 May 2022, Wagner mercenaries set up a base in the town of Menaka.",  # noqa: E501
    "Looting/property destruction": "On 22 May 2022, gunmen looted shops and burned houses in the village of Kuma.",  # noqa: E501
    "Non-violent transfer of territory": "On 23 May 2022, government troops withdrew from the town of Kidal and handed it over to the rebels.",  # noqa: E501
    "Other": "Displacement: On 24 May 2022, about 300 families fled their homes in Bunia.",
    "Sexual violence": "On 25 May 2022, soldiers raped two women in the village of Kuma.",
    "Attack": "On 26 May 2022, gunmen shot dead a farmer in his field near Jos.",
    "Abduction/forced disappearance": "On 27 May 2022, bandits kidnapped twelve villagers from Kuma.",  # noqa: E501
}


@pytest.fixture(scope="module")
def read(nlp, gazetteer):
    def run(text: str, published: str | None = None) -> Document:
        return extract_document(nlp(text), Article("test", text, published=published), gazetteer)

    return run


def main_event(document: Document) -> Event:
    assert document.events, "no event found"
    return document.events[0]


def test_every_sub_event_type_has_a_sentence_and_a_type() -> None:
    assert set(SENTENCES) == set(SUB_EVENT_TYPES)
    assert len(SUB_EVENT_TYPES) == 25 and len(EVENT_TYPES) == 6


@pytest.mark.parametrize("sub_event_type", list(SENTENCES))
def test_each_sub_event_type_is_coded(read, sub_event_type: str) -> None:
    text = SENTENCES[sub_event_type]
    event = main_event(read(text))
    assert (event.sub_event_type, event.event_type) == (
        sub_event_type,
        SUB_EVENT_TYPES[sub_event_type],
    )
    assert text[event.start : event.end] == event.trigger
    assert event.sentence_start <= event.start < event.end <= event.sentence_end
    day = int(text.split(" May")[0].split()[-1])
    assert event.event_date == f"2022-05-{day:02d}" and event.time_precision == 1


def test_arguments_actor_place_and_associated_actors(read) -> None:
    clash = read(SENTENCES["Armed clash"])
    event = main_event(clash)
    assert event.actor1 == "Military Forces of Mali" and event.actor2 == "Ansar"
    place = clash.places[event.place]  # type: ignore[index]
    assert (place.name, place.country) == ("Gao", "ML")
    protest = main_event(read(SENTENCES["Peaceful protest"]))
    assert (protest.actor1, protest.assoc_actor_1) == ("Protesters (Kenya)", "Teachers (Kenya)")


def test_actors_in_a_territory_acled_codes_within_a_country_carry_its_name(read) -> None:
    """ACLED codes Hong Kong as a province of China and names its actors after it."""
    protest = main_event(
        read(
            "Police fired tear gas at students protesting in Hong Kong on Sunday, and "
            "the police arrested dozens of them."
        )
    )
    assert protest.actor1 == "Protesters (Hong Kong)"
    assert protest.assoc_actor_1 == "Students (Hong Kong)"


def test_an_attack_no_one_is_named_for_is_an_unidentified_armed_groups(read) -> None:
    bombing = main_event(
        read("A roadside bomb killed four civilians near Kandahar city on Monday, police said.")
    )
    assert bombing.sub_event_type == "Remote explosive/landmine/IED"
    assert bombing.actor1 == "Unidentified Armed Group (Afghanistan)"


def test_a_battle_with_one_named_side_names_it_first(read) -> None:
    clash = main_event(read("Heavy fighting with the Taliban broke out in Kunduz on Sunday."))
    assert (clash.sub_event_type, clash.actor1, clash.actor2) == ("Armed clash", "Taliban", None)


def test_shelling_along_with_small_arms_is_a_battle(read) -> None:
    shelled = main_event(read("On 9 March 2022, rebels shelled army positions near Pivdenne."))
    assert shelled.sub_event_type == "Shelling/artillery/missile attack"
    fought = main_event(
        read(
            "On 9 March 2022, rebels fired mortars and small arms at army positions near Pivdenne."
        )
    )
    assert fought.sub_event_type == "Armed clash"


def test_territory_changing_hands(read) -> None:
    handed = main_event(
        read("On 5 May 2022, rebels took control of Kidal after the army withdrew.")
    )
    assert handed.sub_event_type == "Non-violent transfer of territory"
    foreign = main_event(
        read("On 20 March 2022, Russian forces took control of the town of Varvarivka, Luhansk.")
    )
    assert foreign.sub_event_type == "Non-state actor overtakes territory"
    home = main_event(
        read("On 21 March 2022, Ukrainian forces recaptured the town of Makariv, Kyiv oblast.")
    )
    assert home.sub_event_type == "Government regains territory"


def test_the_place_of_the_event_not_every_place_in_the_sentence(read) -> None:
    document = read(
        "On 2 March 2022, militants attacked a police post in Koalma (Pissila, Sanmatenga), "
        "a week after the French army left Mali."
    )
    place = document.places[main_event(document).place]  # type: ignore[index]
    assert place.admin1 == "Centre-Nord" and place.country == "BF"


@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        ("On 1 June 2022, dozens of fighters were killed in clashes near Gao.", 12),
        ("On 1 June 2022, hundreds of people died when troops shelled Gao.", 100),
        ("On 1 June 2022, at least 5 people were killed when militants attacked Gao.", 5),
        ("On 1 June 2022, gunmen attacked Gao, killing three people and injuring 12.", 3),
        ("On 1 June 2022, militants attacked Gao. Nobody was killed and 4 were wounded.", 0),
        ("On 1 June 2022, militants attacked Gao. Unclear fatalities coded as 10.", 10),
        ("On 1 June 2022, gunmen shot dead 25 head of cattle near Gao. No fatalities.", 0),
        ("On 1 June 2022, militants shelled Gao. There were no casualties.", 0),
        (
            "On 1 June 2022, troops clashed with rebels near Gao. Six soldiers and two "
            "civilians were killed. Nine rebels were also killed.",
            17,
        ),
    ],
)
def test_fatalities_follow_acled_conventions(read, text: str, fatalities: int) -> None:
    assert main_event(read(text)).fatalities == fatalities


def test_disagreeing_tolls_keep_the_lowest_and_note_the_others(read) -> None:
    event = main_event(
        read(
            "On 4 September 2021, the resistance said it had repelled attacks on Shutul and "
            "killed more than 40 Taliban fighters. Local officials said 13 people had been "
            "killed in the fighting."
        )
    )
    assert event.sub_event_type == "Armed clash" and event.fatalities == 13
    assert event.fatalities_note is not None and "40" in event.fatalities_note


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Nazary said there had been no fighting in the upper districts of Khinj.", "negated"),
        ("The fighters entered the town without a fight on Monday.", "negated"),
        ("Massoud vowed to crush the Taliban in Panjshir.", "threatened"),
        ("The front would resist any attempt to take the valley.", "hypothetical"),
        ("Students will march in Kabul on Friday.", "future"),
        ("Militants did not attack the convoy near Gao.", "negated"),
    ],
)
def test_events_not_told_as_happened_keep_their_mode(read, text: str, mode: str) -> None:
    event = main_event(read(text, "2021-09-08"))
    assert event.mode == mode


def test_a_claimed_defeat_is_a_claimed_battle_linked_to_its_claim(read) -> None:
    text = (
        "Opposition fighters in Panjshir said they had defeated the Taliban in the valley "
        "on Sunday. A Taliban spokesman said there had been no fighting in Panjshir."
    )
    document = read(text, "2021-09-06")
    claimed = [e for e in document.events if e.mode == "claimed"]
    negated = [e for e in document.events if e.mode == "negated"]
    assert [e.sub_event_type for e in claimed] == ["Armed clash"]
    assert [e.event_type for e in negated] == ["Battles"]
    battle = claimed[0]
    claim = document.claims[battle.claim]  # type: ignore[index]
    assert claim.start <= battle.start < claim.end
    assert document.places[battle.place].admin1 == "Panjshayr"  # type: ignore[index]
    assert battle.event_date == "2021-09-05" and battle.time_precision == 1
    assert document.events[0] is battle  # the battle is the story; its denial is not


def test_a_group_claiming_its_own_attack_is_its_actor(read) -> None:
    document = read(
        "The Taliban said on Monday that they had killed 20 soldiers in an ambush in Kunduz.",
        "2021-08-02",
    )
    event = main_event(document)
    assert event.mode == "claimed" and event.actor1 == "Taliban"
    assert event.fatalities == 20 and event.event_date == "2021-08-02"


def test_a_denial_marks_the_event_denied(read) -> None:
    event = main_event(read("The army denied that its troops had shelled the village of Kuma."))
    assert event.mode == "denied"


def test_relative_dates_in_context(read) -> None:
    document = read(
        "KABUL, Sept 8 (Reuters) - Taliban fighters clashed with resistance forces late on "
        "Monday in Panjshir. Drones struck the valley over the weekend.",
        "2021-09-08",
    )
    by_type = {e.sub_event_type: e for e in document.events}
    assert by_type["Armed clash"].event_date == "2021-09-06"
    strike = by_type["Air/drone strike"]
    assert (strike.date_start, strike.date_end, strike.time_precision) == (
        "2021-09-04", "2021-09-05", 2,
    )  # fmt: skip


def test_without_a_date_in_the_text_the_publication_date_stands_in_at_week_precision(read) -> None:
    event = main_event(read("Taliban fighters shelled the town of Bazarak.", "2021-09-06"))
    assert (event.event_date, event.time_precision, event.date_text) == ("2021-09-06", 2, None)
    unknown = main_event(read("Taliban fighters shelled Bazarak yesterday."))
    assert unknown.event_date is None and unknown.date_text == "yesterday"


def test_sentences_about_one_event_make_one_event_and_the_main_event_comes_first(read) -> None:
    document = read(
        "On 7 September 2021, hundreds of women marched in Kabul against Pakistan. Taliban "
        "fighters fired into the air to disperse them. Protesters said the march was peaceful.\n\n"
        "In 2001, a suicide bombing killed Ahmad Shah Massoud."
    )
    first = document.events[0]
    assert first.sub_event_type == "Protest with intervention"
    assert first.event_date == "2021-09-07"
    history = [e for e in document.events if e.sub_event_type == "Suicide bomb"]
    assert history and history[0].event_date == "2001-07-02" and history[0].time_precision is None


def test_protests_about_violence_are_not_violent(read) -> None:
    event = main_event(
        read("On 2 May 2022, relatives protested in Lagos against the killing of a student.")
    )
    assert event.sub_event_type == "Peaceful protest" and event.fatalities == 0


def test_names_and_months_are_not_events(read) -> None:
    document = read("On 8 March 2022, the Fight Committee held a press briefing in Oslo.")
    assert all(e.event_type != "Battles" for e in document.events)


def test_eval_scorer_measures() -> None:
    labels = Labels([("A", "A"), ("A", "B"), ("B", "B"), ("B", None)])
    assert labels.accuracy == 0.5
    assert labels.macro_f1 == pytest.approx((2 / 3 + 1 / 2) / 2)  # A: P 1, R .5; B: P .5, R .5
    assert actor_key("Military Forces of Myanmar (2021-)") == actor_key(
        "military forces of myanmar"
    )
    assert actor_key("Police Forces of India (2014-)") != actor_key("Police Forces of Nepal")
