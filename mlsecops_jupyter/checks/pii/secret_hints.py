"""Which of a fixed set of short strings a text holds: the secrets scan's cheap first test.

Why: ``secrets.scan_secrets`` runs a detector only when one of its hints (a provider's public
prefix, a secret name word) is in the text. Asking ``hint in text`` for each of ~175 hints reads
every text ~175 times; that was most of the cost of a notebook scan (issue 14). A
``HintFinder`` answers the same question, exactly, in few passes:

- hints that share their first character with several others (AWS's eleven key-id prefixes
  all start with ``a``) are found by one regex for that character, ``a(?=(bia|cca|...))``: the
  regex engine jumps from one ``a`` to the next and the lookahead reads the rest;
- with ``one_pass=True`` (a short text: the token runs) all hints are found by one regex,
  ``(?=(...))``, tried at every position;
- any other hint is one ``in`` test (for a lone short string CPython's substring search is
  faster than any regex).

No hint is lost where hints overlap or nest: each match consumes at most the first character,
so every position is tried; the lookahead is a trie of the hints whose greedy branches return
the *longest* hint starting there, and every hint that is a prefix of it (``pass`` under
``password``, ``sk-`` under ``sk-ant-``) is added with it. A hint inside another one at a later
position (``key`` in ``accountkey``) is found at its own position.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable


def longest_first(words: Iterable[str]) -> str:
    """A regex that matches the longest of ``words`` starting where it is tried.

    The words form a trie: branches that start with different characters, and a greedy
    ``(?:...)?`` past a word that continues into a longer one.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        children = [re.escape(char) + branch(child)
                    for char, child in sorted(node.items()) if char]
        if not children:
            return ""
        body = children[0] if len(children) == 1 else f"(?:{'|'.join(children)})"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


class HintFinder:
    """Finds which of ``hints`` (lower-case strings) a lower-cased text holds.

    ``group_from``: hints that share a first character with at least this many (itself
    included) are found by one regex per character; ``one_pass``: all hints by one regex.
    """

    def __init__(self, hints: Iterable[str], *, group_from: int = 4,
                 one_pass: bool = False) -> None:
        unique = frozenset(hints)
        if "" in unique:
            raise ValueError("a hint must not be empty")
        # the hints each hint starts with (itself included): found with it at one position
        self._prefixes = {h: frozenset(p for p in unique if h.startswith(p)) for h in unique}
        by_first: dict[str, list[str]] = defaultdict(list)
        for hint in sorted(unique):
            by_first["" if one_pass else hint[0]].append(hint)
        self._patterns: tuple[tuple[re.Pattern[str], str], ...] = tuple(
            (re.compile(f"{re.escape(first)}(?=({longest_first(h[len(first):] for h in group)}))"),
             first)
            for first, group in sorted(by_first.items())
            if one_pass or len(group) >= group_from)
        grouped = {first for _, first in self._patterns}
        self._plain = tuple(h for first, group in sorted(by_first.items())
                            if first not in grouped for h in group)

    def find(self, lowered: str) -> set[str]:
        """The hints ``lowered`` holds (each found at least once, anywhere in it)."""
        present = {hint for hint in self._plain if hint in lowered}
        for pattern, first in self._patterns:
            for rest in set(pattern.findall(lowered)):
                present |= self._prefixes[first + rest]
        return present
