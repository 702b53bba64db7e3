import { sixbitText, ubits } from '../sixbit.js';
import type { BerthingData, BerthServices } from './application-types.js';
import { dayTime, lat1000, lon1000 } from './fields.js';

/** IMO289 berthing data is fixed at 360 bits; gpsd also refuses anything shorter. */
export const BERTHING_DATA_BITS = 360;

/** The 2-bit service fields in transmission order (from bit 139); gpsd's keys are these lower-cased. */
export const BERTH_SERVICES: readonly (keyof BerthServices)[] = [
  'agent',
  'fuel',
  'chandler',
  'stevedore',
  'electrical',
  'water',
  'customs',
  'cartage',
  'crane',
  'lift',
  'medical',
  'navRepair',
  'provisions',
  'shipRepair',
  'surveyor',
  'steam',
  'tugs',
  'solidWaste',
  'liquidWaste',
  'hazardousWaste',
  'ballast',
  'additional',
  'regional1',
  'regional2',
  'future1',
  'future2',
];

/** DAC 1 FID 20 (type 6). */
export function decodeBerthingData(p: string): BerthingData {
  const services: Partial<Record<keyof BerthServices, number>> = {};
  BERTH_SERVICES.forEach((key, i) => {
    services[key] = ubits(p, 139 + 2 * i, 2);
  });
  const length = ubits(p, 98, 9);
  const depth = ubits(p, 107, 8);
  return {
    kind: 'berthing-data',
    linkage: ubits(p, 88, 10),
    berthLength: length === 0 ? null : length,
    berthDepth: depth === 0 ? null : depth / 10,
    mooringPosition: ubits(p, 115, 3),
    time: dayTime(p, 118),
    servicesKnown: ubits(p, 138, 1) === 1,
    services: services as BerthServices,
    berthName: sixbitText(p, 191, 20),
    lon: lon1000(p, 311),
    lat: lat1000(p, 336),
  };
}
