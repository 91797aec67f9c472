"""Tests of helpers.network: event multigraph, windows, collapse rule, snapshots, exports."""

from __future__ import annotations

import importlib.util
import io
import json
import math
import random
import time
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers.network import (
    actor_strength,
    balance_over_time,
    collapse,
    ego_network,
    event_edges,
    event_graph,
    event_tension_sums,
    export_graphs,
    membership_layer,
    monthly_snapshots,
    split_ids,
    tension_from_sums,
    tension_sums,
    to_states,
)

GEXF_NS = "{http://www.gexf.net/1.2draft}"


def event(event_id, actors, recipients, goldstein, start, end=None, modality="asserted", **extra):
    """One row of the events contract; ``end`` defaults to ``start`` (a one-day event)."""
    row = {
        "event_id": event_id,
        "article_id": "39a6002ab68b",
        "actor_ids": actors,
        "recipient_ids": recipients,
        "plover_event_type": "ACCUSE" if goldstein < 0 else "CONSULT",
        "plover_mode": "",
        "cameo_code": "112" if goldstein < 0 else "040",
        "goldstein": float(goldstein),
        "quad_class": "verbal_conflict" if goldstein < 0 else "verbal_cooperation",
        "sign": -1 if goldstein < 0 else 1,
        "quote_nl": "Rusland heeft ons in de steek gelaten",
        "quote_start": 10,
        "quote_end": 48,
        "gloss_en": "Russia has left us in the lurch",
        "date_start": pd.Timestamp(start),
        "date_end": pd.Timestamp(end or start),
        "date_precision": "day",
        "date_basis": "stated",
        "modality": modality,
        "coder_note": "",
    }
    row.update(extra)
    return row


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


@pytest.fixture
def events() -> pd.DataFrame:
    return frame(
        event("E01", "ARM", "RUS", -4.0, "2022-09-14", "2022-10-20"),  # spans Sep-Oct
        event("E02", "PASHINYAN", "CSTO", -2.0, "2022-11-23"),
        event("E03", "ARM;KAZ", "RUS", -2.0, "2022-10-05"),  # 2 actors, 1 recipient
        event("E04", "RUS", "ARM", 3.4, "2022-11-23"),
        event("E05", "RUS", "UKR", -10.0, "2014-02-20", "2014-03-18"),  # 2014: no 2022 snapshot
        event("E06", "TOKAYEV", "", 1.0, "2022-06-17"),  # no recipient
        event("E07", "KAZ", "RUS", 5.0, "2022-10-06", modality="negated"),
        event("E08", "KAZ", "RUS", -8.0, "2022-10-07", modality="hypothetical"),
        event("E09", "PUTIN", "TOKAYEV;PASHINYAN", 1.0, "2022-10-14", modality="reported_speech"),
    )


@pytest.fixture
def actors() -> pd.DataFrame:
    rows = [
        ("RUS", "state", "Russia", None),
        ("ARM", "state", "Armenia", None),
        ("KAZ", "state", "Kazakhstan", None),
        ("UKR", "state", "Ukraine", None),
        ("CSTO", "organisation", "Collective Security Treaty Organization", None),
        ("PUTIN", "person", "Vladimir Putin", "RUS"),
        ("PASHINYAN", "person", "Nikol Pashinyan", "ARM"),
        ("TOKAYEV", "person", "Kassym-Jomart Tokayev", "KAZ"),
        ("LUKASHENKO", "person", "Alexander Lukashenko", "BLR"),  # in no event
    ]
    return pd.DataFrame(rows, columns=["actor_id", "kind", "name_en", "state_id"])


@pytest.fixture
def G(events, actors) -> nx.MultiDiGraph:
    return event_graph(events, actors)


def pairs(H: nx.Graph) -> dict[frozenset, dict]:
    return {frozenset((u, v)): d for u, v, d in H.edges(data=True)}


# --- the event multigraph ----------------------------------------------------------------


def test_split_ids():
    assert split_ids(" RUS; ARM;;RUS ") == ["RUS", "ARM"]
    assert split_ids("") == split_ids(None) == split_ids(float("nan")) == []


def test_event_graph_edges_keys_and_attributes(G, events):
    assert isinstance(G, nx.MultiDiGraph)
    assert sorted(G.edges(keys=True)) == sorted(
        [
            ("ARM", "RUS", "E01"),
            ("PASHINYAN", "CSTO", "E02"),
            ("ARM", "RUS", "E03"),
            ("KAZ", "RUS", "E03"),
            ("RUS", "ARM", "E04"),
            ("RUS", "UKR", "E05"),
            ("KAZ", "RUS", "E07"),
            ("KAZ", "RUS", "E08"),
            ("PUTIN", "TOKAYEV", "E09"),
            ("PUTIN", "PASHINYAN", "E09"),
        ]
    )
    data = G.edges["KAZ", "RUS", "E03"]
    assert set(data) == set(events.columns)
    assert data["goldstein"] == -2.0 and data["actor_ids"] == "ARM;KAZ"
    assert data["date_start"] == pd.Timestamp("2022-10-05")
    assert G.graph["no_recipient"] == ["E06"]
    assert "TOKAYEV" in G  # an actor without recipient is still a node


