"""Candidate events: recall and precision on the seed article, and throughput.

    .venv/bin/python benchmarks/suggest.py

Prints recall and precision by PLOVER type and overall for the suggestions of
:func:`helpers.suggest.suggest_events` against the hand coding (``data/events.csv``; recall over
the asserted and reported events; match: actor and recipient resolve to the same states or
organisations, the PLOVER type agrees, the quote spans overlap). The cue lexicon was written
with the seed article in view: these are training figures, not an estimate for new reports.
Then the same overall figures on the invented corpus and its coding
(``tests/invented_corpus/events.csv``), which the lexicon was not written for. Then
throughput: articles per second on the seed article repeated and on the invented corpus,
mentions included (the gazetteer loaded once, before timing).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from helpers.actors import load_actors
from helpers.article import load_article
from helpers.corpus import load_corpus_articles
from helpers.events import COLUMNS, load_events
from helpers.suggest import load_cues, scores, suggest_events
from helpers.tables import read_table

INVENTED = Path(__file__).resolve().parent.parent / "tests" / "invented_corpus"


def throughput(articles: list, lexicon, actors) -> float:
    start = time.perf_counter()
    for article in articles:
        suggest_events(article, lexicon, actors)
    return len(articles) / (time.perf_counter() - start)


def main() -> None:
    pd.set_option("display.width", 120)
    seed = load_corpus_articles().articles[0]
    lexicon, actors = load_cues(), load_actors(world=True)
    suggestions = suggest_events(seed, lexicon, actors)
    coded = load_events()
    print("Seed article (training figures: the lexicon was tuned on it)")
    print(scores(suggestions, coded, actors).to_string())
    suggest_events(seed, lexicon, actors)  # warm caches (gazetteer regex)
    print(f"seed article x 20: {throughput([seed] * 20, lexicon, actors):.1f} articles/s")
    invented = [load_article(p) for p in sorted(INVENTED.glob("*.txt"))]
    held_out = pd.concat([suggest_events(a, lexicon, actors) for a in invented])
    their_events = read_table(INVENTED / "events.csv", COLUMNS)
    print("Invented corpus (not looked at while writing the lexicon)")
    print(scores(held_out.reset_index(drop=True), their_events, actors).loc[["all"]].to_string())
    print(
        f"invented corpus x 4 ({len(invented)} texts): "
        f"{throughput(invented * 4, lexicon, actors):.1f} articles/s"
    )


if __name__ == "__main__":
    main()
