"""The secrets scan's hint search (``secret_hints.HintFinder``) finds exactly the hints a text
holds, as ``hint in text`` for each would: nested hints, overlapping hints and hints that share a
first character included (issue 14: the one-pass search must lose none of them)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsecops_jupyter.checks.pii import secrets
from mlsecops_jupyter.checks.pii.secret_hints import HintFinder, longest_first

NESTED = ("pass", "password", "pwd", "key", "accountkey", "sk", "sk-", "sk-ant-", "ab", "bc",
          "abia", "acca", "akia", "asia", "aroa", "a", "|", "%7c", "private key", "sig=")


def naive(hints: tuple[str, ...], text: str) -> set[str]:
    return {hint for hint in hints if hint in text}


@pytest.mark.parametrize("mode", [{"group_from": 2}, {"group_from": 4}, {"one_pass": True}])
@pytest.mark.parametrize(("text", "expected"), [
    ("db_password = 1", {"a", "pass", "password"}),  # a hint that starts another
    ("accountkey=", {"a", "key", "accountkey"}),  # a hint inside another, at a later place
    ("sk-ant-api03", {"sk", "sk-", "sk-ant-", "a"}),
    ("abc", {"a", "ab", "bc"}),  # two hints overlapping, neither inside the other
    ("aroasia", {"a", "aroa", "asia"}),  # the second starts on the first one's last letter
    ("private key|", {"a", "key", "private key", "|"}),
    ("nothing here", set()),
    ("", set()),
])
def test_finds_what_in_finds(mode: dict[str, object], text: str, expected: set[str]) -> None:
    assert HintFinder(NESTED, **mode).find(text) == expected == naive(NESTED, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NESTED), st.text("abcikprsy-|%7= ", max_size=6)),
                max_size=12))
def test_agrees_with_in_on_random_texts(parts: list[str]) -> None:
    text = "".join(parts)
    for finder in (HintFinder(NESTED, group_from=2), HintFinder(NESTED, one_pass=True)):
        assert finder.find(text) == naive(NESTED, text)


def test_the_scan_hints_agree_with_in_on_every_hint_glued_to_its_neighbours() -> None:
    hints = tuple(sorted(secrets.ALL_HINTS))
    text = "\x00".join(hints) + "".join(hints) + "".join(reversed(hints))
    for finder_hints, finder in ((secrets.BASE_HINTS, secrets._BASE_FINDER),
                                 (secrets.RUN_HINTS, secrets._RUN_FINDER)):
        assert finder.find(text) == naive(tuple(finder_hints), text) == set(finder_hints)
        for hint in finder_hints:  # each alone, and inside a longer word
            assert finder.find(f"x{hint}y") == naive(tuple(finder_hints), f"x{hint}y")


def test_longest_first_returns_the_longest_hint_at_a_position() -> None:
    import re

    pattern = re.compile(longest_first(["sk", "sk-", "sk-ant-", "sk_"]))
    assert pattern.match("sk-ant-x").group() == "sk-ant-"
    assert pattern.match("sk-x").group() == "sk-"
    assert pattern.match("skx").group() == "sk"
    assert pattern.match("s") is None


def test_an_empty_hint_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        HintFinder(["a", ""])


def test_token_runs_are_the_maximal_runs_of_14_or_more() -> None:
    text = "short x" * 3 + " abcdefghijklmn " + "a" * 13 + "\n" + "ab.cd-ef_gh=ij+kl~mn:op/q"
    assert secrets.token_runs(text) == ["abcdefghijklmn", "ab.cd-ef_gh=ij+kl~mn:op/q"]
    assert secrets.token_runs("abcdefghijklmnop") == ["abcdefghijklmnop"]  # at the very start
    assert secrets.token_runs("a" * 13) == []
