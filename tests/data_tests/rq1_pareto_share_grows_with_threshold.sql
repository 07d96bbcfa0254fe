-- RQ1: a higher Pareto threshold never needs fewer repos (e.g. the 0.99 share >= the 0.80 share).
select a.repo_type, a.activity, a.threshold, a.repo_share, b.threshold as higher_threshold,
       b.repo_share as higher_repo_share
from {{ ref('activity_pareto') }} as a
join {{ ref('activity_pareto') }} as b
    on b.repo_type = a.repo_type and b.activity = a.activity and b.threshold > a.threshold
where b.repo_share < a.repo_share
