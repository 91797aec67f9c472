"""The mention tagger against pyahocorasick, the strongest multi-pattern matcher on PyPI.

    .venv/bin/python benchmarks/peer.py                 # 1,000 synthetic articles, best of 5
    .venv/bin/python benchmarks/peer.py --size 10000 --rounds 3

Needs ``pyahocorasick`` (a C Aho-Corasick automaton; not a project dependency, install it
into .venv for this benchmark: ``.venv/bin/pip install pyahocorasick==2.3.1``).

Both taggers get the same input (the deterministic corpus of benchmarks/corpus.py, parsed
before timing), the same alias keys (``Gazetteer.entries``: folded, separators as one space)
and apply the same rules, so they must find identical mentions; the script checks that they
do, article by article, and exits with status 1 if not. The rules, as in ``tag_mentions``:

* text folded with ``helpers.actors.fold`` (lower case, Latin accents stripped, same length);
* between the words of a multi-word alias: one hyphen, a run of spaces/tabs, or such a run
  with one line break (``\\n`` or ``\\r\\n``); for the automaton the text is normalised so
  that such a separator becomes one space (offsets mapped back), and any other run of white
  space (a blank line, a lone ``\\r``) becomes NUL characters, which no key contains;
* a mention starts where no word character precedes it and ends, after an optional
  possessive ``'s`` or ``s``, where no word character follows;
* leftmost first; at one start the longest alias that satisfies the end rule wins (the
  regex's backtracking); the next mention starts after the previous one;
* aliases of at most 3 characters must appear exactly as written (case and accents).

Two levels are timed, each the best of ``--rounds`` passes over the whole corpus:

matching  ours ``find_mentions(raw, gazetteer)`` (fold + one trie-shaped regex) against the
          peer's fold + normalisation + ``Automaton.iter`` + the rules above in Python;
          both return the list of (start, end, actor_id, alias_kind)
tagging   ours ``tag_mentions(article, aliases=gazetteer)`` (the public function, a
          DataFrame with sentences and tokens) against the peer's matches fed to the same
          table builder: only the matcher differs.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus  # benchmarks/ is on sys.path when a script in it runs

from helpers.actors import (
    _EXACT_CASE_MAX,
    Gazetteer,
    _mention_table,
    _sentence_spans,
    build_gazetteer,
    find_mentions,
    fold,
    tag_mentions,
)
from helpers.article import load_corpus

try:
    import ahocorasick
except ImportError:  # told to the user in main()
    ahocorasick = None

# White space as re's \s sees it, split into line breaks and the rest ("horizontal").
_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
_HORIZONTAL = [c for c in _SPACES if c not in "\r\n"]
_TO_SPACE = [c for c in _HORIZONTAL if c != " "] + ["\n", "-"]
# Runs that need more than a one-for-one replacement: two or more white-space characters,
# or a lone carriage return.
_LONG_RUN = re.compile(r"\s{2,}|\r")
_SEPARATOR_RUN = re.compile(r"[^\S\r\n]*\r?\n[^\S\r\n]*|[^\S\r\n]+")


class Peer:
    """pyahocorasick automaton over the gazetteer's keys plus the tagger's rules."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.entries = gazetteer.entries
        automaton = ahocorasick.Automaton()
        for key in gazetteer.entries:
            automaton.add_word(key, (len(key), key))
        automaton.make_automaton()
        self.automaton = automaton

    @staticmethod
    def normalise(folded: str) -> tuple[str, list[int] | None]:
        """The folded text with every separator as one space and other white-space runs as
        NULs, and the map from its offsets to the folded text's (None: the same offsets)."""
        text = folded
        for ch in _TO_SPACE:
            if ch in text:
                text = text.replace(ch, " ")
        runs = list(_LONG_RUN.finditer(folded))
        if not runs:
            return text, None
        pieces: list[str] = []
        where: list[int] = []
        last = 0
        for run in runs:
            s, e = run.span()
            pieces.append(text[last:s])
            where.extend(range(last, s))
            if _SEPARATOR_RUN.fullmatch(folded, s, e):
                pieces.append(" ")
                where.append(s)
            else:
                pieces.append("\0" * (e - s))
                where.extend(range(s, e))
            last = e
        pieces.append(text[last:])
        where.extend(range(last, len(folded) + 1))
        return "".join(pieces), where

    def find(self, raw: str) -> list[tuple[int, int, str, str]]:
        folded = fold(raw)
        text, where = self.normalise(folded)
        size = len(folded)
        # all key occurrences, grouped by start; iter() reports them by end position
        by_start: dict[int, list[tuple[int, str]]] = {}
        for last, (length, key) in self.automaton.iter(text):
            by_start.setdefault(last - length + 1, []).append((last + 1, key))
        found = []
        position = 0
        for n_start in sorted(by_start):
            start = n_start if where is None else where[n_start]
            if start < position:
                continue
            before = folded[start - 1] if start else " "
            if before.isalnum() or before == "_":
                continue
            for n_end, key in sorted(by_start[n_start], reverse=True):
                a_end = n_end if where is None else where[n_end - 1] + 1
                end = None
                for poss in ("'s", "s", ""):
                    if folded.startswith(poss, a_end):
                        after_at = a_end + len(poss)
                        after = folded[after_at] if after_at < size else " "
                        if not (after.isalnum() or after == "_"):
                            end = after_at
                            break
                if end is None:
                    continue
                actor_id, alias_kind, alias = self.entries[key]
                position = end
                if len(alias) <= _EXACT_CASE_MAX and raw[start:a_end] != alias:
                    break
                if end > a_end:
                    alias_kind = "possessive"
                found.append((start, end, actor_id, alias_kind))
                break
        return found


