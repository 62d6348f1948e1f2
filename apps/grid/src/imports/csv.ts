import { CsvError, parse } from 'csv-parse/sync';

/** One record of a CSV file with the line it starts on (1-based; a quoted line break does not start a record). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  field: string;
  reason: string;
}

export interface ParsedCsv {
  records: CsvRecord[];
  problems: CsvProblem[];
}

const REASONS: Partial<Record<string, string>> = {
  INVALID_OPENING_QUOTE: 'a double quote inside a field that does not start with one',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a field',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the file',
};

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';

/** Walks the text counting lines, a CRLF as one line end, so each record gets the line it starts on. */
class Lines {
  line = 1;
  at = 0;

  constructor(private readonly text: string) {}

  /** Moves to `to`, counting the line ends passed. */
  advance(to: number): void {
    for (; this.at < to; this.at++) {
      const c = this.text[this.at];
      if (c === '\r' || (c === '\n' && this.text[this.at - 1] !== '\r')) this.line++;
    }
  }

  /** Moves past line ends (blank lines included) to where the next record starts. */
  skipBreaks(): void {
    let to = this.at;
    while (isBreak(this.text[to])) to++;
    this.advance(to);
  }

  /** Moves to the start of the next line. */
  nextLine(): void {
    let to = this.at;
    while (to < this.text.length && !isBreak(this.text[to])) to++;
    if (this.text[to] === '\r' && this.text[to + 1] === '\n') to++;
    this.advance(Math.min(to + 1, this.text.length));
  }
}

/**
 * RFC 4180 CSV read with csv-parse: comma-separated, fields optionally in double quotes, `""` for a quote inside
 * quotes, line breaks (CRLF, LF or CR) inside quotes kept. A leading byte-order mark is dropped; blank lines are
 * skipped. A malformed row is reported on the line it starts on and left out; reading goes on at the next line.
 */
export function parseCsv(text: string): ParsedCsv {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const lines = new Lines(input);
  const take = (fields: string[], raw: string) => {
    lines.skipBreaks();
    const line = lines.line;
    lines.advance(lines.at + raw.length);
    // A line holding only `""` is as blank as an empty one.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line, fields });
  };
  while (lines.at < input.length) {
    try {
      parse(input.slice(lines.at), {
        raw: true,
        relax_column_count: true,
        skip_empty_lines: true,
        record_delimiter: ['\r\n', '\n', '\r'],
        on_record: ({ record, raw }: { record: string[]; raw: string }) => take(record, raw),
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      lines.skipBreaks();
      problems.push({ line: lines.line, field: '(row)', reason: REASONS[error.code] ?? error.message });
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') break;
      lines.nextLine();
    }
  }
  return { records, problems };
}
