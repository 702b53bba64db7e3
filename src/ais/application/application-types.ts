/**
 * Decoded application-specific messages carried in types 6 and 8 (DAC/FID pairs), as the `app`
 * field of those messages. Units follow the defining document (IMO SN.1/Circ.236 and .289, the
 * Inland AIS standard, GLA AtoN monitoring); not-available codes are null where the document
 * defines one.
 */

/** DAC 235/250 FID 10: GLA AtoN monitoring data (UK and Ireland). */
export interface AtonMonitoring {
  readonly kind: 'aton-monitoring';
  /** Analogue readings in volts (0.05 V steps). */
  readonly analogueInternal: number;
  readonly analogueExternal1: number;
  readonly analogueExternal2: number;
  /** RACON status 0..3 and light status 0..3. */
  readonly racon: number;
  readonly light: number;
  readonly alarm: boolean;
  /** Status of the 8 external digital inputs. */
  readonly digitalInputs: number;
  readonly offPosition: boolean;
}

export interface DayTime {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** DAC 1 FID 12 (IMO236): dangerous cargo indication. */
export interface DangerousCargoIndication {
  readonly kind: 'dangerous-cargo';
  readonly lastPort: string;
  readonly departure: DayTime;
  readonly nextPort: string;
  readonly eta: DayTime;
  readonly dangerousGoods: string;
  readonly imdCategory: string;
  readonly unNumber: number;
  readonly amount: number;
  readonly unit: number;
}

export interface TidalWindowEntry {
  readonly lon: number;
  readonly lat: number;
  readonly fromHour: number;
  readonly fromMinute: number;
  readonly toHour: number;
  readonly toMinute: number;
  /** Current direction, degrees. */
  readonly currentDirection: number;
  /** Current speed, knots. */
  readonly currentSpeed: number;
}

/** DAC 1 FID 14 (IMO236) and FID 32 (IMO289): tidal window. */
export interface TidalWindow {
  readonly kind: 'tidal-window';
  readonly month: number;
  readonly day: number;
  readonly windows: readonly TidalWindowEntry[];
}

/** DAC 1 FID 18 (IMO289): clearance time to enter port. */
export interface ClearanceTimeToEnterPort {
  readonly kind: 'clearance-time';
  readonly linkage: number;
  readonly arrival: DayTime;
  readonly portName: string;
  readonly destination: string;
  readonly lon: number;
  readonly lat: number;
}

/** DAC 1 FID 29 (broadcast) and FID 30 (addressed), IMO289: text description. */
export interface TextDescription {
  readonly kind: 'text-description';
  readonly linkage: number;
  readonly text: string;
}

/** DAC 1 FID 16 (IMO236/289): number of persons on board. */
export interface PersonsOnBoard {
  readonly kind: 'persons-on-board';
  readonly persons: number;
}

/** DAC 200 FID 55 (Inland AIS): number of persons on board by category. */
export interface InlandPersonsOnBoard {
  readonly kind: 'inland-persons-on-board';
  readonly crew: number;
  readonly passengers: number;
  readonly personnel: number;
}

/** DAC 200 FID 10 (Inland AIS): inland ship static and voyage related data. */
export interface InlandStaticVoyage {
  readonly kind: 'inland-static-voyage';
  /** European Vessel Identification Number (ENI). */
  readonly vin: string;
  /** Length and beam in metres (0.1 m resolution). */
  readonly length: number;
  readonly beam: number;
  /** ERI ship or combination type code. */
  readonly shipType: number;
  /** Hazardous cargo: number of blue cones 0..3, 4 = B-flag, 5 = unknown. */
  readonly hazard: number;
  /** Draught in metres (0.01 m resolution). */
  readonly draught: number;
  /** 0 = n/a, 1 = unloaded, 2 = loaded. */
  readonly loaded: number;
  readonly speedQuality: boolean;
  readonly courseQuality: boolean;
  readonly headingQuality: boolean;
}

/** Meteorological and hydrographic values shared by DAC 1 FID 11 (IMO236) and FID 31 (IMO289). */
export interface MetHydroValues {
  readonly windSpeed: number | null;
  readonly windGust: number | null;
  readonly windDirection: number | null;
  readonly windGustDirection: number | null;
  readonly relativeHumidity: number | null;
  /** Degrees Celsius. */
  readonly airTemperature: number | null;
  readonly dewPoint: number | null;
  /** hPa. */
  readonly airPressure: number | null;
  /** 0 steady, 1 increasing, 2 decreasing. */
  readonly airPressureTendency: number | null;
  /** Nautical miles. */
  readonly visibility: number | null;
  /** Metres relative to chart datum. */
  readonly waterLevel: number | null;
  readonly waterLevelTrend: number | null;
  /** Knots and degrees; current 2 and 3 measured at the given depth (m). */
  readonly currentSpeed: number | null;
  readonly currentDirection: number | null;
  readonly currentSpeed2: number | null;
  readonly currentDirection2: number | null;
  readonly currentDepth2: number | null;
  readonly currentSpeed3: number | null;
  readonly currentDirection3: number | null;
  readonly currentDepth3: number | null;
  /** Metres, seconds, degrees. */
  readonly waveHeight: number | null;
  readonly wavePeriod: number | null;
  readonly waveDirection: number | null;
  readonly swellHeight: number | null;
  readonly swellPeriod: number | null;
  readonly swellDirection: number | null;
  /** Beaufort. */
  readonly seaState: number | null;
  readonly waterTemperature: number | null;
  /** WMO 306 code table 4.201. */
  readonly precipitationType: number | null;
  /** Per mille. */
  readonly salinity: number | null;
  /** 0 no, 1 yes. */
  readonly ice: number | null;
}

export interface MetHydro extends MetHydroValues {
  readonly kind: 'met-hydro';
  /** 11 = IMO236 layout, 31 = IMO289 layout. */
  readonly fid: 11 | 31;
  /** Degrees (1/1000 minute resolution); null = not available. */
  readonly lat: number | null;
  readonly lon: number | null;
  /** IMO289 only; null for FID 11. */
  readonly accuracy: boolean | null;
  /** Observation time (UTC day of month, hour, minute) as transmitted. */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** IMO289 only: visibility is greater than the value given. */
  readonly visibilityGreater: boolean | null;
}

export type ApplicationMessage =
  | AtonMonitoring
  | DangerousCargoIndication
  | TidalWindow
  | ClearanceTimeToEnterPort
  | TextDescription
  | PersonsOnBoard
  | InlandPersonsOnBoard
  | InlandStaticVoyage
  | MetHydro;
