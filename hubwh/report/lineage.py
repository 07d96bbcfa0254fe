"""Lineage page (docs/methods.md §9): the model tree declared by `base_model`
tags and cards — the largest families by relation, the distribution of family
sizes, relations' shares, derivatives by organisation, license drift along the
edges and descendants vs popularity. Laid out by templates/lineage.html."""

from __future__ import annotations

import plotly.graph_objects as go

from hubwh.report import charts
from hubwh.report.adoption import _correlation_table
from hubwh.report.data import Warehouse
from hubwh.report.layout import Card, Chart, Kpi, Note, Table, fmt_num, fmt_share

TITLE = "Lineage"
RELATIONS = ("finetune", "adapter", "quantized", "merge", "unknown")
RELATION_COLORS = {
    "finetune": "#2f6fb3",
    "adapter": "#3a9b5c",
    "quantized": "#d9822b",
    "merge": "#8e44ad",
    "unknown": "#9aa3ad",
}
TOP_FAMILIES = 20
TOP_ORGANISATIONS = 20
# class pairs that relabel a use-restricted parent (docs/methods.md §9: possible violations)
DRIFT_FLAGGED = (("restrictive", "permissive"), ("restrictive", "none"))
SOURCE_COLORS = {"tag": "#2f6fb3", "card": "#d9822b", "both": "#3a9b5c"}
NO_LINEAGE = "the crawl holds no lineage fields (base_model tags or cards)"


def build(wh: Warehouse) -> dict:
    """The values templates/lineage.html lays out, one per section."""
    if not has_lineage(wh):
        note = Note("Lineage", NO_LINEAGE)
        return dict.fromkeys(
            ("headline", "families", "family_table", "sizes", "relations", "organisations", "drift", "correlations"),
            note,
        ) | {"top_families": TOP_FAMILIES, "top_organisations": TOP_ORGANISATIONS}
    return {
        "headline": headline(wh),
        "families": families_treemap(wh),
        "family_table": family_table(wh),
        "sizes": family_sizes(wh),
        "relations": relations(wh),
        "organisations": organisations(wh),
        "drift": license_drift(wh),
        "correlations": correlations(wh),
        "top_families": TOP_FAMILIES,
        "top_organisations": TOP_ORGANISATIONS,
    }


def has_lineage(wh: Warehouse) -> bool:
    """Lineage was computed when the edges mart exists and holds an edge (a crawl without
    base_model tags or cards builds the lineage marts empty)."""
    return wh.has("model_lineage", columns=("child_id", "parent_id")) and bool(
        wh.scalar("select count(*) from marts.model_lineage")
    )


def summary(wh: Warehouse) -> dict[str, float | None]:
    """marts.lineage_summary as {measure: value} (empty when absent)."""
    df = wh.mart("lineage_summary", columns=("measure", "value"))
    if df is None:
        return {}
    return {str(r.measure): (None if r.value != r.value else float(r.value)) for r in df.itertuples()}


def headline(wh: Warehouse) -> list[Card] | Note:
    s = summary(wh)
    if not s:
        return Note("marts.lineage_summary")
    cards = [
        Card(
            Kpi("lineage.share_with_parent", fmt_share(s.get("share_with_parent"))),
            f"of {fmt_num(s.get('n_models'))} models declare a parent",
        ),
        Card(Kpi("lineage.n_edges", fmt_num(s.get("n_edges"))), "lineage edges (child → parent)"),
        Card(Kpi("lineage.n_families", fmt_num(s.get("n_families"))), "families (roots with descendants)"),
    ]
    top = wh.df("select root_id, n_descendants from marts.model_families order by n_descendants desc, root_id limit 1")
    if not top.empty:
        cards.append(
            Card(
                Kpi("lineage.largest_family", fmt_num(top.n_descendants.iloc[0])),
                f"descendants of the largest family, {top.root_id.iloc[0]}",
            )
        )
    cards.append(Card(Kpi("lineage.depth_max", fmt_num(s.get("depth_max"))), "deepest lineage (edges to a root)"))
    cards.append(
        Card(
            Kpi("lineage.restrictive_to_permissive", fmt_num(s.get("n_edges_restrictive_to_permissive"))),
            "restrictive → permissive edges",
            href="#license-drift",
        )
    )
    return cards


def _top_families(wh: Warehouse):
    cols = ("root_id", "n_descendants", *(f"n_{r}" for r in RELATIONS))
    if not wh.has("model_families", columns=cols):
        return None
    df = wh.df(f"select * from marts.model_families order by n_descendants desc, root_id limit {TOP_FAMILIES}")
    return None if df.empty else df


