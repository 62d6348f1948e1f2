import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  CaseCategorySettingDto,
  CommunitySettingsChangedData,
  CommunitySettingsDto,
  CommunitySettingsView,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridSettingsEvents,
  NodeKind,
  Principal,
  Role,
  SettingsHistoryPage,
  SettingsHistoryQueryDto,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { NatsConnection, Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { objectId } from '@cg/persistence';
import { JSONCodec } from 'nats';
import { Types } from 'mongoose';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import {
  CommunitySettingsContent,
  DEFAULT_SETTINGS,
  normalised,
  removedCodes,
  settingsChanges,
  settingsProblems,
} from './settings-rules';
import { CommunitySettings, SettingsActor, SettingsRevision } from './settings.schema';
import { SettingsRepository, StoredSettings } from './settings.repository';

const READERS = [...COMMUNITY_MANAGERS, Role.GridWorker, Role.System];
/** A safety net: the settings event drops a changed entry at once; this bounds staleness if an event is missed. */
const CACHE_MS = 60_000;
const CACHE_ENTRIES = 2_000;

/** A community's settings as cases and meetings use them. */
export interface EffectiveSettings extends CommunitySettingsContent {
  communityId: string;
  revision: number;
  updatedAt?: Date;
  updatedBy?: SettingsActor;
}

const codec = JSONCodec<EventEnvelope<CommunitySettingsChangedData>>();

@Injectable()
export class SettingsService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { at: number; settings: EffectiveSettings }>();

  constructor(
    private readonly repository: SettingsRepository,
    private readonly hierarchy: HierarchyRepository,
    private readonly outbox: Outbox,
    private readonly nats: NatsConnection,
  ) {}

  /** Every replica hears the settings event (a plain subscription, no queue group) and drops what it cached. */
  onApplicationBootstrap(): void {
    this.nats.nc.subscribe(GridSettingsEvents.changed.type, {
      callback: (error, message) => {
        if (error) return;
        try {
          const event = codec.decode(message.data);
          const cached = this.cache.get(event.communityId);
          if (cached && cached.settings.revision < event.data.revision) this.cache.delete(event.communityId);
        } catch {
          this.cache.clear();
        }
      },
    });
  }

  /**
   * The settings a filing or an agenda runs on, from this process's cache. `fresh` reads them again: a code the
   * cache does not know may have been added a moment ago on another replica.
   */
  async forCommunity(communityId: string, fresh = false): Promise<EffectiveSettings> {
    const cached = this.cache.get(communityId);
    if (!fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.settings;
    const settings = await this.load(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND));
    this.remember(settings);
    return settings;
  }

  /** The category as the community's settings define it, reading them again once before saying it is unknown. */
  async category(communityId: string, code: string): Promise<CaseCategorySettingDto | undefined> {
    const find = (s: EffectiveSettings) => s.categories.find((c) => c.code === code);
    return find(await this.forCommunity(communityId)) ?? find(await this.forCommunity(communityId, true));
  }

  async get(caller: Principal, communityId: string): Promise<CommunitySettingsView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, READERS);
    return toView(await this.load(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND)));
  }

  /** Replaces the settings made on `expectedRevision`; of two changes on the same revision exactly one lands. */
  async put(
    caller: Principal,
    communityId: string,
    dto: CommunitySettingsDto,
  ): Promise<CommunitySettingsView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, COMMUNITY_MANAGERS);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const node = await this.hierarchy.findNode({
      communityId: community,
      _id: community,
      kind: NodeKind.Community,
    });
    if (!node) throw new DomainException(ErrorCode.COMMUNITY_NOT_FOUND, `No community ${communityId}`);
    const current = await this.load(community);
    if (current.revision !== dto.expectedRevision) throw stale(current.revision);
    const next = normalised(dto);
    const inUse = await this.repository.codesInUse(community, removedCodes(current, next));
    const problems = settingsProblems(next, current, inUse);
    if (problems.length > 0) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The settings are not valid', problems);
    }
    const changes = settingsChanges(current, next);
    if (changes.length === 0) return toView(current);
    const by = { sub: caller.sub, name: caller.name };
    const revision = current.revision + 1;
    const entry: SettingsRevision = { revision, by, at: new Date(), changes };
    const event = newEvent(
      GridSettingsEvents.changed,
      { revision, changes, ...next },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const landed = await this.repository.change(community, current.revision, next, by, entry, event);
    if (!landed) {
      this.cache.delete(communityId);
      throw stale((await this.load(community)).revision);
    }
    void this.outbox.deliver(CommunitySettings.name, community);
    const stored: EffectiveSettings = { communityId, revision, ...next, updatedAt: entry.at, updatedBy: by };
    this.remember(stored);
    return toView(stored);
  }

  /** Accepted changes, latest first; the cursor is the revision the previous page ended at. */
  async history(
    caller: Principal,
    communityId: string,
    page: SettingsHistoryQueryDto,
  ): Promise<SettingsHistoryPage> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, READERS);
    const before = page.cursor === undefined ? Infinity : Number(page.cursor);
    if (!Number.isInteger(before) && before !== Infinity) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The cursor is not valid', [
        { field: 'cursor', reason: 'use nextCursor of the previous page' },
      ]);
    }
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const entries = (await this.repository.history(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND)))
      .filter((e) => e.revision < before)
      .sort((a, b) => b.revision - a.revision);
    const items = entries.slice(0, limit).map((e) => ({
      revision: e.revision,
      by: e.by,
      at: new Date(e.at).toISOString(),
      changes: e.changes,
    }));
    return { items, ...(entries.length > limit && { nextCursor: String(items[items.length - 1].revision) }) };
  }

  private async load(community: Types.ObjectId): Promise<EffectiveSettings> {
    const stored = await this.repository.find(community);
    return stored ? fromStored(stored) : { communityId: String(community), revision: 0, ...DEFAULT_SETTINGS };
  }

  private remember(settings: EffectiveSettings): void {
    const cached = this.cache.get(settings.communityId);
    if (cached && cached.settings.revision > settings.revision) return;
    this.cache.delete(settings.communityId);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(settings.communityId, { at: Date.now(), settings });
  }
}

function fromStored(stored: StoredSettings): EffectiveSettings {
  return {
    communityId: String(stored._id),
    revision: stored.revision,
    categories: stored.categories,
    evaluationWeights: stored.evaluationWeights,
    agendaLabels: stored.agendaLabels,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}

function toView(settings: EffectiveSettings): CommunitySettingsView {
  return {
    communityId: settings.communityId,
    revision: settings.revision,
    categories: settings.categories,
    evaluationWeights: settings.evaluationWeights,
    agendaLabels: settings.agendaLabels,
    ...(settings.updatedAt && { updatedAt: new Date(settings.updatedAt).toISOString() }),
    ...(settings.updatedBy && { updatedBy: settings.updatedBy }),
  };
}

function stale(revision: number): DomainException {
  return new DomainException(
    ErrorCode.CONFLICT,
    `The settings are at revision ${revision}; reload them and send that revision`,
    { currentRevision: revision },
  );
}
