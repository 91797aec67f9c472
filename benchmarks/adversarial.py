"""Adversarial text (issue 10 rows 6, 7 and 13): seconds to parse and tag 5 MB of each pattern.

    .venv/bin/python benchmarks/adversarial.py               # 5 MB of each pattern
    .venv/bin/python benchmarks/adversarial.py --mb 1        # a quick run
    .venv/bin/python benchmarks/adversarial.py --timex       # also the time-phrase finder

Each pattern is repeated to the given size (UTF-8 bytes) after a date line and parsed from
bytes with ``parse_article``; then ``tag_mentions`` runs on the parsed article with the
project's gazetteer (built beforehand, not timed) and, with ``--timex``,
``find_time_expressions`` on the raw text. Every pattern runs in a fresh interpreter, timed
with ``time.perf_counter``; the counts printed show the work was done. The last lines build a
gazetteer with a very long alias and with hundreds of aliases that are prefixes of one
another. A linear pipeline takes seconds for each line; the scanner before issue 10 was
quadratic in the first four patterns (13 s for 200 KB of "„x ", 81 s for 200 KB of "‘x’s ").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import unicodedata

# name -> the unit repeated
PATTERNS = {
    "„x  (low-9 quote, never closed)": "„x ",
    "‘  (left single quotes only)": "‘",
    "runs of quote marks": '"“”‘’„',
    "‘x’s  (quote, then apostrophes)": "‘x’s ",
    "possessives Rusland's Armenië’s": "Rusland's Armenië’s ",
    "one line, no sentence end": "Rusland en Armenië in november ",
    "abbreviations o.a. bijv.": "o.a. bijv. ",
    "white space (999 spaces, then x)": " " * 999 + "x",
    "one 5 MB word (no spaces)": "Ruslandarmeniëx",
    "NFD article (repeated)": "",  # filled in by _unit
    "stacked accents a+◌́+◌̣": "a\u0301\u0323\u0301\u0323",
    "invisible joiners Rus‍land": "Rus\u200dland ",
}


def _unit(name: str) -> str:
    if PATTERNS[name]:
        return PATTERNS[name]
    from helpers.paths import ARTICLE

    body = ARTICLE.read_text(encoding="utf-8").split(" ", 2)[2]  # without the date line
    return unicodedata.normalize("NFD", body) + "\n\n"


def run_one(name: str, size: int, timex: bool) -> dict:
    """Parse and tag ``size`` bytes of one pattern in this process; return the figures."""
    from helpers.actors import build_gazetteer, tag_mentions
    from helpers.article import parse_article
    from helpers.timex import find_time_expressions

    gazetteer = build_gazetteer()
    unit = _unit(name)
    data = ("date 2022-11 " + unit * (size // len(unit.encode("utf-8")))).encode("utf-8")
    started = time.perf_counter()
    article = parse_article(data, "adversarial.txt")
    parse = time.perf_counter() - started
    started = time.perf_counter()
    mentions = tag_mentions(article, aliases=gazetteer)
    tag = time.perf_counter() - started
    result = {
        "bytes": len(data),
        "parse": parse,
        "tag": tag,
        "sentences": len(article.sentences),
        "quotes": len(article.quotes),
        "mentions": len(mentions),
    }
    if timex:
        started = time.perf_counter()
        result["times"] = len(find_time_expressions(article.raw))
        result["timex"] = time.perf_counter() - started
    return result


def run_aliases() -> list[tuple[str, float, int]]:
    """Build gazetteers from absurd alias tables; seconds and mentions found."""
    import pandas as pd

    from helpers.actors import build_gazetteer, load_actors, tag_mentions

    actors = load_actors()
    cases = []
    long_alias = ("Verdrag van Tasjkent " * 5000)[:100_000].strip()
    nested = [" ".join(["Rus"] * k) for k in range(2, 1002)]
    for label, aliases, text in (
        ("one alias of 100,000 characters", [long_alias], f"Zo sprak {long_alias}."),
        ("1,000 aliases, each a prefix of the next", nested, " ".join(["Rus"] * 1500)),
    ):
        table = pd.DataFrame(
            [(a, "RUS", "name") for a in aliases], columns=["alias", "actor_id", "alias_kind"]
        )
        started = time.perf_counter()
        gazetteer = build_gazetteer(actors, table)
        found = tag_mentions(text, aliases=gazetteer)
        cases.append((label, time.perf_counter() - started, len(found)))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of each input, MB")
    parser.add_argument("--timex", action="store_true", help="also time find_time_expressions")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child: the pattern's name
    parser.add_argument("--aliases", action="store_true", help=argparse.SUPPRESS)  # child
    args = parser.parse_args(argv)
    size = int(args.mb * 1_000_000)
    if args.one is not None:
        print(json.dumps(run_one(args.one, size, args.timex)))
        return 0
    if args.aliases:
        print(json.dumps(run_aliases()))
        return 0

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}")
    extra = " --timex" if args.timex else ""
    header = f"{'pattern':<34} {'MB':>5} {'parse s':>8} {'tag s':>7}"
    header += f" {'timex s':>8}" if args.timex else ""
    print(header + "  counts (sentences, quotes, mentions" + (", times)" if args.timex else ")"))
    print("-" * (len(header) + 40))
    for name in PATTERNS:
        command = [sys.executable, __file__, "--one", name, "--mb", str(args.mb), *extra.split()]
        out = subprocess.run(command, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        line = f"{name:<34} {r['bytes'] / 1e6:5.1f} {r['parse']:8.2f} {r['tag']:7.2f}"
        counts = [r["sentences"], r["quotes"], r["mentions"]]
        if args.timex:
            line += f" {r['timex']:8.2f}"
            counts.append(r["times"])
        print(f"{line}  {', '.join(f'{c:,}' for c in counts)}", flush=True)
    out = subprocess.run(
        [sys.executable, __file__, "--aliases"], capture_output=True, text=True, check=True
    )
    for label, seconds, found in json.loads(out.stdout.strip().splitlines()[-1]):
        print(f"gazetteer: {label:<44} {seconds:6.2f} s  (build + tag, {found} mentions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
