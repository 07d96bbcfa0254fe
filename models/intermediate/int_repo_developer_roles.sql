-- Onion roles and the absence-factor set (docs/methods.md §11), one row per (repo, developer)
-- credited with at least one commit (int_repo_developer_activity). Developers are ranked by
-- credited commits, most first, ties broken by name (byte order); cum_commits is the running sum
-- in that order. A developer belongs to the smallest prefix reaching p of the repo's credited
-- commits exactly when the commits ranked before them fall short of p (integer arithmetic, so a
-- prefix landing exactly on 50 %, 80 % or 95 % reaches it): in_absence_set for p = 50 %;
-- onion_role core for p = 80 %, else regular for p = 95 %, else casual.
with ranked as (
    select
        repo_type,
        repo_id,
        developer,
        n_commits,
        row_number() over repo_order as commit_rank,
        cast(sum(n_commits) over (repo_order rows between unbounded preceding and current row) as bigint)
            as cum_commits,
        cast(sum(n_commits) over (partition by repo_type, repo_id) as bigint) as total_commits
    from {{ ref('int_repo_developer_activity') }}
    where n_commits > 0
    window repo_order as (partition by repo_type, repo_id order by n_commits desc, developer asc)
)

select
    repo_type,
    repo_id,
    developer,
    n_commits,
    commit_rank,
    cum_commits,
    total_commits,
    100 * (cum_commits - n_commits) < 50 * total_commits as in_absence_set,
    case
        when 100 * (cum_commits - n_commits) < 80 * total_commits then 'core'
        when 100 * (cum_commits - n_commits) < 95 * total_commits then 'regular'
        else 'casual'
    end as onion_role
from ranked
