import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountView, CreateAccountDto, LoginDto, MembershipRpc, Role } from '@cg/contracts';
import { TokenService, VerifiedToken, bearerOf } from '@cg/auth';
import { RpcClient } from '@cg/messaging';
import type { FastifyRequest } from 'fastify';
import { Public, Roles } from '../http/access';
import { ApiProblems, ApiSecured } from '../http/api-problems';
import { RefreshTokenDto, SessionReply } from './session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('membership')
@Controller()
export class AuthController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with username and password; returns an access token and a refresh token',
    description:
      'Failed logins are counted per account and per client address; past a few in a row, logins for that account ' +
      'or address are refused for a doubling while with 429 and Retry-After, whatever the password.',
  })
  @ApiOkResponse({ type: SessionReply })
  @ApiProblems(400, 401)
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<SessionReply> {
    return this.sessions.login(body, request.ip);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access token and refresh token',
    description: 'Each refresh token works once; the session still ends when the refresh token of the login expires.',
  })
  @ApiOkResponse({ type: SessionReply })
  @ApiProblems(400, 401)
  refresh(@Body() body: RefreshTokenDto): Promise<SessionReply> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Log out: revoke the refresh token, and the access token sent along until it expires',
  })
  @ApiHeader({ name: 'Authorization', required: false, description: 'Bearer access token of the session, revoked too' })
  @ApiNoContentResponse({ description: 'The session is ended' })
  @ApiProblems(400, 401, 403)
  logout(@Body() body: RefreshTokenDto, @Headers('authorization') authorization?: string): Promise<void> {
    return this.sessions.logout(body.refreshToken, authorization ? this.accessOf(authorization) : undefined);
  }

  @Roles(Role.DistrictAdmin)
  @Post('accounts')
  @ApiOperation({ summary: 'Create a staff account (district administrators only)' })
  @ApiOkResponse({ type: AccountView })
  @ApiSecured(400, 409)
  createAccount(@Body() body: CreateAccountDto): Promise<AccountView> {
    return this.rpc.send(MembershipRpc.createAccount, body);
  }

  /** An expired access token need not be revoked; one that does not verify is not ours to revoke. */
  private accessOf(authorization: string): VerifiedToken | undefined {
    try {
      return this.tokens.inspect(bearerOf(authorization));
    } catch {
      return undefined;
    }
  }
}
