import { describe, expect, it } from 'vitest';
import { FormatDetectionError, detectFormat } from './detect-format.js';

describe('detectFormat', () => {
  it.each([
    ['!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23', 'nmea'],
    ['\\s:42809,c:1635731889*6A\\!AIVDM,1,1,,,403t>B1vFhQr5`NonbBw?>G00<0n,0*7B', 'nmea'],
    ['# comment\n$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17\n!AIVDM,1,1,,B,15NBj>PP1gG>1PVKTDTUJOv00<0M,0*09', 'nmea'],
    ['1635731889 !BSVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23', 'nmea'],
    ['{"kind":"position","mmsi":219063000,"ts":1,"lat":1,"lon":2}', 'jsonl'],
    ['{"Message":{"PositionReport":{}},"MessageType":"PositionReport","MetaData":{}}', 'aisstream'],
    ['[{"ERROR":false,"FORMAT":"AIS"},[{"MMSI":1}]]', 'aishub'],
    ['[\n  {\n    "ERROR": false', 'aishub'],
    ['{"MMSI":244750034,"TIME":"1625826523","LONGITUDE":3022815}', 'aishub'],
    ['MMSI,BaseDateTime,LAT,LON,SOG', 'noaa-csv'],
    ['\uFEFFmmsi,base_date_time,longitude,latitude,sog', 'noaa-csv'],
    ['# Timestamp,Type of mobile,MMSI,Latitude,Longitude', 'dma-csv'],
  ] as const)('%s -> %s', (sample, format) => {
    expect(detectFormat(sample)).toBe(format);
  });

  it('falls back to the extension, then explains what to do', () => {
    expect(detectFormat('', 'empty.nmea.gz')).toBe('nmea');
    expect(detectFormat('garbage', 'x.jsonl')).toBe('jsonl');
    expect(() => detectFormat('hello world', 'notes.txt')).toThrow(FormatDetectionError);
    expect(() => detectFormat('hello world', 'notes.txt')).toThrow(/--format/);
  });
});
