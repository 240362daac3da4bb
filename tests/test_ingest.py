"""Ingest: files -> Documents. Every article here is invented (a river-water treaty between
two fictional states, Veloria and Ostmark, and a few other made-up stories)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing.errors import IngestError
from briefing.ingest import PathQueue, iter_input_files, read_documents, read_file
from briefing.ingest.dates import date_line, find_dates
from briefing.ingest.metadata import dateline_text

MAX = 5 * 1024 * 1024

SCRAPED = """Главная страница новости
nav_toggle

Text Size

Close

Veloria and Ostmark Sign Landmark River Water Treaty

Deal Ends Decade-Long Dispute Over the Tessel Basin
Farmers Cautious as Quotas Take Effect in Spring

Published: March 3, 2023 10:15 CET

Veloria and Ostmark signed a treaty on Friday that splits the waters of the Tessel river \
between the two countries, ending a dispute that had lasted more than a decade.

Prime Minister Anja Brell called the deal "a fair share for every farmer on both banks." \
She said the quotas would be reviewed every five years.
Ministers Brell and Dovan shake hands after the signing in Marrow on Friday.
[Photo source=Veloria Government Press Office]

Critics in Ostmark said the treaty gives away too much water during dry summers.

Share this article

By Lena Kovic, diplomatic correspondent

© 2023 The Lakeside Courier. All rights reserved.

