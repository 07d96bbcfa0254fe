-- Discussion / PR authors mapped to canonical developers: aliases replaced through
-- int_identity_map; bots and deleted users (raw_author NULL) get developer NULL.
-- Only listed repos whose latest discussions fetch is ok (as int_commit_authors_resolved).
with current_repos as (
    select repo_type, repo_id from {{ ref('int_repo_fetches_current') }} where resource = 'discussions'
),

bots as (
    select distinct lower(username) as username from {{ ref('int_bot_accounts') }}
),

authors as (
    select
        d.repo_type,
        d.repo_id,
        d.discussion_num,
        d.is_pull_request,
        d.author as raw_author,
        coalesce(m.developer, d.author) as canonical
    from {{ ref('stg_hf_hub__discussions') }} as d
    join current_repos as cr
        on cr.repo_type = d.repo_type and cr.repo_id = d.repo_id
    left join {{ ref('int_identity_map') }} as m
        on m.alias = d.author
)

select
    a.repo_type,
    a.repo_id,
    a.discussion_num,
    a.is_pull_request,
    a.raw_author,
    case when a.raw_author is null or bot_raw.username is not null or bot_can.username is not null
        then null else a.canonical end as developer,
    coalesce(bot_raw.username is not null or bot_can.username is not null, false) as is_bot
from authors as a
left join bots as bot_raw on bot_raw.username = lower(a.raw_author)
left join bots as bot_can on bot_can.username = lower(a.canonical)
