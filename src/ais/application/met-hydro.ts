import { sbits, ubits } from '../sixbit.js';
import type { MetHydro, MetHydroValues } from './application-types.js';

/**
 * Meteorological and hydrographic data, DAC 1 FID 11 (IMO SN.1/Circ.236) and FID 31
 * (SN.1/Circ.289). The two layouts differ in offsets, signedness and not-available codes but
 * not in meaning, so both are described by a table: one decoder, and the gpsd renderer reads the
 * same table to print values (and restore not-available codes) exactly as gpsd does.
 */
export interface MetHydroField {
  readonly key: keyof MetHydroValues;
  /** gpsd's JSON name. */
  readonly gpsd: string;
  readonly start: number;
  readonly width: number;
  readonly signed: boolean;
  /** value = (raw + offset) / divisor */
  readonly offset: number;
  readonly divisor: number;
  /** Raw not-available code, or null when the document defines none. */
  readonly na: number | null;
  /** Decimals gpsd prints; 0 prints an integer. */
  readonly decimals: number;
  /** gpsd prints these as text: `replace` instead of the number, `append` as an extra `_text` key. */
  readonly legend?: { readonly table: 'trend' | 'precip' | 'ice'; readonly mode: 'replace' | 'append' };
}

type Spec = readonly MetHydroField[];

function f(
  key: keyof MetHydroValues,
  gpsd: string,
  start: number,
  width: number,
  opts: { signed?: boolean; offset?: number; divisor?: number; na?: number | null; decimals?: number; legend?: MetHydroField['legend'] } = {},
): MetHydroField {
  const field: MetHydroField = {
    key,
    gpsd,
    start,
    width,
    signed: opts.signed ?? false,
    offset: opts.offset ?? 0,
    divisor: opts.divisor ?? 1,
    na: opts.na === undefined ? null : opts.na,
    decimals: opts.decimals ?? 0,
  };
  return opts.legend === undefined ? field : { ...field, legend: opts.legend };
}

const tenth = { divisor: 10, decimals: 1 };

/** IMO236 (FID 11), in gpsd's output order. */
export const MET_HYDRO_11: Spec = [
  f('windSpeed', 'wspeed', 121, 7, { na: 127 }),
  f('windGust', 'wgust', 128, 7, { na: 127 }),
  f('windDirection', 'wdir', 135, 9, { na: 511 }),
  f('windGustDirection', 'wgustdir', 144, 9, { na: 511 }),
  f('relativeHumidity', 'humidity', 164, 7, { na: 127 }),
  f('airTemperature', 'airtemp', 153, 11, { offset: -600, ...tenth, na: 2047 }),
  f('dewPoint', 'dewpoint', 171, 10, { offset: -200, ...tenth, na: 1023 }),
  f('airPressure', 'pressure', 181, 9, { offset: 800, na: 511 }),
  f('airPressureTendency', 'pressuretend', 190, 2, { na: 3, legend: { table: 'trend', mode: 'replace' } }),
  f('visibility', 'visibility', 192, 8, { ...tenth, na: 255 }),
  f('waterLevel', 'waterlevel', 200, 9, { offset: -100, ...tenth, na: 511 }),
  f('waterLevelTrend', 'leveltrend', 209, 2, { na: 3, legend: { table: 'trend', mode: 'replace' } }),
  f('currentSpeed', 'cspeed', 211, 8, { ...tenth, na: 255 }),
  f('currentDirection', 'cdir', 219, 9, { na: 511 }),
  f('currentSpeed2', 'cspeed2', 228, 8, { ...tenth, na: 255 }),
  f('currentDirection2', 'cdir2', 236, 9, { na: 511 }),
  f('currentDepth2', 'cdepth2', 245, 5, { na: 31 }),
  f('currentSpeed3', 'cspeed3', 250, 8, { ...tenth, na: 255 }),
  f('currentDirection3', 'cdir3', 258, 9, { na: 511 }),
  f('currentDepth3', 'cdepth3', 267, 5, { na: 31 }),
  f('waveHeight', 'waveheight', 272, 8, { ...tenth, na: 255 }),
  f('wavePeriod', 'waveperiod', 280, 6, { na: 63 }),
  f('waveDirection', 'wavedir', 286, 9, { na: 511 }),
  f('swellHeight', 'swellheight', 295, 8, { ...tenth, na: 255 }),
  f('swellPeriod', 'swellperiod', 303, 6, { na: 63 }),
  f('swellDirection', 'swelldir', 309, 9, { na: 511 }),
  f('seaState', 'seastate', 318, 4, { na: 15 }),
  f('waterTemperature', 'watertemp', 322, 10, { offset: -100, ...tenth, na: 1023 }),
  f('precipitationType', 'preciptype', 332, 3, { na: 7, legend: { table: 'precip', mode: 'append' } }),
  f('salinity', 'salinity', 335, 9, { ...tenth, na: 511 }),
  f('ice', 'ice', 344, 2, { na: 3, legend: { table: 'ice', mode: 'append' } }),
];