def test_event_graph_node_attributes(G, events, actors):
    assert G.nodes["PUTIN"] == {"kind": "person", "name_en": "Vladimir Putin", "state_id": "RUS"}
    assert "state_id" not in G.nodes["RUS"]  # missing cells are omitted
    assert "LUKASHENKO" not in G  # only actors that occur in events
    indexed = event_graph(events, actors.set_index("actor_id"))
    assert dict(indexed.nodes(data=True)) == dict(G.nodes(data=True))
    assert all(not d for _, d in event_graph(events).nodes(data=True))


def test_event_graph_rejects_bad_input(events, actors):
    with pytest.raises(ValueError, match="not in the actors table"):
        event_graph(events, actors[actors.actor_id != "KAZ"])
    with pytest.raises(ValueError, match="duplicate event_id"):
        event_graph(pd.concat([events, events.head(1)]))
    with pytest.raises(ValueError, match="missing column"):
        event_graph(events.drop(columns="modality"))
    with pytest.raises(ValueError, match="modality"):
        event_graph(frame(event("X", "ARM", "RUS", 1, "2022-01-01", modality="rumour")))
    with pytest.raises(ValueError, match="goldstein"):
        event_graph(frame(event("X", "ARM", "RUS", 11, "2022-01-01")))
    with pytest.raises(ValueError, match="after"):
        event_graph(frame(event("X", "ARM", "RUS", 1, "2022-02-01", "2022-01-01")))


def test_self_pairs_are_skipped_and_listed():
    G = event_graph(frame(event("E1", "ARM;RUS", "ARM", -3, "2022-10-01")))
    assert list(G.edges(keys=True)) == [("RUS", "ARM", "E1")]
    assert G.graph["self_pairs"] == ["E1"]


def test_event_edges_are_the_edges_of_the_event_graph(events):
    found = event_edges(events.iloc[::-1])  # the events in the order of their ids
    assert found.edges[:4] == [
        ("ARM", "RUS", "E01", 8),
        ("PASHINYAN", "CSTO", "E02", 7),
        ("ARM", "RUS", "E03", 6),
        ("KAZ", "RUS", "E03", 6),
    ]
    assert found.no_recipient == ["E06"] and found.self_pairs == []
    assert found.nodes == {"ARM", "CSTO", "KAZ", "PASHINYAN", "PUTIN", "RUS", "TOKAYEV", "UKR"}
    G = event_graph(events)
    assert sorted(G.edges(keys=True)) == sorted((a, r, k) for a, r, k, _ in found.edges)
    assert G.graph["no_recipient"] == found.no_recipient


def test_event_tension_sums_are_the_sums_of_the_event_graph(events, actors):
    events = pd.concat([events, frame(event("E10", "ARM;KAZ", "RUS;KAZ", -3.0, "2022-01-05"))])
    direct, of_graph = event_tension_sums(events), tension_sums(event_graph(events, actors))
    assert direct.equals(of_graph) and len(direct) == 7  # E10 adds ARM-KAZ
    assert event_tension_sums(events, "sign_sum").equals(
        tension_sums(event_graph(events), "sign_sum")
    )
    assert event_tension_sums(events.iloc[:0]).equals(tension_sums(event_graph(events.iloc[:0])))


def test_event_graph_does_not_depend_on_row_order(events, actors):
    shuffled = events.sample(frac=1, random_state=7)
    H = event_graph(shuffled, actors)
    G = event_graph(events, actors)
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True)) == list(G.edges(keys=True))


def test_membership_layer(G):
    calls = []

    def members_on(day):
        calls.append(day)
        return ["RUS", "ARM", "KAZ"]

    H = membership_layer(G, "2022-11-23", members_on)
    assert calls == [pd.Timestamp("2022-11-23").date()]
    assert H.nodes["ARM"]["csto_member"] is True
    assert H.nodes["UKR"]["csto_member"] is False
    assert H.nodes["PUTIN"]["csto_member"] is False
    assert "csto_member" not in G.nodes["ARM"]  # G is untouched
    via = membership_layer(G, "2022-11-23", ["RUS", "ARM", "KAZ"], via_state=True)
    assert via.nodes["PUTIN"]["csto_member"] is True
    assert via.nodes["CSTO"]["csto_member"] is False
    assert via.graph["csto_member_date"] == "2022-11-23"


# --- collapse ----------------------------------------------------------------------------


