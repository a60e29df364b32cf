"""A parsed HTML page as a tree, for tests that check structure and text rather than exact markup.

Built on the standard library's html.parser; parsing also checks that every element is closed in order
(the dashboard is written as well-formed HTML), and collects what does not nest.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def raw_text(self) -> str:
        if self.tag == "br":
            return "\n"
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def text(self) -> str:
        """The text of the element and its descendants, whitespace collapsed as a browser shows it."""
        return " ".join(self.raw_text().split())

    def iter(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Iterator[Node]:
        """Descendants in document order, filtered by tag, class and exact attribute values (`data_s` is
        `data-s`; an attribute given as True only needs to be present)."""
        for child in self.children:
            if isinstance(child, str):
                continue
            if child._matches(tag, cls, attrs):
                yield child
            yield from child.iter(tag, cls, **attrs)

    def _matches(self, tag: str | None, cls: str | None, attrs: dict[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        if cls is not None and cls not in self.classes:
            return False
        for key, value in attrs.items():
            name = key.replace("_", "-")
            if name not in self.attrs or (value is not True and self.attrs[name] != value):
                return False
        return True

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return list(self.iter(tag, cls, **attrs))

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag} {cls} {attrs}"
        return found[0]

    def by_id(self, ident: str) -> Node:
        return self.one(id=ident)

    def section(self, heading_id: str) -> Node:
        """The <section> whose heading has this id (sections are labelled by their heading)."""
        return self.one("section", aria_labelledby=heading_id)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.errors.append(f"</{tag}> closes <{self.current.tag}>")
            return
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page: str) -> Node:
    """The page's tree; fails the test if an element is closed out of order or left open."""
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert builder.current is builder.root, f"left open: {builder.current}"
    return builder.root
