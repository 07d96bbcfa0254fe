-- Activity by model size class (docs/methods.md §12, §8): one row per size class (every class of
-- macros/model_size_classes.sql, unknown included, also when it holds no model) and activity of
-- var('model_size_activities'). n_models: listed models in the class; n_values: those whose value
-- of the activity is known (median and mean are over these, NULL when none);
-- share_multi_committer: among the class's models with a known n_committers, the share with more
-- than one (the same on every activity row of a class).
with models as (
    select * from {{ ref('repo_activity') }} where repo_type = 'model'
),

classes as (
    {{ model_size_class_ranks() }}
),

activities as (
    select a.activity, a.activity_rank
    from (
        values
        {%- for name in var('model_size_activities') %}
            ('{{ name }}', {{ loop.index }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as a (activity, activity_rank)
),

activity_long as (
    {% for name in var('model_size_activities') %}
        select
            size_class,
            '{{ name }}' as activity,
            cast({{ name }} as double) as activity_value
        from models
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_class as (
    select
        size_class,
        activity,
        count(*) as n_models,
        count(activity_value) as n_values,
        median(activity_value) as median,
        avg(activity_value) as mean
    from activity_long
    group by size_class, activity
),

multi as (
    select
        size_class,
        cast(count(*) filter (where n_committers > 1) as double) / nullif(count(n_committers), 0)
            as share_multi_committer
    from models
    group by size_class
)

select
    c.size_class,
    c.size_class_rank,
    a.activity,
    coalesce(b.n_models, 0) as n_models,
    m.share_multi_committer,
    coalesce(b.n_values, 0) as n_values,
    b.median,
    b.mean
from classes as c
cross join activities as a
left join by_class as b
    on c.size_class = b.size_class and a.activity = b.activity
left join multi as m
    on c.size_class = m.size_class