def families_treemap(wh: Warehouse) -> Chart | Note:
    """Root → relation → members, the largest families (members counted by the relation
    of the edge they enter the family by, so a family's tiles add up to its size)."""
    df = _top_families(wh)
    if df is None:
        return Note("marts.model_families")
    ids, labels, parents, values, colors, hover = [], [], [], [], [], []
    for r in df.itertuples():
        counts = {rel: int(getattr(r, f"n_{rel}")) for rel in RELATIONS}
        ids.append(f"family:{r.root_id}")
        labels.append(r.root_id)
        parents.append("")
        values.append(sum(counts.values()))
        colors.append("#e6e9ee")
        hover.append(f"{r.root_id}: {sum(counts.values()):,} descendants")
        for rel, n in counts.items():
            if n:
                ids.append(f"family:{r.root_id}/{rel}")
                labels.append(rel)
                parents.append(f"family:{r.root_id}")
                values.append(n)
                colors.append(RELATION_COLORS[rel])
                hover.append(f"{r.root_id} · {rel}: {n:,}")
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker=dict(colors=colors, line=dict(width=1, color="#ffffff")),
            text=hover,
            textinfo="label+value",
            hovertext=hover,
            hoverinfo="text",
            tiling=dict(pad=2),
            pathbar=dict(visible=False),
            root=dict(color="#ffffff"),
        )
    )
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return charts.figure_html(fig, "lineage-families", height=560)


def family_table(wh: Warehouse) -> Table | Note:
    df = _top_families(wh)
    if df is None:
        return Note("marts.model_families")
    has = set(df.columns)
    extra = [c for c in ("organisation", "n_children", "max_depth") if c in has]
    rows = []
    for r in df.itertuples():
        size = fmt_num(r.n_descendants)
        row = [r.root_id + ("" if getattr(r, "root_listed", True) else " (not listed)")]
        row += [r.organisation] if "organisation" in has else []
        row += [size] + [fmt_num(getattr(r, c)) for c in extra if c != "organisation"]
        row += [fmt_num(getattr(r, f"n_{rel}")) for rel in RELATIONS]
        rows.append(row)
    headers = (
        ["root"]
        + (["organisation"] if "organisation" in has else [])
        + ["descendants"]
        + [{"n_children": "children", "max_depth": "max depth"}[c] for c in extra if c != "organisation"]
        + list(RELATIONS)
    )
    return Table(headers, rows, left=1 + ("organisation" in has))


def family_sizes(wh: Warehouse) -> Chart | Note:
    if not wh.has("model_families", columns=("n_descendants",)):
        return Note("marts.model_families")
    df = wh.df("select n_descendants as v, count(*) as n from marts.model_families group by all")
    x, p = charts.ccdf_points(df.v.to_numpy(), df.n.to_numpy())
    if not len(x):
        return Note("Family sizes", "no family")
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=p,
            mode="lines+markers",
            name="families",
            marker=dict(size=5, color=charts.COLORS["model"]),
            line=dict(width=1.5, color=charts.COLORS["model"]),
            hovertemplate="P(size ≥ %{x:,}) = %{y:.3g}<extra></extra>",
        )
    )
    charts.log_axes(fig)
    fig.update_xaxes(title_text="family size (descendants of the root)", dtick=charts.log_dtick(float(x.max())))
    fig.update_yaxes(title_text="P(X ≥ x)")
    fig.update_layout(showlegend=False, margin=dict(t=30))
    return charts.figure_html(fig, "lineage-family-sizes", height=420)


