-- Elephant factor by organisation (docs/methods.md §11, §8), one row per repo type and activity
-- with at least one repo whose value is known: the smallest number of organisations whose repos
-- hold >= 50 % of the activity's total over the repo type's listed repos. Organisations as
-- int_repo_organisations (the seed mapping; an unmapped namespace stands for itself). Decision:
-- the activity a repo holds is its repo-level value, credited to the repo's owner: credited
-- commits as repo_health counts them (a commit with k developer authors gives k, all to the
-- repo's organisation, whoever the authors work for: the Hub records no affiliation), likes,
-- 30-day downloads, usage in spaces and lineage descendants as repo_activity (a model descending
-- from two of an organisation's models counts for each). Repos with a NULL value are left out.
-- Organisations are ranked by value, most first, ties by name; top_organisations lists the
-- elephant organisations in that order (at most 10), top_share their share of the total.
{%- set activities = [
    ('n_credited_commits', 'repo_health', ['model', 'dataset', 'space']),
    ('n_likes', 'repo_activity', ['model', 'dataset', 'space']),
    ('n_downloads', 'repo_activity', ['model', 'dataset']),
    ('n_usage_spaces', 'repo_activity', ['model']),
    ('n_descendants', 'repo_activity', ['model']),
] %}

with activity_values as (
    {% for name, relation, types in activities %}
        select
            repo_type,
            repo_id,
            '{{ name }}' as activity,
            cast({{ name }} as bigint) as activity_value
        from {{ ref(relation) }}
        where
            repo_type in ('{{ types | join("', '") }}')
            and {{ name }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_organisation as (
    select
        v.repo_type,
        v.activity,
        o.organisation,
        count(*) as n_repos,
        cast(sum(v.activity_value) as bigint) as activity_value
    from activity_values as v
    inner join {{ ref('int_repo_organisations') }} as o
        on v.repo_type = o.repo_type and v.repo_id = o.repo_id
    group by v.repo_type, v.activity, o.organisation
),

ranked as (
    select
        repo_type,
        activity,
        organisation,
        n_repos,
        activity_value,
        row_number() over activity_order as organisation_rank,
        cast(sum(activity_value) over (activity_order rows between unbounded preceding and current row) as bigint)
            as cum_value,
        cast(sum(activity_value) over (partition by repo_type, activity) as bigint) as total
    from by_organisation
    window activity_order as (partition by repo_type, activity order by activity_value desc, organisation asc)
),

flagged as (
    select
        *,
        -- in the smallest prefix reaching half the total: the organisations before fall short of it
        activity_value > 0 and 2 * (cum_value - activity_value) < total as is_elephant
    from ranked
)

select
    repo_type,
    activity,
    cast(sum(n_repos) as bigint) as n_repos,
    max(total) as total,
    count(*) filter (where activity_value > 0) as n_organisations,
    case when max(total) > 0 then count(*) filter (where is_elephant) end as elephant_factor,
    cast(sum(activity_value) filter (where is_elephant) as double) / nullif(max(total), 0) as top_share,
    coalesce(
        list(organisation order by organisation_rank) filter (where is_elephant and organisation_rank <= 10),
        []
    ) as top_organisations
from flagged
group by repo_type, activity
