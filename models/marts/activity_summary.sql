-- Descriptive statistics of each activity per repo type (Tables 2–4 of the paper, plus
-- zero shares): over repos whose value is known (NULL activity, e.g. a failed fetch, is
-- excluded; `count` is the number of non-NULL values, n_missing the rest). std is the sample
-- standard deviation (ddof 1); quartiles interpolate linearly (quantile_cont, as pandas).
-- One row per applicable (repo_type, activity) of the repo types present, even when no value
-- is known (then count 0 and NULL statistics).
with long as (
    {{ rq1_activity_long() }}
)

select
    repo_type,
    activity,
    count(*) as n_repos,
    count(value) as count,
    count(*) - count(value) as n_missing,
    avg(value) as mean,
    stddev_samp(value) as std,
    min(value) as min,
    quantile_cont(value, 0.25) as p25,
    quantile_cont(value, 0.50) as p50,
    quantile_cont(value, 0.75) as p75,
    max(value) as max,
    sum(value) as total,
    count(value) filter (where value = 0) as n_zero,
    cast(count(value) filter (where value = 0) as double) / nullif(count(value), 0) as zero_share
from long
group by repo_type, activity
