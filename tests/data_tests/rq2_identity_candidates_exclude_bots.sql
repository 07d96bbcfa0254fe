-- Identity candidates never involve a bot (int_bot_accounts, case-insensitive) or the
-- Hub's `system` user, never pair a name with itself, and stay at or above the threshold.
select c.*
from {{ ref('identity_merge_candidates') }} as c
where lower(c.name_a) in (select lower(username) from {{ ref('int_bot_accounts') }})
   or lower(c.name_b) in (select lower(username) from {{ ref('int_bot_accounts') }})
   or c.name_a = 'system' or c.name_b = 'system'
   or c.name_a = c.name_b
   or c.score < {{ var('identity_similarity_threshold', 90) }}
   or c.score > 100
