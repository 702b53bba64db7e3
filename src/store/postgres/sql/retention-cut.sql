-- The retention cut, now() - keep, by the server's clock (the one the partitions' bounds and
-- the stored times are compared against), as epoch ms.
SELECT (extract(epoch FROM now() - $1::interval) * 1000)::float8 AS cut_ms
