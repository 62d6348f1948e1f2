import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Page, PageQueryDto } from '../common/pagination';
import { EventContract } from '../events';
import type { InCommunity } from '../grid/subjects';
import { PropertyEvents } from '../property';
import { rpc } from '../rpc';
import {
  MembershipAccountEvents,
  MembershipEvents,
  MembershipOwnerEvents,
  MembershipPositionEvents,
  ResidentMovedData,
} from './events';

/** An audited event type and how its entry names the thing it changed. */
export interface AuditedEvent<T = unknown> {
  event: EventContract<T>;
  objectKind: string;
  objectId(data: T): string;
  summary(data: T): string;
}

/** "evt.property.ballot.opened" -> "Ballot opened". */
function summaryOfType(type: string): string {
  const [aggregate, verb] = type.split('.').slice(-2);
  return `${aggregate.charAt(0).toUpperCase()}${aggregate.slice(1).replace(/-/g, ' ')} ${verb.replace(/-/g, ' ')}`;
}

function audited<T>(
  event: EventContract<T>,
  objectKind: string,
  objectId: (data: T) => string,
  summary: (data: T) => string = () => summaryOfType(event.type),
): AuditedEvent<T> {
  return { event, objectKind, objectId, summary };
}

function movedSummary(d: ResidentMovedData): string {
  if (!d.to) return `${d.name} moved out`;
  return d.reason === 'building_moved'
    ? `${d.name} followed their building to grid ${d.to.gridId}`
    : `${d.name} moved to unit ${d.to.unitId}`;
}

/**
 * Every event type the audit log records, one line each (the summary defaults to the event's name, e.g.
 * `audited(PropertyEvents.ballotOpened, 'ballot', (d) => d.ballotId)`): membership fills `audit_entries` from these
 * with one durable consumer per type. Payloads never carry phone or ID numbers.
 */
// prettier-ignore
export const AUDITED_EVENTS: readonly AuditedEvent[] = [
  audited(MembershipOwnerEvents.ownershipRecorded, 'unit', (d) => d.unitId, (d) => `Ownership recorded: ${d.exclusiveArea} m², ${d.ownerPersonIds.length} owner(s), revision ${d.revision}`),
  audited(MembershipEvents.residentRegistered, 'resident', (d) => d.personId, (d) => `${d.name} registered into unit ${d.unitId} as ${d.relation}`),
  audited(MembershipEvents.residentMoved, 'resident', (d) => d.personId, movedSummary),
  audited(MembershipAccountEvents.accountCreated, 'account', (d) => d.accountId, (d) => `Account ${d.username} (${d.name}) created with roles ${d.roles.join(', ')}`),
  audited(MembershipPositionEvents.appointed, 'resident', (d) => d.personId, (d) => `${d.name} appointed ${d.position} of ${d.bodyName} from ${d.from}`),
  audited(MembershipPositionEvents.termEnded, 'resident', (d) => d.personId, (d) => `${d.name}'s term as ${d.position} of ${d.bodyName} ends ${d.to}`),
  audited(PropertyEvents.ballotOpened, 'ballot', (d) => d.ballotId, (d) => `Ballot "${d.title}" opened until ${d.closesAt}`),
  audited(PropertyEvents.ballotClosed, 'ballot', (d) => d.ballotId, (d) => `Ballot closed by ${d.closedBy}: ${d.outcome}, ${d.votesCounted} vote(s) counted`),
  audited(PropertyEvents.paperVoteRecorded, 'ballot', (d) => d.ballotId, (d) => `Paper vote recorded for unit ${d.unitId}${d.paperNumber ? ` (sheet ${d.paperNumber})` : ''}`),
  audited(PropertyEvents.proxyRecorded, 'ballot', (d) => d.ballotId, (d) => `Proxy authorisation recorded for unit ${d.unitId}: person ${d.proxyPersonId} votes`),
  audited(PropertyEvents.termSeated, 'committee-term', (d) => d.termId, (d) => `Committee term ${d.number} seated with ${d.memberPersonIds.length} member(s)${d.seatsEmpty ? `, ${d.seatsEmpty} seat(s) empty` : ''}`),
  audited(PropertyEvents.termVoided, 'committee-term', (d) => d.termId, (d) => `Committee term ${d.number} voided: ${d.reason}`),
];

/** The action of the entry a reveal of a resident's personal numbers writes itself, before answering. */
export const NUMBERS_REVEALED_ACTION = 'membership.resident.numbers-revealed';

/** Why someone needs a resident's full phone and ID number. */
export enum RevealPurpose {
  EmergencyContact = 'emergency_contact',
  LegalNotice = 'legal_notice',
  OwnerRegisterCheck = 'owner_register_check',
  DisputeResolution = 'dispute_resolution',
}

/** Reveals a resident may take per account in a rolling hour. */
export const REVEALS_PER_HOUR = 30;

export class RevealNumbersDto {
  @ApiProperty({ enum: RevealPurpose })
  @IsEnum(RevealPurpose)
  purpose: RevealPurpose;

  @ApiProperty({
    minLength: 10,
    maxLength: 500,
    example: 'Water leak into the unit below; the owner must be reached now',
  })
  @IsString()
  @MinLength(10)
  @MaxLength(500)
  reason: string;
}

export class RevealedNumbersView {
  @ApiProperty() personId: string;
  @ApiProperty({ example: '13800001234' }) phone: string;
  @ApiPropertyOptional({ example: '310104198001011239' }) idNumber?: string;
  @ApiProperty({ description: 'The audit entry recording this reveal' }) auditEntryId: string;
  @ApiProperty() revealedAt: string;
}

export class AuditObjectView {
  @ApiProperty({ example: 'resident' }) kind: string;
  @ApiProperty() id: string;
}

export class AuditEntryView {
  @ApiProperty({ description: 'The event id, or the reveal id' }) id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() at: string;
  @ApiProperty({ description: 'Account id of who acted' }) actor: string;
  @ApiProperty({ example: 'evt.membership.resident.registered' }) action: string;
  @ApiProperty({ type: AuditObjectView }) object: AuditObjectView;
  @ApiProperty() summary: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Never holds unmasked numbers',
  })
  details?: Record<string, unknown>;
}

export class AuditEntryPage implements Page<AuditEntryView> {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiPropertyOptional() nextCursor?: string;
}

const NAME = /^[a-z0-9._-]{1,100}$/i;

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'resident' })
  @IsOptional()
  @Matches(NAME, { message: 'objectKind must be 1-100 letters, digits, ".", "_" or "-"' })
  objectKind?: string;

  @ApiPropertyOptional({ description: 'With objectKind' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  objectId?: string;

  @ApiPropertyOptional({ description: 'Account id' })
  @IsOptional()
  @IsMongoId()
  actor?: string;

  @ApiPropertyOptional({ example: 'evt.membership.ownership.recorded' })
  @IsOptional()
  @Matches(NAME, { message: 'action must be 1-100 letters, digits, ".", "_" or "-"' })
  action?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'From this instant on' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59Z', description: 'Before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export const MembershipAuditRpc = {
  revealNumbers: rpc<InCommunity & { personId: string; reveal: RevealNumbersDto }, RevealedNumbersView>(
    'membership.residents.reveal',
  ),
  listAuditEntries: rpc<InCommunity & { query: AuditQueryDto }, AuditEntryPage>('membership.audit.list'),
} as const;
