-- The warehouse's own value of each published RQ2 figure, keyed like the
-- published_figures seed (measure, repo_type, network, k); see _intermediate__rq2.yml.
-- NULL, not 0, when the crawl fetched no model's commits (the network is unknown), and
-- usernames_merged NULL when it fetched no commits or discussions at all.
with fetched as (
    select
        count(*) filter (where repo_type = 'model' and resource = 'commits') > 0 as model_commits,
        count(*) > 0 as any_authors
    from {{ ref('stg_hf_hub__fetch_log') }}
    where status = 'ok'
),

summary as (
    select * from {{ ref('collab_summary') }}
),

kcore as (
    select * from {{ ref('collab_kcore') }}
),

summary_long as (
    unpivot (
        select
            network,
            cast(isolate_share as double) as isolate_share,
            cast(non_isolates as double) as non_isolates,
            cast(degree_mean as double) as "degree.mean",
            cast(degree_sd as double) as "degree.sd",
            cast(degree_median as double) as "degree.median",
            cast(degree_max as double) as "degree.max",
            cast(pagerank_mean as double) as "pagerank.mean",
            cast(pagerank_sd as double) as "pagerank.sd",
            cast(pagerank_median as double) as "pagerank.median",
            cast(pagerank_max as double) as "pagerank.max"
        from summary
    )
    on columns(* exclude (network))
    into name measure value warehouse_value
),

kcore_long as (
    unpivot (
        select
            network,
            k,
            is_max_k,
            cast(nodes as double) as "kcore.nodes",
            cast(edges as double) as "kcore.edges",
            cast(modularity as double) as "kcore.modularity",
            cast(communities as double) as "kcore.communities",
            cast(density as double) as "kcore.density",
            cast(reciprocity as double) as "kcore.reciprocity",
            cast(rich_club as double) as "kcore.rich_club",
            cast(assortativity as double) as "kcore.assortativity",
            cast(avg_degree as double) as "kcore.avg_degree",
            cast(avg_clustering as double) as "kcore.avg_clustering"
        from kcore
    )
    on columns(* exclude (network, k, is_max_k))
    into name measure value warehouse_value
),

published_max_k as (
    -- the paper's maximal k per network (the k-core rows other than 1, 5 and 10)
    select network, max(k) as k
    from {{ ref('published_figures') }}
    where measure like 'kcore.%' and k is not null and k not in (1, 5, 10)
    group by network
),

merged_seen as (
    -- aliases actually replaced somewhere (a seed merge of a name never seen merges nobody)
    select distinct m.alias
    from {{ ref('int_identity_map') }} as m
    where
        m.alias in (select ca.author from {{ ref('int_commit_authors_filtered_to_latest_fetch') }} as ca)
        or m.alias in (
            select d.author from {{ ref('int_discussions_filtered_to_latest_fetch') }} as d
            where d.author is not null
        )
),

figures as (
    select
        'n_developers' as measure, cast(null as varchar) as repo_type, cast(null as varchar) as network,
        cast(null as integer) as k, cast(developers as double) as warehouse_value
    from summary where network = 'all'
    union all
    -- the published summary figures are for the network of all models only
    select measure, null, network, null, warehouse_value from summary_long where network = 'all'
    union all
    select measure, null, network, cast(k as integer), warehouse_value from kcore_long
    where not (is_max_k and k not in (1, 5, 10))
    union all
    -- the maximal core is compared with the paper's maximal core, whatever the two k are
    select kl.measure, null, kl.network, cast(p.k as integer), kl.warehouse_value
    from kcore_long as kl
    inner join published_max_k as p on kl.network = p.network
    where kl.is_max_k
    union all
    select 'kcore.max_k', null, network, null, cast(max(k) filter (where is_max_k) as double)
    from kcore group by network
)

select
    f.measure, f.repo_type, f.network, f.k,
    case when (select fe.model_commits from fetched as fe) then f.warehouse_value end as warehouse_value
from figures as f
union all
select
    'usernames_merged', null, null, null,
    case when (select fe.any_authors from fetched as fe) then cast(count(*) as double) end
from merged_seen