def test_collapse_sums_signs_and_attributes(G):
    H = collapse(G)
    assert isinstance(H, nx.Graph) and not H.is_directed()
    edges = pairs(H)
    arm_rus = edges[frozenset(("ARM", "RUS"))]  # E01 -4, E03 -2, E04 +3.4 (both directions)
    assert arm_rus == {
        "weight": -2.6,
        "sign": -1,
        "n_events": 3,
        "event_ids": "E01;E03;E04",
        "conflict": 6.0,
        "cooperation": 3.4,
    }
    assert edges[frozenset(("KAZ", "RUS"))]["event_ids"] == "E03"  # E07, E08 left out
    assert edges[frozenset(("RUS", "UKR"))]["weight"] == -10.0
    assert edges[frozenset(("PUTIN", "TOKAYEV"))]["sign"] == 1  # reported speech counts
    assert "LUKASHENKO" not in H
    assert H.nodes["PUTIN"]["state_id"] == "RUS"  # node attributes carried over
    assert H.graph["rule"] == "goldstein_sum"


def test_collapse_drops_zero_sum_pairs():
    G = event_graph(
        frame(
            event("E1", "ARM", "RUS", 1.9, "2022-10-01"),
            event("E2", "RUS", "ARM", 1.5, "2022-10-02"),
            event("E3", "ARM", "RUS", -3.4, "2022-10-03"),
            event("E4", "KAZ", "RUS", 0.0, "2022-10-03"),
            event("E5", "KAZ", "ARM", -1.0, "2022-10-03"),
        )
    )
    H = collapse(G)
    assert list(H.edges) == [("ARM", "KAZ")]
    assert sorted(H) == ["ARM", "KAZ"]  # nodes only through kept edges
    assert H.graph["zero_sum_pairs"] == ["ARM;RUS", "KAZ;RUS"]


def test_collapse_counts_an_event_once_per_pair():
    # ARM and KAZ accuse each other in one event: two directed edges, one pair
    G = event_graph(frame(event("E1", "ARM;KAZ", "KAZ;ARM", -5, "2022-10-01")))
    assert G.number_of_edges() == 2
    H = collapse(G)
    assert pairs(H)[frozenset(("ARM", "KAZ"))]["weight"] == -5.0
    assert pairs(H)[frozenset(("ARM", "KAZ"))]["n_events"] == 1


def test_collapse_multiple_actors_and_recipients():
    G = event_graph(frame(event("E1", "ARM;KAZ", "RUS;BLR", -3, "2022-10-01")))
    H = collapse(G)
    assert sorted(tuple(sorted(p)) for p in pairs(H)) == [
        ("ARM", "BLR"),
        ("ARM", "RUS"),
        ("BLR", "KAZ"),
        ("KAZ", "RUS"),
    ]
    assert {d["weight"] for d in pairs(H).values()} == {-3.0}  # each pair gets the full score


def test_modality_handling(G):
    default = pairs(collapse(G))[frozenset(("KAZ", "RUS"))]
    assert default["event_ids"] == "E03"
    every = collapse(G, modalities=("asserted", "reported_speech", "negated", "hypothetical"))
    kaz_rus = pairs(every)[frozenset(("KAZ", "RUS"))]
    assert kaz_rus["event_ids"] == "E03;E07;E08"
    assert kaz_rus["weight"] == -5.0  # -2 + 5 - 8
    asserted = collapse(G, modalities=["asserted"])
    assert "PUTIN" not in asserted  # E09 is reported speech
    with pytest.raises(ValueError, match="unknown modality"):
        collapse(G, modalities=["rumour"])


def test_sign_sum_rule_and_unknown_rule(G):
    H = collapse(G, rule="sign_sum")
    assert pairs(H)[frozenset(("ARM", "RUS"))]["weight"] == -1.0  # -1 -1 +1
    with pytest.raises(ValueError, match="unknown rule"):
        collapse(G, rule="mean")


# --- windows and snapshots ---------------------------------------------------------------


def test_window_overlap(G):
    september = collapse(G, "2022-09-01", "2022-09-30")
    assert pairs(september)[frozenset(("ARM", "RUS"))]["event_ids"] == "E01"
    # inclusive bounds, whole days: the window's last day and an event's last day count
    assert "E01" in collapse(G, "2022-10-20", "2022-10-20").edges["ARM", "RUS"]["event_ids"]
    assert collapse(G, "2022-10-21", "2022-10-31").number_of_edges() == 0  # the day after E01
    assert collapse(G, "2022-09-13", "2022-09-13").number_of_edges() == 0  # the day before
    open_start = collapse(G, None, "2014-12-31")
    assert list(open_start.edges) == [("RUS", "UKR")]
    assert collapse(G, "2022-11-24", None).number_of_edges() == 0


