-- RQ3 invariant: a co-usage weight (spaces using both models) is at least 1 and at
-- most the smaller of the two models' usage degrees, in the same sub-field; both
-- ends must be models of that sub-field's usage network. Returns the violations.
select c.*, a.n_spaces as n_spaces_a, b.n_spaces as n_spaces_b
from {{ ref('model_co_usage') }} as c
left join {{ ref('model_adoption') }} as a
    on a.subfield = c.subfield and a.model_id = c.model_a
left join {{ ref('model_adoption') }} as b
    on b.subfield = c.subfield and b.model_id = c.model_b
where a.model_id is null
   or b.model_id is null
   or c.n_spaces < 1
   or c.n_spaces > least(a.n_spaces, b.n_spaces)
