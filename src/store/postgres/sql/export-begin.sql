-- One snapshot for every window of an export, so a row cannot appear twice or vanish between
-- windows while ingest keeps writing.
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
