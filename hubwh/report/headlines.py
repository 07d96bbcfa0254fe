"""`hubwh report` without --html: the headline findings of RQ1-RQ3 as rich tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from hubwh.report import health as health_page
from hubwh.report import lineage as lineage_page
from hubwh.report import over_time as over_time_page
from hubwh.report.collaboration import kcore_cell
from hubwh.report.data import NETWORKS, REPO_TYPES, Warehouse, activity_order
from hubwh.report.layout import fmt_num, fmt_p, fmt_share, label
from hubwh.report.snapshot import snapshot_info


def _missing(console: Console, what: str) -> None:
    console.print(f"[yellow]{what}: not computed in this snapshot[/yellow]")


def print_headlines(db_path: str | Path, console: Console | None = None) -> None:
    console = console or Console()
    with Warehouse(db_path) as wh:
        info = snapshot_info(wh)
        console.print(f"[bold]Snapshot[/bold] {info.taken_at or 'of unknown date'} · {info.scope_text}")
        raw = ", ".join(
            f"{n:,} {t}"
            for t, n in info.raw_counts.items()
            if n is not None and t in ("models", "datasets", "spaces", "commits", "discussions")
        )
        if raw:
            console.print(f"raw rows: {raw}")
        for part in (
            zero_shares,
            pareto_shares,
            license_shares,
            mwu_directions,
            collaboration,
            kcores,
            top_models,
            top_organisations,
            lineage,
            health,
            over_time,
        ):
            part(wh, console)


def zero_shares(wh: Warehouse, console: Console) -> None:
    df = wh.mart("activity_summary", columns=("repo_type", "activity", "zero_share"))
    if df is None:
        return _missing(console, "RQ1 zero shares (marts.activity_summary)")
    acts = sorted(df.activity.unique(), key=activity_order)
    t = Table(title="RQ1 · share of repos with zero activity", title_justify="left")
    t.add_column("repo type")
    for a in acts:
        t.add_column(label(a), justify="right")
    for rt in REPO_TYPES:
        sub = df[df.repo_type == rt]
        if len(sub):
            t.add_row(
                rt,
                *[
                    fmt_share(sub[sub.activity == a].zero_share.iloc[0]) if (sub.activity == a).any() else ""
                    for a in acts
                ],
            )
    console.print(t)


def pareto_shares(wh: Warehouse, console: Console) -> None:
    df = wh.mart("activity_pareto", columns=("repo_type", "activity", "threshold", "repo_share"))
    if df is None:
        return _missing(console, "RQ1 Pareto shares (marts.activity_pareto)")
    thresholds = sorted(df.threshold.dropna().unique())
    t = Table(title="RQ1 · share of repos holding 80 % / 99 % of each activity (Pareto shares)", title_justify="left")
    t.add_column("repo type")
    t.add_column("activity")
    for th in thresholds:
        t.add_column(f"{th:.0%}", justify="right")
    if "gini" in df.columns:
        t.add_column("Gini", justify="right")
    for rt in REPO_TYPES:
        sub = df[df.repo_type == rt]
        for a in sorted(sub.activity.unique(), key=activity_order):
            s = sub[sub.activity == a]
            row = [rt, label(a)]
            for th in thresholds:
                hit = s[np.isclose(s.threshold, th)]
                row.append(fmt_share(hit.repo_share.iloc[0]) if len(hit) else "")
            if "gini" in df.columns:
                row.append(fmt_num(s.gini.iloc[0], 3))
            t.add_row(*row)
    console.print(t)


def license_shares(wh: Warehouse, console: Console) -> None:
    if not wh.has("repo_activity", columns=("repo_type", "license")):
        return _missing(console, "RQ1 license shares (marts.repo_activity)")
    none = wh.df(
        "select repo_type, avg(case when license is null then 1.0 else 0.0 end) as s "
        "from marts.repo_activity group by repo_type"
    )
    t = Table(title="RQ1 · licenses", title_justify="left")
    t.add_column("repo type")
    t.add_column("no license", justify="right")
    t.add_column("top licenses among licensed repos")
    shares = wh.mart("license_shares", columns=("repo_type", "license", "share_of_licensed"))
    for rt in REPO_TYPES:
        hit = none[none.repo_type == rt]
        if hit.empty:
            continue
        top = ""
        if shares is not None:
            s = (
                shares[(shares.repo_type == rt) & shares.license.notna()]
                .sort_values("share_of_licensed", ascending=False)
                .head(4)
            )
            top = ", ".join(f"{r.license} {fmt_share(r.share_of_licensed, 0)}" for _, r in s.iterrows())
        t.add_row(rt, fmt_share(hit.s.iloc[0]), top)
    console.print(t)


def mwu_directions(wh: Warehouse, console: Console) -> None:
    df = wh.mart("license_mwu", columns=("activity", "group_a", "group_b", "p_value"))
    if df is None:
        return _missing(console, "RQ1 Mann-Whitney U by license (marts.license_mwu)")
    pairs = list(dict.fromkeys(zip(df.group_a, df.group_b)))
    t = Table(
        title="RQ1 · more active license class, models (Mann-Whitney U; rank-biserial r; p < 0.001 unless shown)",
        title_justify="left",
    )
    t.add_column("activity")
    for a, b in pairs:
        t.add_column(f"{a} vs {b}")
    for act in sorted(df.activity.unique(), key=activity_order):
        row = [label(act)]
        for a, b in pairs:
            hit = df[(df.activity == act) & (df.group_a == a) & (df.group_b == b)]
            if hit.empty:
                row.append("")
                continue
            r = hit.iloc[0]
            rb = r.get("rank_biserial")
            if rb is None or np.isnan(rb):
                med_a, med_b = r.get("median_a"), r.get("median_b")
                rb = 0.0 if med_a is None else float(np.sign((med_a or 0) - (med_b or 0)))
            winner = a if rb > 0 else b if rb < 0 else "tie"
            significant = r.p_value is not None and float(r.p_value) < 0.001
            row.append(f"{winner} {rb:+.2f}" + ("" if significant else f" (p {fmt_p(r.p_value)})"))
        t.add_row(*row)
    console.print(t)


def collaboration(wh: Warehouse, console: Console) -> None:
    df = wh.mart("collab_summary", columns=("network", "isolate_share"))
    if df is None:
        return _missing(console, "RQ2 collaboration (marts.collab_summary)")
    cols = [
        c
        for c in ("developers", "isolate_share", "non_isolates", "edges", "degree_mean", "degree_max")
        if c in df.columns
    ]
    t = Table(
        title="RQ2 · collaboration networks (isolates: developers who never commit with anyone else)",
        title_justify="left",
    )
    t.add_column("network")
    for c in cols:
        t.add_column(c.replace("_", " "), justify="right")
    for net in [n for n in NETWORKS if (df.network == n).any()]:
        r = df[df.network == net].iloc[0]
        t.add_row(
            net, *[fmt_share(r[c]) if c.endswith("share") else fmt_num(r[c], 4 if "pagerank" in c else 2) for c in cols]
        )
    console.print(t)


def kcores(wh: Warehouse, console: Console) -> None:
    df = wh.mart("collab_kcore", columns=("network", "k", "nodes", "edges"))
    if df is None:
        return _missing(console, "RQ2 k-cores (marts.collab_kcore)")
    cols = [c for c in ("nodes", "edges", "modularity", "communities", "reciprocity", "avg_degree") if c in df.columns]
    t = Table(title="RQ2 · k-cores (k = 1 and the maximal k)", title_justify="left")
    t.add_column("network")
    t.add_column("k", justify="right")
    for c in cols:
        t.add_column(c.replace("_", " "), justify="right")
    for net in [n for n in NETWORKS if (df.network == n).any()]:
        sub = df[df.network == net].sort_values("k")
        if "is_max_k" in sub.columns and sub.is_max_k.fillna(False).astype(bool).any():
            top_k = sub[sub.is_max_k.fillna(False).astype(bool)].k.max()
        else:
            top_k = sub[sub.nodes.fillna(0) > 0].k.max()
        picks = sub[(sub.k == sub.k.min()) | (sub.k == top_k)]
        for _, r in picks.iterrows():
            t.add_row(net, f"{int(r.k)}" + (" (max)" if r.k == top_k else ""), *[kcore_cell(c, r[c]) for c in cols])
    console.print(t)


def top_models(wh: Warehouse, console: Console) -> None:
    if not wh.has("model_adoption", columns=("subfield", "model_id", "n_spaces")):
        return _missing(console, "RQ3 model usage (marts.model_adoption)")
    org = ", organisation" if wh.has("model_adoption", columns=("organisation",)) else ", null as organisation"
    co = ", co_usage_degree" if wh.has("model_adoption", columns=("co_usage_degree",)) else ", null as co_usage_degree"
    order = "usage_position" if wh.has("model_adoption", columns=("usage_position",)) else "n_spaces desc, model_id"
    df = wh.df(
        f"select model_id{org}, n_spaces{co} from marts.model_adoption "
        f"where subfield = 'all' and n_spaces > 0 order by {order} limit 10"
    )
    if df.empty:
        return _missing(console, "RQ3 model usage (no space declares a model)")
    t = Table(title="RQ3 · most used models (spaces using them)", title_justify="left")
    for c, j in (("model", "left"), ("organisation", "left"), ("spaces", "right"), ("co-used models", "right")):
        t.add_column(c, justify=j)
    for _, r in df.iterrows():
        t.add_row(r.model_id, str(r.organisation or ""), fmt_num(r.n_spaces), fmt_num(r.co_usage_degree))
    console.print(t)


def top_organisations(wh: Warehouse, console: Console) -> None:
    df = wh.mart("top_organisations", columns=("subfield", "ranking", "organisation", "n_models_in_top_100"))
    if df is None:
        return _missing(console, "RQ3 organisations (marts.top_organisations)")
    t = Table(title="RQ3 · organisations with most models among the top 100 (all spaces)", title_justify="left")
    t.add_column("ranking")
    t.add_column("organisations (models in the top 100)")
    for rk in dict.fromkeys(df.ranking):
        sub = (
            df[(df.subfield == "all") & (df.ranking == rk)]
            .sort_values(["n_models_in_top_100", "organisation"], ascending=[False, True])
            .head(6)
        )
        t.add_row(
            str(rk).replace("_", "-"),
            ", ".join(f"{r.organisation} {int(r.n_models_in_top_100)}" for _, r in sub.iterrows()),
        )
    console.print(t)


def lineage(wh: Warehouse, console: Console) -> None:
    """docs/methods.md §9: share with a parent, largest family, top organisation, license drift."""
    if not lineage_page.has_lineage(wh):
        return _missing(console, f"Lineage ({lineage_page.NO_LINEAGE})")
    s = lineage_page.summary(wh)
    t = Table(title="Lineage · the model tree (base_model tags and cards)", title_justify="left")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_column("")
    if s:
        t.add_row(
            "share of models with a parent",
            fmt_share(s.get("share_with_parent")),
            f"{fmt_num(s.get('n_models_with_parent'))} of {fmt_num(s.get('n_models'))} models",
        )
    if wh.has("model_families", columns=("root_id", "n_descendants")):
        top = wh.df(
            "select root_id, n_descendants from marts.model_families order by n_descendants desc, root_id limit 1"
        )
        if not top.empty:
            t.add_row("largest family (descendants)", fmt_num(top.n_descendants.iloc[0]), str(top.root_id.iloc[0]))
    if wh.has("organisation_derivatives", columns=("organisation", "n_descendants", "rank")):
        org = wh.df("select organisation, n_descendants from marts.organisation_derivatives order by rank limit 1")
        if not org.empty:
            t.add_row(
                "top organisation by descendants", fmt_num(org.n_descendants.iloc[0]), str(org.organisation.iloc[0])
            )
    if s:
        t.add_row("restrictive → permissive edges", fmt_num(s.get("n_edges_restrictive_to_permissive")), "")
        t.add_row("restrictive → unlicensed edges", fmt_num(s.get("n_edges_restrictive_to_none")), "")
    console.print(t)


def health(wh: Warehouse, console: Console) -> None:
    """docs/methods.md §11, §12: one-person repos, onion, journeys, elephant factors, size vs activity."""
    if not health_page.has_health(wh):
        return _missing(console, "Community health (marts.repo_health)")
    t = Table(title="Health · absence factor, onion, journeys (per repo type)", title_justify="left")
    for column in ("repo type", "multi-developer repos", "absence factor 1", "core", "regular", "casual", "journeys"):
        t.add_column(column, justify="left" if column == "repo type" else "right")
    shares, onion = health_page.one_person_shares(wh), health_page.onion_counts(wh).fillna(0)
    journeys = wh.df("select repo_type, sum(n_discussion_to_commit) as j from marts.repo_health group by all")
    journeys = journeys.set_index("repo_type").j
    for rt in REPO_TYPES:
        if rt not in onion.index:
            continue
        total = float(onion.loc[rt, list(health_page.ROLES)].sum()) or float("nan")
        t.add_row(
            rt,
            fmt_num(shares.n_multi.get(rt, 0)),
            fmt_share(shares.share_one.get(rt)),
            *[fmt_share(onion.loc[rt, role] / total) for role in ("core", "regular", "casual")],
            fmt_num(journeys.get(rt)),
        )
    console.print(t)
    if wh.has("elephant_factor", columns=("repo_type", "activity", "elephant_factor", "top_organisations")):
        ef = wh.df("select * from marts.elephant_factor order by repo_type, activity")
        t = Table(title="Health · elephant factor (organisations holding half)", title_justify="left")
        for column in ("repo type", "activity", "elephant factor", "organisations", "the elephants"):
            t.add_column(column, justify="right" if column in ("elephant factor", "organisations") else "left")
        for r in ef.itertuples():
            top = list(r.top_organisations)
            t.add_row(
                r.repo_type,
                r.activity,
                fmt_num(r.elephant_factor),
                fmt_num(r.n_organisations),
                ", ".join(top[:4]) + (" …" if len(top) > 4 else ""),
            )
        console.print(t)
    if wh.has("model_size_tests", columns=("activity", "n", "spearman_r", "spearman_p", "kruskal_p")):
        df = wh.df("select * from marts.model_size_tests")
        t = Table(title="Health · model size (parameters) vs activity", title_justify="left")
        for column in ("activity", "models", "Spearman r", "p", "Kruskal–Wallis p"):
            t.add_column(column, justify="left" if column == "activity" else "right")
        for r in df.itertuples():
            r_text = fmt_num(r.spearman_r, 3)
            t.add_row(label(r.activity), fmt_num(r.n), r_text, fmt_p(r.spearman_p), fmt_p(r.kruskal_p))
        console.print(t)


def over_time(wh: Warehouse, console: Console) -> None:
    """docs/methods.md §10: the last months of model activity, the network's first and last quarter,
    and the biggest gainers once two refreshes are recorded."""
    df = wh.mart("activity_monthly", columns=over_time_page.MONTHLY, where="repo_type = 'model'", order="month")
    if df is None:
        return _missing(console, "Over time (marts.activity_monthly)")
    t = Table(title="Over time · model repos, the last six months", title_justify="left")
    for name in ("month", "repos created", "commits", "active developers", "new", "returning", "churned"):
        t.add_column(name, justify="left" if name == "month" else "right")
    for r in df.tail(6).itertuples():
        t.add_row(
            str(r.month)[:7],
            fmt_num(r.n_repos_created),
            fmt_num(getattr(r, "n_commits", None)),
            fmt_num(r.n_active_developers),
            fmt_num(r.n_new_developers),
            fmt_num(getattr(r, "n_returning_developers", None)),
            fmt_num(r.n_churned_developers),
        )
    console.print(t)
    tl = wh.mart("collab_timeline", columns=over_time_page.TIMELINE, order="quarter_end")
    if tl is not None:
        t = Table(title="Over time · the collaboration network, first and last quarter", title_justify="left")
        for name in ("quarter end", "developers", "isolates", "edges", "reciprocity", "maximal core"):
            t.add_column(name, justify="left" if name == "quarter end" else "right")
        for _, r in (tl.iloc[[0, -1]] if len(tl) > 1 else tl).iterrows():
            t.add_row(
                str(r.quarter_end)[:10],
                fmt_num(r.developers),
                fmt_share(r.isolate_share),
                fmt_num(r.edges),
                fmt_num(r.reciprocity, 3),
                fmt_num(r.max_core_nodes),
            )
        console.print(t)
    if over_time_page.n_refreshes(wh) >= 2:
        g = wh.mart(
            "activity_gainers", columns=over_time_page.GAINERS, where="rank <= 3", order="measure, repo_type, rank"
        )
        if g is None:
            return console.print("Over time · no repo gained likes or committers since the last refresh")
        t = Table(title="Over time · biggest gainers (top 3 per repo type)", title_justify="left")
        for name in ("measure", "repo type", "repo", "gain"):
            t.add_column(name, justify="right" if name == "gain" else "left")
        for r in g.itertuples():
            t.add_row(r.measure, r.repo_type, str(r.repo_id), fmt_num(r.gain))
        console.print(t)
