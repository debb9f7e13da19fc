"""Text stages: HTML body and metadata, the cleaner, and duplicate detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from fogmap.errors import InputError
from fogmap.text.clean import normalise
from fogmap.text.dedupe import (
    MemoryBandIndex,
    article_id,
    near_duplicate_group,
    signature,
    signature_bytes,
    signature_from_bytes,
)
from fogmap.text.html import extract_html, normalise_date

FIXTURES = Path(__file__).parent / "fixtures"


def test_html_body_drops_navigation_and_footer_and_keeps_paragraphs() -> None:
    page = extract_html((FIXTURES / "page-with-jsonld.html").read_text(), "page.html")
    assert page.text.startswith("Talks between Taliban envoys and elders")
    assert "early next week." in page.text
    assert "Cookies policy" not in page.text and "Home | World" not in page.text


def test_html_metadata_prefers_json_ld_and_keeps_time_and_offset() -> None:
    page = extract_html((FIXTURES / "page-with-jsonld.html").read_text(), "page.html")
    assert page.published == "2021-09-03T16:45:00+04:30"
    assert page.title == "Ceasefire talks stall in Parwan"
    assert page.author == "Nadia Rahimi, Tom Ellis"
    assert page.outlet == "Example Herald"
    assert page.url == "https://herald.example/world/parwan-talks"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="article:published_time" content="2021-09-05T08:00:00Z">',
            "2021-09-05T08:00:00+00:00",
        ),
        ('<meta name="pubdate" content="2021-09-05">', "2021-09-05"),
        ("", "2021-09-04T10:00:00+02:00"),  # from the <time> element in the body
    ],
)
def test_publication_date_sources_in_order_of_preference(head: str, expected: str) -> None:
    html = (
        f"<html><head>{head}</head><body><article><time datetime='2021-09-04T10:00:00+02:00'>"
        "4 Sept</time><p>A long enough paragraph about the shelling of the district centre "
        "that went on for most of the night, residents said.</p></article></body></html>"
    )
    assert extract_html(html, "x.html").published == expected


def test_outlet_falls_back_to_the_host_name() -> None:
    html = (
        "<html><body><article><p>Officials said the road to the north was closed to all "
        "traffic after the attack on the convoy.</p></article></body></html>"
    )
    assert extract_html(html, "x", url="https://news.example/a").outlet == "news.example"


def test_html_without_an_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        extract_html("<html><head><title>x</title></head><body></body></html>", "empty.html")


def test_normalise_date_rejects_what_it_cannot_read() -> None:
    assert normalise_date("5 September 2021") is None
    assert normalise_date("2021-09-05T08:00:00Z") == "2021-09-05T08:00:00+00:00"


def test_normalise_unifies_spaces_quotes_and_entities() -> None:
    raw = "Kabul\u00a0 &amp; Panjshir:\u200b „No fighting“ \r\n\r\n\r\n\rNext   para  "
    assert normalise(raw) == "Kabul & Panjshir: “No fighting“\n\nNext para"


WIRE = (
    "The Taliban said on Monday that their fighters had taken full control of Panjshir, the "
    "last province holding out against the group since it seized Kabul three weeks ago. "
    "The National Resistance Front rejected the claim and said its fighters were still present "
    "in all strategic positions across the valley. Images shared on social media appeared to "
    "show fighters in front of the governor's compound in Bazarak, the provincial capital."
)


def test_article_id_ignores_case_spacing_and_quote_style() -> None:
    assert article_id("He said ‘no’.\n\nThen  left.") == article_id("he said 'no'. then left.")
    assert article_id("He said no.") != article_id("He said yes.")


def test_syndicated_copies_are_grouped_and_unrelated_stories_are_not() -> None:
    index = MemoryBandIndex()
    first = near_duplicate_group("a", WIRE, index)
    edited = near_duplicate_group(
        "b",
        "KABUL (Wire) - " + WIRE + " Reporting by the Kabul bureau; editing by the desk.",
        index,
    )
    other = near_duplicate_group(
        "c",
        "Heavy rain flooded the southern districts of the city overnight, and officials "
        "said dozens of houses had collapsed while schools were closed until further notice.",
        index,
    )
    assert first.group == "a"
    assert edited.group == "a" and 0.5 <= edited.similarity < 1.0
    assert other.group == "c"


def test_signatures_survive_a_round_trip_through_bytes() -> None:
    minhash = signature(WIRE)
    again = signature_from_bytes(signature_bytes(minhash))
    assert again.jaccard(minhash) == 1.0


def test_a_full_date_in_the_url_overrules_markup_that_contradicts_it() -> None:
    body = (
        "<article><p>A long enough paragraph about the shelling of the district centre that "
        "went on for most of the night, residents said.</p></article>"
    )
    stale = '<meta property="article:published_time" content="2009-04-11T18:06:36Z">'
    close = '<meta property="article:published_time" content="2019-10-21T23:30:00+00:00">'
    url = "https://news.example/2019/10/22/shelling-district"
    page = f"<html><head>{stale}</head><body>{body}</body></html>"
    assert extract_html(page, "x.html", url).published == "2019-10-22"
    page = f"<html><head>{close}</head><body>{body}</body></html>"
    assert extract_html(page, "x.html", url).published == "2019-10-21T23:30:00+00:00"
    assert extract_html(page, "x.html", "https://news.example/world/42").published == (
        "2019-10-21T23:30:00+00:00"
    )


def test_a_page_that_declares_its_encoding_in_an_xml_declaration_is_read() -> None:
    page = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><article><p>The council said '
        "on Friday that its fighters had retaken the bridge after two days of fighting with "
        "government troops.</p></article></body></html>"
    )
    assert "retaken the bridge" in extract_html(page, "x.html").text


def test_a_page_that_declares_entities_is_read_and_its_entities_never_resolved() -> None:
    html = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
        '  <!ENTITY lol "lol">\n]>\n<html><head><title>Clashes in Marel</title></head><body>'
        "<article><h1>Clashes in Marel</h1><p>Fighters loyal to the regional council said on "
        "Friday that they had retaken the Marel bridge after two days of fighting with "
        "government troops, a spokesman said.</p><p>At least 12 soldiers were killed, local "
        "officials said. &xxe; &lol;</p><p>Residents said they could hear artillery all night "
        "from the other bank of the river.</p></article></body></html>"
    )
    article = extract_html(html, "xxe.html")
    assert "retaken the Marel bridge" in article.text and "artillery all night" in article.text
    assert "root:" not in article.text and "lollol" not in article.text


@pytest.mark.parametrize("depth", [300, 100_000])
def test_a_page_nested_deeper_than_parsers_go_is_still_read(depth: int) -> None:
    """libxml2 stops at 256 levels (2,048 with its HUGE option); broken generators and
    hostile pages nest deeper, and the story inside is read all the same."""
    story = (
        "<article><p>Fighters loyal to the regional council said on Friday that they had "
        "retaken the Marel bridge after two days of fighting with government troops.</p>"
        "</article>"
    )
    html = f"<html><body>{'<div>' * depth}{story}{'</div>' * depth}</body></html>"
    assert "retaken the Marel bridge" in extract_html(html, "deep.html").text


def test_a_band_shared_by_thousands_gives_a_bounded_number_of_candidates() -> None:
    """Templated bulletins all share their bands; each new one is compared with a few of
    them, not all, so a run stays linear."""
    from datasketch import MinHash

    from fogmap.text.dedupe import MAX_CANDIDATES, MemoryBandIndex

    index = MemoryBandIndex()
    for n in range(5000):
        index.add(f"a{n}", f"a{n % 7}", MinHash(num_perm=16), [1, 2, 3] if n % 2 else [1])
    found = index.candidates([1, 2, 3])
    assert len(found) == MAX_CANDIDATES
    assert all(int(c.article_id[1:]) % 2 for c in found)  # those sharing the most bands
