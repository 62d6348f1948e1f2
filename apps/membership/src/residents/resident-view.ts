import { Principal, ResidentView } from '@cg/contracts';
import { maskIdNumber, maskPhone, personalNumbersFor } from './masking';
import { ResidenceState } from './residence-rules';
import { Resident } from './resident.schema';

/**
 * A resident as `reader` may see them, where they live now. Without a reader (the reply to a write, readers
 * inside this service) the numbers are masked.
 */
export function toResidentView(resident: Resident, state: ResidenceState, reader?: Principal): ResidentView {
  const numbers = reader
    ? personalNumbersFor(reader, resident)
    : { phone: maskPhone(resident.phone), ...(resident.idNumber && { idNumber: maskIdNumber(resident.idNumber) }) };
  const place = state.place ?? state.lastPlace;
  return {
    id: String(resident._id),
    communityId: String(resident.communityId),
    name: resident.name,
    ...numbers,
    unitId: place.unitId,
    buildingId: place.buildingId,
    gridId: place.gridId,
    relation: state.relation,
    registeredAt: resident.registeredAt.toISOString(),
    ...(resident.accountId && { accountId: String(resident.accountId) }),
    ...(resident.dateOfBirth && { dateOfBirth: resident.dateOfBirth }),
    ...(resident.gender && { gender: resident.gender }),
    residentSince: state.since.toISOString(),
    ...(state.movedOutAt && { movedOutAt: state.movedOutAt.toISOString() }),
    revision: state.revision,
  };
}
