import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';
import { PageQueryDto } from '../common/pagination';

/** Data rows one import file may hold (the header line not counted): a whole reference estate (40,000) fits. */
export const IMPORT_MAX_ROWS = 50_000;
/** Problems listed in a rejection; the message gives the full count. */
export const IMPORT_MAX_ISSUES = 1_000;
/** Bytes of CSV text the gateway accepts as `text/csv` (about 250 bytes for each of 50,000 rows). */
export const IMPORT_MAX_CSV_BYTES = 12 * 1024 * 1024;

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
      'building,unit,name,phone,id_number,relation,area\nB001,101,Li Ming,13800001234,310104198001011239,owner,89.50\n',
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

/** Where the gateway leaves an uploaded file for the service that works on it: a JetStream object store bucket. */
export const UPLOADS_BUCKET = 'UPLOADS';

export enum ImportStatus {
  /** Accepted and stored; waiting for a worker (also after a restart, until one takes it up again). */
  Queued = 'queued',
  Running = 'running',
  Completed = 'completed',
  /** A row was bad: `errors` lists them and nothing was stored. */
  Rejected = 'rejected',
  /** It could not finish after several attempts (e.g. grid unreachable); `message` says why. Importing again resumes. */
  Failed = 'failed',
}

export const IMPORT_FINAL_STATUSES: readonly ImportStatus[] = [
  ImportStatus.Completed,
  ImportStatus.Rejected,
  ImportStatus.Failed,
];

export class ImportJobView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: ImportStatus }) status: ImportStatus;
  @ApiProperty({ description: 'Data rows in the file' }) rows: number;
  @ApiProperty({ description: 'Size of the CSV text in bytes' }) bytes: number;
  @ApiProperty({ description: 'Account that submitted the file' }) submittedBy: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finishedAt?: string;
  @ApiProperty({ description: 'Times a worker took the file up (more than one after a restart or a failure)' })
  attempts: number;
  @ApiPropertyOptional({ type: ImportReportView, description: 'When completed' }) report?: ImportReportView;
  @ApiPropertyOptional({
    type: [ImportIssueView],
    description: `When rejected: the problems, line by line (at most ${IMPORT_MAX_ISSUES}; errorCount gives all)`,
  })
  errors?: ImportIssue[];
  @ApiPropertyOptional({ description: 'When rejected: how many problems the file has' }) errorCount?: number;
  @ApiPropertyOptional({ description: 'When rejected or failed: what went wrong, in one sentence' }) message?: string;
}

export class ImportJobPage {
  @ApiProperty({ type: [ImportJobView] }) items: ImportJobView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export const MembershipImportRpc = {
  /**
   * Takes up a file the gateway stored in the UPLOADS bucket under `upload`. The file is read at once: one that is
   * not CSV, lacks a column or has too many rows answers IMPORT_REJECTED and no import is created. Otherwise the
   * import is recorded as queued and runs in the background; the answer is its view.
   */
  submit: rpc<InCommunity & { upload: string; bytes: number }, ImportJobView>('membership.resident-imports.submit'),
  get: rpc<InCommunity & { importId: string }, ImportJobView>('membership.resident-imports.get'),
  list: rpc<InCommunity & { page: PageQueryDto }, ImportJobPage>('membership.resident-imports.list'),
} as const;
