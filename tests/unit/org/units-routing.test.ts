// The organisation file and warning routing: what an admin writes in org/units.yaml and where a
// warning's case lands (pure, no database).
import path from 'node:path';
import { directoryFromFile } from '../../../server/org/directory';
import { loadUnitsFile, parseUnitsFile, UnitsFileError, UNITS_FILE } from '../../../server/org/units-file';
import { routeWarning } from '../../../server/org/routing';

const EXAMPLE = path.resolve(__dirname, '../../../org/units.example.yaml');

function problemsOf(yaml: string): string[] {
  try {
    parseUnitsFile(yaml, 'units.yaml');
  } catch (err) {
    if (err instanceof UnitsFileError) return err.problems;
    throw err;
  }
  return [];
}

describe('the units file', () => {
  it('ships a single default unit for a small centre', () => {
    const f = loadUnitsFile(UNITS_FILE);
    expect(f.root).toMatchObject({ code: 'CENTRE', kind: 'city', children: [] });
    expect(f.defaultCode).toBe('CENTRE');
    const dir = directoryFromFile(f);
    expect(routeWarning(dir, { address: '城东区解放路12号' })).toMatchObject({ unit: { code: 'CENTRE' }, routing: 'default' });
  });

  it('reads the example city with its districts and stations, visit deadlines by risk tier', () => {
    const f = loadUnitsFile(EXAMPLE);
    const dir = directoryFromFile(f);
    expect(dir.units.map((u) => `${u.kind}:${u.code}`)).toEqual([
      'city:CITY', 'district:D01', 'station:D01-S01', 'station:D01-S02', 'district:D02', 'station:D02-S01', 'station:D02-S02',
    ]);
    expect(f.visitDeadlineMinutes).toEqual({ high: 60, medium: 240, low: 1440 });
    expect(dir.districtOf('D01-S02')?.code).toBe('D01');
    expect([...dir.subtree('D02')].sort()).toEqual(['D02', 'D02-S01', 'D02-S02']);
    expect(dir.pathLabel('D01-S01')).toBe('市反诈中心 › 城东分局反诈中队 › 城东派出所');
  });

  it('lists every problem with its place in the file', () => {
    const problems = problemsOf(`
version: 1
default: NOWHERE
visitDeadlineMinutes: { high: 60, medium: 240 }
units:
  - code: CITY
    kind: city
    name: { zh: 市反诈中心, en: City }
    children:
      - code: S1
        kind: station
        name: { zh: 城东派出所, en: Chengdong }
`);
    expect(problems).toEqual(['visitDeadlineMinutes.low: Invalid input: expected number, received undefined']);
    expect(
      problemsOf(`
version: 1
default: NOWHERE
visitDeadlineMinutes: { high: 60, medium: 240, low: 1440 }
units:
  - code: CITY
    kind: city
    name: { zh: 市反诈中心, en: City }
    children:
      - code: S1
        kind: station
        name: { zh: 城东派出所, en: Chengdong }
      - code: d1
        kind: district
        name: { zh: 区, en: D }
        children:
          - { code: D1, kind: station, name: { zh: 所, en: S } }
`),
    ).toEqual([
      'units.0.children.0 (S1): units under a city are kind district, not station',
      'units.0.children.1.children.0: code D1 is used twice (also at units.0.children.1)',
      'default: NOWHERE is not a unit of this file (codes: CITY, S1, D1)',
    ]);
    expect(problemsOf('version: 1\nvisitDeadlineMinutes: { high: 60, medium: 240, low: 1440 }\nunits: []\n')).toEqual([
      'units: exactly one root unit: the city (a small centre has just that one)',
    ]);
    expect(problemsOf('version: 1\nunits: [\n')[0]).toMatch(/^YAML syntax: /);
  });
});

describe('routing a warning to a unit', () => {
  const dir = directoryFromFile(loadUnitsFile(EXAMPLE));

  it('goes by the code first, whatever the address says', () => {
    expect(routeWarning(dir, { unitCode: 'd02-s01', address: '城东派出所辖区' })).toMatchObject({ unit: { code: 'D02-S01' }, routing: 'code', hint: 'D02-S01' });
    expect(routeWarning(dir, { unitCode: 'D01' })).toMatchObject({ unit: { code: 'D01', kind: 'district' }, routing: 'code' });
  });

  it('then by the station named in the address or the precinct, full-width and spaces folded', () => {
    expect(routeWarning(dir, { address: '东湖街道幸福路3号' })).toMatchObject({ unit: { code: 'D01-S02' }, routing: 'address', hint: '东湖街道' });
    expect(routeWarning(dir, { precinct: '城西派出所' })).toMatchObject({ unit: { code: 'D02-S01' }, routing: 'address', hint: '城西派出所' });
    expect(routeWarning(dir, { address: 'No. 3, XISHAN  POLICE  STATION area' })).toMatchObject({ unit: { code: 'D02-S02' }, routing: 'address' });
  });

  it('falls back to the district named when no station is, and to the default when nothing is', () => {
    expect(routeWarning(dir, { address: '城东区解放路12号' })).toMatchObject({ unit: { code: 'D01' }, routing: 'address', hint: '城东区' });
    expect(routeWarning(dir, { address: '北京市朝阳区' })).toMatchObject({ unit: { code: 'CITY' }, routing: 'default', hint: null });
    expect(routeWarning(dir, {})).toMatchObject({ unit: { code: 'CITY' }, routing: 'default' });
  });

  it('does not guess between two stations named equally', () => {
    // 城东所 and 城西所 are both named: neither wins, and no district is named either.
    expect(routeWarning(dir, { address: '城东所与城西所交界' })).toMatchObject({ unit: { code: 'CITY' }, routing: 'default' });
  });

  it('sends an unknown code to the city, flagged unrouted, with the code kept', () => {
    expect(routeWarning(dir, { unitCode: 'D09-S77', address: '城东派出所' })).toEqual({ unit: dir.root, routing: 'unrouted', hint: 'D09-S77' });
  });
});
