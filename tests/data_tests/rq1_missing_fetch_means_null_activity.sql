-- RQ1: activity is NULL (never 0) where its fetch is not ok, and known where it is ok.
select
    repo_type, repo_id, fetch_status_commits, fetch_status_discussions,
    n_commits, n_committers, n_discussions, n_disc_starters, n_community
from {{ ref('repo_activity') }}
where
    (fetch_status_commits = 'ok') <> (n_commits is not null)
    or (fetch_status_commits = 'ok') <> (n_committers is not null)
    or (fetch_status_discussions = 'ok') <> (n_discussions is not null)
    or (fetch_status_discussions = 'ok') <> (n_disc_starters is not null)
    or (fetch_status_commits = 'ok' and fetch_status_discussions = 'ok') <> (n_community is not null)
