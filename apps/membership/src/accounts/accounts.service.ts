import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AccountView,
  CreateAccountDto,
  DomainException,
  ErrorCode,
  LoginDto,
  LoginReply,
  MembershipAccountEvents,
  Principal,
  Role,
  newEvent,
} from '@cg/contracts';
import { TokenService, assertRole, hashPassword, verifyPassword } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { newId } from '@cg/persistence';
import { Types } from 'mongoose';
import { todayInChina } from '../bodies/term-rules';
import type { Resident } from '../residents/resident.schema';
import { Account } from './account.schema';
import { AccountsRepository } from './accounts.repository';
import { rolesFor } from './derived-roles';
import { PersonFactsRepository } from './person-facts.repository';

export const BOOTSTRAP_ADMIN = Symbol('BOOTSTRAP_ADMIN');
export interface BootstrapAdmin {
  username: string;
  password: string;
}

// Verified against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password');

export function toAccountView(account: Account): AccountView {
  return {
    id: String(account._id),
    username: account.username,
    name: account.name,
    ...(account.personId && { personId: String(account.personId) }),
    roles: account.roles,
    communityIds: account.communityIds.map(String),
  };
}

@Injectable()
export class AccountsService implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly facts: PersonFactsRepository,
    private readonly tokens: TokenService,
    private readonly outbox: Outbox,
    @Inject(BOOTSTRAP_ADMIN) private readonly bootstrapAdmin: BootstrapAdmin | undefined,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates the first district administrator from the environment when it does not exist yet. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.bootstrapAdmin) return;
    const { username, password } = this.bootstrapAdmin;
    if (await this.accounts.findByUsername(username)) return;
    try {
      await this.accounts.insert({
        username,
        passwordHash: await hashPassword(password),
        name: 'District administrator',
        roles: [Role.DistrictAdmin],
        communityIds: [],
      });
      this.logger.info({ username }, 'bootstrap administrator created');
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.USERNAME_TAKEN)) throw error;
    }
  }

  async login(dto: LoginDto): Promise<LoginReply> {
    const account = await this.accounts.findByUsername(dto.username.toLowerCase());
    const valid = await verifyPassword(dto.password, account?.passwordHash ?? (await DUMMY_HASH));
    // A pending account's resident is not stored yet: it logs in once the registration is finished.
    if (!account || !valid || account.pendingResident) {
      throw new DomainException(ErrorCode.INVALID_CREDENTIALS, 'Username or password is wrong');
    }
    // Roles follow the person's records at each login: a new party member or committee seat shows next time.
    const roles = account.personId
      ? rolesFor(account.roles, await this.facts.factsOf(account.personId, todayInChina()))
      : account.roles;
    const principal: Principal = {
      sub: String(account._id),
      ...(account.personId && { personId: String(account.personId) }),
      name: account.name,
      roles,
      communityIds: account.communityIds.map(String),
    };
    return {
      accessToken: this.tokens.issue(principal),
      tokenType: 'Bearer',
      expiresIn: this.tokens.lifetimeSeconds,
      principal,
    };
  }

  async createAccount(caller: Principal, dto: CreateAccountDto): Promise<AccountView> {
    assertRole(caller, [Role.DistrictAdmin]);
    const _id = newId('account');
    const roles = dto.roles.filter((role) => role !== Role.System);
    const data = { accountId: String(_id), username: dto.username, name: dto.name, roles, communityIds: dto.communityIds };
    const account = await this.accounts.insert({
      _id,
      username: dto.username,
      passwordHash: await hashPassword(dto.password),
      name: dto.name,
      roles,
      communityIds: dto.communityIds.map((id) => new Types.ObjectId(id)),
      // One event per community the account acts in, so each community's audit log shows it.
      outbox: dto.communityIds.map((communityId) =>
        newEvent(MembershipAccountEvents.accountCreated, data, {
          communityId,
          actor: caller.sub,
          correlationId: currentCorrelationId(),
        }),
      ),
    });
    void this.outbox.deliver(Account.name, _id);
    return toAccountView(account);
  }

  /**
   * A resident's own app account, written pending with the resident it waits for (see ResidentsService.register).
   * Throws USERNAME_TAKEN when the username is held, pending or not.
   */
  async createResidentAccount(
    accountId: Types.ObjectId,
    credentials: { username: string; password: string },
    resident: Resident,
    roles: Role[],
  ): Promise<Account> {
    return this.accounts.insert({
      _id: accountId,
      username: credentials.username,
      passwordHash: await hashPassword(credentials.password),
      name: resident.name,
      personId: resident._id,
      roles,
      communityIds: [resident.communityId],
      pendingResident: resident,
    });
  }

  /** The pending account holding `username`, if the username is held by one. */
  async pendingHolderOf(username: string): Promise<Account | undefined> {
    const holder = await this.accounts.findByUsername(username);
    return holder?.pendingResident ? holder : undefined;
  }

  /** Pending accounts whose registration began before `before`. */
  pendingSince(before: Date, limit: number): Promise<Account[]> {
    return this.accounts.pendingSince(before, limit);
  }

  /** Its resident is stored: the account may log in. */
  activate(account: Account): Promise<void> {
    return this.accounts.activate(account._id);
  }

  /** Its resident was refused: the registration is undone and the username free again. */
  abandon(account: Account): Promise<void> {
    return this.accounts.removePending(account._id);
  }
}
