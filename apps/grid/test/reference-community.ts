/** Shapes of the reference community's buildings, repeated: 286 buildings, 12,422 units. */
const SHAPES = [
  { floors: 6, unitsPerFloor: 4 },
  { floors: 11, unitsPerFloor: 4 },
  { floors: 18, unitsPerFloor: 3 },
  { floors: 26, unitsPerFloor: 2 },
];

export const REFERENCE = { areas: 4, grids: 15, buildings: 286 };

/** The CSV of a community the size of K: 4 residential areas, 15 grids, 286 buildings, one row per building. */
export function referenceCommunityCsv(): { csv: string; units: number } {
  const lines = ['area_code,area_name,grid_code,grid_name,building_code,building_name,floors,units_per_floor'];
  let units = 0;
  for (let i = 0; i < REFERENCE.buildings; i++) {
    const grid = i % REFERENCE.grids;
    const area = grid % REFERENCE.areas;
    const shape = SHAPES[i % SHAPES.length];
    units += shape.floors * shape.unitsPerFloor;
    const code = `B${String(i + 1).padStart(3, '0')}`;
    lines.push(
      `A${area + 1},"Residential area ${area + 1}",G${String(grid + 1).padStart(2, '0')},Grid ${grid + 1},${code},"Building ${i + 1}",${shape.floors},${shape.unitsPerFloor}`,
    );
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, units };
}
