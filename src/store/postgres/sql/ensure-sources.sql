-- The ids of the given source names, inserting those not yet known; run in its own statement
-- before a batch that meets a name the writer has not cached (names sorted: concurrent writers
-- insert in one order). A name a concurrent writer inserted after this statement's snapshot is
-- skipped by ON CONFLICT and missing from the result: the writer asks again.
WITH wanted AS (
  SELECT DISTINCT unnest($1::text[]) AS name
), inserted AS (
  INSERT INTO sources (name)
  SELECT w.name FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.name = w.name)
  ORDER BY w.name
  ON CONFLICT (name) DO NOTHING
  RETURNING id, name
)
SELECT id, name FROM inserted
UNION ALL
SELECT s.id, s.name FROM sources s JOIN wanted w ON w.name = s.name