Related articles
Dam talks stall again
March 1, 2023
"""


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _one(path: Path) -> object:
    documents = read_file(path, MAX)
    assert len(documents) == 1
    return documents[0]


def test_scraped_txt_metadata_and_body(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path, "treaty.txt", SCRAPED))
    assert doc.id == "treaty"
    assert doc.headline == "Veloria and Ostmark Sign Landmark River Water Treaty"
    assert doc.subheadlines == [
        "Deal Ends Decade-Long Dispute Over the Tessel Basin",
        "Farmers Cautious as Quotas Take Effect in Spring",
    ]
    assert doc.publisher == "The Lakeside Courier"
    assert doc.published == "2023-03-03"
    assert doc.byline == "Lena Kovic"
    assert doc.url is None
    assert doc.paragraphs == [
        "Veloria and Ostmark signed a treaty on Friday that splits the waters of the Tessel "
        "river between the two countries, ending a dispute that had lasted more than a decade.",
        'Prime Minister Anja Brell called the deal "a fair share for every farmer on both '
        'banks." She said the quotas would be reviewed every five years.',
        "Critics in Ostmark said the treaty gives away too much water during dry summers.",
    ]
    assert doc.captions == [
        "Ministers Brell and Dovan shake hands after the signing in Marrow on Friday."
    ]


def test_lede_first_text_has_no_headline_and_no_guessed_metadata(tmp_path: Path) -> None:
    text = (
        "Ostmark's parliament approved the river treaty on Tuesday after a six-hour debate, "
        "clearing the last hurdle before the quotas take effect.\n"
        "A Long Debate\n"
        "Lawmakers argued over the summer quotas agreed on March 3, 2023 in Marrow.\n"
    )
    doc = _one(_write(tmp_path, "vote.txt", text))
    assert doc.headline is None
    assert doc.subheadlines == []
    assert doc.publisher is None
    assert doc.published is None  # the date of an event in the body is not the article's
    assert doc.byline is None
    assert doc.paragraphs == [
        "Ostmark's parliament approved the river treaty on Tuesday after a six-hour debate, "
        "clearing the last hurdle before the quotas take effect.",
        "Lawmakers argued over the summer quotas agreed on March 3, 2023 in Marrow.",
    ]


def test_partial_date_gives_no_published(tmp_path: Path) -> None:
    text = (
        "Treaty talks resume in Marrow\n\n"
        "Updated on the 14th\n\n"
        "Negotiators from Veloria and Ostmark met again on the 14th to discuss the dam.\n"
    )
    assert _one(_write(tmp_path, "partial.txt", text)).published is None


def test_source_line_posted_line_and_url(tmp_path: Path) -> None:
    text = (
        "Dam Inspectors Find Cracks in Northern Spillway\n\n"
        "Posted : 2022-11-08 17:04 Updated : 2022-11-09 08:00\n\n"
        "Inspectors found three cracks in the spillway of the Arnel dam, the water agency "
        "said on Tuesday, and ordered the reservoir lowered.\n\n"
        "source: Northern Valley Herald\n"
        "https://www.valleyherald.example/news/dam-cracks\n"
    )
    doc = _one(_write(tmp_path, "dam.txt", text))
    assert doc.headline == "Dam Inspectors Find Cracks in Northern Spillway"
    assert doc.published == "2022-11-08"  # the posting date, not the update
    assert doc.publisher == "Northern Valley Herald"
    assert doc.url == "https://www.valleyherald.example/news/dam-cracks"
    assert len(doc.paragraphs) == 1


def test_dateline_agency_and_domain_publisher(tmp_path: Path) -> None:
    wire = (
        "Ferry Strike Halts Island Traffic\n\n"
        "PORT ELLIS, July 4, 2021 (Coastline Wire) -- Ferry crews walked out on Sunday, "
        "stranding hundreds of travellers on the islands.\n"
    )
    doc = _one(_write(tmp_path, "ferry.txt", wire))
    assert (doc.publisher, doc.published) == ("Coastline Wire", "2021-07-04")
    assert doc.dateline == "PORT ELLIS, July 4, 2021 (Coastline Wire) -- "
    assert doc.paragraphs[0].startswith(doc.dateline)  # the body keeps it: offsets stay
    linked = (
        "Orchard Growers Report Record Harvest\n\n"
        "Growers in the eastern valley picked a record crop of apples this autumn, the "
        "growers' union said.\n\n"
        "URL: https://news.orchard-times.example/harvest\n"
    )
    doc = _one(_write(tmp_path, "harvest.txt", linked))
    assert doc.publisher == "news.orchard-times.example"
    assert doc.url == "https://news.orchard-times.example/harvest"


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["ELNA CITY — Norland signed.", "More."], "ELNA CITY — "),
        (["KESHTOWN, March 4 (Strait Wire) -- “We sign.”"], "KESHTOWN, March 4 (Strait Wire) -- "),
        (["PORT ELNA, Valmark (Harbour) – The navies met."], "PORT ELNA, Valmark (Harbour) – "),
        # after a headline line that was not recognised as one
        (["Talks end in Elna.", "ELNA CITY — Norland signed."], "ELNA CITY — "),
        # not datelines: a name and an aside; an acronym whose sentence goes on in lower case
        (["Norland — the first to sign — agreed."], ""),
        (["ELNACOM — the command said so."], ""),
        # a dateline deeper in the article opens an entry, not the article
        (["One.", "Two.", "Three.", "ELNA CITY — Norland signed."], ""),
    ],
)
def test_the_dateline_opening_the_body_is_recorded(paragraphs: list[str], expected: str) -> None:
    assert dateline_text(paragraphs) == expected


def test_front_matter_overrides_detection(tmp_path: Path) -> None:
    text = "---\nheadline: River deal signed\npublisher: Basin Monitor\npublished: 2023-03-04\n"
    text += "url: https://basin.example/a\nbyline: Tomas Reil\n---\n" + SCRAPED
    doc = _one(_write(tmp_path, "fm.md", text))
    assert doc.headline == "River deal signed"
    assert doc.publisher == "Basin Monitor"
    assert doc.published == "2023-03-04"
    assert doc.url == "https://basin.example/a"
    assert doc.byline == "Tomas Reil"
    assert doc.paragraphs[0].startswith("Veloria and Ostmark signed a treaty on Friday")


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("---\nheadline: [unclosed\n---\n", "bad front matter"),
        ("---\n- a\n- b\n---\n", "expected 'key: value' lines"),
        ("---\npublished: next spring\n---\n", "'published' is not a full date"),
        ("---\nheadline: River deal\n", "never closed"),
    ],
)
def test_bad_front_matter_is_refused_with_reason(tmp_path: Path, front: str, reason: str) -> None:
    path = _write(tmp_path, "bad.txt", front + "Body text of the article goes here, in full.\n")
    with pytest.raises(IngestError) as caught:
        read_file(path, MAX)
    assert reason in caught.value.reason


def test_boilerplate_lines_and_related_tail_are_removed(tmp_path: Path) -> None:
    text = (
        "Storm Closes Mountain Pass for Third Day\n\n"
        "Menu\nSkip to content\nShare on Facebook\nメニュー ホーム ニュース\n"
        "Snow and high winds kept the Harlen pass closed for a third day on Monday, police said.\n"
        "Drivers were told to use the coastal road until the weekend.\n"
        "Follow us on social media!\n"
        "Top\n"
        "Copyright Alpine Daily Record. All rights reserved.\n"
        "Related stories\n"
        "Avalanche warning raised in the north after heavy snowfall over the weekend.\n"
    )
    doc = _one(_write(tmp_path, "storm.txt", text))
    assert doc.headline == "Storm Closes Mountain Pass for Third Day"
    assert doc.publisher == "Alpine Daily Record"
    assert doc.paragraphs == [
        "Snow and high winds kept the Harlen pass closed for a third day on Monday, police said.",
        "Drivers were told to use the coastal road until the weekend.",
    ]


def test_captions_are_separated_from_paragraphs(tmp_path: Path) -> None:
    text = (
        "Bridge Reopens After Two-Year Repair\n\n"
        "The Selm bridge reopened to traffic on Saturday after two years of repairs, the city "
        "said.\n"
        "Cyclists cross the Selm bridge on Saturday morning. (City Hall/Pool)\n"
        "Mayor Ilse Varn cuts the ribbon at the bridge.\n"
        "Photo by Selm City Hall\n"
        "The repairs cost twice the first estimate, the city's auditor said last month.\n"
    )
    doc = _one(_write(tmp_path, "bridge.txt", text))
    assert doc.captions == [
        "Cyclists cross the Selm bridge on Saturday morning.",
        "Mayor Ilse Varn cuts the ribbon at the bridge.",
    ]
    assert doc.paragraphs == [
        "The Selm bridge reopened to traffic on Saturday after two years of repairs, the city "
        "said.",
        "The repairs cost twice the first estimate, the city's auditor said last month.",
    ]


def test_headline_repeated_as_image_text_becomes_caption(tmp_path: Path) -> None:
    text = (
        "Lighthouse Keeper Retires After 40 Years\n\n"
        "Oskar Lind climbed the 212 steps of the Vell lighthouse for the last time on Sunday.\n"
        "Lighthouse Keeper Retires After 40 Years Oskar Lind waves from the lamp room.\n"
        "He said he would miss the view more than the work itself, laughing with visitors.\n"
    )
    doc = _one(_write(tmp_path, "keeper.txt", text))
    assert doc.captions == ["Oskar Lind waves from the lamp room."]
    assert len(doc.paragraphs) == 2


def test_hard_wrapped_text_is_joined_into_paragraphs(tmp_path: Path) -> None:
    body = (
        "The regional council voted on Thursday to close three rural schools at the end of\n"
        "the year, despite protests from parents who gathered outside the council hall in\n"
        "the rain for most of the afternoon.\n\n"
        "Council leader Mara Quint said falling enrolment left the council no choice and\n"
        "promised free buses for every pupil who has to change schools next autumn.\n"
    )
    doc = _one(_write(tmp_path, "schools.txt", "Council Votes to Close Rural Schools\n\n" + body))
    assert doc.headline == "Council Votes to Close Rural Schools"
    assert len(doc.paragraphs) == 2
    assert doc.paragraphs[0].endswith(
        "outside the council hall in the rain for most of the afternoon."
    )


def test_utf16_with_bom_and_cp1252_are_decoded(tmp_path: Path) -> None:
    text = "Café Owners Protest New Rents\n\nThe owners of the café “Zur Mühle” met on Monday.\n"
    utf16 = _one(_write(tmp_path, "utf16.txt", "\ufeff" + text, "utf-16-le"))
    legacy = _one(_write(tmp_path, "legacy.txt", text, "cp1252"))
    for doc in (utf16, legacy):
        assert doc.headline == "Café Owners Protest New Rents"
        assert doc.paragraphs == ["The owners of the café “Zur Mühle” met on Monday."]
    assert utf16.content_hash == legacy.content_hash


def test_resaved_file_keeps_its_content_hash(tmp_path: Path) -> None:
    first = _one(_write(tmp_path, "a.txt", SCRAPED))
    second = _one(_write(tmp_path, "b.txt", SCRAPED.replace("\n", "\r\n") + "\n\n"))
    assert first.content_hash == second.content_hash
    changed = _one(_write(tmp_path, "c.txt", SCRAPED.replace("Friday", "Saturday")))
    assert changed.content_hash != first.content_hash


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t\n", "empty file"),
        ("binary.txt", bytes(range(256)) * 16, "binary file"),
        ("menu.txt", b"Home\nMenu\nTop\n", "no article text"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_unusable_files_are_refused_with_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        read_file(path, MAX)
    assert reason in caught.value.reason
    assert caught.value.path == str(path)


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", "Long read\n\n" + "word " * 1000)
    with pytest.raises(IngestError) as caught:
        read_file(path, 1000)
    assert "too large" in caught.value.reason
    assert "1,000" in caught.value.reason


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_file(tmp_path / "gone.txt", MAX)
    assert "cannot read" in caught.value.reason


HTML_PAGE = """<!DOCTYPE html><html><head>
<title>Glacier Museum Opens in Hollin | Northern Lantern</title>
<meta property="og:site_name" content="Northern Lantern">
<meta property="og:title" content="Glacier Museum Opens in Hollin">
<meta name="author" content="Rina Osk">
<meta property="article:published_time" content="2020-09-15T09:00:00Z">
<link rel="canonical" href="https://www.northernlantern.example/culture/glacier-museum">
<style>p { color: red; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/culture">Culture</a></nav>
<article>
<h1>Glacier Museum Opens in Hollin</h1>
<p>A museum about the retreating Hollin glacier opened its doors on Tuesday, drawing long
queues of visitors from across the valley.</p>
<script>document.write("tracking pixel loaded"); var secretToken = 42;</script>
<figure><img src="hall.jpg">
<figcaption>Visitors in the main hall of the museum.</figcaption></figure>
<p>The building sits on ground the ice covered only forty years ago, its director said.</p>
<p>Entry is free for children under twelve until the end of the year, the town said.</p>
</article>
<footer>Subscribe to our newsletter</footer>
</body></html>"""


def test_html_article_via_trafilatura(tmp_path: Path) -> None:
    doc = _one(_write(tmp_path, "museum.html", HTML_PAGE))
    assert doc.headline == "Glacier Museum Opens in Hollin"
    assert doc.publisher == "Northern Lantern"
    assert doc.published == "2020-09-15"
    assert doc.byline == "Rina Osk"
    assert doc.url == "https://www.northernlantern.example/culture/glacier-museum"
    assert doc.paragraphs[0].startswith("A museum about the retreating Hollin glacier")
    assert "tracking pixel" not in doc.text
    assert "secretToken" not in doc.text
    assert "Subscribe" not in doc.text
    assert doc.captions == ["Visitors in the main hall of the museum."]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Valley Ledger</title><link>https://ledger.example</link>
<item><title>Rail line to reopen in May</title><link>https://ledger.example/rail</link>
<pubDate>Mon, 06 Feb 2023 08:00:00 GMT</pubDate>
<description>&lt;p&gt;The valley rail line will reopen in May after flood repairs, the operator
said on Monday.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
<item><title>Library extends opening hours</title><link>https://ledger.example/library</link>
<description>The town library will stay open until nine on weekdays from next month, the
council said.</description></item>
</channel></rss>"""


def test_rss_feed_gives_one_document_per_item(tmp_path: Path) -> None:
    documents = read_file(_write(tmp_path, "ledger.rss", RSS), MAX)
    assert [d.id for d in documents] == ["ledger-1", "ledger-2"]
    assert [d.headline for d in documents] == [
        "Rail line to reopen in May",
        "Library extends opening hours",
    ]
    assert [d.publisher for d in documents] == ["Valley Ledger", "Valley Ledger"]
    assert [d.published for d in documents] == ["2023-02-06", None]
    assert documents[0].url == "https://ledger.example/rail"
    assert documents[0].paragraphs == [
        "The valley rail line will reopen in May after flood repairs, the operator said on Monday."
    ]
    assert "alert" not in documents[0].text


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 2 else "") + ";") * 10}">\n'
        for i in range(2, 10)
    )
    + ']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    "<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>\n"
)


