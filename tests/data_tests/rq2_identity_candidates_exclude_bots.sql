-- Identity candidates never involve a bot (int_bot_accounts, case-insensitive) or the
-- Hub's `system` user, never pair a name with itself, and stay at or above the threshold.
select c.name_a, c.name_b, c.score, c.reason
from {{ ref('identity_merge_candidates') }} as c
where
    lower(c.name_a) in (select lower(b.username) from {{ ref('int_bot_accounts') }} as b)
    or lower(c.name_b) in (select lower(b.username) from {{ ref('int_bot_accounts') }} as b)
    or c.name_a = 'system' or c.name_b = 'system'
    or c.name_a = c.name_b
    or c.score < {{ var('identity_similarity_threshold', 90) }}
    or c.score > 100
