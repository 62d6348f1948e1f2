import { IndexDefinition } from 'mongoose';

export const RESIDENCY_OPTIONS = Symbol('RESIDENCY_OPTIONS');

/** What one service's copy of the residency read model differs in; names must never change once deployed. */
export interface ResidencyOptions {
  /** The collection in the service's database. */
  collection: string;
  /** Durable consumer names, one per membership event. */
  durables: { registrations: string; moves: string };
  /** Whether the service keeps residents' names. */
  keepNames: boolean;
  /** Extra indexes for the service's own queries (each should lead with `communityId`). */
  indexes?: IndexDefinition[];
}
