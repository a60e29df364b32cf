"""Git objects read by id and checked against their id: the rule files of one commit, written to disk and
verified on disk again.

A commit id names its tree, a tree names its entries' ids, and every id is the hash of the object's
bytes. So the rule files of a commit can be trusted without trusting the store they were read from:
each object read from the bare store is hashed here and compared with the id that named it, and a
directory on disk is hashed the way git hashes a tree and compared with the tree the commit names. A
changed file, an added or removed one, a swapped object in the store: each is a different hash.

Only the selected paths of the commit are read (`select`); the expected tree of the selection is a tree
holding just those entries, so the check covers exactly what was extracted. Blobs are read by id, never
through `git archive` (whose `.gitattributes` handling could drop or rewrite files)."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TREE, BLOB, EXEC, LINK, GITLINK = "40000", "100644", "100755", "120000", "160000"
BAD_NAMES = frozenset({"", ".", "..", ".git"})


class ObjectMismatch(Exception):
    """The store returned bytes that do not hash to the id asked for, or an object is missing."""


@dataclass(frozen=True)
class Entry:
    mode: str
    oid: str
    children: Mapping[str, Entry] = field(default_factory=dict)  # for trees: name -> entry

    @property
    def is_tree(self) -> bool:
        return self.mode == TREE


def _hasher(oid: str) -> Callable[[bytes], str]:
    algorithm = hashlib.sha1 if len(oid) == 40 else hashlib.sha256
    return lambda data: algorithm(data).hexdigest()


def object_id(kind: str, data: bytes, like: str) -> str:
    """The id git gives an object of `kind` holding `data` (sha1 or sha256, as the id `like` is)."""
    return _hasher(like)(f"{kind} {len(data)}\0".encode() + data)


def _sort_key(item: tuple[str, Entry]) -> bytes:
    name, entry = item
    return name.encode() + (b"/" if entry.is_tree else b"")


def tree_bytes(entries: Mapping[str, Entry]) -> bytes:
    """The body of a git tree object holding `entries`."""
    out = b""
    for name, entry in sorted(entries.items(), key=_sort_key):
        out += f"{entry.mode} {name}\0".encode() + bytes.fromhex(entry.oid)
    return out


def tree_id(entries: Mapping[str, Entry], like: str) -> str:
    return object_id("tree", tree_bytes(entries), like)


def parse_tree(data: bytes, width: int) -> dict[str, tuple[str, str]]:
    """name -> (mode, id) of a tree object's body; `width` is the id length in bytes (20 or 32)."""
    out: dict[str, tuple[str, str]] = {}
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode, name = data[pos:space].decode(), data[space + 1:nul].decode("utf-8", "surrogateescape")
        oid = data[nul + 1:nul + 1 + width].hex()
        if len(oid) != 2 * width:
            raise ObjectMismatch("a tree object is truncated")
        out[name] = (mode, oid)
        pos = nul + 1 + width
    return out


Reader = Callable[[Sequence[str]], dict[str, tuple[str, bytes]]]


def batch_reader(git_dir: Path, env: Mapping[str, str]) -> Reader:
    """Read objects by id from a bare repository in one `git cat-file --batch` per call."""

    def read(oids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        if not oids:
            return {}
        proc = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                              input="".join(f"{o}\n" for o in oids).encode(), capture_output=True,
                              env=dict(env), check=False)
        if proc.returncode != 0:
            raise ObjectMismatch(proc.stderr.decode("utf-8", "replace").strip() or "git cat-file failed")
        out: dict[str, tuple[str, bytes]] = {}
        data, pos = proc.stdout, 0
        for oid in oids:
            end = data.index(b"\n", pos)
            header = data[pos:end].decode().split()
            if len(header) != 3:
                raise ObjectMismatch(f"object {oid[:12]} is missing from the store")
            size = int(header[2])
            out[oid] = (header[1], data[end + 1:end + 1 + size])
            pos = end + 1 + size + 1
        return out

    return read


def _checked(read: Reader, oids: Sequence[str], kind: str) -> dict[str, bytes]:
    found = read(list(dict.fromkeys(oids)))
    out = {}
    for oid in oids:
        got_kind, body = found.get(oid, ("missing", b""))
        if got_kind != kind or object_id(kind, body, oid) != oid:
            raise ObjectMismatch(f"{kind} {oid[:12]} in the store does not hash to its id")
        out[oid] = body
    return out


def commit_tree(read: Reader, commit: str) -> str:
    """The root tree id of `commit`, read from a commit object whose bytes hash to `commit`."""
    body = _checked(read, [commit], "commit")[commit]
    first = body.split(b"\n", 1)[0].decode()
    if not first.startswith("tree "):
        raise ObjectMismatch(f"commit {commit[:12]} names no tree")
    return first[5:].strip()


def select(read: Reader, commit: str, paths: Iterable[str]) -> dict[str, Entry]:
    """The entries of `commit` at `paths` (e.g. "features", "pipeline/workloads"), whole subtrees read and
    verified; paths the commit does not have are left out. The result is the root of the selection."""
    root = commit_tree(read, commit)
    width = len(root) // 2
    trees: dict[str, dict[str, tuple[str, str]]] = {}

    def listing(oid: str) -> dict[str, tuple[str, str]]:
        if oid not in trees:
            trees[oid] = parse_tree(_checked(read, [oid], "tree")[oid], width)
        return trees[oid]

    found: dict[str, tuple[list[str], tuple[str, str]]] = {}
    for path in paths:
        parts, oid, ok = path.split("/"), root, True
        for part in parts[:-1]:
            mode, oid = listing(oid).get(part, ("", ""))
            if mode != TREE:
                ok = False
                break
        named = listing(oid).get(parts[-1]) if ok else None
        if named is not None and named[0] != GITLINK:
            found[path] = (parts, named)
    _read_trees(read, [oid for _, (mode, oid) in found.values() if mode == TREE], width, trees)
    selection: dict[str, Entry] = {}
    for parts, (mode, oid) in found.values():
        if (entry := _entry(mode, oid, trees)) is not None:
            _graft(selection, parts, entry)
    return selection


