import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { HeaderLanguage } from './export-language';

export enum ExportFormat {
  Csv = 'csv',
  Xlsx = 'xlsx',
}

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  [ExportFormat.Csv]: 'text/csv; charset=utf-8',
  [ExportFormat.Xlsx]: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export type CellValue = string | number | boolean | undefined;

/** One column of an export: its headers in both languages and how a row fills it. */
export interface ExportColumn<T> {
  key: string;
  zh: string;
  en: string;
  value(row: T): CellValue;
}

/** Resolves once `source` may take more, or fails when the client has gone and `out` is closed. */
async function writable(source: NodeJS.EventEmitter, out: Writable): Promise<void> {
  if (out.destroyed) throw new Error('The client stopped reading the export');
  await Promise.race([once(source, 'drain'), once(out, 'close')]);
  if (out.destroyed) throw new Error('The client stopped reading the export');
}

async function drained(out: Writable): Promise<void> {
  if (out.writableNeedDrain) await writable(out, out);
}

/**
 * Writes the rows page by page into `out` as they arrive: only one page is held at a time, and the next is not
 * fetched while the client is still reading the last.
 */
export async function writeExport<T>(
  out: Writable,
  format: ExportFormat,
  sheetName: string,
  columns: readonly ExportColumn<T>[],
  language: HeaderLanguage,
  pages: AsyncIterable<T[]>,
): Promise<void> {
  const cells = (row: T) => columns.map((column) => column.value(row) ?? '');
  if (format === ExportFormat.Csv) {
    // The byte-order mark makes spreadsheet programs read the Chinese text as UTF-8.
    const csv = stringify({ bom: true, header: true, escape_formulas: true, columns: columns.map((c) => ({ key: c.key, header: c[language] })) });
    csv.pipe(out);
    for await (const page of pages) {
      for (const row of page) {
        const values = cells(row);
        if (!csv.write(Object.fromEntries(columns.map((c, i) => [c.key, values[i]])))) await writable(csv, out);
      }
      await drained(out);
    }
    csv.end();
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(columns.map((c) => c[language])).commit();
  for await (const page of pages) {
    for (const row of page) sheet.addRow(cells(row)).commit();
    await drained(out);
  }
  sheet.commit();
  await workbook.commit();
}
