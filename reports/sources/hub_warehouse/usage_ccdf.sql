-- Figure 5: P(X >= x) of the usage degree (spaces per model, models used at least once)
-- and of the co-usage degree, per sub-field.
with long as (
    select subfield, 'usage degree' as measure, n_spaces as value
    from marts.model_adoption where n_spaces > 0
    union all
    select subfield, 'co-usage degree', co_usage_degree
    from marts.model_adoption where co_usage_degree > 0
),

counts as (
    select subfield, measure, value, count(*) as n from long group by all
)

select
    subfield,
    measure,
    value,
    log10(value) as log10_value,
    sum(n) over (partition by subfield, measure order by value desc rows between unbounded preceding and current row)
        / sum(n) over (partition by subfield, measure) as ccdf
from counts
order by subfield, measure, value
