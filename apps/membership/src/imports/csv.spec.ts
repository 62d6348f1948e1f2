import { CsvEncodingError, CsvSyntaxError, parseCsv, readCsv } from './csv';

describe('reading a CSV file exported from a spreadsheet', () => {
  it('reads plain records with the line each starts on', async () => {
    expect(await parseCsv('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
  });

  it('drops the byte-order mark Excel writes at the start', async () => {
    expect((await parseCsv('\uFEFFbuilding,unit\nB001,101'))[0].fields).toEqual(['building', 'unit']);
  });

  it('takes CRLF, LF and lone CR as line ends', async () => {
    expect((await parseCsv('a,b\r\n1,2\r\n3,4\r5,6\n7,8')).map((r) => [r.line, r.fields.join('|')])).toEqual([
      [1, 'a|b'],
      [2, '1|2'],
      [3, '3|4'],
      [4, '5|6'],
      [5, '7|8'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', async () => {
    const records = await parseCsv('name,note\r\n"Li, Ming","said ""hi"""\r\n"Wang","two\r\nlines"\r\nZhao,x\r\n');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Li, Ming', 'said "hi"'] },
      { line: 3, fields: ['Wang', 'two\r\nlines'] },
      { line: 5, fields: ['Zhao', 'x'] },
    ]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', async () => {
    expect((await parseCsv('a,,c,\n"",b,,'))[0].fields).toEqual(['a', '', 'c', '']);
    expect((await parseCsv('a,,c,\n"",b,,'))[1].fields).toEqual(['', 'b', '', '']);
  });

  it('skips blank lines but counts them', async () => {
    expect((await parseCsv('a\n\n\r\nb\n')).map((r) => r.line)).toEqual([1, 4]);
  });

  it('refuses a quote that is never closed, naming the line it opened on', async () => {
    const error = await parseCsv('a,b\n1,"open\n2,3\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(2);
  });

  it('reads a file arriving in chunks that split a character and a record', async () => {
    const bytes = new TextEncoder().encode('name,note\n"张,三",x\r\nb,c');
    const chunks = [bytes.slice(0, 12), bytes.slice(12, 13), bytes.slice(13)];
    const records = [];
    for await (const record of readCsv(chunks)) records.push(record);
    expect(records).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['张,三', 'x'] },
      { line: 3, fields: ['b', 'c'] },
    ]);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const records = readCsv([new Uint8Array([0x61, 0xff, 0x0a])]);
    await expect(records.next()).rejects.toThrow(CsvEncodingError);
  });

  it('refuses stray quotes in the middle of a field', async () => {
    await expect(parseCsv('a,b"c\n')).rejects.toThrow(CsvSyntaxError);
    await expect(parseCsv('"a"b,c\n')).rejects.toThrow(CsvSyntaxError);
  });
});