def _graft(root: dict[str, Entry], parts: list[str], entry: Entry) -> None:
    if len(parts) == 1:
        root[parts[0]] = entry
        return
    below = dict(root[parts[0]].children) if parts[0] in root else {}
    _graft(below, parts[1:], entry)
    root[parts[0]] = Entry(TREE, tree_id(below, entry.oid), below)


def _read_trees(read: Reader, oids: list[str], width: int, trees: dict[str, dict[str, tuple[str, str]]]) -> None:
    """Every tree below `oids`, one batch read per level, each checked against its id."""
    frontier = [o for o in dict.fromkeys(oids) if o not in trees]
    while frontier:
        for oid, body in _checked(read, frontier, "tree").items():
            trees[oid] = parse_tree(body, width)
        frontier = list(dict.fromkeys(o for t in frontier for m, o in trees[t].values() if m == TREE and o not in trees))


def _entry(mode: str, oid: str, trees: Mapping[str, Mapping[str, tuple[str, str]]]) -> Entry | None:
    """A verified subtree as entries. Submodules are left out (no files to read), and so is a tree left
    empty by that: such a tree's id is computed again, as the directory on disk will hash."""
    if mode != TREE:
        return Entry(mode, oid)
    children: dict[str, Entry] = {}
    for name, (m, o) in trees[oid].items():
        if name in BAD_NAMES or "/" in name or "\0" in name:
            raise ObjectMismatch(f"tree {oid[:12]} holds an entry named {name!r}")
        if m != GITLINK and (child := _entry(m, o, trees)) is not None:
            children[name] = child
    return Entry(TREE, tree_id(children, oid), children) if children else None


def blobs(entries: Mapping[str, Entry]) -> list[str]:
    out: list[str] = []
    for entry in entries.values():
        out += blobs(entry.children) if entry.is_tree else [entry.oid]
    return out


def write(read: Reader, entries: Mapping[str, Entry], dest: Path) -> None:
    """Write the selection under `dest`, every blob read by id and checked against it."""
    data = _checked(read, blobs(entries), "blob") if entries else {}
    _write(entries, dest, data, dest)


def _write(entries: Mapping[str, Entry], at: Path, data: Mapping[str, bytes], top: Path) -> None:
    at.mkdir(parents=True, exist_ok=True)
    for name, entry in entries.items():
        target = at / name
        if entry.is_tree:
            _write(entry.children, target, data, top)
        elif entry.mode == LINK:
            link = data[entry.oid].decode("utf-8", "surrogateescape")
            inside = os.path.normpath(os.path.join(os.path.relpath(at, top), link))
            if os.path.isabs(link) or inside == ".." or inside.startswith("../"):
                raise ObjectMismatch(f"symlink {target.relative_to(top)} points outside the rule files")
            os.symlink(link, target)
        else:
            target.write_bytes(data[entry.oid])
            os.chmod(target, 0o755 if entry.mode == EXEC else 0o644)


def disk_tree(path: Path, like: str) -> str:
    """The id git would give the directory `path` as a tree (empty directories, as in git, count for
    nothing; anything but files, symlinks and directories makes a tree no commit can have)."""
    return tree_id(_disk_entries(path, like), like)


def _disk_entries(path: Path, like: str) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for child in os.scandir(path):
        info = child.stat(follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            entries[child.name] = Entry(LINK, object_id("blob", os.readlink(child.path).encode(), like))
        elif stat.S_ISDIR(info.st_mode):
            below = _disk_entries(Path(child.path), like)
            if below:
                entries[child.name] = Entry(TREE, tree_id(below, like), below)
        elif stat.S_ISREG(info.st_mode):
            mode = EXEC if info.st_mode & stat.S_IXUSR else BLOB
            entries[child.name] = Entry(mode, object_id("blob", Path(child.path).read_bytes(), like))
        else:
            entries[child.name] = Entry(BLOB, "0" * len(like))  # a fifo or device: never a match
    return entries


def parents(body: bytes) -> list[str]:
    out = []
    for line in body.split(b"\n"):
        if not line:
            break  # the headers end at the first empty line
        if line.startswith(b"parent "):
            out.append(line[7:].decode().strip())
    return out


def is_ancestor(read: Reader, listed: Sequence[str], pin: str, tip: str) -> bool | None:
    """Whether `pin` is `tip` or one of its ancestors, walking parents named by verified commit objects.

    `listed` is what the store says is reachable from `tip` (`git rev-list`); it is only a reading list:
    every commit read is hashed against its id, so a store that lies yields a missing parent, not a false
    answer. None when the walk reaches a commit the store does not hold (a shallow history)."""
    bodies = _checked(read, list(dict.fromkeys([tip, *listed])), "commit")
    seen, queue, complete = set(), [tip], True
    while queue:
        oid = queue.pop()
        if oid == pin:
            return True
        if oid in seen:
            continue
        seen.add(oid)
        if oid not in bodies:
            complete = False
            continue
        queue += parents(bodies[oid])
    return False if complete else None
