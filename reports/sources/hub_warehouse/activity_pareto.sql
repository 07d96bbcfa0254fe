-- marts.activity_pareto as it is (small: one row per statistic).
select * from marts.activity_pareto
