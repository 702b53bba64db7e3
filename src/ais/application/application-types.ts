/**
 * Decoded application-specific messages carried in types 6 and 8 (DAC/FID pairs), as the `app`
 * field of those messages. Units follow the defining document (IMO SN.1/Circ.236 and .289, the
 * Inland AIS standard ECE/TRANS/SC.3/176, GLA AtoN monitoring); not-available codes are null where
 * the document defines one, except in day/hour/minute groups, which stay as transmitted.
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

/** DAC 1 FID 15 (IMO236): extended ship static and voyage related data (type 8, and type 6 as gpsd). */
export interface ExtendedShipStatic {
  readonly kind: 'extended-ship-static';
  /** Height over keel in metres (0.1 m); 204.7 means 204.7 m or more; null = not available. */
  readonly airDraught: number | null;
}

/** Service status codes of a berth: 0 n/a or requested, 1 available, 2 no data or unknown, 3 not used. */
export interface BerthServices {
  readonly agent: number;
  readonly fuel: number;
  readonly chandler: number;
  readonly stevedore: number;
  readonly electrical: number;
  readonly water: number;
  readonly customs: number;
  readonly cartage: number;
  readonly crane: number;
  readonly lift: number;
  readonly medical: number;
  readonly navRepair: number;
  readonly provisions: number;
  readonly shipRepair: number;
  readonly surveyor: number;
  readonly steam: number;
  readonly tugs: number;
  readonly solidWaste: number;
  readonly liquidWaste: number;
  readonly hazardousWaste: number;
  readonly ballast: number;
  readonly additional: number;
  readonly regional1: number;
  readonly regional2: number;
  readonly future1: number;
  readonly future2: number;
}

/** DAC 1 FID 20 (IMO289, type 6): berthing data. */
export interface BerthingData {
  readonly kind: 'berthing-data';
  readonly linkage: number;
  /** Metres; 511 means 511 m or more; null = not available. */
  readonly berthLength: number | null;
  /** Metres (0.1 m); 25.5 means 25.5 m or more; null = not available. */
  readonly berthDepth: number | null;
  /** 0 n/a, 1 port-side to, 2 starboard-side to, 3 Mediterranean, 4 buoy, 5 anchorage. */
  readonly mooringPosition: number;
  /** Berthing time (UTC) as transmitted: month 0, day 0, hour 24, minute 60 = not available. */
  readonly time: DayTime;
  /** The service codes below are meaningful only when this is true. */
  readonly servicesKnown: boolean;
  readonly services: BerthServices;
  readonly berthName: string;
  /** Centre of the berth in degrees (1/1000 minute); null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
}

export interface CargoEntry {
  /** 0 n/a, 1 IMDG, 2 IGC, 3 BC (IMSBC), 4 MARPOL Annex I, 5 MARPOL Annex II (IBC), 6 regional. */
  readonly code: number;
  /** Class, UN number or list entry depending on `code`; 0 = not available. */
  readonly subtype: number;
}

/** DAC 1 FID 25 (IMO289, type 6): dangerous cargo indication. */
export interface DangerousCargo289 {
  readonly kind: 'dangerous-cargo-289';
  /** Unit of quantity code (IMO236 table: 0 n/a, 1 kg, 2 t, 3 1000 t). */
  readonly unit: number;
  /** null = not available. */
  readonly amount: number | null;
  readonly cargos: readonly CargoEntry[];
}