def test_billion_laughs_feed_is_refused_fast(tmp_path: Path) -> None:
    path = _write(tmp_path, "laughs.xml", BILLION_LAUGHS)
    started = time.monotonic()
    with pytest.raises(IngestError) as caught:
        read_file(path, MAX)
    assert time.monotonic() - started < 2
    assert "entit" in caught.value.reason


def test_markdown_heading_is_the_headline(tmp_path: Path) -> None:
    text = (
        "# Volunteers Plant 10,000 Trees\n\n"
        "![Volunteers at work on the hillside](trees.jpg)\n\n"
        "Volunteers planted **ten thousand** saplings on the [Brann hillside](https://x.example) "
        "over the weekend, the forestry office said.\n\n"
        "## Next Steps\n\n"
        "A second planting day is planned for the autumn, organisers said.\n"
    )
    doc = _one(_write(tmp_path, "trees.md", text))
    assert doc.headline == "Volunteers Plant 10,000 Trees"
    assert doc.paragraphs == [
        "Volunteers planted ten thousand saplings on the Brann hillside over the weekend, "
        "the forestry office said.",
        "A second planting day is planned for the autumn, organisers said.",
    ]
    assert doc.captions == ["Volunteers at work on the hillside"]


def _article(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return _write(folder, name, f"Story {name}\n\nA full sentence of the article {name} here.\n")


def test_folder_walk_is_sorted_recursive_and_survives_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _article(root, "b.txt")
    _article(root / "sub", "a.md")
    _article(root, "a.txt")
    (root / "notes.json").write_text("{}")
    (root / ".hidden.txt").write_text("hidden")
    (root / "loop").mkdir()
    (root / "loop" / "again").symlink_to(root)
    (root / "loop" / "self").symlink_to(root / "loop")
    files = list(iter_input_files([str(root)], tmp_path))
    assert [f.relative_to(root).as_posix() for f in files] == ["a.txt", "b.txt", "sub/a.md"]


def test_glob_and_explicit_inputs_are_deduplicated(tmp_path: Path) -> None:
    _article(tmp_path / "in", "x.txt")
    _article(tmp_path / "in", "y.txt")
    _article(tmp_path / "in", "z.md")
    files = list(iter_input_files(["in/*.txt", "in/x.txt", "in"], tmp_path))
    assert [f.name for f in files] == ["x.txt", "y.txt", "z.md"]


def test_read_documents_skips_unusable_files_with_reason(tmp_path: Path) -> None:
    _article(tmp_path / "in", "good.txt")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents(["in"], tmp_path, MAX, lambda p, r: skipped.append((p, r))))
    assert [d.id for d in docs] == ["good"]
    assert skipped == [(str(tmp_path / "in" / "empty.txt"), "empty file")]


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Posted on : 2019-05-02 11:40 KST Modified on : 2019-05-03 09:00 KST", "2019-05-02"),
        ("Updated: 4 May 2019  |  Published: 2 May 2019", "2019-05-02"),
        ("Thursday, May 2, 2019, 11:40 a.m. ET", "2019-05-02"),
        ("May 2, 2019 — 3 min read", "2019-05-02"),
        ("2019.05.02 11:40", "2019-05-02"),
        ("25/12/2019", "2019-12-25"),
        ("05/06/2019", None),  # day and month cannot be told apart
        ("The dam was finished on May 2, 2019 after six years of work.", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    found = date_line(line)
    assert (found.iso if found else None) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Published 2 May", None),  # fewer than four digits: no year
        ("1 2 3 4 May", None),  # four digits, but no four in a row
        ("Posted 1 May 2019", "2019-05-01"),
        ("\u0662\u0660\u0661\u0669-05-02", "2019-05-02"),  # Arabic-Indic digits of the year
        ("\u00a9 Harbour Herald 2019-05-02", "2019-05-02"),  # not ASCII: the regex decides
    ],
)
def test_a_date_line_needs_four_digits_of_any_script(line: str, iso: str | None) -> None:
    found = date_line(line)
    assert (found.iso if found else None) == iso


