"""tfguard comment: create or update one marked comment on the job's pull request (GitHub) or merge request
(GitLab) with the text of Markdown files, through the forge's REST API. The token comes from the
environment and never appears in any output.

Exit 0: posted (or, with --optional, nothing to post to and said so); 2: the forge refused or is unreachable."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from runner.config import load_config
from runner.console import Output
from runner.forge.comment import compose, upsert
from runner.forge.threads import FORGES, NoTarget, Target, open_thread

NAME = "comment"
HELP = ("Create or update one marked comment on the job's pull request (GitHub) or merge request (GitLab) "
        "with the text of Markdown files.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="Markdown files, joined by blank lines")
    parser.add_argument("--forge", choices=FORGES, required=True)
    parser.add_argument("--key", default="summary",
                        help="names the comment (<!-- tfguard:KEY -->): one comment per key (default: summary)")
    parser.add_argument("--number", type=int, metavar="N",
                        help="pull request number / merge request iid (default: the CI job's)")
    parser.add_argument("--branch", metavar="NAME",
                        help="GitHub: the open pull request from this branch (default: $GITHUB_HEAD_REF)")
    parser.add_argument("--repository", metavar="OWNER/NAME", help="GitHub repository (default: forge.github."
                                                                   "repository in tfguard.yaml, $GITHUB_REPOSITORY)")
    parser.add_argument("--token-env", metavar="VAR",
                        help="the environment variable holding the token (default: GITHUB_TOKEN; GitLab: "
                             "TFGUARD_API_TOKEN)")
    parser.add_argument("--optional", action="store_true",
                        help="no token or no pull/merge request: say so and exit 0 instead of 2")
    parser.add_argument("--copy", metavar="FILE", help="also write the comment's text here (e.g. the job summary)")
    parser.add_argument("--repo", default=".", metavar="DIR", help="compliance repository root (default: .)")


def _parts(files: list[str], output: Output) -> list[str]:
    parts = []
    for name in files:
        try:
            parts.append(Path(name).read_text(encoding="utf-8"))
        except OSError:
            output.warn(f"{name} was not written: the comment says so")
            parts.append(f"_`{name}` was not written: see the job log._")
    return parts


def run(args: argparse.Namespace, output: Output) -> int:
    parts = _parts(args.files, output)
    if args.copy:
        with open(args.copy, "a", encoding="utf-8") as copy:
            copy.write(compose(args.key, parts, 10**9))
    target = Target(args.forge, args.number, args.branch, args.token_env, args.repository)
    try:
        thread = open_thread(target, load_config(args.repo), os.environ)
    except NoTarget as exc:
        if not args.optional:
            raise
        output.print(f"no comment posted: {exc.line()}")
        return 0
    posted = upsert(thread, args.key, parts)
    output.print(f"{posted.action} the tfguard:{args.key} comment on {posted.where}"
                 + (f": {posted.comment.url}" if posted.comment.url else ""))
    return 0
