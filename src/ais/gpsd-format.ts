/**
 * Renders a decoded message as gpsd's scaled AIS JSON (`gpsdecode -j`): same keys, key order,
 * units, decimals and legend strings, so users switching from gpsd can diff outputs. Where the
 * model holds null for a "not available" code, the code is printed back, as gpsd prints raw
 * values. Deliberate departures (where aisctl follows ITU-R M.1371-5, or the IMO and Inland AIS
 * documents that define an application message, instead of gpsd) are listed in
 * docs/gpsd-differences.md.
 */
import type { ApplicationMessage, EmmaTime, MetHydro, SyntheticTarget } from './application/application-types.js';
import { BERTH_SERVICES } from './application/berthing-data.js';
import { ERI_SHIP_TYPES } from './application/eri-ship-types.js';
import { MET_HYDRO_11, MET_HYDRO_31, scaleMetHydro } from './application/met-hydro.js';
import type { AisMessage, Eta } from './types.js';

const NAV_STATUS = [
  'Under way using engine',
  'At anchor',
  'Not under command',
  'Restricted maneuverability',
  'Constrained by her draught',
  'Moored',
  'Aground',
  'Engaged in fishing',
  'Under way sailing',
  'Reserved for HSC',
  'Reserved for WIG',
  'Reserved',
  'Reserved',
  'Reserved',
  'Reserved',
  'Not defined',
];

const EPFD = ['Undefined', 'GPS', 'GLONASS', 'Combined GPS/GLONASS', 'Loran-C', 'Chayka', 'Integrated navigation system', 'Surveyed', 'Galileo'];

function epfdText(n: number): string {
  if (n < EPFD.length) return EPFD[n] as string;
  return n === 15 ? 'Internal GNSS' : `Reserved (${n})`;
}

const SHIP_TYPE_DECADE: Record<number, string> = {
  2: 'Wing in ground (WIG)',
  4: 'High speed craft (HSC)',
  6: 'Passenger',
  7: 'Cargo',
  8: 'Tanker',
  9: 'Other Type',
};

const SHIP_TYPE_SPECIAL: Record<number, string> = {
  0: 'Not available',
  30: 'Fishing',
  31: 'Towing',
  32: 'Towing: length exceeds 200m or breadth exceeds 25m',
  33: 'Dredging or underwater ops',
  34: 'Diving ops',
  35: 'Military ops',
  36: 'Sailing',
  37: 'Pleasure Craft',
  38: 'Reserved',
  39: 'Reserved',
  50: 'Pilot Vessel',
  51: 'Search and Rescue vessel',
  52: 'Tug',
  53: 'Port Tender',
  54: 'Anti-pollution equipment',
  55: 'Law Enforcement',
  56: 'Spare - Local Vessel',
  57: 'Spare - Local Vessel',
  58: 'Medical Transport',
  59: 'Ship according to RR Resolution No. 18',
};

const SHIP_TYPE_DIGIT = [
  'all ships of this type',
  'Hazardous category A',
  'Hazardous category B',
  'Hazardous category C',
  'Hazardous category D',
  'Reserved for future use',
  'Reserved for future use',
  'Reserved for future use',
  'Reserved for future use',
  'No additional information',
];

function shipTypeText(n: number): string {
  const special = SHIP_TYPE_SPECIAL[n];
  if (special !== undefined) return special;
  if (n < 20) return 'Reserved for future use';
  if (n > 99) return 'INVALID SHIP TYPE';
  const decade = SHIP_TYPE_DECADE[Math.floor(n / 10)];
  if (decade === undefined) return 'Reserved for future use';
  const digit = n % 10;
  if (n < 30 && digit >= 5) return `${decade} - Reserved for future use`;
  if (n === 99) return 'Other Type - no additional information';
  return `${decade} - ${SHIP_TYPE_DIGIT[digit] as string}`;
}

const STATION_TYPE = [
  'All types of mobiles',
  'Reserved for future use',
  'All types of Class B mobile stations',
  'SAR airborne mobile station',
  'Aid to Navigation station',
  'Class B shipborne mobile station',
  'Regional use and inland waterways',
  'Regional use and inland waterways',
  'Regional use and inland waterways',
  'Regional use and inland waterways',
];

