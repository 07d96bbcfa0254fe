-- Commit authors mapped to canonical developers (docs/methods.md §2–§3): aliases replaced through
-- int_identity_map; bots (by raw or canonical name, see int_bot_accounts) and the Hub's
-- `system` user get developer NULL, so they are never counted as committers.
-- Only the Hub as it stands (docs/methods.md §0): listed repos whose latest commits fetch is ok; a repo
-- that turned gated / private / deleted keeps its old rows in staging (last_ok_at), but they
-- count nowhere (its n_commits is NULL), neither in the network nor in developers.
with current_repos as (
    select repo_type, repo_id from {{ ref('int_repo_fetches_current') }} where resource = 'commits'
),

bots as (
    select distinct lower(username) as username from {{ ref('int_bot_accounts') }}
),

authors as (
    select
        a.repo_type,
        a.repo_id,
        a.commit_id,
        a.commit_position,
        a.author_position,
        a.author as raw_author,
        coalesce(m.developer, a.author) as canonical
    from {{ ref('stg_hf_hub__commit_authors') }} as a
    join current_repos as cr
        on cr.repo_type = a.repo_type and cr.repo_id = a.repo_id
    left join {{ ref('int_identity_map') }} as m
        on m.alias = a.author
)

select
    a.repo_type,
    a.repo_id,
    a.commit_id,
    a.commit_position,
    a.author_position,
    a.raw_author,
    case when a.raw_author = 'system' or bot_raw.username is not null or bot_can.username is not null
        then null else a.canonical end as developer,
    (bot_raw.username is not null or bot_can.username is not null) as is_bot
from authors as a
left join bots as bot_raw on bot_raw.username = lower(a.raw_author)
left join bots as bot_can on bot_can.username = lower(a.canonical)
