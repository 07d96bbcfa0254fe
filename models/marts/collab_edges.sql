-- The collaboration network (docs/methods.md §4), one row per (network, source, target).
-- For each model repo r with developers U(r) and each commit c of r with first author a:
--   every b in U(r), b <> a: edge a -> b gains 1;   when |U(r)| = 1: self-loop a -> a gains 1.
-- Sub-field networks repeat the construction over the model repos of that sub-field
-- (int_model_subfields); a repo in several sub-fields counts in each.
with repo_sizes as (
    select repo_id, count(*) as n_developers
    from {{ ref('int_model_repo_developers') }}
    group by repo_id
),

commit_edges as (
    -- one row per (commit, target): the commit's first author -> each developer of the repo
    select
        f.repo_id,
        f.developer as source,
        d.developer as target
    from {{ ref('int_model_commit_first_authors') }} as f
    inner join {{ ref('int_model_repo_developers') }} as d
        on f.repo_id = d.repo_id
    inner join repo_sizes as s
        on f.repo_id = s.repo_id
    where
        d.developer <> f.developer
        or s.n_developers = 1
),

repo_networks as (
    select distinct repo_id, 'all' as network from commit_edges
    union all
    select model_id as repo_id, subfield as network from {{ ref('int_model_subfields') }}
)

select
    n.network,
    e.source,
    e.target,
    count(*) as weight
from commit_edges as e
inner join repo_networks as n
    on e.repo_id = n.repo_id
group by n.network, e.source, e.target
