/**
 * Text sparkline and progress bar for the TUI. Pure string functions so they are tested without
 * rendering and reused by any sink.
 */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The last `width` values scaled from 0 to their maximum (a rate of 0 is the lowest block). */
export function sparkline(values: readonly number[], width = 60): string {
  const tail = values.slice(-width);
  const max = tail.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), 0);
  return tail
    .map((v) => {
      if (!Number.isFinite(v) || max <= 0 || v <= 0) return BLOCKS[0];
      const i = Math.min(BLOCKS.length - 1, Math.round((v / max) * (BLOCKS.length - 1)));
      return BLOCKS[i] ?? BLOCKS[0];
    })
    .join('');
}

/** `██████░░░░` for a fraction 0..1 (clamped). */
export function progressBar(fraction: number, width = 30): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
