-- Health invariant (docs/methods.md §11): repo_health has exactly the repos of repo_activity, and
-- its committers are repo_activity's (one definition of a developer). Returns the repos that
-- differ.
select
    coalesce(a.repo_type, h.repo_type) as repo_type,
    coalesce(a.repo_id, h.repo_id) as repo_id,
    a.n_committers as activity_committers,
    h.n_committers as health_committers
from {{ ref('repo_activity') }} as a
full outer join {{ ref('repo_health') }} as h
    on a.repo_type = h.repo_type and a.repo_id = h.repo_id
where
    a.repo_id is null
    or h.repo_id is null
    or a.n_committers is distinct from h.n_committers
