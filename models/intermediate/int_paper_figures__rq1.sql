-- The warehouse's own value of each published RQ1 figure (§3.3, §4.1, Tables 2–4, §5.2),
-- keyed like seed published_figures (measure, repo_type, network, k). Definitions where the
-- paper is terse: single_contributor_share = share of models (with known n_committers) having
-- exactly one committer; models_over_1m_downloads = models with more than 1,000,000 downloads;
-- license_share_of_licensed.cc-by-4.0-family = share of licensed repos under any cc-*-4.0
-- license; license_comparison_repos = models in the license comparison (no license, or a
-- license used by >= var('license_min_repos') models); zero_share.n_downloads_exact is the
-- same figure as zero_share.n_downloads (the paper gives it with more digits).
with published as (
    select distinct measure, repo_type from {{ ref('published_figures') }}
),

summary_long as (
    {% for stat in ['mean', 'std', 'min', 'p25', 'p50', 'p75', 'max', 'zero_share'] %}
        select '{{ stat }}.' || activity as measure, repo_type, cast({{ stat }} as double) as value
        from {{ ref('activity_summary') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

pareto as (
    select
        'pareto_' || cast(round(threshold * 100) as integer) || '.' || activity as measure,
        repo_type,
        repo_share as value
    from {{ ref('activity_pareto') }}
),

per_type as (
    select
        repo_type,
        count(*) as n_repos,
        count(*) filter (where n_downloads > 1000000) as n_over_1m,
        cast(count(*) filter (where n_committers = 1) as double) / nullif(count(n_committers), 0)
            as single_contributor_share,
        count(*) filter (where in_license_comparison) as n_license_comparison
    from {{ ref('repo_activity') }}
    group by repo_type
),

licenses as (
    select 'no_license_share' as measure, repo_type, share_of_repos as value
    from {{ ref('license_shares') }}
    where license is null
    union all
    select 'license_share_of_licensed.' || license, repo_type, share_of_licensed
    from {{ ref('license_shares') }}
    where license is not null
    union all
    select 'license_share_of_licensed.cc-by-4.0-family', repo_type, sum(share_of_licensed)
    from {{ ref('license_shares') }}
    where lower(license) like 'cc-%4.0'
    group by repo_type
),

correlations as (
    select 'pearson.' || var_x || '~' || var_y as measure, scope as repo_type, r as value
    from {{ ref('activity_correlations') }}
    where method = 'pearson' and scope in ('model', 'dataset', 'space')
),

top_committers as (
    select 'top_committers.' || repo_id as measure, repo_type, cast(n_committers as double) as value
    from {{ ref('repo_activity') }}
),

computed as (
    select measure, repo_type, value from summary_long
    union all
    select measure || '_exact', repo_type, value
    from summary_long where measure = 'zero_share.n_downloads'
    union all
    select measure, repo_type, value from pareto
    union all
    select 'n_repos', repo_type, n_repos from per_type
    union all
    select 'models_over_1m_downloads', repo_type, n_over_1m from per_type where repo_type = 'model'
    union all
    select 'single_contributor_share', repo_type, single_contributor_share from per_type
    union all
    select 'license_comparison_repos', repo_type, n_license_comparison from per_type where repo_type = 'model'
    union all
    select measure, repo_type, value from licenses
    union all
    select measure, repo_type, value from correlations
    union all
    select measure, repo_type, value from top_committers
)

-- only the published (measure, repo_type) keys, so the table stays small
select
    c.measure,
    c.repo_type,
    cast(null as varchar) as network,
    cast(null as integer) as k,
    cast(c.value as double) as warehouse_value
from computed as c
inner join published as p
    on c.measure = p.measure and c.repo_type = p.repo_type
