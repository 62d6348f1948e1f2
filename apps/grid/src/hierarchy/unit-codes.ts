export interface UnitPlan {
  code: string;
  floor: number;
}

/** Units of a building numbered the way residents say them: floor, then a two-digit door number (1203). */
export function planUnits(floors: number, unitsPerFloor: number): UnitPlan[] {
  const units: UnitPlan[] = [];
  for (let floor = 1; floor <= floors; floor++) {
    for (let door = 1; door <= unitsPerFloor; door++) {
      units.push({ code: `${floor}${String(door).padStart(2, '0')}`, floor });
    }
  }
  return units;
}

/** Codes that appear more than once in a list, each reported once. */
export function duplicateCodes(codes: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const code of codes) (seen.has(code) ? repeated : seen).add(code);
  return [...repeated];
}