def test_open_and_missing_dates():
    G = event_graph(
        frame(
            event("E1", "ARM", "RUS", -1, "2022-01-01", date_end=pd.NaT),  # open to the future
            event("E2", "KAZ", "RUS", -1, "2022-01-01", date_start=pd.NaT, date_end=pd.NaT),
        )
    )
    assert list(collapse(G, "2030-01-01", "2030-01-31").edges) == [("ARM", "RUS")]
    assert sorted(collapse(G).edges) == [("ARM", "RUS"), ("KAZ", "RUS")]  # undated: unbounded


def test_monthly_snapshots(G):
    snapshots = monthly_snapshots(G, 2022)
    assert list(snapshots) == [f"2022-{m:02d}" for m in range(1, 13)]
    months_with = {
        month: {e for _, _, d in H.edges(data=True) for e in d["event_ids"].split(";")}
        for month, H in snapshots.items()
    }
    assert [m for m, ids in months_with.items() if "E01" in ids] == ["2022-09", "2022-10"]
    assert not any("E05" in ids for ids in months_with.values())  # 2014
    assert months_with["2022-06"] == set()  # E06 has no recipient
    assert months_with["2022-11"] == {"E02", "E04"}
    assert all(H.number_of_edges() == 0 for m, H in snapshots.items() if m < "2022-09")
    feb = monthly_snapshots(G, 2014)["2014-02"]
    assert list(feb.edges) == [("RUS", "UKR")]
    assert snapshots["2022-02"].graph["window_end"] == "2022-02-28"


def test_monthly_snapshots_pass_options(G):
    snapshots = monthly_snapshots(G, modalities=["asserted"])
    assert "PUTIN" not in snapshots["2022-10"]


# --- analyses ----------------------------------------------------------------------------


def test_actor_strength(G):
    strength = actor_strength(collapse(G))
    assert list(strength.index) == sorted(strength.index)
    assert strength.index.name == "actor_id"
    rus = strength.loc["RUS"]
    assert rus["tension"] == pytest.approx(2.6 + 2.0 + 10.0)  # ARM, KAZ, UKR
    assert rus["cooperation"] == 0.0
    assert rus["degree"] == 3 and rus["negative_ties"] == 3
    assert strength.loc["PUTIN", "cooperation"] == 2.0
    assert actor_strength(nx.Graph()).empty


def test_ego_network(G):
    H = collapse(G)
    ego = ego_network(H, "RUS")
    assert sorted(ego) == ["ARM", "KAZ", "RUS", "UKR"]
    assert ego.edges["ARM", "RUS"]["weight"] == -2.6
    assert sorted(ego_network(G, "PUTIN")) == ["PASHINYAN", "PUTIN", "TOKAYEV"]
    absent = ego_network(H, "BLR")  # no ties in H (issue 10 row 12: RUS without events)
    assert absent.number_of_nodes() == 0 and type(absent) is nx.Graph
    assert absent.graph == H.graph
    directed = ego_network(G, "BLR")
    assert directed.number_of_nodes() == 0 and type(directed) is type(G)


def test_balance_over_time(G):
    table = balance_over_time(monthly_snapshots(G))
    assert list(table.index) == [f"2022-{m:02d}" for m in range(1, 13)]
    oct_ = table.loc["2022-10"]
    # Oct: ARM-RUS -6, KAZ-RUS -2, PUTIN-TOKAYEV +1, PUTIN-PASHINYAN +1: a balanced star
    assert (oct_["edges"], oct_["negative_edges"], oct_["triangles"]) == (4, 2, 0)
    assert oct_["components"] == 2  # camp labels of the two components are unrelated
    assert oct_["frustration_index"] == 0 and bool(oct_["balanced"])
    assert oct_["camp_0"] == "ARM;KAZ;PASHINYAN;PUTIN;TOKAYEV"
    assert oct_["camp_1"] == "RUS"
    assert math.isnan(oct_["fraction_balanced"])
    assert table.loc["2022-01", "edges"] == 0
    assert balance_over_time({}).empty


def test_balance_over_time_on_an_unbalanced_triangle():
    G = event_graph(
        frame(
            event("E1", "ARM", "RUS", -2, "2022-11-01"),
            event("E2", "KAZ", "RUS", -2, "2022-11-02"),
            event("E3", "ARM", "KAZ", -2, "2022-11-03"),
        )
    )
    row = balance_over_time({"2022-11": collapse(G)}).loc["2022-11"]
    assert (row["triangles"], row["balanced_triangles"], row["frustration_index"]) == (1, 0, 1)
    assert row["fraction_balanced"] == 0.0


# --- exports -----------------------------------------------------------------------------


@pytest.fixture
def member_graph(G):
    return membership_layer(G, "2022-11-23", ["RUS", "ARM", "KAZ"])