def relations(wh: Warehouse) -> dict | Note:
    """{chart, table}: edges by relation and by where they are declared."""
    if not wh.has("model_lineage", columns=("relation", "source")):
        return Note("marts.model_lineage")
    df = wh.df("select relation, source, count(*) as n from marts.model_lineage group by all")
    total = int(df.n.sum())
    present = [r for r in RELATIONS if (df.relation == r).any()] + [
        r for r in dict.fromkeys(df.relation) if r not in RELATIONS
    ]
    sources = [s for s in ("tag", "card", "both") if (df.source == s).any()]
    fig = go.Figure()
    for src in sources:
        sub = df[df.source == src].set_index("relation").n
        counts = [int(sub.get(r, 0)) for r in present]
        fig.add_trace(
            go.Bar(
                x=[c / total for c in counts],
                y=present,
                orientation="h",
                name=f"declared in {'tag and card' if src == 'both' else src}",
                marker_color=SOURCE_COLORS[src],
                customdata=counts,
                hovertemplate=f"%{{y}} ({src}): %{{customdata:,}} edges, %{{x:.1%}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_xaxes(title_text="share of lineage edges", tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    by_rel = df.groupby("relation").n.sum()
    rows = [
        [
            rel,
            fmt_num(int(by_rel.get(rel, 0))),
            Kpi(f"lineage.share_relation.{rel}", fmt_share(by_rel.get(rel, 0) / total)),
        ]
        for rel in present
    ]
    rows.append(["all", fmt_num(total), fmt_share(1.0)])
    return {
        "chart": charts.figure_html(fig, "lineage-relations", height=340),
        "table": Table(["relation", "edges", "share"], rows),
    }


def organisations(wh: Warehouse) -> Table | Note:
    cols = ("organisation", "n_models", "n_descendants", "n_descendants_by_others", "share_of_derived_models", "rank")
    if not wh.has("organisation_derivatives", columns=cols):
        return Note("marts.organisation_derivatives")
    df = wh.df(f"select * from marts.organisation_derivatives where rank <= {TOP_ORGANISATIONS} order by rank")
    if df.empty:
        return Note("Derivatives by organisation", "no organisation has a descendant")
    rows = []
    for r in df.itertuples():
        top = r.rank == 1
        rows.append(
            [
                fmt_num(r.rank),
                r.organisation,
                fmt_num(r.n_models),
                Kpi("lineage.top_organisation.n_descendants", fmt_num(r.n_descendants))
                if top
                else fmt_num(r.n_descendants),
                fmt_num(r.n_descendants_by_others),
                fmt_share(r.share_of_derived_models),
            ]
        )
    return Table(
        ["rank", "organisation", "models", "descendants", "by others", "share of derived models"], rows, left=2
    )


def license_drift(wh: Warehouse) -> Table | Note:
    """Edges per (parent class → child class), relations as columns; restrictive parents
    relabelled permissive or unlicensed highlighted."""
    cols = ("relation", "parent_license_class", "child_license_class", "n_edges", "n_license_changed")
    if not wh.has("lineage_license_drift", columns=cols):
        return Note("marts.lineage_license_drift")
    df = wh.df("select * from marts.lineage_license_drift")
    if df.empty:
        return Note("License drift", "no edge has a listed parent")
    classes = ("permissive", "restrictive", "none", "unclassified")
    order = {c: i for i, c in enumerate(classes)}
    present = [r for r in RELATIONS if (df.relation == r).any()]
    pairs = (
        df.groupby(["parent_license_class", "child_license_class"], as_index=False)[
            ["n_edges", "n_license_changed"] + (["n_license_dropped"] if "n_license_dropped" in df else [])
        ]
        .sum()
        .sort_values(
            ["parent_license_class", "child_license_class"], key=lambda s: s.map(lambda c: order.get(c, len(order)))
        )
    )
    rows, flagged = [], []
    for i, r in enumerate(pairs.itertuples()):
        pair = (r.parent_license_class, r.child_license_class)
        sub = df[(df.parent_license_class == pair[0]) & (df.child_license_class == pair[1])].set_index("relation")
        n = fmt_num(r.n_edges)
        if pair in DRIFT_FLAGGED:
            flagged.append(i)
            n = Kpi(f"lineage.drift.{pair[0]}_to_{pair[1]}", n)
        rows.append(
            [
                f"{pair[0]} → {pair[1]}",
                n,
                fmt_num(r.n_license_changed),
                *([fmt_num(r.n_license_dropped)] if "n_license_dropped" in pairs else []),
                *[fmt_num(int(sub.n_edges.get(rel, 0))) for rel in present],
            ]
        )
    headers = ["parent → child class", "edges", "license changed"]
    headers += ["license dropped"] if "n_license_dropped" in pairs else []
    return Table(headers + present, rows, highlight=tuple(flagged))


def correlations(wh: Warehouse) -> Table | Note:
    df = wh.mart("lineage_correlations", columns=("population", "var_y", "method", "r"))
    if df is None:
        return Note("marts.lineage_correlations")
    df = df.drop(columns=[c for c in ("var_x",) if c in df.columns])
    order = {"all_models": 0, "with_descendants": 1, "n_likes": 0, "n_downloads": 1, "n_usage_spaces": 2}
    df = df.sort_values(["population", "var_y"], key=lambda s: s.map(lambda v: order.get(v, 9)), kind="stable")
    return _correlation_table(df.rename(columns={"var_y": "descendants_vs"}))
