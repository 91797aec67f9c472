"""Does Debian's ``frog`` (Dutch dependency parser) beat the pure-Python attribution rule of
``helpers.suggest`` on the seed article?

    .venv/bin/python benchmarks/frog_attribution.py

Needs ``frog`` on PATH (``apt-get install --no-install-recommends frog frogdata ucto uctodata``);
says so and stops without it. Parses every sentence of the seed article in ONE frog call (frog
takes 12-15 s to load its models), aligns its tokens to raw offsets, then for each suggestion
re-reads who did it to whom from the parse: the actor is the actor mentions inside the subtree
of the cue verb's ``su`` dependent, the recipient those inside its ``obj1``/``obj2`` subtrees
or a ``pc``/``mod`` phrase opened by aan, tegen or met. Where the parse gives nothing (a noun
cue, an elided verb) the pure rule's answer stays. Prints recall and precision both ways
(training figures: the lexicon was tuned on the seed article) and frog's time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers.actors import load_actors, tag_mentions
from helpers.corpus import load_corpus_articles
from helpers.events import load_events
from helpers.suggest import load_cues, scores, suggest_events


def parse(article) -> tuple[list[list[dict]], float]:
    """Frog's tokens per sentence, each with raw ``start``/``end``, ``head`` and ``rel``."""
    lines = [s.text.replace("\n", " ") for s in article.sentences]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sentences.txt"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        began = time.perf_counter()
        done = subprocess.run(
            ["frog", "--skip=a", "-n", "-t", str(source)],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - began
    blocks = [b for b in done.stdout.strip("\n").split("\n\n") if b.strip()]
    parsed = []
    for sentence, block in zip(article.sentences, blocks, strict=False):
        at, tokens = sentence.start, []
        for line in block.splitlines():
            cells = line.split("\t")
            words = cells[1].split("_")
            start = end = None
            for word in words:
                found = article.raw.find(word, at, sentence.end + 1)
                if found < 0:
                    continue
                start = found if start is None else start
                end = at = found + len(word)
            tokens.append(
                {
                    "i": int(cells[0]),
                    "start": start,
                    "end": end,
                    "pos": cells[4],
                    "head": int(cells[8]) if cells[8] else -1,
                    "rel": cells[9],
                    "word": cells[1],
                }
            )
        parsed.append(tokens)
    return parsed, seconds


def subtree(tokens: list[dict], root: int) -> list[dict]:
    keep, changed = {root}, True
    while changed:
        changed = False
        for t in tokens:
            if t["head"] in keep and t["i"] not in keep:
                keep.add(t["i"])
                changed = True
    return [t for t in tokens if t["i"] in keep and t["start"] is not None]


def ids_in(span_tokens: list[dict], mentions) -> list[str]:
    spans = [(t["start"], t["end"]) for t in span_tokens]
    return list(
        dict.fromkeys(
            m.actor_id
            for m in mentions.itertuples()
            if any(a <= m.start and m.end <= b for a, b in spans)
        )
    )


def reread(article, suggestions, parsed, lexicon):
    mentions = tag_mentions(article)
    rows = {c.row: c for c in lexicon.cues}
    changed = suggestions.copy()
    for index, s in suggestions.iterrows():
        row = int(re.search(r"cues.csv row (\d+)", s["rule"]).group(1))
        start = int(s["quote_start"])
        sentence = article.sentence_at(start)
        if sentence is None:
            continue
        match = rows[row].pattern.search(article.raw, start, sentence.end)
        if match is None:
            continue
        tokens = parsed[sentence.index]
        cue = next(
            (
                t
                for t in tokens
                if t["start"] is not None and t["start"] <= match.start() < t["end"]
            ),
            None,
        )
        if cue is None:
            continue
        actor, recipient = [], []
        for t in tokens:
            if t["head"] != cue["i"]:
                continue
            if t["rel"] == "su":
                actor += ids_in(subtree(tokens, t["i"]), mentions)
            elif t["rel"] in ("obj1", "obj2") or (
                t["rel"] in ("pc", "mod") and t["word"].lower() in ("aan", "tegen", "met")
            ):
                recipient += ids_in(subtree(tokens, t["i"]), mentions)
        if actor:
            changed.at[index, "actor_ids"] = ";".join(dict.fromkeys(actor))
        if recipient:
            changed.at[index, "recipient_ids"] = ";".join(dict.fromkeys(recipient))
    return changed


def main() -> int:
    if shutil.which("frog") is None:
        print("frog is not installed: nothing to compare (the pure-Python rule is used)")
        return 0
    article = load_corpus_articles().articles[0]
    lexicon, actors = load_cues(), load_actors(world=True)
    suggestions = suggest_events(article, lexicon, actors)
    parsed, seconds = parse(article)
    coded = load_events()
    frog = reread(article, suggestions, parsed, lexicon)
    differ = int(
        (
            (frog["actor_ids"] != suggestions["actor_ids"])
            | (frog["recipient_ids"] != suggestions["recipient_ids"])
        ).sum()
    )
    print(f"frog: {len(article.sentences)} sentences in one call, {seconds:.1f} s")
    print(f"suggestions whose actor or recipient frog changed: {differ} of {len(frog)}")
    for name, table in (("pure-Python rule", suggestions), ("frog where it parses", frog)):
        overall = scores(table, coded, actors).loc["all"]
        print(f"{name}: recall {overall['recall']:.3f}, precision {overall['precision']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
