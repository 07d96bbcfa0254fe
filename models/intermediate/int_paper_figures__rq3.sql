-- The warehouse's own value of each published RQ3 figure (paper §4.3), keyed
-- exactly like the published_figures seed (measure, repo_type, network, k): one row
-- per RQ3 row of the seed, warehouse_value NULL when the warehouse has no such value
-- (e.g. a model id absent from the crawl). An empty network means sub-field 'all'.
--   usage.mean|median|sd|max      usage_summary
--   usage.<model id>              model_adoption.n_spaces
--   top100_used.<organisation>    top_organisations (ranking used; 0 when the
--   top100_co_used.<organisation>   organisation has no model in a non-empty top 100)
--   likes_vs_usage, downloads_vs_usage   usage_correlations, Pearson (the paper's
--                                  method, §3.5), over every listed model
with seed as (
    select distinct measure, repo_type, network, k
    from {{ ref('published_figures') }}
    where
        measure like 'usage.%'
        or measure like 'top100_used.%'
        or measure like 'top100_co_used.%'
        or measure in ('likes_vs_usage', 'downloads_vs_usage')
),

summary_values as (
    unpivot (
        select
            subfield, mean_n_spaces as mean, median_n_spaces as median,
            sd_n_spaces as sd, max_n_spaces as max
        from {{ ref('usage_summary') }}
    )
    on mean, median, sd, max
    into name stat value value
),

computed as (
    select 'usage.' || stat as measure, subfield, cast(value as double) as value
    from summary_values
    union all
    select 'usage.' || model_id, subfield, cast(n_spaces as double)
    from {{ ref('model_adoption') }}
    where model_id not in ('mean', 'median', 'sd', 'max')
    union all
    select 'top100_' || ranking || '.' || organisation, subfield, cast(n_models_in_top_100 as double)
    from {{ ref('top_organisations') }}
    union all
    select var_x || '_vs_usage', subfield, r
    from {{ ref('usage_correlations') }}
    where method = 'pearson' and population = 'listed_models' and var_y = 'n_spaces'
),

-- an organisation absent from a top 100 that exists scores 0, not NULL
rankings as (
    select distinct 'top100_' || ranking || '.' as measure_prefix, subfield
    from {{ ref('top_organisations') }}
)

select
    s.measure,
    s.repo_type,
    s.network,
    cast(s.k as integer) as k,
    coalesce(
        c.value,
        case when r.measure_prefix is not null then 0.0 end
    ) as warehouse_value
from seed as s
left join computed as c
    on s.measure = c.measure and c.subfield = coalesce(s.network, 'all')
left join rankings as r
    on starts_with(s.measure, r.measure_prefix) and r.subfield = coalesce(s.network, 'all')
