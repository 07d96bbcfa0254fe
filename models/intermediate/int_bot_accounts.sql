-- Every account removed as a bot before developers are counted (docs/methods.md §3), and why:
-- the seed `bots` (matched case-insensitively) and, among every username seen as a commit
-- or discussion author, the name rules `[bot]` / `-bot` suffix. `system` (the Hub's initial
-- commits) is not a bot: int_commit_authors_resolved drops it separately.
with seen as (
    select distinct author as username from {{ ref('int_commit_authors_filtered_to_latest_fetch') }}
    union
    select distinct author from {{ ref('int_discussions_filtered_to_latest_fetch') }} where author is not null
),

seeded as (
    select username, 'seed: ' || reason as reason from {{ ref('bots') }}
),

by_rule as (
    select
        username,
        case
            when lower(username) like '%[bot]' then 'rule: ends with [bot]'
            when lower(username) like '%-bot' then 'rule: ends with -bot'
        end as reason
    from seen
    where lower(username) like '%[bot]' or lower(username) like '%-bot'
)

select username, reason from seeded
union all
select r.username, r.reason
from by_rule as r
where lower(r.username) not in (select lower(s.username) from seeded as s)
