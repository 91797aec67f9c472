"""Tests of helpers.balance on textbook signed graphs and against a brute force."""

from __future__ import annotations

import itertools
import math
import time

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.balance import (
    MAX_EXACT_NODES,
    frustrated_edges,
    frustration_index,
    is_balanced,
    triangle_balance,
)


def signed(edges, nodes=()) -> nx.Graph:
    """Graph from ``(u, v, sign)`` triples."""
    G = nx.Graph()
    G.add_nodes_from(nodes)
    for u, v, s in edges:
        G.add_edge(u, v, sign=s)
    return G


def triangle(s01, s12, s02) -> nx.Graph:
    return signed([(0, 1, s01), (1, 2, s12), (0, 2, s02)])


# --- triangles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signs", "balanced", "index"),
    [
        ((1, 1, 1), True, 0),  # friends of friends
        ((1, 1, -1), False, 1),  # two friends with a common enemy... who are enemies
        ((1, -1, -1), True, 0),  # the enemy of my enemy... two against one
        ((-1, -1, -1), False, 1),  # everyone against everyone
    ],
)
def test_triangles(signs, balanced, index):
    G = triangle(*signs)
    counts = triangle_balance(G)
    assert counts == {
        "triangles": 1,
        "balanced": int(balanced),
        "unbalanced": int(not balanced),
        "fraction_balanced": float(balanced),
    }
    assert is_balanced(G) is balanced
    found, camps = frustration_index(G)
    assert found == index
    assert len(frustrated_edges(G, camps)) == index


def test_triangle_splits():
    assert frustration_index(triangle(1, 1, 1))[1] == {0: 0, 1: 0, 2: 0}
    assert frustration_index(triangle(1, -1, -1))[1] == {0: 0, 1: 0, 2: 1}  # 2 against 0 and 1
    # three negatives: every split frustrates one edge; lexicographically first is 0,1 | 2
    assert frustration_index(triangle(-1, -1, -1))[1] == {0: 0, 1: 0, 2: 1}


# --- Harary ------------------------------------------------------------------------------


def test_harary_two_camps_with_negative_edges_across():
    west, east = ["ARM", "KAZ", "KGZ"], ["BLR", "RUS"]
    edges = [(u, v, 1) for u, v in itertools.combinations(west, 2)]
    edges += [("BLR", "RUS", 1)]
    edges += [(u, v, -1) for u in west for v in east if (u, v) != ("KGZ", "BLR")]
    G = signed(edges)
    assert is_balanced(G)
    index, camps = frustration_index(G)
    assert index == 0
    assert camps == {"ARM": 0, "KAZ": 0, "KGZ": 0, "BLR": 1, "RUS": 1}
    counts = triangle_balance(G)
    assert counts["triangles"] > 0 and counts["fraction_balanced"] == 1.0


def test_balanced_graph_of_any_size_uses_the_linear_test():
    G = signed([(i, i + 1, -1) for i in range(199)])  # a path alternates camps: balanced
    index, camps = frustration_index(G)
    assert index == 0
    assert [camps[i] for i in range(6)] == [0, 1, 0, 1, 0, 1]


# --- signed K4 (hand-computed) -----------------------------------------------------------


ALL_PAIRS = [set(p) for p in itertools.combinations(range(1, 5), 2)]


def k4(negatives) -> nx.Graph:
    return signed(
        [
            (u, v, -1 if {u, v} in negatives else 1)
            for u, v in itertools.combinations(range(1, 5), 2)
        ]
    )


@pytest.mark.parametrize(
    ("negatives", "balanced_triangles", "index", "camps"),
    [
        # all positive: balanced, one camp
        ([], 4, 0, {1: 0, 2: 0, 3: 0, 4: 0}),
        # all negative: best are the 2-2 splits (one frustrated edge in each camp)
        (ALL_PAIRS, 0, 2, {1: 0, 2: 0, 3: 1, 4: 1}),
        # one negative edge: the two triangles through it are unbalanced; remove it
        ([{1, 2}], 2, 1, {1: 0, 2: 0, 3: 0, 4: 0}),
        # negative perfect matching: every triangle holds one negative edge; index 2, reached
        # by one camp (both negatives frustrated), lexicographically first
        ([{1, 2}, {3, 4}], 0, 2, {1: 0, 2: 0, 3: 0, 4: 0}),
        # negative triangle 1-2-3 and a friend 4 of all: best is one of 1, 2, 3 alone (cost 2);
        # the lexicographically first camp vector is (0, 0, 1, 0)
        ([{1, 2}, {1, 3}, {2, 3}], 0, 2, {1: 0, 2: 0, 3: 1, 4: 0}),
        # 1 against everyone else: balanced
        ([{1, 2}, {1, 3}, {1, 4}], 4, 0, {1: 0, 2: 1, 3: 1, 4: 1}),
    ],
)
def test_signed_k4(negatives, balanced_triangles, index, camps):
    G = k4(negatives)
    counts = triangle_balance(G)
    assert counts["triangles"] == 4
    assert counts["balanced"] == balanced_triangles
    assert frustration_index(G) == (index, camps)
    assert is_balanced(G) is (index == 0)


def test_five_cycle_with_one_negative_edge():
    G = signed([(i, (i + 1) % 5, -1 if i == 2 else 1) for i in range(5)])
    assert triangle_balance(G)["triangles"] == 0
    assert math.isnan(triangle_balance(G)["fraction_balanced"])
    assert not is_balanced(G)
    index, camps = frustration_index(G)
    assert index == 1
    assert camps == {0: 0, 1: 0, 2: 0, 3: 0, 4: 0}  # cut the negative edge, one camp


