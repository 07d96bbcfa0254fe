-- The warehouse's own value of each published RQ2 figure, keyed like the
-- published_figures seed (measure, repo_type, network, k). Placeholder until the
-- RQ2 models fill it.
select
    cast(null as varchar) as measure,
    cast(null as varchar) as repo_type,
    cast(null as varchar) as network,
    cast(null as integer) as k,
    cast(null as double) as warehouse_value
where false
