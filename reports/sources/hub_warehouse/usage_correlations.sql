-- marts.usage_correlations as it is (small: one row per statistic).
select * from marts.usage_correlations
