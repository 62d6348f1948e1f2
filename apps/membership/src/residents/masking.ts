/** 13800001234 -> 138****1234: enough for a resident to recognise their own number. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `${phone.slice(0, 1)}****${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** 310104198001011239 -> 3101**********1239: region and check digits only, never the birth date. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}${'*'.repeat(Math.max(id.length - 8, 0))}${id.slice(-4)}`;
}

/**
 * The phone and ID number as every reply shows them, whoever reads: masked. The full numbers leave the service only
 * through a reveal, which is written to the audit log first.
 */
export function maskedNumbers(person: { phone: string; idNumber?: string }): {
  phone: string;
  idNumber?: string;
} {
  return {
    phone: maskPhone(person.phone),
    ...(person.idNumber && { idNumber: maskIdNumber(person.idNumber) }),
  };
}
