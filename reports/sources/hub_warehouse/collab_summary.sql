-- marts.collab_summary as it is (small: one row per statistic).
select * from marts.collab_summary
