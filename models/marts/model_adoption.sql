-- Model adoption per sub-field (docs/methods.md §5, §8): one row per (subfield, model) for
-- every model used by at least one space of that sub-field's usage network.
--
-- n_spaces: usage degree (spaces using the model). co_usage_degree: distinct models
-- co-used with it; co_usage_weight: sum of those edges' weights (0 when none).
-- Ranks are dense and start at 1 within a sub-field: equal values share a rank and
-- the next value gets the next integer. usage_rank orders by n_spaces; co_usage_rank
-- by co_usage_degree (the paper's "ranked degree"); both descending.
-- usage_position / co_usage_position are 1..n orderings that break ties (used for
-- "the 100 most used / co-used"): usage by n_spaces, then co_usage_degree, then
-- model_id; co-usage by co_usage_degree, then co_usage_weight, then n_spaces, then
-- model_id. co_usage_position is NULL for models without any co-usage edge.
with pairs as (
    select space_id, model_id
    from {{ ref('int_space_model_pairs_deduplicated') }}
),

usage_edges as (
    select 'all' as subfield, space_id, model_id
    from pairs
    union all
    select s.subfield, p.space_id, p.model_id
    from pairs as p
    inner join {{ ref('int_model_subfields') }} as s on p.model_id = s.model_id
),

usage as (
    select subfield, model_id, count(*) as n_spaces
    from usage_edges
    group by subfield, model_id
),

co_usage_ends as (
    select subfield, model_a as model_id, n_spaces from {{ ref('model_co_usage') }}
    union all
    select subfield, model_b as model_id, n_spaces from {{ ref('model_co_usage') }}
),

co_usage as (
    select subfield, model_id, count(*) as co_usage_degree, cast(sum(n_spaces) as bigint) as co_usage_weight
    from co_usage_ends
    group by subfield, model_id
),

joined as (
    select
        u.subfield,
        u.model_id,
        m.organisation,
        m.namespace,
        m.model_exists,
        u.n_spaces,
        coalesce(c.co_usage_degree, 0) as co_usage_degree,
        coalesce(c.co_usage_weight, 0) as co_usage_weight
    from usage as u
    inner join {{ ref('int_used_models') }} as m on u.model_id = m.model_id
    left join co_usage as c on u.subfield = c.subfield and u.model_id = c.model_id
)

select
    *,
    dense_rank() over (partition by subfield order by n_spaces desc) as usage_rank,
    dense_rank() over (partition by subfield order by co_usage_degree desc) as co_usage_rank,
    row_number() over (
        partition by subfield order by n_spaces desc, co_usage_degree desc, model_id asc
    ) as usage_position,
    case when co_usage_degree > 0 then row_number() over (
        partition by subfield, co_usage_degree > 0
        order by co_usage_degree desc, co_usage_weight desc, n_spaces desc, model_id asc
    ) end as co_usage_position
from joined
