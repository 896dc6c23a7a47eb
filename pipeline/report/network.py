"""Entity co-occurrence network and a deterministic layout for drawing it.

Two canonical entities are linked when they are named in the same unit (passage or document);
the weight is the number of units they share. The layout is a Fruchterman–Reingold spring
layout in numpy from a seeded start, so the same graph always draws the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Network:
    """Nodes (canonical entities) with positions, and weighted edges between node indices."""

    nodes: pd.DataFrame  # canonical_id, canonical_name, label, mentions, units, x, y
    edges: list[tuple[int, int, int]]  # (i, j, shared units), i < j


def cooccurrence(entities: pd.DataFrame, labels: tuple[str, ...], unit: str = "passage",
                 max_nodes: int = 60, seed: int = 0) -> Network:
    """The co-occurrence network of entities with `labels`, keeping the `max_nodes` most mentioned.

    `unit` is "passage" or "document": the span within which two entities count as appearing together.
    """
    unit_col = "passage_id" if unit == "passage" else "doc_id"
    empty = pd.DataFrame(columns=["canonical_id", "canonical_name", "label", "mentions", "units", "x", "y"])
    frame = entities[entities["label"].isin(labels)]
    if "specific" in frame.columns:
        frame = frame[frame["specific"].fillna(True).astype(bool)]  # "40 agreements" is no node
    frame = frame[frame["canonical_id"].astype(str) != ""]
    if frame.empty:
        return Network(empty, [])
    stats = (frame.groupby("canonical_id")
             .agg(canonical_name=("canonical_name", "first"), label=("label", "first"),
                  mentions=("canonical_id", "size"), units=(unit_col, "nunique"))
             .reset_index())
    # Most mentioned first; ties by id keep the choice of nodes deterministic.
    stats = stats.sort_values(["mentions", "canonical_id"], ascending=[False, True]).head(max_nodes)
    stats = stats.reset_index(drop=True)
    index = {cid: i for i, cid in enumerate(stats["canonical_id"])}
    members = (frame[frame["canonical_id"].isin(index)]
               .groupby(unit_col)["canonical_id"].agg(lambda s: sorted(set(s))))
    weights: dict[tuple[int, int], int] = {}
    for ids in members:
        for a, b in combinations(ids, 2):
            key = tuple(sorted((index[a], index[b])))
            weights[key] = weights.get(key, 0) + 1
    edges = sorted((i, j, w) for (i, j), w in weights.items())
    positions = spring_layout(len(stats), edges, seed=seed)
    stats["x"] = positions[:, 0] if len(stats) else []
    stats["y"] = positions[:, 1] if len(stats) else []
    return Network(stats, edges)


def spring_layout(n: int, edges: list[tuple[int, int, int]], seed: int = 0, iterations: int = 200) -> np.ndarray:
    """Fruchterman–Reingold positions in [-1, 1]² for `n` nodes; deterministic for a given seed."""
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    adjacency = np.zeros((n, n))
    for i, j, w in edges:
        adjacency[i, j] = adjacency[j, i] = np.log1p(w)  # heavy pairs attract more, but not overwhelmingly
    k = np.sqrt(4.0 / n)  # ideal distance for an area of 4
    temperature = 0.2
    gravity = 4.0  # strong pull to the centre: isolated nodes stay near, so normalising does not crush clusters
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        repulsion = k * k / distance**2
        attraction = adjacency * distance / k
        force = ((repulsion - attraction)[:, :, None] * delta).sum(axis=1)
        # A weak pull to the centre keeps unconnected nodes from drifting off the canvas.
        force -= gravity * pos
        length = np.maximum(np.linalg.norm(force, axis=1, keepdims=True), 1e-9)
        pos += force / length * np.minimum(length, temperature)
        temperature *= 0.98
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    return pos / scale if scale > 0 else pos
