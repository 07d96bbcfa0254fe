-- RQ3 ↔ RQ1: repo_activity.n_usage_spaces (from int_space_model_pairs_filtered_to_latest_listing)
-- equals model_adoption.n_spaces in sub-field 'all' for every listed model (0 when
-- the model is not in model_adoption). Returns the disagreements.
select r.repo_id, r.n_usage_spaces, a.n_spaces
from {{ ref('repo_activity') }} as r
left join {{ ref('model_adoption') }} as a
    on a.subfield = 'all' and r.repo_id = a.model_id
where
    r.repo_type = 'model'
    and r.n_usage_spaces is not null
    and r.n_usage_spaces is distinct from coalesce(a.n_spaces, 0)
