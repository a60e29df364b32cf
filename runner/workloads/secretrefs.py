"""Secrets by reference: `${ENV_VAR}` in registry files, expanded only at the moment of use.

A registry file never holds a secret: notification URLs and artifact URLs name environment variables,
and the expanded text is handed straight to the library that sends or fetches, never printed, logged or
stored. `find_literal_secrets` is the check that keeps literal credentials out of the files."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit

from runner.errors import NotifyError, TfguardError

REF_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
ONLY_REFS_RE = re.compile(r"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\})+$")
SECRET_PARAM_RE = re.compile(r"(token|secret|passw|pwd|apikey|api_key|key$|^key|webhook|auth|signature|sig$)",
                             re.IGNORECASE)
KNOWN_TOKEN_RE = re.compile(r"^(xox[a-z]-|ghp_|gho_|ghs_|github_pat_|glpat-|AKIA|ASIA|sk-|SG\.)")
TOKEN_CHARS_RE = re.compile(r"^[A-Za-z0-9_\-+=.]{16,}$")
# schemes whose host and path segments are credentials (webhook ids, bot tokens)
TOKEN_SCHEMES = frozenset({
    "slack", "msteams", "discord", "tgram", "pover", "pushover", "gchat", "ryver",
    "flock", "guilded", "lark", "feishu", "dingtalk", "wxteams", "webex", "pbul", "pushbullet", "ifttt",
    "join", "spush", "techulus", "pagerduty", "opsgenie", "victorops",
})
# leading characters of a path segment that names a target (channel, user), not a credential
TARGET_PREFIXES = ("#", "@", "+", "%23", "%40")


def refs(text: str) -> list[str]:
    """The environment variables `text` refers to, in order."""
    return list(dict.fromkeys(REF_RE.findall(text)))


def missing_refs(text: str, env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    return [name for name in refs(text) if name not in env]


def expand(text: str, env: Mapping[str, str] | None = None, where: str = "", url: bool = True,
           error: type[TfguardError] = NotifyError) -> str:
    """Replace every `${VAR}` by its value. In a URL the value is percent-encoded for its position
    (everything in user:password, all but `/` elsewhere). An unset variable is an error naming it."""
    env = os.environ if env is None else env
    missing = missing_refs(text, env)
    if missing:
        names = ", ".join(missing)
        text = f"environment variable {names} is not set" if len(missing) == 1 else \
            f"environment variables {names} are not set"
        raise error(text, where=where or None, hint="set it in the pipeline's secret settings")
    if not url:
        return REF_RE.sub(lambda m: env[m.group(1)], text)
    userinfo_end = _userinfo_end(text)

    def sub(m: re.Match[str]) -> str:
        value = env[m.group(1)]
        return quote(value, safe="") if m.start() < userinfo_end else quote(value, safe="/")

    return REF_RE.sub(sub, text)


def _userinfo_end(template: str) -> int:
    """Offset of the '@' that ends user:password in a URL template, or -1 when there is none."""
    start = template.find("://")
    if start < 0:
        return -1
    start += 3
    end = len(template)
    for stop in ("/", "?"):
        pos = template.find(stop, start)
        if pos >= 0:
            end = min(end, pos)
    at = template.rfind("@", start, end)
    return at


def find_literal_secrets(url: str) -> list[str]:
    """Problems with a URL template that holds a credential in clear instead of a `${VAR}` reference."""
    problems: list[str] = []
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return [f"not a valid URL ({exc})"]
    scheme = parts.scheme.lower()
    if scheme == "file":
        return []
    authority = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0] if "://" in url else ""
    if "@" in authority:
        userinfo = authority.rsplit("@", 1)[0]
        if ":" in userinfo and not _is_ref(userinfo.split(":", 1)[1]):
            problems.append("a password is written in the URL")
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if value and SECRET_PARAM_RE.search(key) and not _is_ref(value):
            problems.append(f"query parameter `{key}` holds a literal value")
    for segment in _credential_segments(url, scheme):
        problems.append(f"`{_mask(segment)}` looks like a credential")
    return problems


def _credential_segments(url: str, scheme: str) -> list[str]:
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.split("?", 1)[0]
    host_and_path = rest.rsplit("@", 1)[-1] if "@" in rest.split("/", 1)[0] else rest
    found = []
    for i, seg in enumerate(host_and_path.split("/")):
        if not seg or _is_ref(seg) or seg.startswith(TARGET_PREFIXES):
            continue
        if i == 0 and scheme not in TOKEN_SCHEMES:
            continue  # a host name, not a credential
        if scheme in TOKEN_SCHEMES or looks_like_token(seg):
            found.append(seg)
    return found


def looks_like_token(text: str) -> bool:
    """A known token prefix, or 16+ token characters mixing at least 3 digits and 3 letters (hex digests,
    UUIDs, base64 keys) - not words joined by underscores."""
    if KNOWN_TOKEN_RE.match(text):
        return True
    if not TOKEN_CHARS_RE.match(text):
        return False
    digits = sum(c.isdigit() for c in text)
    letters = sum(c.isalpha() for c in text)
    return digits >= 3 and letters >= 3


def _is_ref(text: str) -> bool:
    return bool(ONLY_REFS_RE.match(text))


def _mask(text: str) -> str:
    return text[:3] + "…" if len(text) > 6 else "…"


def secret_values(env: Mapping[str, str] | None, names: list[str]) -> list[str]:
    """The values of the named variables, raw and percent-encoded: what an error message must never show."""
    env = os.environ if env is None else env
    out: list[str] = []
    for name in names:
        value = env.get(name, "")
        if len(value) >= 3:
            out += sorted({value, quote(value, safe=""), quote(value, safe="/")})
    return out


def redact_values(text: str, env: Mapping[str, str] | None, names: list[str]) -> str:
    """Remove the values of the named variables (raw and percent-encoded) from text (error messages)."""
    env = os.environ if env is None else env
    for name in names:
        value = env.get(name, "")
        if len(value) < 3:
            continue
        for form in {value, quote(value, safe=""), quote(value, safe="/")}:
            text = text.replace(form, f"${{{name}}}")
    return text
