import { ResidentView } from '@cg/contracts';
import { maskedNumbers } from './masking';
import { ResidenceState } from './residence-rules';
import { Resident } from './resident.schema';

/** A resident where they live now, their phone and ID number masked for every reader. */
export function toResidentView(resident: Resident, state: ResidenceState): ResidentView {
  const numbers = maskedNumbers(resident);
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