const NAVAID_TYPE = [
  'Unspecified',
  'Reference point',
  'RACON',
  'Fixed offshore structure',
  'Spare, Reserved for future use.',
  'Light, without sectors',
  'Light, with sectors',
  'Leading Light Front',
  'Leading Light Rear',
  'Beacon, Cardinal N',
  'Beacon, Cardinal E',
  'Beacon, Cardinal S',
  'Beacon, Cardinal W',
  'Beacon, Port hand',
  'Beacon, Starboard hand',
  'Beacon, Preferred Channel port hand',
  'Beacon, Preferred Channel starboard hand',
  'Beacon, Isolated danger',
  'Beacon, Safe water',
  'Beacon, Special mark',
  'Cardinal Mark N',
  'Cardinal Mark E',
  'Cardinal Mark S',
  'Cardinal Mark W',
  'Port hand Mark',
  'Starboard hand Mark',
  'Preferred Channel Port hand',
  'Preferred Channel Starboard hand',
  'Isolated danger',
  'Safe Water',
  'Special Mark',
  'Light Vessel / LANBY / Rigs',
];

const RACON_STATUS = ['No RACON installed', 'RACON not monitored', 'RACON operational', 'RACON ERROR'];
const LIGHT_STATUS = ['No light or no monitoring', 'Light ON', 'Light OFF', 'Light ERROR'];
const TRENDS = ['steady', 'increasing', 'decreasing', 'N/A'];
const PRECIP_TYPES = ['reserved', 'rain', 'thunderstorm', 'freezing rain', 'mixed/ice', 'snow', 'reserved', 'N/A'];
const ICE = ['no', 'yes', 'reserved', 'N/A'];
const HAZARD = ['0 blue cones/lights', '1 blue cone/light', '2 blue cones/lights', '3 blue cones/lights', '4 B-Flag', 'Unknown'];
const LOADED = ['N/A (default)', 'Unloaded', 'Loaded'];

/**
 * gpsd also names ERI type values 1-99 (the field is meant for ERI codes, but some senders put the
 * M.1371 ship type there): the first row of its 8000-8370 table whose M.1371 type matches.
 */
const GPSD_ERI_BY_AIS_TYPE: Readonly<Record<number, number>> = { 99: 8000, 79: 8010, 89: 8020, 80: 8021, 31: 8130, 90: 8161 };

function eriShipTypeText(code: number): string {
  const name = ERI_SHIP_TYPES.get(code) ?? ERI_SHIP_TYPES.get(GPSD_ERI_BY_AIS_TYPE[code] ?? -1);
  return name ?? 'Illegal ship type value.';
}

const POSITION_TYPES = [
  'Not available',
  'Port-side to',
  'Starboard-side to',
  'Mediterranean (end-on) mooring',
  'Mooring buoy',
  'Anchorage',
  'Reserved for future use',
  'Reserved for future use',
];

function routeTypeText(n: number): string {
  const known = ['Undefined (default)', 'Mandatory', 'Recommended', 'Alternative', 'Recommended route through ice', 'Ship route plan'];
  if (n === 31) return 'Cancel route identified by message linkage';
  return known[n] ?? 'Reserved for future use.';
}

const TARGET_ID_TYPES = ['mmsi', 'imo', 'callsign', 'other'] as const;

/**
 * IMO289 marine traffic signal codes. gpsd's table repeats code 7's text at 8, which shifts the
 * Japanese signals 8-13 by one; these follow IMO289 (docs/gpsd-differences.md).
 */
const TRAFFIC_SIGNALS = [
  'N/A',
  'Serious emergency - stop or divert according to instructions.',
  'Vessels shall not proceed.',
  'Vessels may proceed. One way traffic.',
  'Vessels may proceed. Two way traffic.',
  'Vessels shall proceed on specific orders only.',
  'Vessels in main channel shall not proceed.',
  'Vessels in main channel shall proceed on specific orders only.',
  'I = "in-bound" only acceptable.',
  'O = "out-bound" only acceptable.',
  'F = both "in- and out-bound" acceptable.',
  'XI = Code will shift to "I" in due time.',
  'XO = Code will shift to "O" in due time.',
  'X = Vessels shall proceed only on direction.',
];