def read_all(paths) -> dict[str, bytes]:
    return {fmt: path.read_bytes() for fmt, path in paths.items()}


def test_exports_are_byte_identical_across_calls(tmp_path, member_graph, events, actors):
    first = read_all(export_graphs(member_graph, tmp_path / "a"))
    second = read_all(export_graphs(member_graph, tmp_path / "a"))  # overwrite in place
    shuffled = event_graph(events.sample(frac=1, random_state=3), actors)
    shuffled = membership_layer(shuffled, "2022-11-23", ["KAZ", "ARM", "RUS"])
    third = read_all(export_graphs(shuffled, tmp_path / "b"))
    assert sorted(first) == ["gexf", "graphml", "json"]
    assert first == second == third
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [
        "events.gexf",
        "events.graphml",
        "events.json",
    ]  # no temporary files left behind


def test_gexf_has_no_date_of_writing(tmp_path, member_graph, monkeypatch):
    before = export_graphs(member_graph, tmp_path / "a")["gexf"].read_bytes()
    monkeypatch.setattr(time, "strftime", lambda *args: "1999-12-31")
    after = export_graphs(member_graph, tmp_path / "b")["gexf"].read_bytes()
    assert before == after
    assert b"lastmodifieddate" not in after


def test_gexf_is_dynamic_with_spells(tmp_path, member_graph):
    path = export_graphs(member_graph, tmp_path)["gexf"]
    root = ET.parse(path).getroot()
    graph = root.find(f"{GEXF_NS}graph")
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == "directed"
    edges = graph.findall(f"{GEXF_NS}edges/{GEXF_NS}edge")
    assert len(edges) == member_graph.number_of_edges()
    spells = {
        e.get("id"): [(s.get("start"), s.get("end")) for s in e.iter(f"{GEXF_NS}spell")]
        for e in edges
    }
    assert spells["E01:ARM:RUS"] == [("2022-09-14", "2022-10-20")]
    assert spells["E09:PUTIN:TOKAYEV"] == [("2022-10-14", "2022-10-14")]
    labels = {n.get("id"): n.get("label") for n in graph.iter(f"{GEXF_NS}node")}
    assert labels["RUS"] == "Russia"


def test_exports_are_readable_by_networkx(tmp_path, member_graph):
    paths = export_graphs(member_graph, tmp_path, stem="events")
    expected = sorted((u, v, d["event_id"]) for u, v, d in member_graph.edges(data=True))

    gexf = nx.read_gexf(paths["gexf"])
    assert gexf.is_directed() and gexf.is_multigraph()
    assert sorted(gexf) == sorted(member_graph)
    assert sorted((u, v, d["event_id"]) for u, v, d in gexf.edges(data=True)) == expected
    assert gexf.edges["ARM", "RUS", "E01"]["goldstein"] == -4.0  # key from networkx_key
    assert gexf.nodes["ARM"]["csto_member"] is True

    graphml = nx.read_graphml(paths["graphml"])
    assert graphml.is_directed() and graphml.is_multigraph()
    assert sorted((u, v, d["event_id"]) for u, v, d in graphml.edges(data=True)) == expected
    assert graphml.nodes["PUTIN"]["state_id"] == "RUS"
    assert graphml.nodes["ARM"]["csto_member"] is True
    data = graphml.edges["ARM", "RUS", "E01:ARM:RUS"]
    assert (data["date_start"], data["date_end"], data["goldstein"]) == (
        "2022-09-14",
        "2022-10-20",
        -4.0,
    )

    text = paths["json"].read_text(encoding="utf-8")
    assert text.endswith("}\n")
    from_json = nx.node_link_graph(json.loads(text), edges="edges")
    assert sorted((u, v, d["event_id"]) for u, v, d in from_json.edges(data=True)) == expected
    assert from_json.graph["no_recipient"] == "E06"


def test_export_of_a_collapsed_graph(tmp_path, member_graph):
    H = collapse(member_graph)
    paths = export_graphs(H, tmp_path, stem="tension")
    graph = ET.parse(paths["gexf"]).getroot().find(f"{GEXF_NS}graph")
    assert graph.get("mode") == "static" and graph.get("defaultedgetype") == "undirected"
    back = nx.read_graphml(paths["graphml"])
    assert not back.is_directed()
    assert back.edges["ARM", "RUS"]["weight"] == -2.6
    assert back.edges["ARM", "RUS"]["event_ids"] == "E01;E03;E04"
    from_json = nx.node_link_graph(json.loads(paths["json"].read_bytes()), edges="edges")
    assert nx.utils.edges_equal(from_json.edges(data=True), H.edges(data=True))
    # non-ASCII text stays readable in the JSON
    G = event_graph(frame(event("E1", "ARM", "RUS", -1, "2022-11-01", gloss_en="Armenië")))
    json_bytes = export_graphs(G, tmp_path, stem="nl")["json"].read_bytes()
    assert "Armenië".encode() in json_bytes


