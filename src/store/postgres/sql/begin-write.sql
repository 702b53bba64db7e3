-- A history write's transaction, with JIT compilation off for it alone (SET LOCAL, so the
-- session keeps its own setting afterwards, also behind PgBouncer in transaction mode).
--
-- Why: a COPY batch's upsert reads a staging table of thousands of rows, which puts its plan
-- over jit_above_cost (100,000 by default), and the server then compiles it with LLVM on every
-- batch. perf on the ingest benchmark (1M positions, batches of 20,000) found 13 % of
-- PostgreSQL's CPU in libLLVM and the JIT code; with JIT off PostgreSQL's CPU per position
-- fell by ~0.7 us (~11 %) and throughput rose ~7 %. The statements are index probes and
-- inserts that a compiled expression cannot speed up.
BEGIN; SET LOCAL jit = off
