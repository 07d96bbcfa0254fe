-- marts.activity_summary as it is (small: one row per statistic).
select * from marts.activity_summary
