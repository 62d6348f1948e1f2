import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, LoginDto, MembershipRpc, Principal } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { TokenService, VerifiedToken } from '@cg/auth';
import { SERVICE_CONFIG } from '@cg/observability';
import { GatewayConfig } from '../config';
import { LoginLimiter } from './login-limiter';
import { RevocationList } from './revocation-list';
import { SessionReply } from './session.dto';

/** Login, refresh with rotation and logout; membership checks the password, the gateway holds the session. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly tokens: TokenService,
    private readonly revocations: RevocationList,
    private readonly limiter: LoginLimiter,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async login(credentials: LoginDto, address: string): Promise<SessionReply> {
    await this.limiter.assertMayTry(credentials.username, address);
    try {
      const { principal } = await this.rpc.send(MembershipRpc.login, credentials);
      await this.limiter.recordSuccess(credentials.username);
      return this.open(principal);
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.INVALID_CREDENTIALS) {
        await this.limiter.recordFailure(credentials.username, address);
      }
      throw error;
    }
  }

  /** A refresh token works once: it is spent here, and a second use (a stolen copy, or a replay) is refused. */
  async refresh(refreshToken: string): Promise<SessionReply> {
    const used = this.tokens.inspectRefresh(refreshToken);
    if (!(await this.revocations.consumeRefresh(used.jti, used.expiresAt))) {
      throw new DomainException(ErrorCode.UNAUTHENTICATED, 'The refresh token was already used or revoked; log in again');
    }
    return this.open(used.principal, used.expiresAt);
  }

  /** Ends the session: the refresh token at once, and the access token presented with it until it expires. */
  async logout(refreshToken: string, access?: VerifiedToken): Promise<void> {
    const session = this.tokens.inspectRefresh(refreshToken);
    if (access && access.principal.sub !== session.principal.sub) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'The access token and the refresh token belong to different accounts');
    }
    await this.revocations.revokeRefresh(session.jti, session.expiresAt);
    if (access) await this.revocations.revokeAccess(access.jti, access.expiresAt);
  }

  /**
   * A new pair. A refreshed session ends when the first refresh token would have: refreshing extends the access, not
   * the session.
   */
  private open(principal: Principal, sessionEndsAt?: number): SessionReply {
    const now = Math.floor(Date.now() / 1000);
    const refreshTtl = sessionEndsAt ? Math.max(sessionEndsAt - now, 1) : this.config.refreshTokenTtlSeconds;
    const access = this.tokens.issueAccess(principal);
    const refresh = this.tokens.issueRefresh(principal, refreshTtl);
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresAt - now,
      refreshToken: refresh.token,
      refreshExpiresIn: refresh.expiresAt - now,
      principal,
    };
  }
}
