-- marts.activity_correlations as it is (small: one row per statistic).
select * from marts.activity_correlations
