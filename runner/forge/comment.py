"""One marked comment per pull request (GitHub) or merge request (GitLab), created once and then updated
in place: the comment's first line is an HTML comment `<!-- tfguard:KEY -->` that readers do not see and
that finds it again on the next push."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

CUT_NOTE = "\n\n(cut: the whole text is in the job's summary and artifacts)"


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    url: str = ""


@dataclass(frozen=True)
class Posted:
    action: str  # created | updated
    comment: Comment
    where: str  # "pull request #7", "merge request !3"


class CommentThread(Protocol):
    """The comments of one pull or merge request."""

    @property
    def label(self) -> str: ...  # "pull request #7"

    @property
    def max_body(self) -> int: ...  # the forge's limit on a comment, in characters

    def comments(self) -> Sequence[Comment]: ...
    def create(self, body: str) -> Comment: ...
    def update(self, comment: Comment, body: str) -> Comment: ...


def marker(key: str) -> str:
    return f"<!-- tfguard:{key} -->"


def compose(key: str, parts: Sequence[str], limit: int) -> str:
    """The marked body: the marker line, then the parts separated by blank lines, cut to `limit`."""
    text = "\n\n".join(p.strip("\n") for p in parts if p.strip())
    body = f"{marker(key)}\n{text}\n"
    if len(body) > limit:
        body = body[: limit - len(CUT_NOTE)] + CUT_NOTE
    return body


def upsert(thread: CommentThread, key: str, parts: Sequence[str]) -> Posted:
    """Update the comment that carries the marker, or create it."""
    body = compose(key, parts, thread.max_body)
    mine = [c for c in thread.comments() if c.body.startswith(marker(key))]
    if mine:
        return Posted("updated", thread.update(mine[0], body), thread.label)
    return Posted("created", thread.create(body), thread.label)
