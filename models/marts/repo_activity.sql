-- RQ1 activity per repo (docs/methods.md §2, §8), one row per listed (repo_type, repo_id).
-- n_* are NULL, not 0, where the data is missing: commits columns unless the latest commits
-- fetch is ok, discussions columns unless the discussions fetch is ok, n_community unless
-- both are, n_downloads for spaces, n_usage_spaces for datasets and spaces and for models
-- when no space was ever listed (spaces not crawled).
with spaces_crawled as (
    select count(*) > 0 as any_space from {{ ref('stg_hf_hub__spaces') }}
),

-- the models-only tables with repo_type as a column: `on r.repo_type = 'model' and r.repo_id = ...`
-- made DuckDB 1.4 plan a nested-loop join (repos x models: hours at today's 4 M repos); a pair of
-- columns is a hash join
model_usage as (
    select 'model' as repo_type, model_id, n_usage_spaces from {{ ref('int_model_usage_counted') }}
),

model_lineage as (
    select 'model' as repo_type, model_id, n_parents, n_children, n_descendants, depth
    from {{ ref('int_model_lineage_nodes') }}
),

model_sizes as (
    select 'model' as repo_type, model_id, parameters, size_class from {{ ref('int_model_sizes') }}
),

fetch_status as (
    select
        repo_type,
        repo_id,
        max(case when resource = 'commits' then status end) as commits_status,
        max(case when resource = 'discussions' then status end) as discussions_status
    from {{ ref('stg_hf_hub__fetch_log') }}
    group by repo_type, repo_id
)

select
    r.repo_type,
    r.repo_id,
    r.author,
    r.created_at,
    r.last_modified,
    l.license,
    l.license_class,
    r.likes as n_likes,
    r.downloads as n_downloads,
    d.n_discussions,
    d.n_disc_starters,
    c.n_commits,
    c.n_committers,
    m.n_community,
    case
        when r.repo_type = 'model' and (select sc.any_space from spaces_crawled as sc)
            then coalesce(u.n_usage_spaces, 0)
    end as n_usage_spaces,
    -- docs/methods.md §2: the license comparison keeps repos without a license and repos whose
    -- license is used by at least var('license_min_repos') repos of the same type
    (
        l.license is null
        or count(*) over (partition by r.repo_type, l.license) >= {{ var('license_min_repos') }}
    ) as in_license_comparison,
    coalesce(f.commits_status, 'not_fetched') as fetch_status_commits,
    coalesce(f.discussions_status, 'not_fetched') as fetch_status_discussions,
    -- lineage (docs/methods.md §9), models only
    case when r.repo_type = 'model' then coalesce(g.n_parents, 0) end as n_parents,
    case when r.repo_type = 'model' then coalesce(g.n_children, 0) end as n_children,
    case when r.repo_type = 'model' then coalesce(g.n_descendants, 0) end as n_descendants,
    case when r.repo_type = 'model' then coalesce(g.depth, 0) end as lineage_depth,
    -- model size (docs/methods.md §12), models only
    z.parameters,
    z.size_class,
    -- docs/methods.md §10: all-time downloads, recorded in history (they can go down)
    r.downloads_all_time
from {{ ref('int_repos_unioned') }} as r
left join {{ ref('int_repo_licenses') }} as l
    on r.repo_type = l.repo_type and r.repo_id = l.repo_id
left join {{ ref('int_repo_commits_counted') }} as c
    on r.repo_type = c.repo_type and r.repo_id = c.repo_id
left join {{ ref('int_repo_discussions_counted') }} as d
    on r.repo_type = d.repo_type and r.repo_id = d.repo_id
left join {{ ref('int_repo_community_counted') }} as m
    on r.repo_type = m.repo_type and r.repo_id = m.repo_id
left join model_usage as u
    on r.repo_type = u.repo_type and r.repo_id = u.model_id
left join fetch_status as f
    on r.repo_type = f.repo_type and r.repo_id = f.repo_id
left join model_lineage as g
    on r.repo_type = g.repo_type and r.repo_id = g.model_id
left join model_sizes as z
    on r.repo_type = z.repo_type and r.repo_id = z.model_id
