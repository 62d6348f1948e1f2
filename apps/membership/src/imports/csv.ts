import { CsvError, Parser, parse } from 'csv-parse';
import { once } from 'node:events';

/** One record of a CSV file and the line it starts on (1-based, counting physical lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'CsvSyntaxError';
  }
}

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field',
};

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * RFC 4180 CSV as spreadsheets export it, read as the chunks arrive: a UTF-8 byte-order mark is dropped, lines end
 * in CRLF, LF or CR, quoted fields may hold commas, line breaks and doubled quotes. Blank lines are skipped but
 * counted. Bytes that are not UTF-8 end the reading with a CsvEncodingError; bad quoting with a CsvSyntaxError naming the
 * line its record starts on.
 */
export async function* readCsv(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<CsvRecord> {
  let line = 1;
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    // Blank lines come through as one empty field, so that every physical line is counted, in the parser's order.
    skip_empty_lines: false,
    on_record: (fields: string[]) => {
      const start = line;
      line += 1;
      for (const field of fields) line += field.match(LINE_BREAK)?.length ?? 0;
      return fields.length > 1 || fields[0] !== '' ? { line: start, fields } : null;
    },
  });
  void feed(parser, chunks);
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError(line, REASONS[error.code] ?? error.message);
    throw error;
  }
}

/** Bytes that are not UTF-8 text. */
export class CsvEncodingError extends Error {
  constructor() {
    super('not UTF-8 text');
    this.name = 'CsvEncodingError';
  }
}

/** Writes the decoded text to the parser as fast as it reads; a decoding or reading error ends the parser with it. */
async function feed(parser: Parser, chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<void> {
  try {
    for await (const text of decoded(chunks)) {
      if (parser.destroyed) return;
      if (!parser.write(text)) await once(parser, 'drain');
    }
    parser.end();
  } catch (error) {
    parser.destroy(error as Error);
  }
}

async function* decoded(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new CsvEncodingError();
    }
  };
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decode(chunk);
  const rest = decode();
  if (rest) yield rest;
}

/** Every record of a CSV text (tests, small files). */
export async function parseCsv(text: string): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readCsv([text])) records.push(record);
  return records;
}
