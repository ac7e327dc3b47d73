"""Assert the element, not the page: read a cell, a row, a link or a button of a rendered response.

A substring test passes as soon as the text appears anywhere, in the header, a filter's options or a
hidden field. These parse the HTML (lxml) and select with CSS (cssselect), so that a test names the
element it means; text is whitespace-normalised.

    assert cells(response, "#history tbody tr") == [["2025-05-20 10:00", "甲所员", "已签收"]]
    assert text_of(response, "h1") == "工作台 · 甲地市场监管所"
    assert links(response, "nav.pagination a") == [("下一页", "?page=2")]
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml.html import HtmlElement


def parse(response: Any) -> HtmlElement:
    """The response's document (a Django test response, or HTML text)."""
    content = response if isinstance(response, str | bytes) else response.content
    return lxml.html.document_fromstring(content)


def select(response: Any, selector: str) -> list[HtmlElement]:
    return parse(response).cssselect(selector)


def one(response: Any, selector: str) -> HtmlElement:
    """The one element matching `selector`; fails when there are none or several."""
    found = select(response, selector)
    assert len(found) == 1, f"{selector!r} matches {len(found)} elements, not one"
    return found[0]


def text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def text_of(response: Any, selector: str) -> str:
    """The text of the one element matching `selector`."""
    return text(one(response, selector))


def texts(response: Any, selector: str) -> list[str]:
    """The text of every element matching `selector`, in document order."""
    return [text(element) for element in select(response, selector)]


def cells(response: Any, selector: str) -> list[list[str]]:
    """For each row matching `selector` (e.g. "table#history tbody tr"), the text of its cells."""
    return [[text(cell) for cell in row.cssselect("td, th")] for row in select(response, selector)]


def links(response: Any, selector: str) -> list[tuple[str, str]]:
    """(text, href) of every element matching `selector` that has an href (give "… a" for a list)."""
    return [(text(element), element.get("href", "")) for element in select(response, selector)]


def buttons(response: Any, selector: str = "button, input[type=submit]") -> list[str]:
    """The label of every button matching `selector`."""
    return [text(element) or element.get("value", "") for element in select(response, selector)]
