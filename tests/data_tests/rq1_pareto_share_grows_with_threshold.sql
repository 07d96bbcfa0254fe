-- RQ1: a higher Pareto threshold never needs fewer repos (e.g. the 0.99 share >= the 0.80 share).
select
    a.repo_type, a.activity, a.threshold, a.repo_share, b.threshold as higher_threshold,
    b.repo_share as higher_repo_share
from {{ ref('activity_pareto') }} as a
inner join {{ ref('activity_pareto') }} as b
    on a.repo_type = b.repo_type and a.activity = b.activity and a.threshold < b.threshold
where b.repo_share < a.repo_share
