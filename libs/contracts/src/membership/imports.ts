import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';

/** Data rows one import file may hold (the header line not counted). */
export const IMPORT_MAX_ROWS = 20_000;
/** Problems listed in a rejection; the message gives the full count. */
export const IMPORT_MAX_ISSUES = 1_000;
/** Bytes of CSV text the gateway accepts as `text/csv` (about 200 bytes for each of 20,000 rows). */
export const IMPORT_MAX_CSV_BYTES = 4 * 1024 * 1024;

/** The columns of a residents-and-owners file; the header names them, in any order, case-insensitive. */
export const IMPORT_COLUMNS = [
  'building',
  'unit',
  'name',
  'phone',
  'id_number',
  'relation',
  'area',
  'area_source',
  'voter',
] as const;

export class ResidentImportDto {
  @ApiProperty({
    description:
      'The CSV text, UTF-8, comma-separated, header first. Columns: building (code), unit (code), name, phone, ' +
      'id_number (optional), relation (owner | tenant | family_member), area (owners only: exclusive m², at most ' +
      'two decimals), area_source (optional: register | surveyed | contract), voter (optional: yes on the one ' +
      'co-owner who votes for the unit).',
    example:
      'building,unit,name,phone,id_number,relation,area\nB001,101,Li Ming,13800001234,310104198001011234,owner,89.50\n',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(IMPORT_MAX_CSV_BYTES)
  csv: string;
}

/** One problem with one row of a rejected file. */
export interface ImportIssue {
  /** Line of the file, 1 being the header. */
  line: number;
  field: string;
  reason: string;
}

export class ImportIssueView implements ImportIssue {
  @ApiProperty({ example: 7 }) line: number;
  @ApiProperty({ example: 'phone' }) field: string;
  @ApiProperty({ example: 'must be 5-20 digits, optionally with a leading +' }) reason: string;
}

export class ImportReportView {
  @ApiProperty({ description: 'Data rows in the file' }) rows: number;
  @ApiProperty({ description: 'Residents stored by this import' }) residentsCreated: number;
  @ApiProperty({ description: 'Rows already on record (same unit and phone): left as they are' })
  residentsExisting: number;
  @ApiProperty({ description: 'Units whose owners of record changed, each a new ownership revision' })
  ownershipsRecorded: number;
  @ApiProperty({ description: 'Units whose owners of record were already as in the file' })
  ownershipsUnchanged: number;
}

export const MembershipImportRpc = {
  /**
   * The file travels gzip-compressed and base64-encoded: a 20,000-row file is larger than a NATS message may be.
   * A rejected file answers IMPORT_REJECTED with `details` listing ImportIssue per line and field.
   */
  importResidents: rpc<InCommunity & { csvGzipBase64: string }, ImportReportView>(
    'membership.resident-imports.run',
  ),
} as const;
