import { Principal, Role, hasAnyRole } from '@cg/contracts';

/** Staff who may read residents' phone and ID numbers in full; everyone else, grid workers included, sees them masked. */
export const NUMBER_READERS: readonly Role[] = [Role.CommunityStaff, Role.DistrictAdmin];

/** 13800001234 -> 138****1234: enough for a resident to recognise their own number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `${phone.slice(0, 1)}****${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** 310104198001011234 -> 3101**********1234: region and check digits only, never the birth date. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(id.length - 8, 0))}${id.slice(-4)}`;
}

export function seesPersonalNumbers(reader: Principal): boolean {
  return hasAnyRole(reader, [...NUMBER_READERS]);
}

/** The phone and ID number as `reader` may see them. */
export function personalNumbersFor(
  reader: Principal,
  person: { phone: string; idNumber?: string },
): { phone: string; idNumber?: string } {
  if (seesPersonalNumbers(reader)) return { phone: person.phone, ...(person.idNumber && { idNumber: person.idNumber }) };
  return { phone: maskPhone(person.phone), ...(person.idNumber && { idNumber: maskIdNumber(person.idNumber) }) };
}