const RTA_STATUS = ['Operational', 'Limited operation', 'Out of order', 'N/A'];
const EMMA_TYPES = ['Not Available', 'Wind', 'Rain', 'Snow and ice', 'Thunderstorm', 'Fog', 'Low temperature', 'High temperature', 'Flood', 'Forest Fire'];
/** Classification 0 is the standard's "unknown"; gpsd indexes its table from 0 and names it Slight. */
const EMMA_CLASSES = ['Unknown', 'Slight', 'Medium', 'Strong'];
const EMMA_WINDS = ['N/A', 'North', 'North East', 'East', 'South East', 'South', 'South West', 'West', 'North West'];
const SIGNAL_IMPACT = ['Unknown', 'Upstream', 'Downstream', 'To left bank', 'To right bank'];
const LIGHT_STATUS_TEXT = ['Unknown', 'No light', 'White', 'Yellow', 'Green', 'Red', 'White flashing', 'Yellow flashing'];

/**
 * printf("%.Nf") for doubles. JS `toFixed` rounds an exact decimal tie away from zero where C
 * rounds it to even; ties are rare (the value must be exactly representable with a 5 just past
 * the last printed digit), so they are detected cheaply and fixed on the exact expansion.
 */
export function cFixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  const scaled = Math.abs(x) * 10 ** decimals;
  if (scaled - Math.floor(scaled) !== 0.5) return s;
  const exact = Math.abs(x).toFixed(Math.min(100, decimals + 60));
  const cut = exact.indexOf('.') + decimals + (decimals === 0 ? 0 : 1);
  const rest = exact.slice(decimals === 0 ? exact.indexOf('.') + 1 : cut);
  if (!/^50*$/.test(rest)) return s;
  const truncated = decimals === 0 ? exact.slice(0, exact.indexOf('.')) : exact.slice(0, cut);
  const lastDigit = truncated.charCodeAt(truncated.length - 1) - 48;
  if (lastDigit % 2 !== 0) return s;
  return (x < 0 ? '-' : '') + truncated;
}

