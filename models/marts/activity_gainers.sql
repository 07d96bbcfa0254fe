-- The repos with the largest gains in likes and in committers over the last var('gainers_days')
-- days (default 30), per repo type (docs/methods.md §10), from the history of repo_activity.
-- Decisions: the window ends at the newest recorded version (the last build that recorded a
-- change); a repo's gain is its current value minus its value in the version current at the
-- window's start, or, for a repo first recorded inside the window, in its first version (only
-- what was observed counts); repos no longer listed are left out; only positive gains are listed,
-- the var('gainers_top_n') largest (default 10) per repo type and measure, ties by repo id.
with history as (
    select
        h.repo_type,
        h.repo_id,
        h.dbt_valid_from as valid_from,
        h.dbt_valid_to as valid_to,
        h.n_likes,
        h.n_committers
    from {{ ref('repo_activity_history') }} as h
    semi join {{ ref('repo_activity') }} as r
        on h.repo_type = r.repo_type and h.repo_id = r.repo_id
),

window_bounds as (
    select
        max(valid_from) as until,
        max(valid_from) - to_days({{ var('gainers_days') }}) as since
    from history
),

baseline_versions as (
    select
        h.repo_type,
        h.repo_id,
        coalesce(max(h.valid_from) filter (where h.valid_from <= b.since), min(h.valid_from)) as base_from
    from history as h
    cross join window_bounds as b
    group by h.repo_type, h.repo_id
),

pairs as (
    select
        c.repo_type,
        c.repo_id,
        base.valid_from as since,
        c.valid_from as until,
        base.n_likes as likes_before,
        c.n_likes as likes_now,
        base.n_committers as committers_before,
        c.n_committers as committers_now
    from history as c
    inner join baseline_versions as bv
        on c.repo_type = bv.repo_type and c.repo_id = bv.repo_id
    inner join history as base
        on bv.repo_type = base.repo_type and bv.repo_id = base.repo_id and bv.base_from = base.valid_from
    where c.valid_to is null
),

gains as (
    select repo_type, repo_id, 'likes' as measure, likes_before as value_before, likes_now as value_now, since, until
    from pairs
    union all
    select repo_type, repo_id, 'committers', committers_before, committers_now, since, until
    from pairs
),

ranked as (
    select
        *,
        value_now - value_before as gain,
        row_number() over (partition by measure, repo_type order by value_now - value_before desc, repo_id) as rank
    from gains
    where value_now - value_before > 0
)

select
    measure,
    repo_type,
    rank,
    repo_id,
    gain,
    value_before,
    value_now,
    since,
    until
from ranked
where rank <= {{ var('gainers_top_n') }}