/** IMO289 (FID 31), in gpsd's output order (visibility-greater is printed before visibility). */
export const MET_HYDRO_31: Spec = [
  f('windSpeed', 'wspeed', 122, 7, { na: 127 }),
  f('windGust', 'wgust', 129, 7, { na: 127 }),
  f('windDirection', 'wdir', 136, 9, { na: 360 }),
  f('windGustDirection', 'wgustdir', 145, 9, { na: 360 }),
  f('relativeHumidity', 'humidity', 165, 7, { na: 101 }),
  f('airTemperature', 'airtemp', 154, 11, { signed: true, ...tenth, na: -1024 }),
  f('dewPoint', 'dewpoint', 172, 10, { signed: true, ...tenth, na: 501 }),
  f('airPressure', 'pressure', 182, 9, { offset: 799, na: 511 }),
  f('airPressureTendency', 'pressuretend', 191, 2, { na: 3, legend: { table: 'trend', mode: 'replace' } }),
  f('visibility', 'visibility', 194, 7, { ...tenth, na: 127 }),
  f('waterLevel', 'waterlevel', 201, 12, { offset: -1000, divisor: 100, decimals: 1, na: 4001 }),
  f('waterLevelTrend', 'leveltrend', 213, 2, { na: 3, legend: { table: 'trend', mode: 'replace' } }),
  f('currentSpeed', 'cspeed', 215, 8, { ...tenth, na: 255 }),
  f('currentDirection', 'cdir', 223, 9, { na: 360 }),
  f('currentSpeed2', 'cspeed2', 232, 8, { ...tenth, na: 255 }),
  f('currentDirection2', 'cdir2', 240, 9, { na: 360 }),
  f('currentDepth2', 'cdepth2', 249, 5, { na: 31 }),
  f('currentSpeed3', 'cspeed3', 254, 8, { ...tenth, na: 255 }),
  f('currentDirection3', 'cdir3', 262, 9, { na: 360 }),
  f('currentDepth3', 'cdepth3', 271, 5, { na: 31 }),
  f('waveHeight', 'waveheight', 276, 8, { ...tenth, na: 255 }),
  f('wavePeriod', 'waveperiod', 284, 6, { na: 63 }),
  f('waveDirection', 'wavedir', 290, 9, { na: 360 }),
  f('swellHeight', 'swellheight', 299, 8, { ...tenth, na: 255 }),
  f('swellPeriod', 'swellperiod', 307, 6, { na: 63 }),
  f('swellDirection', 'swelldir', 313, 9, { na: 360 }),
  f('seaState', 'seastate', 322, 4, { na: 13 }),
  f('waterTemperature', 'watertemp', 326, 10, { signed: true, ...tenth, na: 501 }),
  f('precipitationType', 'preciptype', 336, 3, { na: 7, legend: { table: 'precip', mode: 'replace' } }),
  f('salinity', 'salinity', 339, 9, { ...tenth, na: 510 }),
  f('ice', 'ice', 348, 2, { na: 3, legend: { table: 'ice', mode: 'replace' } }),
];

/** Scales a raw field value the way the table says. */
export function scaleMetHydro(field: MetHydroField, raw: number): number {
  return (raw + field.offset) / field.divisor;
}

function values(p: string, spec: Spec): MetHydroValues {
  const out: Partial<Record<keyof MetHydroValues, number | null>> = {};
  for (const field of spec) {
    const raw = field.signed ? sbits(p, field.start, field.width) : ubits(p, field.start, field.width);
    out[field.key] = raw === field.na ? null : scaleMetHydro(field, raw);
  }
  return out as MetHydroValues;
}

/** FID 11: position in 1/1000 minute, latitude first. */
export function decodeMetHydro11(p: string): MetHydro {
  const lat = sbits(p, 56, 24);
  const lon = sbits(p, 80, 25);
  return {
    kind: 'met-hydro',
    fid: 11,
    lat: lat === 5460000 ? null : lat / 60000,
    lon: lon === 10860000 ? null : lon / 60000,
    accuracy: null,
    day: ubits(p, 105, 5),
    hour: ubits(p, 110, 5),
    minute: ubits(p, 115, 6),
    visibilityGreater: null,
    ...values(p, MET_HYDRO_11),
  };
}

/** FID 31: longitude first, plus position accuracy and a visibility-greater flag. */
export function decodeMetHydro31(p: string): MetHydro {
  const lon = sbits(p, 56, 25);
  const lat = sbits(p, 81, 24);
  return {
    kind: 'met-hydro',
    fid: 31,
    lat: lat === 5460000 ? null : lat / 60000,
    lon: lon === 10860000 ? null : lon / 60000,
    accuracy: ubits(p, 105, 1) === 1,
    day: ubits(p, 106, 5),
    hour: ubits(p, 111, 5),
    minute: ubits(p, 116, 6),
    visibilityGreater: ubits(p, 193, 1) === 1,
    ...values(p, MET_HYDRO_31),
  };
}
