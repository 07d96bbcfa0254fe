-- U(r) of docs/methods.md §4: the distinct developers among all authors of all commits of each
-- model repo, after bot removal and identity merging (int_commit_authors_resolved gives
-- developer NULL for bots and `system`), with how many of the repo's commits list them.
select
    repo_id,
    developer,
    count(distinct commit_id) as n_commits
from {{ ref('int_commit_authors_resolved') }}
where
    repo_type = 'model'
    and developer is not null
group by repo_id, developer
