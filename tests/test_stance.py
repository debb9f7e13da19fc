"""Stance towards a claim: the rules on texts written for them, the scorer, the contract."""

from __future__ import annotations

import json

import pytest

from fogmap.evaluate.stance import StanceScores
from fogmap.fuse.stance import stance

from .conftest import run_fogmap

CLAIM = "Islamic State militants beheaded Kurdish fighter Rehana in Kobane"


def test_a_text_about_something_else_is_unrelated() -> None:
    text = "The central bank raised interest rates by half a point on Thursday to curb inflation."
    assert stance(CLAIM, text).stance == "unrelated"


def test_a_headline_that_shares_a_few_words_with_the_claim_is_related() -> None:
    assert stance(CLAIM, "Kurdish fighter Rehana: what we know").stance != "unrelated"
    assert stance(CLAIM, "Oil prices fall as demand slows").stance == "unrelated"


def test_a_text_that_refutes_the_claim_disagrees() -> None:
    text = (
        "Kurdish officials denied reports that Islamic State militants had beheaded the "
        "fighter Rehana in Kobane. The photo is a hoax, they said."
    )
    assert stance(CLAIM, text).stance == "disagree"


def test_a_headline_that_negates_the_claim_disagrees() -> None:
    assert stance(CLAIM, "No, Islamic State militants did not behead Rehana").stance == "disagree"
    assert stance(CLAIM, "Kobane commander says Rehana rumour put to rest").stance == "disagree"
    denied = "No, Islamic State militants did not behead Rehana in Kobane"
    body = (
        "Islamic State militants beheaded the Kurdish fighter Rehana in Kobane, a video "
        "released by the group appeared to show. The fighter had become famous online after "
        "photographs of her circulated widely among supporters of the Kurdish militia in "
        "the town, which the militants have besieged for weeks. Kurdish commanders vowed "
        "to avenge her death and called on the coalition to send more air strikes against "
        "positions held by the militants east of the town."
    )
    assert stance(denied, body).stance == "disagree"  # the body tells what the claim denies
    # a negation the claim shares is no denial
    negative = "Islamic State militants did not spare the fighter Rehana"
    assert stance(negative, "Islamic State militants did not spare Rehana").stance != "disagree"


def test_a_text_that_reports_the_claim_at_a_distance_discusses_it() -> None:
    text = (
        "Islamic State militants have reportedly beheaded Rehana, a Kurdish fighter in "
        "Kobane, according to unverified posts on social media."
    )
    assert stance(CLAIM, text).stance == "discuss"


def test_a_text_that_states_the_claim_agrees_and_scores_lie_in_range() -> None:
    text = (
        "Islamic State militants beheaded Rehana, the Kurdish fighter who defended Kobane, "
        "her commander confirmed on Monday."
    )
    found = stance(CLAIM, text)
    assert found.stance == "agree"
    assert 0.0 <= found.score <= 1.0 and 0.0 <= found.relatedness <= 1.0


def test_the_fnc1_score_weighs_related_pairs_as_the_challenge_does() -> None:
    scores = StanceScores()
    scores.add("unrelated", "unrelated")  # 0.25 of 0.25
    scores.add("agree", "discuss")  # 0.25 of 1.0: related, wrong label
    scores.add("disagree", "disagree")  # 1.0 of 1.0
    assert scores.fnc_score == pytest.approx(1.5 / 2.25)
    assert scores.accuracy == pytest.approx(2 / 3)
    assert scores.f1("disagree") == 1.0 and scores.f1("agree") == 0.0


@pytest.mark.slow  # a child process, as a user runs it
def test_the_stance_command_reads_jsonl_and_skips_bad_lines_with_one_clear_line() -> None:
    lines = [
        json.dumps({"id": "a", "claim": CLAIM, "text": "Rates rose on Thursday."}),
        "not json",
        json.dumps({"id": "b", "claim": CLAIM}),
        json.dumps({"id": 3, "claim": CLAIM, "text": CLAIM + " on Monday, officials said."}),
    ]
    result = run_fogmap("stance", "-", stdin="\n".join(lines).encode())
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(o["id"], o["stance"]) for o in out] == [("a", "unrelated"), (3, "agree")]
    assert all(set(o) == {"id", "stance", "score"} for o in out)
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 2 and "-:2" in errors[0] and "'text' is missing" in errors[1]
    assert "Traceback" not in result.stderr.decode()
