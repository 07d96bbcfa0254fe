-- Model size invariant (docs/methods.md §12): the size classes cover every listed model exactly
-- once. Returns each model whose class does not match its parameters (macros/model_size_classes.sql
-- bounds, lower inclusive), and each activity of model_size_activity whose class counts do not add
-- up to the listed models or that lacks a class.
with bounds as (
    select b.size_class, b.lower_bound, b.upper_bound
    from (
        values
        {%- for label, lower, upper in model_size_classes() %}
            (
                '{{ label }}',
                {{ lower if lower is not none else 'null' }},
                {{ upper if upper is not none else 'null' }}
            ){{ "," if not loop.last }}
        {%- endfor %}
    ) as b (size_class, lower_bound, upper_bound)
),

models as (
    select repo_id, parameters, size_class from {{ ref('repo_activity') }} where repo_type = 'model'
),

misclassified as (
    select
        m.repo_id as what,
        m.size_class
    from models as m
    left join bounds as b on m.size_class = b.size_class
    where
        b.size_class is null
        or (m.parameters is null) <> (m.size_class = 'unknown')
        or m.parameters < b.lower_bound
        or m.parameters >= b.upper_bound
),

counts as (
    select
        s.activity as what,
        cast(sum(s.n_models) as varchar) || ' models in ' || cast(count(*) as varchar) || ' classes' as size_class
    from {{ ref('model_size_activity') }} as s
    group by s.activity
    having
        sum(s.n_models) <> (select count(*) from models)
        or count(distinct s.size_class) <> (select count(*) from bounds)
)

select * from misclassified
union all
select * from counts
