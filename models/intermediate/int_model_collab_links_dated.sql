-- When each link of the collaboration network of all models (docs/methods.md §4) first exists,
-- for the network as of each quarter end (§10, collab_timeline). With U_q(r) and the edges built
-- from the commits dated <= q only, developer b is in the network at q from their first model
-- commit (any author position), and a -> b (a <> b) exists at q when, in some repo r, a is the
-- first author of a commit dated <= q and b an author of a commit dated <= q. So:
--   source = target: the developer, linked_at = their first model commit;
--   source <> target: linked_at = the minimum over shared repos of the later of the two times.
-- First authors are int_model_commit_first_authors' (one definition of the first developer).
with first_as_author as (
    select
        repo_id,
        developer,
        min(committed_at) as since
    from {{ ref('int_model_commit_first_authors') }}
    group by repo_id, developer
),

first_as_member as (
    select
        repo_id,
        developer,
        min(committed_at) as since
    from {{ ref('int_commit_developers_dated') }}
    where repo_type = 'model'
    group by repo_id, developer
)

select
    developer as source,
    developer as target,
    min(since) as linked_at
from first_as_member
group by developer

union all

select
    a.developer as source,
    m.developer as target,
    min(greatest(a.since, m.since)) as linked_at
from first_as_author as a
inner join first_as_member as m
    on a.repo_id = m.repo_id and a.developer <> m.developer
group by a.developer, m.developer
