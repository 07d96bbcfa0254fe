-- Accepted identity merges (docs/methods.md §3): alias -> canonical developer. A name absent here
-- is its own canonical id. Merges come from the curated seed; the RQ2 identity model may
-- add automatically accepted candidates (opt-in) in `auto_merges` (edited by RQ2).
with seed_merges as (
    select
        alias,
        canonical as developer,
        'seed' as source
    from {{ ref('identity_merges') }}
    where alias is not null and canonical is not null and alias <> canonical
),

auto_merges as (
    -- RQ2: identity candidates accepted automatically (opt-in var
    -- auto_accept_identity_candidates, default false; threshold
    -- auto_accept_identity_threshold): the pairs identity_merge_candidates marks
    -- auto_accepted (one canonical per alias, no chains, never against the seed).
    -- The ref stays even when the setting is off, so the DAG is the same either way.
    select
        name_a as alias,
        name_b as developer,
        'auto' as source
    from {{ ref('identity_merge_candidates') }}
    where
        auto_accepted
        {%- if (var('auto_accept_identity_candidates', false) | string | lower) not in ['true', '1', 'yes', 'on'] %}
            and false
        {%- endif %}
)

select alias, developer, source from seed_merges
union all
select alias, developer, source from auto_merges
where alias not in (select s.alias from seed_merges as s)