def test_find_dates_on_hostile_text_is_fast() -> None:
    text = "2019-" * 200_000 + "May 1" * 100_000
    started = time.monotonic()
    assert find_dates(text) == []
    assert time.monotonic() - started < 2


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Bulletin</title>
<entry><title>Pilots end strike at the port</title>
<link href="https://bulletin.example/pilots"/><updated>2021-10-12T07:30:00Z</updated>
<author><name>Ada Fenn</name></author>
<content type="html">&lt;p&gt;Harbour pilots ended their strike on Tuesday after the port
authority agreed to hire twelve more pilots.&lt;/p&gt;&lt;p&gt;Ships queued outside the
harbour for four days.&lt;/p&gt;</content></entry>
</feed>"""


def test_atom_feed_entry(tmp_path: Path) -> None:
    (doc,) = read_file(_write(tmp_path, "bulletin.atom", ATOM), MAX)
    assert doc.id == "bulletin-1"
    assert doc.headline == "Pilots end strike at the port"
    assert (doc.publisher, doc.published, doc.byline) == (
        "Harbour Bulletin",
        "2021-10-12",
        "Ada Fenn",
    )
    assert doc.paragraphs == [
        "Harbour pilots ended their strike on Tuesday after the port authority agreed to hire "
        "twelve more pilots.",
        "Ships queued outside the harbour for four days.",
    ]


def test_xml_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "sitemap.xml", '<?xml version="1.0"?><urlset><url/></urlset>')
    with pytest.raises(IngestError) as caught:
        read_file(path, MAX)
    assert "no feed items" in caught.value.reason


def test_wire_copy_with_breadcrumbs_dateline_and_site_title(tmp_path: Path) -> None:
    text = (
        "Home > World > Europe\n"
        "Border crossing reopens after floods | World | The Upland Gazette\n"
        "By Piet Aron\n\n"
        "KARSTADT, May 9 (Upland Wire) - The Karstadt border crossing reopened on Thursday "
        "after floods closed it for a week, border police said.\n\n"
        "Trucks were let through first. (END)\n"
    )
    doc = _one(_write(tmp_path, "border.txt", text))
    assert doc.headline == "Border crossing reopens after floods"
    assert doc.publisher == "The Upland Gazette"  # the site beats the agency it quotes
    assert doc.published is None  # "May 9" has no year
    assert doc.byline == "Piet Aron"
    assert doc.paragraphs[1] == "Trucks were let through first."
    without_site = text.replace(" | World | The Upland Gazette", "")
    doc = _one(_write(tmp_path, "border2.txt", without_site))
    assert doc.headline == "Border crossing reopens after floods"
    assert doc.publisher == "Upland Wire"


def test_tagged_headline_and_labelled_captions(tmp_path: Path) -> None:
    text = (
        "(LEAD) Ferry service resumes after storm\n"
        "Published : June 3, 2022 - 15:21\n"
        "By Lee Ha-na\n\n"
        "The ferry service between the two islands resumed on Friday after a three-day storm, "
        "the operator said.\n"
        "Image source, Harbour Office\n"
        "Image caption, Passengers board the first ferry on Friday\n"
        "Officials said timetables would return to normal by Monday at the latest.\n"
    )
    doc = _one(_write(tmp_path, "ferry.txt", text))
    assert doc.headline == "(LEAD) Ferry service resumes after storm"
    assert (doc.published, doc.byline) == ("2022-06-03", "Lee Ha-na")
    assert doc.captions == ["Passengers board the first ferry on Friday"]
    assert len(doc.paragraphs) == 2


def test_plain_text_corpus_does_not_import_heavy_readers(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = _write(tmp_path, "a.txt", SCRAPED)
    code = (
        "import sys; from pathlib import Path; from briefing.ingest import read_file; "
        f"read_file(Path({str(path)!r}), 10**6); "
        "print(sorted(m for m in ('trafilatura', 'feedparser', 'charset_normalizer', "
        "'markdown_it', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_size_limit_is_inclusive_and_the_reason_names_both_sizes(tmp_path: Path) -> None:
    path = _article(tmp_path, "limit.txt")
    size = path.stat().st_size
    assert [d.id for d in read_file(path, size)] == ["limit"]
    with pytest.raises(IngestError) as caught:
        read_file(path, size - 1)
    assert caught.value.reason == f"too large ({size:,} bytes; the limit is {size - 1:,})"
    assert caught.value.path == str(path)


def _read_through_a_pipe(path: Path, limit: int) -> list[str]:
    """read_file of `path`'s bytes written into a named pipe (whose stated size is 0), by a
    thread: the paragraphs read."""
    import os
    import threading

    pipe = path.with_name("piped.txt")
    os.mkfifo(pipe)
    data = path.read_bytes()

    def write() -> None:
        with open(pipe, "wb") as sink:
            sink.write(data)

    writer = threading.Thread(target=write, daemon=True)  # never keeps pytest from ending
    writer.start()
    try:
        [doc] = read_file(pipe, limit)
        return doc.paragraphs
    finally:
        writer.join(timeout=5)
        pipe.unlink()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_a_file_longer_than_its_stated_size_is_read_whole_up_to_the_limit(
    tmp_path: Path,
) -> None:
    """The reader asks for the size fstat gives and one byte more; a file that holds more
    (it grew, or its size is not known: a pipe, /proc) is read on up to the limit."""
    path = _article(tmp_path, "grew.txt")
    size = path.stat().st_size
    [whole] = read_file(path, size)
    assert _read_through_a_pipe(path, size) == whole.paragraphs
    assert len(" ".join(whole.paragraphs)) > 10
    with pytest.raises(IngestError) as caught:
        _read_through_a_pipe(path, size - 1)
    assert caught.value.reason == f"too large (more than {size - 1:,} bytes)"


def test_links_outside_the_folder_and_broken_links(tmp_path: Path) -> None:
    """A link to a file or folder elsewhere is read (once); a dangling link or a loop of
    links is skipped with its reason, never silently and never forever."""
    outside = tmp_path / "elsewhere"
    far = _article(outside, "far.txt")
    root = tmp_path / "corpus"
    _article(root, "near.txt")
    (root / "far-link.txt").symlink_to(far)
    (root / "elsewhere-a").symlink_to(outside)
    (root / "elsewhere-b").symlink_to(outside)
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    (root / "ring-1.txt").symlink_to(root / "ring-2.txt")
    (root / "ring-2.txt").symlink_to(root / "ring-1.txt")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents([str(root)], tmp_path, MAX, lambda p, r: skipped.append((p, r))))
    # Sorted walk: the folder link comes first; the file link to the same file is not read
    # again.
    assert [d.path for d in docs] == [str(root / "elsewhere-a" / "far.txt"), str(root / "near.txt")]
    assert skipped == [
        (str(root / "dangling.txt"), "cannot read: No such file or directory"),
        (str(root / "ring-1.txt"), "cannot read: Too many levels of symbolic links"),
        (str(root / "ring-2.txt"), "cannot read: Too many levels of symbolic links"),
    ]


def test_folder_read_twice_through_links_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outside = tmp_path / "elsewhere"
    _article(outside, "far.txt")
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a").symlink_to(outside)
    (root / "b").symlink_to(outside)
    (root / "a" / "up").symlink_to(root)
    with caplog.at_level("WARNING", logger="briefing"):
        files = list(iter_input_files([str(root)], tmp_path))
    assert [f.name for f in files] == ["far.txt"]
    assert [r.getMessage() for r in caplog.records] == [
        f"skipped {root / 'a' / 'up'}: symlink loop (a link to a folder above it)",
        f"skipped {root / 'b'}: folder already read",
    ]


def test_page_too_large_for_trafilatura_is_read_by_its_blocks(tmp_path: Path) -> None:
    """Past MAX_EXTRACTOR_ELEMENTS elements, the page's <article> is read by a linear walk:
    its paragraphs come out, the navigation, scripts and page furniture do not."""
    from briefing.ingest.html import MAX_EXTRACTOR_ELEMENTS

    links = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(8_000))
    page = f"""<html><head><title>Ferry fares cut on the lake | Valley Ledger</title></head>
