-- marts.collab_kcore as it is (small: one row per statistic).
select * from marts.collab_kcore