def test_graphml_types_are_consistent(tmp_path):
    # an int and a float goldstein must not become two GraphML keys of different types
    rows = frame(
        event("E1", "ARM", "RUS", -1, "2022-11-01"),
        event("E2", "KAZ", "RUS", -1.5, "2022-11-01"),
    )
    rows["goldstein"] = rows["goldstein"].astype(object)
    rows.loc[0, "goldstein"] = -1
    G = event_graph(rows)
    data = io.BytesIO(export_graphs(G, tmp_path)["graphml"].read_bytes()).getvalue()
    assert data.count(b'attr.name="goldstein"') == 1


# --- the real data (helpers.events and helpers.actors) ------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("helpers.events") is None
    or importlib.util.find_spec("helpers.actors") is None,
    reason="helpers.events / helpers.actors not available",
)
def test_real_events(tmp_path):
    from helpers.actors import load_actors, members_on
    from helpers.events import load_events

    events = load_events()
    G = membership_layer(event_graph(events, load_actors()), "2022-11-23", members_on)
    with_recipient = events["recipient_ids"].map(split_ids).map(bool)
    assert set(G.graph["no_recipient"]) == set(events.loc[~with_recipient, "event_id"])
    keys = {k for _, _, k in G.edges(keys=True)}
    dyadic = set(events.loc[with_recipient, "event_id"])
    assert dyadic - set(G.graph["self_pairs"]) <= keys <= dyadic
    assert G.nodes["ARM"]["csto_member"] and not G.nodes["UKR"]["csto_member"]
    H = collapse(G)
    assert all(d["sign"] in (1, -1) and d["weight"] != 0 for _, _, d in H.edges(data=True))
    table = balance_over_time(monthly_snapshots(G))
    assert list(table.index) == [f"2022-{m:02d}" for m in range(1, 13)]
    assert (table["frustration_index"] >= 0).all()
    assert not actor_strength(H).empty
    first = read_all(export_graphs(G, tmp_path / "a"))
    assert first == read_all(export_graphs(G, tmp_path / "b"))
    assert nx.read_gexf(tmp_path / "a" / "events.gexf").number_of_edges() == G.number_of_edges()


def test_to_states_merges_people_before_collapse_so_events_count_once():
    from helpers.network import to_states

    actors = pd.DataFrame(
        {
            "actor_id": ["RUS", "ARM", "KAZ", "PUTIN", "TOKAYEV", "CSTO", "LUHANSK", "UKR"],
            "kind": ["state", "state", "state", "person", "person", "organisation", "region",
                     "state"],
            "name_en": ["Russia", "Armenia", "Kazakhstan", "Putin", "Tokayev", "CSTO", "Luhansk",
                        "Ukraine"],
            "state_id": ["", "", "", "RUS", "KAZ", "", "UKR", ""],
        }
    )  # fmt: skip
    events = frame(
        event("E1", "PUTIN;RUS", "ARM", -2.0, "2022-11-01"),  # two merged actors: counted once
        event("E2", "RUS", "ARM", -1.5, "2022-11-01"),
        event("E3", "TOKAYEV", "KAZ", -3.0, "2022-01-10"),  # falls inside Kazakhstan
        event("E4", "RUS", "LUHANSK", 6.0, "2022-02-21"),  # a region stays itself
        event("E5", "PUTIN", "CSTO", 1.0, "2022-11-23"),
    )
    merged = to_states(event_graph(events), actors)
    assert merged.nodes["RUS"]["merged"] == ["PUTIN", "RUS"]
    H = collapse(merged)
    edge = H["ARM"]["RUS"]
    assert (edge["weight"], edge["n_events"], edge["event_ids"]) == (-3.5, 2, "E1;E2")
    assert H["LUHANSK"]["RUS"]["weight"] == 6.0 and not H.has_edge("RUS", "UKR")
    assert H.graph["internal"] == {
        "KAZ": {"weight": -3.0, "n_events": 1, "event_ids": "E3", "pairs": "TOKAYEV-KAZ"}
    }
    assert sorted(H.nodes) == ["ARM", "CSTO", "LUHANSK", "RUS"]


