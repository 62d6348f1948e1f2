import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, GridRpc } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';

const PAGE = 200;

/**
 * GeoReport jurisdictions are communities, named by their code (or their id). Codes are unique and never change, so
 * what was found is kept; an unknown name reloads the list of communities, one reload shared by the requests that wait.
 */
@Injectable()
export class Jurisdictions {
  private readonly communityOfName = new Map<string, string>();
  private reloading?: Promise<void>;

  constructor(private readonly rpc: RpcClient) {}

  /** The community a jurisdiction_id names; the endpoint serves many communities, so one must be named. */
  async communityOf(jurisdictionId: string | undefined): Promise<string> {
    if (!jurisdictionId) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'jurisdiction_id is required: this endpoint serves many communities', [
        { field: 'jurisdiction_id', reason: 'the code of a community' },
      ]);
    }
    const known = this.communityOfName.get(jurisdictionId);
    if (known) return known;
    // A reload already running may have begun before the community was created: then one more, begun after.
    if (this.reloading) await this.reloading.catch(() => undefined);
    if (!this.communityOfName.has(jurisdictionId)) {
      this.reloading ??= this.reload().finally(() => (this.reloading = undefined));
      await this.reloading;
    }
    const found = this.communityOfName.get(jurisdictionId);
    if (!found) throw new DomainException(ErrorCode.COMMUNITY_NOT_FOUND, `No jurisdiction ${jurisdictionId}`);
    return found;
  }

  private async reload(): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.rpc.send(GridRpc.listCommunities, { page: { limit: PAGE, ...(cursor && { cursor }) } });
      for (const community of page.items) {
        this.communityOfName.set(community.code, community.id);
        this.communityOfName.set(community.id, community.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
}
