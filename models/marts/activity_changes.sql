-- Changes between consecutive recorded versions of each repo (docs/methods.md §10), from the
-- type-2 history of repo_activity (snapshots/repo_activity_history.yml): one row per repo and
-- version that has a previous one. d_* = value of this version − value of the previous one
-- (NULL where either is unknown, e.g. a failed fetch); has_decrease when any count went down.
with versions as (
    select
        repo_type,
        repo_id,
        dbt_valid_from as valid_from,
        lag(dbt_valid_from) over w as previous_valid_from,
        n_likes - lag(n_likes) over w as d_likes,
        n_downloads - lag(n_downloads) over w as d_downloads,
        downloads_all_time - lag(downloads_all_time) over w as d_downloads_all_time,
        n_commits - lag(n_commits) over w as d_commits,
        n_committers - lag(n_committers) over w as d_committers,
        n_community - lag(n_community) over w as d_community,
        n_discussions - lag(n_discussions) over w as d_discussions
    from {{ ref('repo_activity_history') }}
    window w as (partition by repo_type, repo_id order by dbt_valid_from)
)

select
    repo_type,
    repo_id,
    valid_from,
    previous_valid_from,
    d_likes,
    d_downloads,
    d_downloads_all_time,
    d_commits,
    d_committers,
    d_community,
    d_discussions,
    coalesce(
        d_likes < 0
        or d_downloads < 0
        or d_downloads_all_time < 0
        or d_commits < 0
        or d_committers < 0
        or d_community < 0
        or d_discussions < 0,
        false
    ) as has_decrease
from versions
where previous_valid_from is not null
