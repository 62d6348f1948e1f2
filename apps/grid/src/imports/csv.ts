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

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, `""` for a quote inside quotes, line
 * breaks (CRLF, LF or CR) inside quotes kept. A leading byte-order mark is dropped; blank lines are skipped.
 */
export function parseCsv(text: string): ParsedCsv {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let broken = false;

  const endField = () => {
    fields.push(field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '';
    if (!broken && !blank) records.push({ line: recordLine, fields });
    fields = [];
    broken = false;
  };
  const problem = (reason: string) => {
    if (!broken) problems.push({ line: recordLine, field: '(row)', reason });
    broken = true;
  };

  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (inQuotes) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n' || (c === '\r' && input[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"') {
      if (field === '' && !quoted && !afterQuote) {
        inQuotes = true;
        quoted = true;
      } else {
        problem('a double quote inside a field that does not start with one');
      }
    } else if (afterQuote) {
      problem('text after the closing quote of a field');
    } else {
      field += c;
    }
  }
  if (inQuotes) problem('a quoted field is not closed before the end of the file');
  if (field !== '' || fields.length > 0 || quoted) endRecord();
  return { records, problems };
}