<body><nav><ul>{links}</ul></nav>
<article><header><h1>Ferry fares cut on the lake</h1></header>
<p>The lake ferry will cost half as much from June, the operator said on Tuesday.</p>
<script>var tracking = "pixel";</script>
<aside>Read more: Library extends opening hours</aside>
<p>Commuters had asked for cheaper fares since the bridge closed last year.</p>
</article><footer>Subscribe to the Valley Ledger</footer></body></html>"""
    assert page.count("<") > 2 * MAX_EXTRACTOR_ELEMENTS
    started = time.monotonic()
    doc = _one(_write(tmp_path, "ferry.html", page))
    assert time.monotonic() - started < 5
    assert doc.headline == "Ferry fares cut on the lake"
    assert doc.publisher == "Valley Ledger"
    assert doc.paragraphs == [
        "The lake ferry will cost half as much from June, the operator said on Tuesday.",
        "Commuters had asked for cheaper fares since the bridge closed last year.",
    ]


@pytest.mark.parametrize(
    "above",
    [
        ["Home > Diplomacy"],
        ["World / Defence"],
        ["World / Defence", "Share on Facebook | Twitter | Email"],
        ["Facebook Twitter Email WhatsApp"],
    ],
    ids=["breadcrumb-arrow", "breadcrumb-slash", "breadcrumb-and-share-bar", "share-bar"],
)
def test_breadcrumb_and_share_bar_are_never_headline(tmp_path: Path, above: list[str]) -> None:
    text = "\n".join(
        [
            *above,
            "Navies begin joint patrols in the strait",
            "The patrols began on Tuesday at dawn, the harbour ministry said in a statement.",
        ]
    )
    doc = _one(_write(tmp_path, "patrols.txt", text + "\n"))
    assert doc.headline == "Navies begin joint patrols in the strait"
    assert doc.subheadlines == []
    assert doc.paragraphs == [
        "The patrols began on Tuesday at dawn, the harbour ministry said in a statement."
    ]


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("By Meridian Daily correspondents", "Meridian Daily"),
        ("By the Harbour Herald staff", "Harbour Herald"),
        ("By Valmark Post staff writers", "Valmark Post"),
    ],
)
def test_byline_crediting_an_outlets_staff_names_the_publisher(
    tmp_path: Path, line: str, publisher: str
) -> None:
    text = (
        "Ostria and Kesh sign a harbour accord\n"
        f"{line}\n"
        "The two governments signed the accord on Monday in the port city, officials said.\n"
    )
    doc = _one(_write(tmp_path, "accord.txt", text))
    assert doc.headline == "Ostria and Kesh sign a harbour accord"
    assert (doc.publisher, doc.byline) == (publisher, None)


def test_a_path_queue_gives_back_each_path_in_order(monkeypatch) -> None:
    monkeypatch.setattr(PathQueue, "BATCH", 3)  # runs of one folder past a batch's names
    paths = [
        "/in/a/1.txt",
        "/in/a/2.txt",
        "/in/a/3.txt",
        "/in/a/4.txt",
        "/in/b/x y.md",
        "top.txt",
        "/in/a/5.txt",
        "/in/a/b/6.txt",
    ]
    queue = PathQueue(Path(path) if n % 2 else path for n, path in enumerate(paths))
    assert len(queue) == 8
    assert list(queue) == [str(Path(path)) for path in paths]
    assert list(queue) == list(map(str, map(Path, paths)))  # reading it takes nothing
    assert queue.take(5) == paths[:5]
    assert (len(queue), list(queue)) == (3, paths[5:])
    assert queue.take(2) == paths[5:7]
    assert queue.take(9) == paths[7:]
    assert (len(queue), list(queue), queue.take(1)) == (0, [], [])


def test_a_path_queue_holds_its_folders_once() -> None:
    names = [f"article_{n:05d}.txt" for n in range(5_000)]
    queue = PathQueue(f"/srv/wire/2024-06-19/{name}" for name in names)
    held = queue._batches
    assert len(held) == 5  # 1,024 names a batch
    assert {folder for folder, _ in held} == {"/srv/wire/2024-06-19/"}
    assert "\0".join(joined for _, joined in held) == "\0".join(names)
    assert queue.take(1_030)[-1] == "/srv/wire/2024-06-19/article_01029.txt"
    assert len(queue._batches) == 3 and len(queue._names) == 1_018


def test_lines_classified_in_earlier_files_give_the_same_documents(tmp_path: Path) -> None:
    from briefing.ingest import article

    def page(headline: str, byline: str, outlet: str, body: str) -> str:
        return (
            f"{headline}\n\nMenu\nSkip to content\nShare on Facebook\n{byline}\n"
            f"{body}\nFollow us on social media!\n"
            f"Copyright {outlet}. All rights reserved.\nRelated stories\n"
        )

    first = _write(
        tmp_path,
        "first.txt",
        page(
            "Ferry Strike Ends After Three Days",
            "By Tomas Ridley",
            "Harbour Evening Post",
            "Ferry crews returned to work on Thursday after the operator agreed to new rotas.",
        ),
    )
    second = _write(
        tmp_path,
        "second.txt",
        page(
            "Port Fees to Rise in Spring",
            "By Ilse Marwood",
            "Coastal Ledger",
            "The port authority said fees would rise by four percent from April, officials said.",
        ),
    )
    article._SEEN_LINES.clear()
    alone = _one(second)
    _one(first)
    after_first = _one(second)
    assert after_first == alone
    # Each file keeps its own metadata: lines that state it are never taken from the memo.
    assert (after_first.byline, after_first.publisher) == ("Ilse Marwood", "Coastal Ledger")
    assert ("Share on Facebook", True) in article._SEEN_LINES
    assert not any("Copyright" in line or "By " in line for line, _ in article._SEEN_LINES)


def test_the_memo_of_classified_lines_is_bounded(tmp_path: Path) -> None:
    from briefing.ingest import article

    article._SEEN_LINES.clear()
    lines = "\n".join(f"Section {n}" for n in range(article._SEEN_MAX + 10))
    _one(_write(tmp_path, "menu.txt", f"{lines}\n\nA paragraph of text, long enough to read.\n"))
    assert 0 < len(article._SEEN_LINES) <= article._SEEN_MAX


def test_a_line_remembered_from_a_document_in_another_script_is_classified_anew(
    tmp_path: Path,
) -> None:
    from briefing.ingest import article

    # Latin navigation in a Cyrillic page is furniture; in a Latin page the same line
    # ends the article (its related-stories tail).
    cyrillic = (
        "Паводок отрезал три деревни от районного центра\n\n"
        "Related stories\n"
        "Вода поднялась за ночь на два метра, сообщили спасатели в понедельник утром.\n"
    )
    latin = (
        "Flood Cuts Off Three Villages\n\n"
        "The river rose two metres overnight, rescuers said on Monday morning.\n"
        "Related stories\n"
        "Bridge reopens after repairs that lasted most of the summer, officials said.\n"
    )
    article._SEEN_LINES.clear()
    _one(_write(tmp_path, "cyrillic.txt", cyrillic))
    doc = _one(_write(tmp_path, "latin.txt", latin))
    assert doc.paragraphs == [
        "The river rose two metres overnight, rescuers said on Monday morning."
    ]
