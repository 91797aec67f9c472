"""csto-tensions helpers: article parsing, actors, events, time expressions, networks and plots."""
