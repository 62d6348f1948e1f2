import { PageQueryDto } from '../common/pagination';
import { rpc } from '../rpc';
import type { InCommunity } from '../grid/subjects';
import { CreateAccountDto, LoginDto, MoveOutDto, MoveResidentDto, RegisterResidentDto, ResidentQueryDto } from './dto';
import { AccountView, HouseholdView, LoginReply, ResidenceHistoryView, ResidentPage, ResidentView } from './views';

export const MembershipRpc = {
  login: rpc<LoginDto, LoginReply>('membership.auth.login'),
  createAccount: rpc<CreateAccountDto, AccountView>('membership.accounts.create'),
  registerResident: rpc<InCommunity & { resident: RegisterResidentDto }, ResidentView>(
    'membership.residents.register',
  ),
  getResident: rpc<InCommunity & { personId: string }, ResidentView>('membership.residents.get'),
  listResidents: rpc<InCommunity & { page: PageQueryDto | ResidentQueryDto }, ResidentPage>('membership.residents.list'),
  moveResident: rpc<InCommunity & { personId: string; move: MoveResidentDto }, ResidentView>('membership.residents.move'),
  moveOutResident: rpc<InCommunity & { personId: string; moveOut: MoveOutDto }, ResidentView>(
    'membership.residents.move-out',
  ),
  residenceHistory: rpc<InCommunity & { personId: string }, ResidenceHistoryView>('membership.residents.history'),
  getHousehold: rpc<InCommunity & { unitId: string }, HouseholdView>('membership.households.get'),
} as const;
