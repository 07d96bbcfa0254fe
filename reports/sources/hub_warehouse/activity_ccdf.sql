-- Figure 1: P(X >= x) of each activity per repo type, at every distinct x > 0
-- (zeros count in the denominator; NULL = not fetched, left out).
with long as (
    unpivot (
        select
            repo_type,
            cast(n_likes as bigint) as n_likes,
            cast(n_discussions as bigint) as n_discussions,
            cast(n_disc_starters as bigint) as n_disc_starters,
            cast(n_commits as bigint) as n_commits,
            cast(n_committers as bigint) as n_committers,
            cast(n_community as bigint) as n_community,
            cast(n_downloads as bigint) as n_downloads,
            cast(n_usage_spaces as bigint) as n_usage_spaces
        from marts.repo_activity
    )
    on n_likes, n_discussions, n_disc_starters, n_commits, n_committers, n_community, n_downloads, n_usage_spaces
    into name activity value value
),

counts as (
    select repo_type, activity, value, count(*) as n
    from long
    group by repo_type, activity, value
)

select
    repo_type,
    activity,
    value,
    log10(value) as log10_value,
    sum(n) over (partition by repo_type, activity order by value desc
                 rows between unbounded preceding and current row)
        / sum(n) over (partition by repo_type, activity) as ccdf
from counts
qualify value > 0
order by repo_type, activity, value
