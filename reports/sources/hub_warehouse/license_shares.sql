-- marts.license_shares as it is (small: one row per statistic).
select * from marts.license_shares
