import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, GridRpc } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../options';
import { ReaderPlace } from './audiences';

const MAX_ENTRIES = 50_000;
/** "No residence known" is kept briefly: a newly registered resident reaches grid's read model within seconds. */
const UNKNOWN_TTL_MS = 5_000;

/**
 * Where readers live, from grid (`grid.residence.get`, asked as the reader), kept per person for a short while:
 * an inbox read or an unread badge must not cost a grid call each time. A move shows after the TTL.
 */
@Injectable()
export class ResidenceCache {
  private readonly entries = new Map<string, { place: ReaderPlace | undefined; until: number }>();

  constructor(
    private readonly rpc: RpcClient,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
  ) {}

  async placeOf(communityId: string, personId: string): Promise<ReaderPlace | undefined> {
    const key = `${communityId}:${personId}`;
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.place;
    let place: ReaderPlace | undefined;
    try {
      const residence = await this.rpc.send(GridRpc.getResidence, { communityId, personId });
      place = { areaId: residence.area.id, gridId: residence.grid.id, buildingId: residence.building.id };
    } catch (error) {
      const code = (error as DomainException).code;
      if (code !== ErrorCode.RESIDENT_NOT_FOUND && code !== ErrorCode.NODE_NOT_FOUND) {
        // Grid unreachable: a stale answer beats none; without one the reader sees personal and community notices.
        if (cached) return cached.place;
        return undefined;
      }
    }
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { place, until: now + (place ? this.options.residenceTtlMs : Math.min(UNKNOWN_TTL_MS, this.options.residenceTtlMs)) });
    return place;
  }
}