def test_five_cycle_with_two_negative_edges_is_balanced():
    G = signed([(i, (i + 1) % 5, -1 if i in (1, 3) else 1) for i in range(5)])
    assert is_balanced(G)
    assert frustration_index(G) == (0, {0: 0, 1: 0, 2: 1, 3: 1, 4: 0})


# --- edge cases --------------------------------------------------------------------------


def test_empty_graph():
    G = nx.Graph()
    assert is_balanced(G)
    assert frustration_index(G) == (0, {})
    counts = triangle_balance(G)
    assert counts["triangles"] == 0 and math.isnan(counts["fraction_balanced"])


def test_isolated_nodes_are_in_camp_zero():
    assert frustration_index(signed([], nodes=["B", "A"])) == (0, {"A": 0, "B": 0})


@pytest.mark.parametrize(("sign", "camps"), [(1, {"a": 0, "b": 0}), (-1, {"a": 0, "b": 1})])
def test_single_edge(sign, camps):
    G = signed([("b", "a", sign)])
    assert is_balanced(G)
    assert frustration_index(G) == (0, camps)


def test_components_add_up():
    G = nx.disjoint_union(triangle(-1, -1, -1), triangle(1, 1, -1))
    G = nx.union(G, signed([("x", "y", -1)]))
    index, camps = frustration_index(G)
    assert index == 2
    assert camps["x"] == 0 and camps["y"] == 1


def test_negative_self_loop_always_counts():
    G = signed([(0, 0, -1), (0, 1, 1), (1, 1, 1)])
    assert not is_balanced(G)
    assert frustration_index(G) == (1, {0: 0, 1: 0})


def test_tie_break_does_not_depend_on_insertion_order():
    edges = [(u, v, -1) for u, v in itertools.combinations("abcdef", 2)]
    forward, backward = signed(edges), signed([(v, u, s) for u, v, s in reversed(edges)])
    assert frustration_index(forward) == frustration_index(backward)
    assert list(frustration_index(backward)[1]) == list("abcdef")


def test_bad_input():
    with pytest.raises(ValueError, match="sign"):
        frustration_index(signed([(0, 1, 0)]))
    with pytest.raises(ValueError, match="sign"):
        triangle_balance(nx.path_graph(3))
    with pytest.raises(ValueError, match="simple undirected"):
        is_balanced(nx.DiGraph([(0, 1, {"sign": 1})]))
    with pytest.raises(ValueError, match="simple undirected"):
        frustration_index(nx.MultiGraph([(0, 1, {"sign": 1})]))


def test_size_limit_is_a_clear_error():
    n = MAX_EXACT_NODES + 1
    G = signed([(i, (i + 1) % n, -1 if i == 0 else 1) for i in range(n)])  # unbalanced cycle
    with pytest.raises(ValueError, match=r"max_nodes=20"):
        frustration_index(G)
    assert frustration_index(G, max_nodes=n)[0] == 1


def random_signed(n: int, p: float, seed: int) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed)
    for i, (u, v) in enumerate(sorted(G.edges)):
        G[u][v]["sign"] = -1 if (seed * 7919 + i * 104729) % 3 == 0 else 1
    return G


def test_fifteen_nodes_is_fast():
    G = random_signed(15, 0.5, seed=3)
    started = time.perf_counter()
    index, camps = frustration_index(G)
    assert time.perf_counter() - started < 5
    assert len(frustrated_edges(G, camps)) == index


# --- against a brute force over edge subsets ---------------------------------------------


def balanced_by_cycles(G: nx.Graph) -> bool:
    """Independent test: balanced iff every cycle of a cycle basis has a positive product."""
    for cycle in nx.cycle_basis(G):
        product = 1
        for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            product *= G[u][v]["sign"]
        if product < 0:
            return False
    return True


def brute_force_index(G: nx.Graph) -> int:
    edges = list(G.edges)
    for k in range(len(edges) + 1):
        for removed in itertools.combinations(edges, k):
            H = G.copy()
            H.remove_edges_from(removed)
            if balanced_by_cycles(H):
                return k
    raise AssertionError("unreachable: removing every edge balances any graph")


@st.composite
def small_signed_graphs(draw) -> nx.Graph:
    n = draw(st.integers(0, 7))
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)) if pairs else []
    signs = draw(st.lists(st.sampled_from([1, -1]), min_size=len(chosen), max_size=len(chosen)))
    return signed([(u, v, s) for (u, v), s in zip(chosen, signs, strict=True)], nodes=range(n))


@settings(max_examples=300, deadline=None)
@given(small_signed_graphs())
def test_exact_search_matches_brute_force(G):
    index, camps = frustration_index(G)
    assert index == brute_force_index(G)
    assert set(camps) == set(G) and set(camps.values()) <= {0, 1}
    frustrated = frustrated_edges(G, camps)
    assert len(frustrated) == index
    # removing, or flipping, the frustrated edges balances the graph
    removed = G.copy()
    removed.remove_edges_from(frustrated)
    assert is_balanced(removed) and balanced_by_cycles(removed)
    flipped = G.copy()
    for u, v in frustrated:
        flipped[u][v]["sign"] *= -1
    assert is_balanced(flipped)
    assert is_balanced(G) is (index == 0) is balanced_by_cycles(G)


@settings(max_examples=200, deadline=None)
@given(small_signed_graphs())
def test_triangle_counts_match_networkx(G):
    counts = triangle_balance(G)
    assert counts["triangles"] == sum(nx.triangles(G).values()) // 3
    assert counts["balanced"] + counts["unbalanced"] == counts["triangles"]
    if is_balanced(G):
        assert counts["unbalanced"] == 0
