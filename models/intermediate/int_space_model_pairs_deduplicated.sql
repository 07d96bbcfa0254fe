-- The space → model usage edges (docs/methods.md §5), one row per distinct (space, model):
-- the current pairs of int_space_model_pairs_filtered_to_latest_listing (one row per pair) of spaces
-- still listed (a space a full sweep no longer lists uses nothing any more; the
-- same rule as repo_activity.n_usage_spaces), with the number of models the space
-- lists and whether the space takes part in the co-usage networks.
--
-- Co-usage guard: a space listing m models yields m(m−1)/2 model pairs, so the few
-- spaces that list hundreds of models (leaderboards, model zoos) would dominate the
-- co-usage network and its cost. A space listing more than
-- var('co_usage_max_models_per_space') models (default 500; null = no cap) is left
-- out of every co-usage network (its usage edges still count in n_spaces).
{% set cap = var('co_usage_max_models_per_space', 500) %}

with pairs as (
    select sm.space_id, sm.model_id, sm.model_position
    from {{ ref('int_space_model_pairs_filtered_to_latest_listing') }} as sm
    inner join {{ ref('stg_hf_hub__spaces') }} as s
        on sm.space_id = s.repo_id
    where coalesce(s.is_listed, true)
),

space_sizes as (
    select space_id, count(*) as n_models_in_space
    from pairs
    group by space_id
)

select
    p.space_id,
    p.model_id,
    p.model_position,
    s.n_models_in_space,
    {% if cap is none -%}
        true
    {%- else -%}
        s.n_models_in_space <= {{ cap | int }}
    {%- endif %} as in_co_usage
from pairs as p
inner join space_sizes as s on p.space_id = s.space_id
