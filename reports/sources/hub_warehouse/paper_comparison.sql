-- marts.paper_comparison as it is (small: one row per statistic).
select * from marts.paper_comparison
