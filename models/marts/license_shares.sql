-- License shares per repo type (§4.1.3): one row per license as written (and one row with
-- license NULL, class 'none', for repos without a license). share_of_repos is over all listed
-- repos of the type, share_of_licensed over repos with a license (NULL on the 'none' row).
-- in_license_comparison: the license is used by at least var('license_min_repos') repos of
-- the type (docs/methods.md §2); the 'none' row is always in.
with counts as (
    select repo_type, license, license_class, count(*) as n_repos
    from {{ ref('repo_activity') }}
    group by repo_type, license, license_class
),

totals as (
    select
        repo_type,
        sum(n_repos) as n_type,
        sum(n_repos) filter (where license is not null) as n_licensed
    from counts
    group by repo_type
)

select
    c.repo_type,
    c.license,
    c.license_class,
    c.n_repos,
    cast(c.n_repos as double) / t.n_type as share_of_repos,
    case when c.license is not null then cast(c.n_repos as double) / t.n_licensed end as share_of_licensed,
    case
        when c.license is not null
            then cast(row_number() over (
                partition by c.repo_type, c.license is null
                order by c.n_repos desc, c.license asc
            ) as integer)
    end as rank_among_licensed,
    c.license is null or c.n_repos >= {{ var('license_min_repos') }} as in_license_comparison
from counts as c
inner join totals as t using (repo_type)
