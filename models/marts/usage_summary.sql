-- Distribution of model usage in spaces, per sub-field (docs/methods.md §5; paper §4.3.1):
-- over the models used by at least one space of the sub-field's usage network.
-- sd is the sample standard deviation (ddof = 1); the median interpolates (as
-- pandas). top_model_id: the model with most spaces (ties broken as usage_position, with
-- n_top_models saying how many share the maximum).
with adoption as (
    select * from {{ ref('model_adoption') }}
),

subfield_edges as (
    select 'all' as subfield, p.space_id, p.model_id, p.in_co_usage
    from {{ ref('int_space_model_pairs_deduplicated') }} as p
    union all
    select s.subfield, p.space_id, p.model_id, p.in_co_usage
    from {{ ref('int_space_model_pairs_deduplicated') }} as p
    inner join {{ ref('int_model_subfields') }} as s on p.model_id = s.model_id
),

spaces as (
    select
        subfield,
        count(distinct space_id) as n_spaces_using,
        count(distinct case when not in_co_usage then space_id end) as n_spaces_excluded_from_co_usage
    from subfield_edges
    group by subfield
),

co_usage as (
    select subfield, count(*) as n_co_usage_pairs
    from {{ ref('model_co_usage') }}
    group by subfield
),

stats as (
    select
        subfield,
        count(*) as n_models_used,
        cast(sum(n_spaces) as bigint) as n_edges,
        avg(n_spaces) as mean_n_spaces,
        median(n_spaces) as median_n_spaces,
        stddev_samp(n_spaces) as sd_n_spaces,
        max(n_spaces) as max_n_spaces,
        count(*) filter (where usage_rank = 1) as n_top_models,
        min(model_id) filter (where usage_position = 1) as top_model_id,
        count(*) filter (where not model_exists) as n_models_not_listed,
        avg(co_usage_degree) as mean_co_usage_degree,
        median(co_usage_degree) as median_co_usage_degree,
        max(co_usage_degree) as max_co_usage_degree
    from adoption
    group by subfield
)

select
    st.subfield,
    st.n_models_used,
    sp.n_spaces_using,
    st.n_edges,
    st.mean_n_spaces,
    st.median_n_spaces,
    st.sd_n_spaces,
    st.max_n_spaces,
    st.top_model_id,
    st.n_top_models,
    st.n_models_not_listed,
    coalesce(c.n_co_usage_pairs, 0) as n_co_usage_pairs,
    st.mean_co_usage_degree,
    st.median_co_usage_degree,
    st.max_co_usage_degree,
    sp.n_spaces_excluded_from_co_usage
from stats as st
inner join spaces as sp on st.subfield = sp.subfield
left join co_usage as c on st.subfield = c.subfield
