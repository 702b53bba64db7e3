import { describe, expect, it } from 'vitest';
import { BULK_INGEST_PIPELINE, bulkIngestPipeline, DEFAULT_PIPELINE_CONFIG } from './pipeline-config.js';

describe('bulk pipeline settings', () => {
  it('queue every write slot a full batch and one more, whatever the batch size', () => {
    for (const maxBatch of [1, 500, 20_000, BULK_INGEST_PIPELINE.maxBatch, 100_000]) {
      const c = bulkIngestPipeline(maxBatch);
      expect(c.maxBatch).toBe(maxBatch);
      expect(c.partialWriteSlots).toBe(1);
      expect(c.highWaterMessages).toBeGreaterThanOrEqual((DEFAULT_PIPELINE_CONFIG.maxConcurrentWrites + 1) * maxBatch);
    }
  });

  it('the default is the same rule at the default batch size', () => {
    expect(BULK_INGEST_PIPELINE).toEqual(bulkIngestPipeline(BULK_INGEST_PIPELINE.maxBatch));
    expect(BULK_INGEST_PIPELINE.maxBatch).toBeGreaterThan(DEFAULT_PIPELINE_CONFIG.maxBatch);
  });
});
