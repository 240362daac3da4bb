"""HTML articles: main text and metadata by trafilatura (imported only for HTML files).

trafilatura drops scripts, styles, navigation and comments; the paragraphs it keeps still go
through the boilerplate rules. Nothing is fetched: the page's own markup is all it reads.

trafilatura's cost grows faster than the page (a flood of 50,000 short paragraphs takes it
over ten seconds, 100,000 over forty): a page of more than MAX_EXTRACTOR_ELEMENTS elements,
far more than any article page has, is read instead by a linear lxml walk over its main
content (see `_read_large_page`).
"""

from __future__ import annotations

import logging
import re
from itertools import islice
from typing import Any

from ..errors import IngestError
from .article import Article, analyse
from .dates import parse_full_date
from .lines import Line
from .metadata import clean_name, domain_of, split_title_suffix
from .tables import words_of

MAX_CAPTIONS = 50
_BLANK_LINE = re.compile(r"\n[ \t]{0,100}\n")
BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "header", "footer", "figure", "figcaption", "pre", "table", "tr",
    "td", "th", "dd", "dt", "br", "hr",
)  # fmt: skip
UNSAFE_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg")
PAGE_FURNITURE_TAGS = ("nav", "header", "footer", "aside", "form", "button", "select")
MAX_EXTRACTOR_ELEMENTS = 15_000  # a news page has a few thousand; trafilatura takes ~2 s here


def read_html(text: str, path: str) -> Article:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    tree = load_html(text)
    if tree is None:
        raise IngestError(path, "not parseable as HTML")
    captions = _figcaptions(tree)
    if _more_elements_than(tree, MAX_EXTRACTOR_ELEMENTS):
        return _read_large_page(tree, path, captions)
    result = bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    # Without as_dict, trafilatura returns its Document (the dict is for as_dict=True).
    if result is None or isinstance(result, dict) or not (result.text or "").strip():
        raise IngestError(path, "no article text found in the HTML")
    title = clean_title(result.title)
    split = split_title_suffix(title) if title else None  # "Title | Site" without og:title
    if split is not None:
        title = split[0]
    body: str = result.text or ""  # not empty: checked above
    lines = [Line(" ".join(t.split())) for t in body.split("\n") if t.strip()]
    article = analyse(lines, detect_headline=False, title=title, captions=captions)
    _merge_page_metadata(article, result, split[1] if split else None)
    return article


def clean_title(title: str | None) -> str | None:
    return " ".join(title.split()) if title and title.strip() else None


def _merge_page_metadata(article: Article, page: Any, title_site: str | None) -> None:
    """The page's own metadata first, what the text says second."""
    url = page.url if page.url and str(page.url).startswith(("http://", "https://")) else None
    article.url = url or article.url
    # The markup's date is checked like any other: a real day within the plausible years.
    page_date = parse_full_date(str(page.date)) if page.date else None
    article.published = page_date or article.published
    article.byline = _author(page.author) or article.byline
    sitename = clean_name(page.sitename) if page.sitename else None
    host = domain_of(url) if url else None
    article.publisher = sitename or title_site or article.publisher or host


def _author(author: str | None) -> str | None:
    """The page's author, unless the markup's byline box held a date label ("Published")."""
    name = clean_name(author) if author else None
    if name is None or any(c.isdigit() for c in name):
        return None
    name = name[3:] if name.lower().startswith("by ") else name
    labels = words_of("ingest.yaml", "published_labels") | words_of("ingest.yaml", "updated_labels")
    return None if any(w.lower().strip(":,.") in labels for w in name.split()) else name


def _figcaptions(tree: Any) -> list[str]:
    captions = []
    for node in tree.iter("figcaption"):
        text = " ".join(node.text_content().split())
        if text and text not in captions:
            captions.append(text)
        if len(captions) >= MAX_CAPTIONS:
            break
    return captions


def _more_elements_than(tree: Any, limit: int) -> bool:
    return next(islice(tree.iter(), limit, None), None) is not None


def _read_large_page(tree: Any, path: str, captions: list[str]) -> Article:
    """The text of a page too large for trafilatura: the blocks of its <article> (else
    <main>, else <body>) without scripts, navigation and page furniture, in one pass."""
    title = clean_title(_first_text(tree, "//title") or _first_text(tree, "//h1"))
    split = split_title_suffix(title) if title else None
    if split is not None:
        title = split[0]
    roots = tree.xpath("(//article)[1]") or tree.xpath("(//main)[1]") or tree.xpath("//body")
    lines = block_lines(roots[0] if roots else tree, (*UNSAFE_TAGS, *PAGE_FURNITURE_TAGS))
    if not lines:
        raise IngestError(path, "no article text found in the HTML")
    article = analyse(lines, detect_headline=False, title=title, captions=captions)
    article.publisher = article.publisher or (split[1] if split else None)
    return article


def _first_text(tree: Any, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return found[0].text_content() if found else None


def block_lines(root: Any, dropped: tuple[str, ...] = UNSAFE_TAGS) -> list[Line]:
    """The paragraphs of a parsed element: one line per block, `dropped` tags removed."""
    for node in list(root.iter(*dropped)):
        if node.getparent() is not None:
            node.drop_tree()
    for node in root.iter():  # newlines in markup are spaces; only blocks part paragraphs
        if isinstance(node.tag, str):
            node.text = node.text.replace("\n", " ") if node.text else node.text
        node.tail = node.tail.replace("\n", " ") if node.tail else node.tail
    for node in root.iter(*BLOCK_TAGS):
        node.tail = "\n" + (node.tail or "")
        node.text = "\n" + (node.text or "")
    return [Line(" ".join(p.split())) for p in root.text_content().split("\n") if p.strip()]


def fragment_lines(markup: str) -> list[Line]:
    """Paragraphs of an HTML fragment (a feed item's content), parsed by lxml."""
    from lxml import etree
    from lxml import html as lxml_html

    if "<" not in markup:  # plain text: blank lines part paragraphs, other newlines wrap
        return [Line(" ".join(p.split())) for p in _BLANK_LINE.split(markup) if p.strip()]
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return block_lines(root)
