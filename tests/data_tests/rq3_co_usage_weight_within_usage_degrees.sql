-- RQ3 invariant: a co-usage weight (spaces using both models) is at least 1 and at
-- most the smaller of the two models' usage degrees, in the same sub-field; both
-- ends must be models of that sub-field's usage network. Returns the violations.
select c.subfield, c.model_a, c.model_b, c.n_spaces, a.n_spaces as n_spaces_a, b.n_spaces as n_spaces_b
from {{ ref('model_co_usage') }} as c
left join {{ ref('model_adoption') }} as a
    on c.subfield = a.subfield and c.model_a = a.model_id
left join {{ ref('model_adoption') }} as b
    on c.subfield = b.subfield and c.model_b = b.model_id
where
    a.model_id is null
    or b.model_id is null
    or c.n_spaces < 1
    or c.n_spaces > least(a.n_spaces, b.n_spaces)
