-- Pareto shares (§4.1.1) and Gini coefficient of each activity per repo type, for every
-- threshold of var('pareto_thresholds'). Over repos with a known value: sort by the activity
-- descending; n_repos_needed is the smallest k such that the top k repos hold at least
-- threshold × total (compared in double precision); repo_share = n_repos_needed / n_repos.
-- Ties cannot change k (it depends on the sorted values only). Gini = 2 Σ i·x_(i) / (n Σ x)
-- − (n + 1) / n over values sorted ascending (i = 1..n; no small-sample correction).
-- When the total is 0 (or no value is known) repo_share, n_repos_needed and gini are NULL.
with long as (
    {{ rq1_activity_long() }}
),

thresholds as (
    select cast(unnest({{ var('pareto_thresholds') }}) as double) as threshold
),

combos as (
    select distinct repo_type, activity from long
),

ranked as (
    select
        repo_type,
        activity,
        cast(value as double) as value,
        row_number() over (partition by repo_type, activity order by value desc) as rank_desc,
        cast(sum(value) over (
            partition by repo_type, activity order by value desc
            rows between unbounded preceding and current row
        ) as double) as cum_value,
        count(*) over (partition by repo_type, activity) as n,
        cast(sum(value) over (partition by repo_type, activity) as double) as total
    from long
    where value is not null
),

totals as (
    select
        repo_type,
        activity,
        max(n) as n_repos,
        max(total) as total,
        case
            when max(total) > 0
                -- i = n + 1 - rank_desc: one sort, not two (tied values hold the same ranks either way)
                then 2.0 * sum((n + 1 - rank_desc) * value) / (max(n) * max(total)) - (max(n) + 1.0) / max(n)
        end as gini
    from ranked
    group by repo_type, activity
),

needed as (
    select
        r.repo_type,
        r.activity,
        t.threshold,
        min(r.rank_desc) as n_repos_needed
    from ranked as r
    cross join thresholds as t
    where r.total > 0 and r.cum_value >= t.threshold * r.total
    group by r.repo_type, r.activity, t.threshold
)

select
    c.repo_type,
    c.activity,
    t.threshold,
    coalesce(s.n_repos, 0) as n_repos,
    s.total,
    n.n_repos_needed,
    cast(n.n_repos_needed as double) / s.n_repos as repo_share,
    s.gini
from combos as c
cross join thresholds as t
left join totals as s
    on c.repo_type = s.repo_type and c.activity = s.activity
left join needed as n
    on c.repo_type = n.repo_type and c.activity = n.activity and t.threshold = n.threshold
