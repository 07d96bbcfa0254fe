-- Per model id: n_usage_spaces, the number of distinct listed spaces whose current `models`
-- list names it (int_space_model_pairs_filtered_to_latest_listing; spaces a full sweep no longer lists are left out).
-- Models no space uses have no row (0 downstream, provided spaces were crawled at all).
select
    sm.model_id,
    count(distinct sm.space_id) as n_usage_spaces
from {{ ref('int_space_model_pairs_filtered_to_latest_listing') }} as sm
inner join {{ ref('stg_hf_hub__spaces') }} as s
    on sm.space_id = s.repo_id
where coalesce(s.is_listed, true)
group by sm.model_id
