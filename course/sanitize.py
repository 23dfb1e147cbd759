"""Learner HTML made inert, for every page built from a submission.

A graded notebook is the learner's: the markdown of their cells and written
answers, and whatever their code displayed. nbconvert renders all of it as
HTML, and by default a ``<script>``, an ``onerror=`` or a ``javascript:``
link in it runs in the page: in the feedback page, and in the Formgrader,
which the Jupyter server serves from the origin of the instructor's API.

The course's ``nbgrader_config.py`` turns on nbconvert's ``sanitize_html``
(outputs go through its ``clean_html`` filter, JavaScript and widget outputs
are dropped) and replaces two of its filters with the ones below:

* :func:`clean_html`, nbconvert's filter with a wider allow-list: bleach's
  own list escapes headings, paragraphs, images and tables, which would turn
  a learner's formatted answer or a pandas table into visible tags;
* :func:`strip_files_prefix_and_clean`: nbgrader's feedback and Formgrader
  templates render markdown cells without ``clean_html``, but every markdown
  cell in nbconvert's and nbgrader's HTML templates passes through
  ``strip_files_prefix`` last, so the markdown is cleaned there, after its
  conversion to HTML (cleaning the markdown source instead would escape the
  ``<`` and ``&`` of the learner's LaTeX).

What is kept: text formatting, headings, lists, tables, code, links to
``http``, ``https`` and ``mailto`` addresses or within the page, and images
from such addresses or embedded as ``data:image/...`` (plots, pasted images;
an SVG in an ``<img>`` runs no script). Everything else is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bs4 import BeautifulSoup
from nbconvert.filters import strip_files_prefix

TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
    }
)
# Layout attributes of tables (pandas writes border and style, markdown tables style).
TABLE_CELL = ["align", "colspan", "rowspan", "style", "valign"]
EVERYWHERE = ["class", "id", "title", "lang", "dir"]
PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
# The only data: addresses kept, and only as an image's source: images a browser
# decodes without running anything (an SVG inside <img> runs no script).
IMAGE_DATA = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
DATA = re.compile(r"^\s*data:", re.IGNORECASE)
CSS = CSSSanitizer()


def _link(tag: str, name: str, value: str) -> bool:
    """An ``<a>``'s attributes: any address bleach's protocol check lets through but ``data:``."""
    if name == "href":
        return not DATA.match(value)
    return name in EVERYWHERE


def _image(tag: str, name: str, value: str) -> bool:
    """An ``<img>``'s attributes: a ``data:`` source only if it is an image."""
    if name == "src":
        return not DATA.match(value) or bool(IMAGE_DATA.match(value))
    return name in [*EVERYWHERE, "alt", "width", "height"]


ATTRIBUTES: dict[str, list[str] | Callable[[str, str, str], bool]] = {
    "*": EVERYWHERE,
    "a": _link,
    "img": _image,
    "table": [*EVERYWHERE, "border", "style"],
    # data-grade-id: the rows of the rubric summary on top of a feedback page
    # (course.feedback.summary_html), itself a markdown cell.
    "tr": [*EVERYWHERE, "style", "data-grade-id"],
    "td": [*EVERYWHERE, *TABLE_CELL],
    "th": [*EVERYWHERE, *TABLE_CELL],
    "col": [*EVERYWHERE, "span", "style"],
    "ol": [*EVERYWHERE, "start", "type"],
    "details": [*EVERYWHERE, "open"],
}


def clean_html(html: str | bytes) -> str:
    """``html`` with everything outside the allow-list escaped and unsafe attributes dropped.

    Registered as nbconvert's ``clean_html`` filter (``HTMLExporter.filters``),
    which the templates apply to HTML and Markdown outputs when
    ``HTMLExporter.sanitize_html`` is on.
    """
    text = html.decode() if isinstance(html, bytes) else str(html)
    return bleach.clean(
        text, tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, css_sanitizer=CSS, strip=False, strip_comments=True
    )


def strip_files_prefix_and_clean(html: str) -> str:
    """nbconvert's ``strip_files_prefix``, then :func:`clean_html`: see the module's docstring."""
    return clean_html(strip_files_prefix(html))


# Elements that run or embed another document, whatever their attributes.
EMBEDDING = ("iframe", "frame", "frameset", "object", "embed", "applet", "base")
ADDRESSES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background")
# A scheme that runs script; browsers ignore control characters and spaces inside it.
SCRIPT_SCHEME = re.compile(r"^(?:javascript|vbscript):", re.IGNORECASE)
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


def runnable_markup(page: str) -> list[str]:
    """What in the body of ``page`` a browser would run: scripts, ``on...``
    handlers, script or non-image ``data:`` addresses, frames and embedded objects.

    A page nbconvert built keeps its own scripts (MathJax) in its head, so
    anything found here came from the notebook: the last check before a page
    is handed out.
    """
    soup = BeautifulSoup(page, "html.parser")
    found = [str(script)[:200] for script in (soup.body or soup).find_all("script")]
    found += [f"<{element.name}>" for element in soup.find_all(EMBEDDING)]
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            address = IGNORED_IN_SCHEME.sub("", value)
            if (
                name.lower().startswith("on")
                or name.lower() == "srcdoc"
                or name.lower() in ADDRESSES
                and (SCRIPT_SCHEME.match(address) or DATA.match(address) and not IMAGE_DATA.match(address))
            ):
                found.append(f"<{element.name} {name}={value[:200]!r}>")
    return found