/** Builds one gpsd JSON object; keys are appended in call order, as gpsd's format strings do. */
class Out {
  s: string;
  constructor(head: string) {
    this.s = head;
  }
  int(k: string, v: number): this {
    this.s += `,"${k}":${v}`;
    return this;
  }
  fix(k: string, v: number, d: number): this {
    this.s += `,"${k}":${cFixed(v, d)}`;
    return this;
  }
  /** gpsd quotes some decimals (type 22/23 corners). */
  qfix(k: string, v: number, d: number): this {
    this.s += `,"${k}":"${cFixed(v, d)}"`;
    return this;
  }
  str(k: string, v: string | null): this {
    this.s += `,"${k}":${JSON.stringify(v ?? '')}`;
    return this;
  }
  bool(k: string, v: boolean): this {
    this.s += `,"${k}":${v ? 'true' : 'false'}`;
    return this;
  }
  raw(k: string, json: string): this {
    this.s += `,"${k}":${json}`;
    return this;
  }
  done(): string {
    return `${this.s}}`;
  }
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function turnLegend(rotRaw: number): string {
  if (rotRaw === -128) return '"n/a"';
  if (rotRaw === -127) return '"fastleft"';
  if (rotRaw === 127) return '"fastright"';
  const r = rotRaw / 4.733;
  return `"${cFixed(rotRaw < 0 ? -(r * r) : r * r, 2)}"`;
}

// Not-available codes restored for printing, in the model's units.
const lon = (v: number | null): number => v ?? 181;
const lat = (v: number | null): number => v ?? 91;
const speed = (v: number | null): number => v ?? 102.3;
const course = (v: number | null): number => v ?? 360;
const hdg = (v: number | null): number => v ?? 511;
const zero = (v: number | null): number => v ?? 0;

function etaText(eta: Eta): string {
  return `${pad2(eta.month ?? 0)}-${pad2(eta.day ?? 0)}T${pad2(eta.hour ?? 24)}:${pad2(eta.minute ?? 60)}Z`;
}

function dayTime(t: { month: number; day: number; hour: number; minute: number }): string {
  return `${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}Z`;
}

export function toGpsdJson(msg: AisMessage, device = 'stdin'): string {
  const head = `{"class":"AIS"${device === '' ? '' : `,"device":${JSON.stringify(device)}`},"type":${msg.type},"repeat":${msg.repeat},"mmsi":${msg.mmsi},"scaled":true`;
  const o = new Out(head);
  switch (msg.type) {
    case 1:
    case 2:
    case 3:
      return o
        .int('status', msg.navStatus)
        .str('status_text', NAV_STATUS[msg.navStatus] ?? 'Reserved')
        .raw('turn', turnLegend(msg.rotRaw))
        .fix('speed', speed(msg.sog), 1)
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .fix('course', course(msg.cog), 1)
        .int('heading', hdg(msg.heading))
        .int('second', msg.second)
        .int('maneuver', msg.maneuver)
        .bool('raim', msg.raim)
        .int('radio', msg.radio)
        .done();
    case 4:
    case 11:
      return o
        .str(
          'timestamp',
          `${pad4(msg.year ?? 0)}-${pad2(msg.month ?? 0)}-${pad2(msg.day ?? 0)}T${pad2(msg.hour ?? 24)}:${pad2(msg.minute ?? 60)}:${pad2(msg.second ?? 60)}Z`,
        )
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .int('epfd', msg.epfd)
        .str('epfd_text', epfdText(msg.epfd))
        .bool('raim', msg.raim)
        .int('radio', msg.radio)
        .done();
    case 5:
      return o
        .int('imo', zero(msg.imo))
        .int('ais_version', msg.aisVersion)
        .str('callsign', msg.callsign)
        .str('shipname', msg.shipName)
        .int('shiptype', zero(msg.shipType))
        .str('shiptype_text', shipTypeText(zero(msg.shipType)))
        .int('to_bow', msg.toBow)
        .int('to_stern', msg.toStern)
        .int('to_port', msg.toPort)
        .int('to_starboard', msg.toStarboard)
        .int('epfd', msg.epfd)
        .str('epfd_text', epfdText(msg.epfd))
        .str('eta', etaText(msg.eta))
        .fix('draught', zero(msg.draught), 1)
        .str('destination', msg.destination)
        .int('dte', msg.dte)
        .done();
    case 6:
      o.int('seqno', msg.seqno).int('dest_mmsi', msg.destMmsi).bool('retransmit', msg.retransmit).int('dac', msg.dac).int('fid', msg.fid);
      return application(o, msg.app, msg.bitCount, msg.data);
    case 7:
    case 13:
      for (let i = 0; i < 4; i++) o.int(`mmsi${i + 1}`, msg.acks[i]?.mmsi ?? 0);
      return o.done();
    case 8:
      o.int('dac', msg.dac).int('fid', msg.fid);
      return application(o, msg.app, msg.bitCount, msg.data);
    case 9:
      return o
        .int('alt', msg.alt ?? 4095)
        .int('speed', msg.sog ?? 1023)
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .fix('course', course(msg.cog), 1)
        .int('second', msg.second)
        .int('regional', msg.regional)
        .int('dte', msg.dte)
        .bool('raim', msg.raim)
        .int('radio', msg.radio)
        .done();
    case 10:
      return o.int('dest_mmsi', msg.destMmsi).done();
    case 12:
      return o.int('seqno', msg.seqno).int('dest_mmsi', msg.destMmsi).bool('retransmit', msg.retransmit).str('text', msg.text).done();
    case 14:
      return o.str('text', msg.text).done();
    case 15: {
      const [r1, r2, r3] = msg.requests;
      return o
        .int('mmsi1', r1?.mmsi ?? 0)
        .int('type1_1', r1?.msgType ?? 0)
        .int('offset1_1', r1?.slotOffset ?? 0)
        .int('type1_2', r2?.msgType ?? 0)
        .int('offset1_2', r2?.slotOffset ?? 0)
        .int('mmsi2', r3?.mmsi ?? 0)
        .int('type2_1', r3?.msgType ?? 0)
        .int('offset2_1', r3?.slotOffset ?? 0)
        .done();
    }
    case 16:
      for (let i = 0; i < 2; i++) {
        const t = msg.targets[i];
        o.int(`mmsi${i + 1}`, t?.mmsi ?? 0)
          .int(`offset${i + 1}`, t?.offset ?? 0)
          .int(`increment${i + 1}`, t?.increment ?? 0);
      }
      return o.done();
    case 17:
      return o.fix('lon', lon(msg.lon), 1).fix('lat', lat(msg.lat), 1).str('data', `${msg.bitCount}:${msg.data}`).done();
    case 18:
      return o
        .int('reserved', msg.reserved)
        .fix('speed', speed(msg.sog), 1)
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .fix('course', course(msg.cog), 1)
        .int('heading', hdg(msg.heading))
        .int('second', msg.second)
        .int('regional', msg.regional)
        .bool('cs', msg.cs)
        .bool('display', msg.display)
        .bool('dsc', msg.dsc)
        .bool('band', msg.band)
        .bool('msg22', msg.msg22)
        .bool('raim', msg.raim)
        .int('radio', msg.radio)
        .done();
    case 19:
      return o
        .int('reserved', msg.reserved)
        .fix('speed', speed(msg.sog), 1)
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .fix('course', course(msg.cog), 1)
        .int('heading', hdg(msg.heading))
        .int('second', msg.second)
        .int('regional', msg.regional)
        .str('shipname', msg.shipName)
        .int('shiptype', zero(msg.shipType))
        .str('shiptype_text', shipTypeText(zero(msg.shipType)))
        .int('to_bow', msg.toBow)
        .int('to_stern', msg.toStern)
        .int('to_port', msg.toPort)
        .int('to_starboard', msg.toStarboard)
        .int('epfd', msg.epfd)
        .str('epfd_text', epfdText(msg.epfd))
        .bool('raim', msg.raim)
        .int('dte', msg.dte)
        .bool('assigned', msg.assigned)
        .done();
    case 20:
      for (let i = 0; i < 4; i++) {
        const r = msg.reservations[i];
        o.int(`offset${i + 1}`, r?.offset ?? 0)
          .int(`number${i + 1}`, r?.number ?? 0)
          .int(`timeout${i + 1}`, r?.timeout ?? 0)
          .int(`increment${i + 1}`, r?.increment ?? 0);
      }
      return o.done();
    case 21:
      return o
        .int('aid_type', msg.aidType)
        .str('aid_type_text', NAVAID_TYPE[msg.aidType] ?? 'INVALID NAVAID TYPE')
        .str('name', msg.name)
        .fix('lon', lon(msg.lon), 7)
        .fix('lat', lat(msg.lat), 7)
        .bool('accuracy', msg.accuracy)
        .int('to_bow', msg.toBow)
        .int('to_stern', msg.toStern)
        .int('to_port', msg.toPort)
        .int('to_starboard', msg.toStarboard)
        .int('epfd', msg.epfd)
        .str('epfd_text', epfdText(msg.epfd))
        .int('second', msg.second)
        .int('regional', msg.regional)
        .bool('off_position', msg.offPosition)
        .bool('raim', msg.raim)
        .bool('virtual_aid', msg.virtualAid)
        .done();
    case 22:
      o.int('channel_a', msg.channelA).int('channel_b', msg.channelB).int('txrx', msg.txrx).bool('power', msg.power);
      if (msg.addressed) o.int('dest1', msg.dest1 ?? 0).int('dest2', msg.dest2 ?? 0);
      else o.qfix('ne_lon', zero(msg.neLon), 6).qfix('ne_lat', zero(msg.neLat), 6).qfix('sw_lon', zero(msg.swLon), 6).qfix('sw_lat', zero(msg.swLat), 6);
      return o.bool('addressed', msg.addressed).bool('band_a', msg.bandA).bool('band_b', msg.bandB).int('zonesize', msg.zoneSize).done();
    case 23:
      return o
        .qfix('ne_lon', msg.neLon, 6)
        .qfix('ne_lat', msg.neLat, 6)
        .qfix('sw_lon', msg.swLon, 6)
        .qfix('sw_lat', msg.swLat, 6)
        .int('stationtype', msg.stationType)
        .str('stationtype_text', STATION_TYPE[msg.stationType] ?? 'Reserved for future use')
        .int('shiptype', msg.shipType)
        .str('shiptype_text', shipTypeText(msg.shipType))
        .int('interval', msg.interval)
        .int('quiet', msg.quiet)
        .done();
    case 24:
      if (msg.partNo !== 1) o.str('shipname', msg.shipName);
      if (msg.partNo === 0) return o.done();
      o.int('shiptype', zero(msg.shipType))
        .str('shiptype_text', shipTypeText(zero(msg.shipType)))
        .str('vendorid', msg.vendorId)
        .int('model', msg.model)
        .int('serial', msg.serial)
        .str('callsign', msg.callsign);
      if (msg.mothershipMmsi !== null) o.int('mothership_mmsi', msg.mothershipMmsi);
      else o.int('to_bow', zero(msg.toBow)).int('to_stern', zero(msg.toStern)).int('to_port', zero(msg.toPort)).int('to_starboard', zero(msg.toStarboard));
      return o.done();
    case 25:
    case 26:
      o.bool('addressed', msg.addressed)
        .bool('structured', msg.structured)
        .int('dest_mmsi', msg.destMmsi ?? 0)
        .int('app_id', msg.appId ?? 0)
        .str('data', `${msg.bitCount}:${msg.data}`);
      if (msg.type === 26) o.int('radio', msg.radio ?? 0);
      return o.done();
    case 27:
      return o
        .int('status', msg.navStatus)
        .str('status_text', NAV_STATUS[msg.navStatus] ?? 'Reserved')
        .bool('accuracy', msg.accuracy)
        .fix('lon', lon(msg.lon), 4)
        .fix('lat', lat(msg.lat), 4)
        .int('speed', msg.sog ?? 63)
        .int('course', msg.cog ?? 511)
        .bool('raim', msg.raim)
        .bool('gnss', msg.gnss)
        .done();
  }
}

function application(o: Out, app: ApplicationMessage | null, bitCount: number, data: string): string {
  if (app === null) return o.str('data', `${bitCount}:${data}`).done();
  switch (app.kind) {
    case 'aton-monitoring': {
      // gpsd prints a zero reading as the integer 0 and others scaled with two decimals.
      const volts = (k: string, v: number): void => {
        if (v === 0) o.int(k, 0);
        else o.fix(k, v, 2);
      };
      o.bool('off_pos', app.offPosition).bool('alarm', app.alarm).int('stat_ext', app.digitalInputs);
      volts('ana_int', app.analogueInternal);
      volts('ana_ext1', app.analogueExternal1);
      volts('ana_ext2', app.analogueExternal2);
      return o
        .int('racon', app.racon)
        .str('racon_text', RACON_STATUS[app.racon] ?? '')
        .int('light', app.light)
        .str('light_text', LIGHT_STATUS[app.light] ?? '')
        .done();
    }
    case 'dangerous-cargo':
      return o
        .str('lastport', app.lastPort)
        .str('departure', dayTime(app.departure))
        .str('nextport', app.nextPort)
        .str('eta', dayTime(app.eta))
        .str('dangerous', app.dangerousGoods)
        .str('imdcat', app.imdCategory)
        .int('unid', app.unNumber)
        .int('amount', app.amount)
        .int('unit', app.unit)
        .done();
    case 'tidal-window': {
      o.int('month', app.month).int('day', app.day);
      const items = app.windows.map((w) => {
        const t = new Out('{');
        t.s += `"lon":${cFixed(w.lon, 6)}`;
        return t
          .fix('lat', w.lat, 6)
          .int('from_hour', w.fromHour)
          .int('from_min', w.fromMinute)
          .int('to_hour', w.toHour)
          .int('to_min', w.toMinute)
          .int('cdir', w.currentDirection)
          .fix('cspeed', w.currentSpeed, 1)
          .done();
      });
      return o.raw('tidals', `[${items.join(',')}]`).done();
    }
    case 'clearance-time':
      return o
        .int('linkage', app.linkage)
        .str('arrival', dayTime(app.arrival))
        .str('portname', app.portName)
        .str('destination', app.destination)
        .fix('lon', app.lon, 6)
        .fix('lat', app.lat, 6)
        .done();
    case 'text-description':
      return o.int('linkage', app.linkage).str('text', app.text).done();
    case 'persons-on-board':
      return o.int('persons', app.persons).done();
    case 'inland-persons-on-board':
      return o.int('crew', app.crew).int('passengers', app.passengers).int('personnel', app.personnel).done();
    case 'inland-static-voyage':
      // gpsd prints these DAC 200 dimensions unscaled (decimetres, centimetres).
      return o
        .str('vin', app.vin)
        .int('length', Math.round(app.length * 10))
        .int('beam', Math.round(app.beam * 10))
        .int('shiptype', app.shipType)
        .str('shiptype_text', eriShipTypeText(app.shipType))
        .int('hazard', app.hazard)
        .str('hazard_text', HAZARD[app.hazard] ?? 'Unknown')
        .int('draught', Math.round(app.draught * 100))
        .int('loaded', app.loaded)
        .str('loaded_text', LOADED[app.loaded] ?? 'INVALID LOAD STATUS')
        .bool('speed_q', app.speedQuality)
        .bool('course_q', app.courseQuality)
        .bool('heading_q', app.headingQuality)
        .done();
    case 'met-hydro':
      return metHydro(o, app);
    case 'extended-ship-static':
      return o.int('airdraught', tenths(app.airDraught)).done();
    case 'berthing-data': {
      o.int('linkage', app.linkage)
        .int('berth_length', app.berthLength ?? 0)
        .int('position', app.mooringPosition)
        .str('position_text', POSITION_TYPES[app.mooringPosition] ?? '')
        .str('arrival', bareDayTime(app.time))
        .int('availability', app.servicesKnown ? 1 : 0);
      for (const key of BERTH_SERVICES) o.int(key.toLowerCase(), app.services[key]);
      return o
        .str('berth_name', app.berthName)
        .fix('berth_lon', lon(app.lon), 6)
        .fix('berth_lat', lat(app.lat), 6)
        .fix('berth_depth', app.berthDepth ?? 0, 1)
        .done();
    }
    case 'dangerous-cargo-289': {
      const cargos = app.cargos.map((c) => `{"code":${c.code},"subtype":${c.subtype}}`);
      return o
        .int('unit', app.unit)
        .int('amount', app.amount ?? 0)
        .raw('cargos', `[${cargos.join(',')}]`)
        .done();
    }
    case 'route-info': {
      const waypoints = app.waypoints.map((w) => `{"lon":${cFixed(lon(w.lon), 7)},"lat":${cFixed(lat(w.lat), 7)}}`);
      return o
        .int('linkage', app.linkage)
        .int('sender', app.senderClass)
        .int('rtype', app.routeType)
        .str('rtype_text', routeTypeText(app.routeType))
        .str('start', dayTime(app.start))
        .int('duration', app.duration ?? 262143)
        .raw('waypoints', `[${waypoints.join(',')}]`)
        .done();
    }
    case 'fairway-closed':
      return (
        o
          .str('reason', app.reason)
          .str('closefrom', app.closedFrom)
          .str('closeto', app.closedTo)
          .int('radius', app.radius)
          .int('extunit', app.radiusUnit)
          // Same zero-padded form as the IMO289 times, but gpsd leaves off the Z here.
          .str('from', dayTime(app.from).slice(0, -1))
          .str('to', dayTime(app.to).slice(0, -1))
          .done()
      );
    case 'synthetic-targets':
      return o.raw('targets', `[${app.targets.map(syntheticTarget).join(',')}]`).done();
    case 'marine-traffic-signal':
      return o
        .int('linkage', app.linkage)
        .str('station', app.station)
        .fix('lon', lon(app.lon), 6)
        .fix('lat', lat(app.lat), 6)
        .int('status', app.status)
        .int('signal', app.signal)
        .str('signal_text', trafficSignalText(app.signal))
        .int('hour', app.hour)
        .int('minute', app.minute)
        .int('nextsignal', app.nextSignal)
        .str('nextsignal_text', trafficSignalText(app.nextSignal))
        .done();
    case 'inland-eta':
    case 'inland-rta':
      o.str('country', app.country)
        .str('locode', app.locode)
        .str('section', app.fairwaySection)
        .str('terminal', app.terminal)
        .str('hectometre', app.hectometre);
      // gpsd prints the RTA under the key "eta" as well.
      if (app.kind === 'inland-eta') {
        return o
          .str('eta', bareDayTime(app.eta))
          .int('tugs', app.tugs ?? 7)
          .int('airdraught', app.airDraught === null ? 0 : Math.round(app.airDraught * 100))
          .done();
      }
      return o
        .str('eta', bareDayTime(app.rta))
        .int('status', app.status)
        .str('status_text', RTA_STATUS[app.status] ?? 'N/A')
        .done();
    case 'emma-warning':
      // gpsd's "type" and "class" keys would repeat the record's own "type" and "class" keys.
      return o
        .str('start', emmaTime(app.start))
        .str('end', emmaTime(app.end))
        .fix('start_lon', lon(app.startLon), 7)
        .fix('start_lat', lat(app.startLat), 7)
        .fix('end_lon', lon(app.endLon), 7)
        .fix('end_lat', lat(app.endLat), 7)
        .int('emma_type', app.warningType)
        .str('emma_type_text', EMMA_TYPES[app.warningType] ?? 'INVALID EMMA TYPE')
        .int('min', app.min ?? 255)
        .int('max', app.max ?? 255)
        .int('emma_class', app.classification)
        .str('emma_class_text', EMMA_CLASSES[app.classification] ?? 'Unknown')
        .int('wind', app.windDirection)
        .str('wind_text', EMMA_WINDS[app.windDirection] ?? 'INVALID EMMA WIND DIRECTION')
        .done();
    case 'inland-water-level': {
      const gauges = app.gauges.map((g) => `{"id":${g.id ?? 0},"level":${g.level === null ? 0 : Math.round(g.level * 100)}}`);
      return o
        .str('country', app.country)
        .raw('gauges', `[${gauges.join(',')}]`)
        .done();
    }
    case 'inland-signal-status':
      return o
        .fix('lon', lon(app.lon), 7)
        .fix('lat', lat(app.lat), 7)
        .int('form', app.form)
        .int('facing', app.orientation ?? 511)
        .int('direction', app.impact)
        .str('direction_text', SIGNAL_IMPACT[app.impact] ?? 'INVALID DIRECTION')
        .int('status', app.status)
        .str('status_text', app.lights === null ? 'INVALID STATUS' : app.lights.map((l) => LIGHT_STATUS_TEXT[l] ?? 'Unknown').join(', '))
        .done();
  }
}

/** gpsd prints the air draught as the transmitted decimetres. */
function tenths(v: number | null): number {
  return v === null ? 0 : Math.round(v * 10);
}

/** The unpadded "month-dayThour:minute" form gpsd uses for the IMO289 berthing and inland times. */
function bareDayTime(t: { month: number; day: number; hour: number; minute: number }): string {
  return `${t.month}-${t.day}T${t.hour}:${t.minute}`;
}

function emmaTime(t: EmmaTime): string {
  return `${pad4(t.year ?? 2000)}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}`;
}

function trafficSignalText(n: number): string {
  return TRAFFIC_SIGNALS[n] ?? 'Reserved';
}

function syntheticTarget(t: SyntheticTarget): string {
  const name = TARGET_ID_TYPES[t.idType];
  let id: string;
  switch (t.idType) {
    case 0:
      id = String(t.mmsi);
      break;
    case 1:
      id = String(t.imo);
      break;
    case 2:
      id = t.callsign;
      break;
    case 3:
      id = t.other;
      break;
  }
  const o = new Out(`{"idtype":${t.idType}`);
  return o
    .str('idtype_text', name)
    .str(name, id)
    .fix('lat', lat(t.lat), 6)
    .fix('lon', lon(t.lon), 6)
    .int('course', t.course ?? 360)
    .int('second', t.second)
    .int('speed', t.speed ?? 255)
    .done();
}

const LEGENDS = { trend: TRENDS, precip: PRECIP_TYPES, ice: ICE } as const;

function metHydro(o: Out, m: MetHydro): string {
  o.fix('lat', m.lat ?? 91, 6).fix('lon', m.lon ?? 181, 6);
  if (m.fid === 31) o.bool('accuracy', m.accuracy === true);
  o.str('timestamp', `${pad2(m.day)}T${pad2(m.hour)}:${pad2(m.minute)}Z`);
  const spec = m.fid === 11 ? MET_HYDRO_11 : MET_HYDRO_31;
  for (const field of spec) {
    if (field.key === 'visibility' && m.fid === 31) o.bool('visgreater', m.visibilityGreater === true);
    const v = m[field.key] ?? scaleMetHydro(field, field.na ?? 0);
    if (field.legend !== undefined) {
      const text = LEGENDS[field.legend.table][v] ?? 'N/A';
      if (field.legend.mode === 'replace') {
        o.str(field.gpsd, text);
      } else {
        o.int(field.gpsd, v).str(`${field.gpsd}_text`, text);
      }
    } else if (field.decimals === 0) {
      o.int(field.gpsd, v);
    } else {
      o.fix(field.gpsd, v, field.decimals);
    }
  }
  return o.done();
}