def test_criticisms_keep_only_allies_conflict_acts_aimed_at_russia():
    from helpers.network import criticisms

    actors = pd.DataFrame(
        {
            "actor_id": ["RUS", "ARM", "UKR", "PUTIN", "RAHMON", "TJK", "CSTO"],
            "kind": ["state", "state", "state", "person", "person", "state", "organisation"],
            "name_en": ["Russia", "Armenia", "Ukraine", "Putin", "Rahmon", "Tajikistan", "CSTO"],
            "state_id": ["", "", "", "RUS", "TJK", "", ""],
        }
    )
    rows = [
        ("E1", "RAHMON", "PUTIN", -2.0, -1, "asserted", "2022-10-01"),  # ally, at Putin: kept
        ("E2", "UKR", "RUS", -6.5, -1, "asserted", "2022-11-01"),  # not an ally
        ("E3", "ARM", "CSTO", -2.0, -1, "reported_speech", "2022-11-01"),  # at the CSTO: kept
        ("E4", "ARM", "RUS", 3.0, 1, "asserted", "2022-11-01"),  # cooperation
        ("E5", "TJK", "RUS", -2.0, -1, "negated", "2022-11-01"),  # did not happen
        ("E6", "PUTIN", "RUS", -2.0, -1, "asserted", "2022-11-01"),  # Russia itself
        ("E7", "ARM", "RUS", -2.0, -1, "asserted", "1990-01-01"),  # before membership
    ]
    events = pd.DataFrame(
        rows, columns=["event_id", "actor_ids", "recipient_ids", "goldstein", "sign",
                       "modality", "date_start"],
    )  # fmt: skip
    events["date_start"] = pd.to_datetime(events["date_start"])
    events["date_end"] = events["date_start"]
    for column in ("plover_event_type", "date_precision", "gloss_en", "quote_nl"):
        events[column] = "x"

    def members(day):
        return ["ARM", "RUS", "TJK"] if day.year >= 1994 else []

    found = criticisms(events, actors, members)
    assert list(found["event_id"]) == ["E1", "E3"]
    assert list(found["state_id"]) == ["TJK", "ARM"]
    assert list(found["target"]) == ["PUTIN", "CSTO"]


def test_edge_table_and_month_window():
    from helpers.network import edge_table, month_window

    H = nx.Graph()
    H.add_edge("RUS", "UKR", weight=-10.0, sign=-1, n_events=2, event_ids="E1;E2")
    H.add_edge("ARM", "EU", weight=4.0, sign=1, n_events=1, event_ids="E3")
    table = edge_table(H, {"RUS": "Russia"})
    assert list(table["actor"]) == ["Russia", "ARM"]
    assert list(table["weight"]) == [-10.0, 4.0]
    assert month_window("2022-09", "2022-11") == ("2022-09-01", "2022-11-30")
    assert month_window("2024-02", "2024-02") == ("2024-02-01", "2024-02-29")


def test_event_graph_can_keep_only_the_columns_collapse_needs():
    from helpers.network import COLLAPSE_COLUMNS

    events = frame(
        event("E1", "RUS", "UKR", -10.0, "2022-02-24", gloss_en="the invasion"),
        event("E2", "ARM", "CSTO", -2.0, "2022-11-01"),
    )
    full, slim = event_graph(events), event_graph(events, columns=COLLAPSE_COLUMNS)
    assert "gloss_en" in full.edges["RUS", "UKR", "E1"]
    assert set(slim.edges["RUS", "UKR", "E1"]) <= set(COLLAPSE_COLUMNS)
    same = collapse(full), collapse(slim)
    assert sorted(same[0].edges(data="weight")) == sorted(same[1].edges(data="weight"))


def test_event_graph_names_the_first_bad_event():
    bad = frame(event("E1", "RUS", "UKR", -10.0, "2022-02-24"), event("E2", "ARM", "CSTO", 12.0,
                "2022-11-01"))  # fmt: skip
    with pytest.raises(ValueError, match="event E2: goldstein"):
        event_graph(bad)
    bad = frame(event("E1", "RUS", "UKR", -1.0, "2022-02-24", end="2022-02-01"))
    with pytest.raises(ValueError, match="event E1: date_start is after date_end"):
        event_graph(bad)


# --- the tension graph of a corpus from the sums of its parts -----------------------------


def _without_event_ids(H: nx.Graph) -> tuple:
    edges = [
        (u, v, {k: x for k, x in d.items() if k != "event_ids"}) for u, v, d in H.edges(data=True)
    ]
    internal = {
        n: {"weight": d["weight"], "n_events": d["n_events"]}
        for n, d in H.graph["internal"].items()
    }
    return list(H.nodes(data=True)), edges, H.graph["zero_sum_pairs"], internal


