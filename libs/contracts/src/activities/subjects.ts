import { rpc } from '../rpc';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import {
  CheckInDto,
  ClaimMicroWishDto,
  CompleteShiftDto,
  CreateActivityDto,
  CreateShiftDto,
  ListActivitiesQueryDto,
  ListMicroWishesQueryDto,
  ListRegistrationsQueryDto,
  ListShiftsQueryDto,
  MicroWishNoteDto,
  PostMicroWishDto,
  RegisterForActivityDto,
  ReviewMicroWishDto,
} from './dto';
import {
  ActivityPage,
  ActivityView,
  AttendanceView,
  MicroWishPage,
  MicroWishView,
  RegistrationPage,
  RegistrationView,
  ShiftPage,
  ShiftView,
  SignUpPage,
  SignUpView,
} from './views';

type OfActivity = InCommunity & { activityId: string };
type OfRegistration = OfActivity & { registrationId: string };
type OfShift = InCommunity & { shiftId: string };
type OfSignUp = OfShift & { signUpId: string };
type OfWish = InCommunity & { wishId: string };

export const ActivitiesRpc = {
  createActivity: rpc<InCommunity & { activity: CreateActivityDto }, ActivityView>('activities.activities.create'),
  listActivities: rpc<InCommunity & { query: ListActivitiesQueryDto }, ActivityPage>('activities.activities.list'),
  getActivity: rpc<OfActivity, ActivityView>('activities.activities.get'),
  publishActivity: rpc<OfActivity, ActivityView>('activities.activities.publish'),
  cancelActivity: rpc<OfActivity, ActivityView>('activities.activities.cancel'),
  finishActivity: rpc<OfActivity, ActivityView>('activities.activities.finish'),

  register: rpc<OfActivity & { registration: RegisterForActivityDto }, RegistrationView>('activities.registrations.create'),
  listRegistrations: rpc<OfActivity & { query: ListRegistrationsQueryDto }, RegistrationPage>('activities.registrations.list'),
  myRegistration: rpc<OfActivity, RegistrationView>('activities.registrations.mine'),
  cancelRegistration: rpc<OfRegistration, RegistrationView>('activities.registrations.cancel'),
  checkIn: rpc<OfActivity & { checkIn: CheckInDto }, RegistrationView>('activities.registrations.check-in'),
  attendance: rpc<OfActivity, AttendanceView>('activities.attendance.get'),

  createShift: rpc<InCommunity & { shift: CreateShiftDto }, ShiftView>('activities.shifts.create'),
  listShifts: rpc<InCommunity & { query: ListShiftsQueryDto }, ShiftPage>('activities.shifts.list'),
  signUp: rpc<OfShift, SignUpView>('activities.sign-ups.create'),
  listSignUps: rpc<OfShift & { page: PageQueryDto }, SignUpPage>('activities.sign-ups.list'),
  confirmSignUp: rpc<OfSignUp, SignUpView>('activities.sign-ups.confirm'),
  completeSignUp: rpc<OfSignUp & { completion: CompleteShiftDto }, SignUpView>('activities.sign-ups.complete'),

  postMicroWish: rpc<InCommunity & { wish: PostMicroWishDto }, MicroWishView>('activities.micro-wishes.post'),
  listMicroWishes: rpc<InCommunity & { query: ListMicroWishesQueryDto }, MicroWishPage>('activities.micro-wishes.list'),
  getMicroWish: rpc<OfWish, MicroWishView>('activities.micro-wishes.get'),
  reviewMicroWish: rpc<OfWish & { review: ReviewMicroWishDto }, MicroWishView>('activities.micro-wishes.review'),
  claimMicroWish: rpc<OfWish & { claim: ClaimMicroWishDto }, MicroWishView>('activities.micro-wishes.claim'),
  fulfilMicroWish: rpc<OfWish & { note: MicroWishNoteDto }, MicroWishView>('activities.micro-wishes.fulfil'),
  confirmMicroWish: rpc<OfWish & { note: MicroWishNoteDto }, MicroWishView>('activities.micro-wishes.confirm'),
  disputeMicroWish: rpc<OfWish & { note: MicroWishNoteDto }, MicroWishView>('activities.micro-wishes.dispute'),
} as const;
