-- Lorenz curves of each activity per repo type, for plots: repos with a known value sorted
-- ascending; the point after the i-th repo is (i / n, cumulative activity / total). To keep
-- the table small at Hub scale the curve is sampled: (0, 0), then the first repo reaching
-- each 1/var('lorenz_points', 200) step of repo_share (every repo when n <= that number);
-- the last point is always (1, 1). No curve when the total is 0 (undefined).
{% set n_points = var('lorenz_points', 200) %}
with long as (
    {{ rq1_activity_long() }}
),

ranked as (
    select
        repo_type,
        activity,
        row_number() over w as i,
        count(*) over (partition by repo_type, activity) as n,
        cast(sum(value) over (w rows between unbounded preceding and current row) as double) as cum_value,
        cast(sum(value) over (partition by repo_type, activity) as double) as total
    from long
    where value is not null
    window w as (partition by repo_type, activity order by value asc)
),

sampled as (
    select repo_type, activity, i, n, cum_value, total
    from ranked
    where
        total > 0
        and (i * {{ n_points }}) // n > ((i - 1) * {{ n_points }}) // n
)

select repo_type, activity, 0 as point, 0 as n_repos, 0.0 as repo_share, 0.0 as activity_share
from sampled
group by repo_type, activity
union all
select
    repo_type,
    activity,
    cast(row_number() over (partition by repo_type, activity order by i) as integer) as point,
    i as n_repos,
    cast(i as double) / n as repo_share,
    cum_value / total as activity_share
from sampled