SCORES = [-10.0, -9.5, -7.0, -5.0, -4.4, -4.0, -2.2, -2.0, -0.1, 0.0, 0.1, 1.0, 1.9, 3.4, 7.4, 10.0]
PAIRS = ["ARM", "RUS", "KAZ", "UKR", "CSTO", "PUTIN", "PASHINYAN", "TOKAYEV", "ARM;KAZ"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PAIRS),
            st.sampled_from(PAIRS),
            st.sampled_from(SCORES),
            st.sampled_from(["asserted", "reported_speech", "negated"]),
            st.integers(0, 3),  # the part of the corpus the event is in
        ),
        min_size=1,
        max_size=40,
    )
)
def test_tension_sums_of_parts_give_the_collapse_of_the_whole(rows):
    table = frame(
        *(
            event(f"E{i:02d}", a, r, g, "2022-10-01", modality=m)
            for i, (a, r, g, m, _) in enumerate(rows)
        )
    )
    parts = [table[[row[4] == k for row in rows]] for k in range(4)]
    whole = collapse(event_graph(table))
    summed = tension_from_sums(tension_sums(event_graph(part)) for part in parts)
    assert _without_event_ids(summed) == _without_event_ids(whole)
    for part in [table, *parts]:  # the same table without the graph, row for row
        direct, of_graph = event_tension_sums(part), tension_sums(event_graph(part))
        assert direct.equals(of_graph) and list(direct.dtypes) == list(of_graph.dtypes)


def test_tension_sums_carry_actor_attributes(events, actors):
    whole = collapse(event_graph(events, actors))
    halves = [events.iloc[:4], events.iloc[4:]]
    summed = tension_from_sums((tension_sums(event_graph(h)) for h in halves), actors)
    assert _without_event_ids(summed) == _without_event_ids(whole)
    assert summed.nodes["PUTIN"]["state_id"] == "RUS"


def test_tension_sums_keep_the_ties_inside_a_state(events, actors):
    events = pd.concat([events, frame(event("E10", "TOKAYEV", "KAZ", -3.0, "2022-01-05"))])
    whole = collapse(to_states(event_graph(events, actors), actors))
    halves = [events.iloc[:5], events.iloc[5:]]
    summed = tension_from_sums(
        tension_sums(to_states(event_graph(h, actors), actors)) for h in halves
    )
    assert _without_event_ids(summed)[1:] == _without_event_ids(whole)[1:]  # nodes: no "merged"
    assert summed.graph["internal"] == {"KAZ": {"weight": -3.0, "n_events": 1}}


IDS = ["ARM", "RUS", "KAZ", "CSTO", "ARM;KAZ", "RUS;ARM", "KAZ;RUS;CSTO", "ARM; ARM", ""]


# A tie is first met where the graph's edges first give it an event that counts: ARM's edges
# to RUS come before those to KAZ (E00 comes first), so ARM-RUS is met first, by E02.
FIRST_MET = [
    ("ARM", "RUS", -2.0, "negated", "39a6002ab68b"),
    ("ARM", "KAZ", 1.0, "asserted", "39a6002ab68b"),
    ("ARM", "RUS", -4.0, "asserted", "39a6002ab68b"),
]


@settings(max_examples=80, deadline=None)
@example(FIRST_MET, random.Random(0))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(IDS[:-1]),  # an actor is required
            st.sampled_from(IDS),  # no recipient: no edge
            st.sampled_from(SCORES),
            st.sampled_from(["asserted", "reported_speech", "negated", "hypothetical"]),
            st.sampled_from(["39a6002ab68b", "7c1d2e3f4a5b"]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.randoms(use_true_random=False),
)
def test_event_edges_and_sums_are_those_of_a_plain_reading(rows, rng):
    """:func:`event_edges` against a reading event by event (in the order of their keys), and
    :func:`event_tension_sums` against the sums of the graph, on events with several actors
    and recipients, actors among their recipients, no recipient, two articles, in any order."""
    table = frame(
        *(
            event(f"E{i:02d}", a, r, g, "2022-10-01", modality=m, article_id=article)
            for i, (a, r, g, m, article) in enumerate(rows)
        )
    )
    table = table.iloc[rng.sample(range(len(rows)), len(rows))]
    found = event_edges(table)
    keys = table["event_id"].tolist()
    if table["article_id"].nunique() > 1:
        keys = [f"{a}:{e}" for a, e in zip(table["article_id"], keys, strict=True)]
    edges, no_recipient, self_pairs = [], [], []
    for row in sorted(range(len(keys)), key=keys.__getitem__):
        sources = split_ids(table["actor_ids"].iloc[row])
        targets = split_ids(table["recipient_ids"].iloc[row])
        if not targets:
            no_recipient.append(keys[row])
            continue
        if set(sources) & set(targets):
            self_pairs.append(keys[row])
        edges.extend((a, r, keys[row], row) for a in sources for r in targets if a != r)
    assert (found.edges, found.no_recipient, found.self_pairs) == (edges, no_recipient, self_pairs)
    for rule in ("goldstein_sum", "sign_sum"):
        direct, of_graph = event_tension_sums(table, rule), tension_sums(event_graph(table), rule)
        assert direct.equals(of_graph) and list(direct.dtypes) == list(of_graph.dtypes)
        assert all(
            type(x) is type(y) for x, y in zip(direct["total"], of_graph["total"], strict=True)
        )
