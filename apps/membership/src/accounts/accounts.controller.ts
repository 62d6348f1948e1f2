import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CreateAccountDto, LoginDto, MembershipRpc, Principal } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @MessagePattern(MembershipRpc.login.subject)
  login(@Payload() body: unknown) {
    return this.accounts.login(validated(LoginDto, body));
  }

  @MessagePattern(MembershipRpc.createAccount.subject)
  createAccount(@Caller() caller: Principal, @Payload() body: unknown) {
    return this.accounts.createAccount(caller, validated(CreateAccountDto, body));
  }
}
