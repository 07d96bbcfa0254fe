-- Current (space, model) usage pairs: a pair counts only when it was seen in the
-- space's latest listing (listed_at not older than the space's last_listed_at);
-- one row per distinct pair (a space may list a model twice: first position kept).
select
    sm.space_id,
    sm.model_id,
    min(cast(sm.model_position as integer)) as model_position
from {{ source('hf_hub', 'space_models') }} as sm
inner join {{ source('hf_hub', 'spaces') }} as s
    on sm.space_id = s.repo_id
where sm.listed_at >= s.last_listed_at
group by sm.space_id, sm.model_id
