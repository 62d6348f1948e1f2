import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountView, CreateAccountDto, LoginDto, LoginReply, MembershipRpc, Role } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Public, Roles } from '../http/access';
import { ApiProblems, ApiSecured } from '../http/api-problems';

@ApiTags('membership')
@Controller()
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username and password; returns a bearer token' })
  @ApiOkResponse({ type: LoginReply })
  @ApiProblems(400, 401)
  login(@Body() body: LoginDto): Promise<LoginReply> {
    return this.rpc.send(MembershipRpc.login, body);
  }

  @Roles(Role.DistrictAdmin)
  @Post('accounts')
  @ApiOperation({ summary: 'Create a staff account (district administrators only)' })
  @ApiOkResponse({ type: AccountView })
  @ApiSecured(400, 409)
  createAccount(@Body() body: CreateAccountDto): Promise<AccountView> {
    return this.rpc.send(MembershipRpc.createAccount, body);
  }
}
