import { PageQueryDto } from '../common/pagination';
import { rpc } from '../rpc';
import type { InCommunity } from '../grid/subjects';
import { CreateAccountDto, LoginDto, RegisterResidentDto } from './dto';
import { AccountView, LoginReply, ResidentPage, ResidentView } from './views';

export const MembershipRpc = {
  login: rpc<LoginDto, LoginReply>('membership.auth.login'),
  createAccount: rpc<CreateAccountDto, AccountView>('membership.accounts.create'),
  registerResident: rpc<InCommunity & { resident: RegisterResidentDto }, ResidentView>(
    'membership.residents.register',
  ),
  getResident: rpc<InCommunity & { personId: string }, ResidentView>('membership.residents.get'),
  listResidents: rpc<InCommunity & { page: PageQueryDto }, ResidentPage>('membership.residents.list'),
} as const;
