/**
 * `aisctl report FILE.json [--output FILE.html]`: renders the HTML report again from a JSON run
 * report, so CI can publish the page from the JSON it kept, and an old report gets the current
 * page.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { UsageError } from '../config.js';
import { errorMessage } from '../../errors/error-message.js';
import { EXIT_OK } from '../../errors/aisctl-error.js';

export interface ReportFlags {
  output?: string;
}

/** `x.json` -> `x.html`; any other name gets `.html` appended rather than overwriting the input. */
export function defaultHtmlPath(jsonPath: string): string {
  return /\.json$/i.test(jsonPath) ? jsonPath.replace(/\.json$/i, '.html') : `${jsonPath}.html`;
}

export async function run(file: string, flags: ReportFlags): Promise<number> {
  const [{ parseReportDocument }, { renderHtmlReport }] = await Promise.all([
    import('../../harness/report-document.js'),
    import('../../harness/html-report/html-page.js'),
  ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  let doc: ReturnType<typeof parseReportDocument>;
  try {
    doc = parseReportDocument(JSON.parse(text));
  } catch (err) {
    throw new UsageError(`${file}: ${errorMessage(err)}`);
  }
  const output = flags.output ?? defaultHtmlPath(file);
  await writeFile(output, renderHtmlReport(doc));
  process.stdout.write(`${output}\n`);
  return EXIT_OK;
}
