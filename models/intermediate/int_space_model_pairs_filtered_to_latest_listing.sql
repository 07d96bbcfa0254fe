-- Current (space, model) usage pairs: a pair counts only when it was seen in the
-- space's latest listing (listed_at not older than the space's last_listed_at);
-- one row per distinct pair (a space may list a model twice: first position kept).
-- A view, like the staging it filters.
{{ config(materialized='view') }}

select
    sm.space_id,
    sm.model_id,
    min(sm.model_position) as model_position
from {{ ref('stg_hf_hub__space_models') }} as sm
inner join {{ ref('stg_hf_hub__spaces') }} as s
    on sm.space_id = s.repo_id
where sm.listed_at >= s.last_listed_at
group by sm.space_id, sm.model_id
