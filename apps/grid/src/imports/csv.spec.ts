import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads plain rows with the line each starts on', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual({
      records: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', '2', '3'] },
      ],
      problems: [],
    });
  });

  it('drops a byte-order mark and accepts CRLF, LF and CR line ends', () => {
    const { records } = parseCsv('\uFEFFcode,name\r\nB1,One\rB2,Two\nB3,Three');
    expect(records).toEqual([
      { line: 1, fields: ['code', 'name'] },
      { line: 2, fields: ['B1', 'One'] },
      { line: 3, fields: ['B2', 'Two'] },
      { line: 4, fields: ['B3', 'Three'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quotes, counting lines after them', () => {
    const { records, problems } = parseCsv('code,name\r\nB1,"Tower, ""East"" wing"\r\nB2,"two\r\nlines"\r\nB3,""\r\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['code', 'name'] },
      { line: 2, fields: ['B1', 'Tower, "East" wing'] },
      { line: 3, fields: ['B2', 'two\r\nlines'] },
      { line: 5, fields: ['B3', ''] },
    ]);
  });

  it('skips blank lines but keeps rows of empty fields', () => {
    const { records } = parseCsv('a,b\n\n,\n\r\n1,2\n\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['', ''] },
      { line: 5, fields: ['1', '2'] },
    ]);
  });

  it('reports stray and unclosed quotes on the line of their row and leaves those rows out', () => {
    const { records, problems } = parseCsv('a,b\nB"1,x\n"B2"x,y\nB3,ok\nB4,"never closed\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['B3', 'ok'] },
    ]);
    expect(problems).toEqual([
      { line: 2, field: '(row)', reason: 'a double quote inside a field that does not start with one' },
      { line: 3, field: '(row)', reason: 'text after the closing quote of a field' },
      { line: 5, field: '(row)', reason: 'a quoted field is not closed before the end of the file' },
    ]);
  });
});
