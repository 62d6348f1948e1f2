import { MembershipOwnerEvents, OwnershipRecordedData, newEvent } from '@cg/contracts';
import { Types } from 'mongoose';

export const newId = () => new Types.ObjectId().toHexString();

/** An ownership event as membership publishes it; everything not given is made up. */
export function ownershipRecorded(communityId: string, data: Partial<OwnershipRecordedData> & { unitId: string }) {
  const voterPersonId = data.voterPersonId ?? newId();
  return newEvent<OwnershipRecordedData>(
    MembershipOwnerEvents.ownershipRecorded,
    {
      buildingId: newId(),
      gridId: newId(),
      exclusiveArea: '89.50',
      areaSource: 'register',
      ownerPersonIds: [voterPersonId],
      voterPersonId,
      headcountKey: voterPersonId,
      revision: 1,
      ...data,
    },
    { communityId, actor: 'membership-test', correlationId: `corr-${data.unitId}` },
  );
}
