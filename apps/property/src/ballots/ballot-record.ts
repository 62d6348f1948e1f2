import { createHash } from 'node:crypto';
import { compare } from './electorate';

/** Everything the sealed record of a ballot covers; areas in hundredths as bigint. */
export interface RecordContents {
  ballot: { id: string; communityId: string; matter: string; majority: string; options: string[]; opensAt: string; closesAt: string };
  electorate: { ownerKey: string; areaHundredths: bigint; voterPersonIds: string[]; units: { unitId: string; buildingId: string; areaHundredths: bigint }[] }[];
  votes: { ownerKey: string; option?: string; choices?: { candidateId: string; choice: string }[]; channel: string; castAt: string }[];
  result: unknown;
}

export interface RecordHashes {
  electorateHash: string;
  votesHash: string;
  resultHash: string;
  recordHash: string;
}

/** JSON with sorted keys, bigints as decimal strings and undefined fields left out: the same data, the same text. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compare(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hashes of the record: each part alone, and one over the ballot and the three part hashes. Order of input does not matter. */
export function hashRecord(contents: RecordContents): RecordHashes {
  const electorate = [...contents.electorate]
    .sort((a, b) => compare(a.ownerKey, b.ownerKey))
    .map((e) => ({
      ...e,
      voterPersonIds: [...e.voterPersonIds].sort(compare),
      units: [...e.units].sort((a, b) => compare(a.unitId, b.unitId)),
    }));
  const votes = [...contents.votes].sort((a, b) => compare(a.ownerKey, b.ownerKey));
  const electorateHash = sha256(canonicalJson(electorate));
  const votesHash = sha256(canonicalJson(votes));
  const resultHash = sha256(canonicalJson(contents.result));
  const recordHash = sha256(canonicalJson({ ballot: contents.ballot, electorateHash, votesHash, resultHash }));
  return { electorateHash, votesHash, resultHash, recordHash };
}
