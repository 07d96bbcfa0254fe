-- RQ1 (docs/methods.md §2): every license id used by at least var('license_min_repos') repos of a type
-- is in seed license_classes (so it has a class; `other` and `unknown` are there as
-- unclassified on purpose). Add the id to seeds/license_classes.csv when this fails.
select s.repo_type, s.license, s.n_repos
from {{ ref('license_shares') }} as s
left join {{ ref('license_classes') }} as c
    on c.license = lower(s.license)
where
    s.license is not null
    and s.n_repos >= {{ var('license_min_repos') }}
    and c.license is null
