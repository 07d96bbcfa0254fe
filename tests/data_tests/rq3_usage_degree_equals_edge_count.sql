-- RQ3 invariant: a model's usage degree (model_adoption.n_spaces) equals the number
-- of its edges in the usage network, in every sub-field; and every used model has
-- a model_adoption row. Returns the disagreements.
with edges as (
    select 'all' as subfield, model_id from {{ ref('model_usage') }}
    union all
    select s.subfield, u.model_id
    from {{ ref('model_usage') }} as u
    inner join {{ ref('int_model_subfields') }} as s on u.model_id = s.model_id
),

counted as (
    select subfield, model_id, count(*) as n_edges
    from edges
    group by subfield, model_id
)

select
    coalesce(c.subfield, a.subfield) as subfield,
    coalesce(c.model_id, a.model_id) as model_id,
    c.n_edges,
    a.n_spaces
from counted as c
full outer join {{ ref('model_adoption') }} as a
    on c.subfield = a.subfield and c.model_id = a.model_id
where c.n_edges is distinct from a.n_spaces
