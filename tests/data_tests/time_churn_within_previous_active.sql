-- docs/methods.md §10: developers churned in a month were active in the previous one, so at most
-- its n_active_developers; none churn in the first month.
with ordered as (
    select
        repo_type,
        month,
        n_churned_developers,
        lag(n_active_developers) over (partition by repo_type order by month) as previous_active
    from {{ ref('activity_monthly') }}
)

select repo_type, month, n_churned_developers, previous_active
from ordered
where n_churned_developers > coalesce(previous_active, 0)
