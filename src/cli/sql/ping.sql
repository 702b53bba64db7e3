-- Liveness probe: a round trip through a pooled connection.
SELECT 1 AS ok
