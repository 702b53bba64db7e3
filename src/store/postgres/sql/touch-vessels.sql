-- Vessel-row maintenance alone (inside a batch's transaction, after its positions): see
-- touch-vessels.ctes.sql. Returns the ids updated.
WITH
-- @include touch-vessels.ctes.sql
SELECT id FROM touched
