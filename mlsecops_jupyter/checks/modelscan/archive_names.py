"""Member names and links of archives (zip, tar, 7z) judged the same way for every format.

A member's name decides where an unpacking tool writes it, a link's target where later reads and
writes go. Scanners that refuse to look at a member with a bad name leave exactly the members an
attacker cares about unexamined, so every archive scanner scans each member whatever its name
and reports the name here: '..' components or an absolute path escape the extraction folder
(high), a symbolic link is reported, at high when it points outside the archive.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from ...core.severity import Severity
from .context import ScanContext

MAX_LISTED = 20


def escapes(name: str) -> bool:
    """Whether ``name`` (a member name or a link target) leaves the folder it is unpacked in.

    Absolute POSIX or Windows paths (``/x``, ``\\\\server``, ``C:x``) and any ``..`` component,
    with either separator, count: tools differ on which they sanitise.
    """
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return True
    parts = text.split("/")
    return ".." in parts or posixpath.normpath(text).startswith("../")


def link_escapes(member: str, target: str, from_root: bool = False) -> bool:
    """Whether a link stored as ``member`` and pointing to ``target`` resolves outside.

    A symbolic link resolves from the member's folder; a tar hard link (``from_root``) names
    another member, from the archive's root.
    """
    text = target.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return True
    base = "" if from_root else posixpath.dirname(member.replace("\\", "/"))
    resolved = posixpath.normpath(posixpath.join(base, text))
    return resolved == ".." or resolved.startswith("../")


def report_traversal(ctx: ScanContext, kind: str, names: Iterable[str]) -> None:
    """One MODEL-ARCHIVE-PATH-TRAVERSAL finding listing every escaping member name."""
    bad = sorted({name for name in names if escapes(name)})
    if not bad:
        return
    ctx.add(
        "MODEL-ARCHIVE-PATH-TRAVERSAL",
        f"{len(bad)} {kind} member name(s) escape the extraction folder ('..' or an absolute "
        f"path), e.g. {bad[0]!r}; every member was scanned",
        evidence={"members": bad[:MAX_LISTED], "count": len(bad)},
    )


def report_links(ctx: ScanContext, kind: str, links: dict[str, str],
                 from_root: bool = False) -> None:
    """MODEL-ARCHIVE-SYMLINK: one finding for links pointing outside (high), one for the rest."""
    outside = {m: t for m, t in sorted(links.items()) if link_escapes(m, t, from_root)}
    inside = {m: t for m, t in sorted(links.items()) if m not in outside}
    for group, where, severity in ((outside, "point outside the archive", Severity.HIGH),
                                   (inside, "inside the archive", None)):
        if not group:
            continue
        link, target = next(iter(group.items()))
        ctx.add(
            "MODEL-ARCHIVE-SYMLINK",
            f"{len(group)} {kind} link(s) {where}, e.g. {link!r} -> {target!r}",
            evidence={"links": dict(list(group.items())[:MAX_LISTED]),
                      "outside": group is outside},
            severity=severity,
        )