export interface Waypoint {
  /** Degrees (1/10000 minute); null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
}

/** DAC 1 FID 27 (type 8) and FID 28 (type 6), IMO289: route information. */
export interface RouteInformation {
  readonly kind: 'route-info';
  readonly linkage: number;
  /** 0 ship, 1 authority. */
  readonly senderClass: number;
  /** 0 undefined, 1 mandatory, 2 recommended, 3 alternative, 4 through ice, 5 route plan, 31 cancel. */
  readonly routeType: number;
  /** Start time (UTC) as transmitted. */
  readonly start: DayTime;
  /** Minutes from the start time; 0 cancels the route; null = not available. */
  readonly duration: number | null;
  /** The waypoint count as transmitted (1-16). */
  readonly waypointCount: number;
  readonly waypoints: readonly Waypoint[];
}

/** DAC 1 FID 13 (IMO236, type 8): fairway closed. */
export interface FairwayClosed {
  readonly kind: 'fairway-closed';
  readonly reason: string;
  readonly closedFrom: string;
  readonly closedTo: string;
  /** Radius of the closure in `radiusUnit` (0 m, 1 km, 2 nm, 3 cables). */
  readonly radius: number;
  readonly radiusUnit: number;
  /** Closing period (UTC) as transmitted. */
  readonly from: DayTime;
  readonly to: DayTime;
}

interface SyntheticTargetPosition {
  /** Degrees (1/1000 minute); null = not available. */
  readonly lat: number | null;
  readonly lon: number | null;
  /** Degrees; null = not available (360). */
  readonly course: number | null;
  /** UTC second of the position as transmitted. */
  readonly second: number;
  /** Knots; null = not available (255). */
  readonly speed: number | null;
}

/** One VTS target; the identifier is a number (MMSI, IMO) or 7 characters of text. */
export type SyntheticTarget =
  | (SyntheticTargetPosition & { readonly idType: 0; readonly mmsi: number })
  | (SyntheticTargetPosition & { readonly idType: 1; readonly imo: number })
  | (SyntheticTargetPosition & { readonly idType: 2; readonly callsign: string })
  | (SyntheticTargetPosition & { readonly idType: 3; readonly other: string });

/** DAC 1 FID 17 (IMO236/289, type 8): VTS-generated (synthetic) targets, 1 to 4. */
export interface SyntheticTargets {
  readonly kind: 'synthetic-targets';
  readonly targets: readonly SyntheticTarget[];
}

/** DAC 1 FID 19 (IMO289, type 8): marine traffic signal. */
export interface MarineTrafficSignal {
  readonly kind: 'marine-traffic-signal';
  readonly linkage: number;
  readonly station: string;
  /** Degrees (1/1000 minute); null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
  /** 0 n/a, 1 regular service, 2 irregular service. */
  readonly status: number;
  /** Signal in service and expected next signal, IMO289 codes (1-7 IALA port signals, 8-13 Japan). */
  readonly signal: number;
  /** Time of the next signal shift (UTC) as transmitted: 24 / 60 = not available. */
  readonly hour: number;
  readonly minute: number;
  readonly nextSignal: number;
}

/** Fields shared by the inland ETA (FID 21) and RTA (FID 22) messages. */
interface InlandLockPoint {
  /** UN country code and UN/LOCODE of the lock, bridge or terminal. */
  readonly country: string;
  readonly locode: string;
  readonly fairwaySection: string;
  readonly terminal: string;
  readonly hectometre: string;
}

/** DAC 200 FID 21 (Inland AIS, type 6): ETA at lock/bridge/terminal. */
export interface InlandEta extends InlandLockPoint {
  readonly kind: 'inland-eta';
  /** As transmitted: month 0, day 0, hour 24, minute 60 = not available. */
  readonly eta: DayTime;
  /** Number of assisting tugs 0-6; null = unknown (7). */
  readonly tugs: number | null;
  /** Metres (0.01 m); null = unknown (0). */
  readonly airDraught: number | null;
}

/** DAC 200 FID 22 (Inland AIS, type 6): RTA at lock/bridge/terminal. */
export interface InlandRta extends InlandLockPoint {
  readonly kind: 'inland-rta';
  readonly rta: DayTime;
  /** 0 operational, 1 limited operation, 2 out of order, 3 not available. */
  readonly status: number;
}

export interface EmmaTime {
  /** Full year; null = not available (0 years since 2000). */
  readonly year: number | null;
  /** As transmitted: month 0, day 0, hour 24, minute 60 = not available. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** DAC 200 FID 23 (Inland AIS, type 8): EMMA weather warning for a fairway section. */
export interface EmmaWarning {
  readonly kind: 'emma-warning';
  readonly start: EmmaTime;
  readonly end: EmmaTime;
  /** Fairway section ends in degrees (1/10000 minute); null = not available. */
  readonly startLon: number | null;
  readonly startLat: number | null;
  readonly endLon: number | null;
  readonly endLat: number | null;
  /** EMMA code table B.1: 0 n/a, 1 wind, 2 rain, 3 snow and ice, 4 thunderstorm, 5 fog, ... */
  readonly warningType: number;
  /** Signed values; +-254 = beyond +-253; null = unknown (magnitude 255). */
  readonly min: number | null;
  readonly max: number | null;
  /** 0 unknown, 1 slight, 2 medium, 3 strong. */
  readonly classification: number;
  /** 0 n/a, 1 N, 2 NE, ... 8 NW. */
  readonly windDirection: number;
}

export interface Gauge {
  /** National gauge ID; null = unknown (0). */
  readonly id: number | null;
  /** Metres above (+) or below (-) the reference level, 0.01 m steps; null = unknown (0). */
  readonly level: number | null;
}

/** DAC 200 FID 24 (Inland AIS, type 8): water levels of up to 4 gauges. */
export interface InlandWaterLevel {
  readonly kind: 'inland-water-level';
  readonly country: string;
  readonly gauges: readonly Gauge[];
}

/** DAC 200 FID 40 (Inland AIS, type 8): status of a signal's lights. */
export interface InlandSignalStatus {
  readonly kind: 'inland-signal-status';
  /** Degrees (1/10000 minute); null = not available. */
  readonly lon: number | null;
  readonly lat: number | null;
  /** Signal form (Inland ECDIS annex); 0 and 15 unknown. */
  readonly form: number;
  /** Orientation of the signal, degrees; null = not available (511). */
  readonly orientation: number | null;
  /** Direction of impact: 0 unknown, 1 upstream, 2 downstream, 3 to left bank, 4 to right bank. */
  readonly impact: number;
  /** The 30-bit status as transmitted: nine decimal digits, one per light. */
  readonly status: number;
  /** Light 1..9 status codes (0 unknown ... 7 yellow flashing); null when `status` exceeds nine digits. */
  readonly lights: readonly number[] | null;
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
  | MetHydro
  | ExtendedShipStatic
  | BerthingData
  | DangerousCargo289
  | RouteInformation
  | FairwayClosed
  | SyntheticTargets
  | MarineTrafficSignal
  | InlandEta
  | InlandRta
  | EmmaWarning
  | InlandWaterLevel
  | InlandSignalStatus;