def _best(rounds: int, work) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--rounds", type=int, default=5, help="passes; the best is shown")
    args = parser.parse_args(argv)
    if ahocorasick is None:
        sys.exit("peer.py needs pyahocorasick: .venv/bin/pip install pyahocorasick==2.3.1")
    version = importlib.metadata.version("pyahocorasick")
    print(f"python {sys.version.split()[0]}, pyahocorasick {version}, {time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory(prefix="csto-peer-") as folder:
        facts = write_corpus(Path(folder), args.size)
        articles = load_corpus(folder)
    mb = sum(f["bytes"] for f in facts) / 1e6
    raws = [a.raw for a in articles]

    started = time.perf_counter()
    gazetteer = build_gazetteer()
    ours_build = time.perf_counter() - started
    started = time.perf_counter()
    peer = Peer(gazetteer)
    peer_build = time.perf_counter() - started

    # identical mentions, article by article
    ours_all = [find_mentions(raw, gazetteer) for raw in raws]
    peer_all = [peer.find(raw) for raw in raws]
    mismatched = [
        i
        for i, (a, b) in enumerate(zip(ours_all, peer_all, strict=True))
        if [(m[2], m[0], m[1]) for m in a] != [(m[2], m[0], m[1]) for m in b]
    ]
    kinds_differ = sum(a != b for a, b in zip(ours_all, peer_all, strict=True))
    mentions = sum(len(a) for a in ours_all)

    ours_match = _best(args.rounds, lambda: [find_mentions(raw, gazetteer) for raw in raws])
    peer_match = _best(args.rounds, lambda: [peer.find(raw) for raw in raws])

    spans = [_sentence_spans(a) for a in articles]

    def peer_tag():
        for raw, sentences in spans:
            _mention_table(raw, sentences, peer.find(raw), gazetteer.person_state, False)

    ours_tag = _best(args.rounds, lambda: [tag_mentions(a, aliases=gazetteer) for a in articles])
    peer_tag_s = _best(args.rounds, peer_tag)

    print(
        f"corpus: {len(articles)} articles, {mb:.2f} MB, {mentions} mentions, "
        f"{len(gazetteer.entries)} alias keys"
    )
    print(
        f"build (once): ours regex {ours_build * 1e3:.1f} ms (cached after the first), "
        f"peer automaton {peer_build * 1e3:.1f} ms\n"
    )
    header = (
        f"{'level':<9} {'ours s':>8} {'peer s':>8} {'ours MB/s':>10} {'peer MB/s':>10} "
        f"{'peer/ours':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, ours, theirs in (
        ("matching", ours_match, peer_match),
        ("tagging", ours_tag, peer_tag_s),
    ):
        print(
            f"{name:<9} {ours:8.3f} {theirs:8.3f} {mb / ours:10.2f} {mb / theirs:10.2f} "
            f"{theirs / ours:9.2f}x"
        )
    print()
    if mismatched:
        print(f"MENTIONS DIFFER in {len(mismatched)} articles, e.g. article {mismatched[0]}")
        return 1
    print(
        f"identical mentions (actor, start, end) in all {len(articles)} articles"
        f"{'' if not kinds_differ else f'; alias_kind differs in {kinds_differ}'}"
    )
    verdict = "ok" if ours_match <= peer_match and ours_tag <= peer_tag_s else "SLOWER"
    print(f"ours at least as fast as the peer: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
