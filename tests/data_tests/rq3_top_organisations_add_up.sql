-- RQ3 invariant: the organisation counts of a ranking add up to its top size, which
-- is min(100, models in the ranking). Returns the rankings that do not.
with sizes as (
    select subfield, 'used' as ranking, least(100, count(*)) as expected_size
    from {{ ref('model_adoption') }}
    group by subfield
    union all
    select subfield, 'co_used', least(100, count(*))
    from {{ ref('model_adoption') }}
    where co_usage_degree > 0
    group by subfield
),

totals as (
    select
        subfield, ranking, sum(n_models_in_top_100) as total, min(top_size) as top_size,
        max(top_size) as top_size_max
    from {{ ref('top_organisations') }}
    group by subfield, ranking
)

select s.*, t.total, t.top_size, t.top_size_max
from sizes as s
full outer join totals as t on s.subfield = t.subfield and s.ranking = t.ranking
where
    t.total is distinct from s.expected_size
    or t.top_size is distinct from s.expected_size
    or t.top_size_max is distinct from s.expected_size
