import { describe, expect, it } from 'vitest';
import { parseBbox, parseMessageTypes, subscriptionError, subscriptionMessage } from './aisstream-subscription.js';

describe('aisstream subscription', () => {
  it('is the message aisstream.io documents: key, boxes as [[lat, lon], [lat, lon]], optional types', () => {
    expect(JSON.parse(subscriptionMessage({ apiKey: 'k', boxes: [parseBbox('51.5,3.5,52.5,4.9')], messageTypes: ['PositionReport'] }))).toEqual({
      APIKey: 'k',
      BoundingBoxes: [
        [
          [51.5, 3.5],
          [52.5, 4.9],
        ],
      ],
      FilterMessageTypes: ['PositionReport'],
    });
    expect(JSON.parse(subscriptionMessage({ apiKey: 'k', boxes: [], messageTypes: [] }))).toEqual({
      APIKey: 'k',
      BoundingBoxes: [
        [
          [-90, -180],
          [90, 180],
        ],
      ],
    });
  });

  it('refuses a malformed or out-of-range box', () => {
    expect(() => parseBbox('1,2,3')).toThrow(/lat1,lon1,lat2,lon2/);
    expect(() => parseBbox('1,2,,4')).toThrow(/lat1,lon1,lat2,lon2/);
    expect(() => parseBbox('a,2,3,4')).toThrow(/lat1,lon1,lat2,lon2/);
    expect(() => parseBbox('91,0,0,0')).toThrow(/latitude 91/);
    expect(() => parseBbox('0,0,0,-181')).toThrow(/longitude -181/);
    expect(parseBbox(' -10 , -20 , 10 , 20 ')).toEqual([
      [-10, -20],
      [10, 20],
    ]);
  });

  it('reads message types separated by commas', () => {
    expect(parseMessageTypes('PositionReport, ShipStaticData')).toEqual(['PositionReport', 'ShipStaticData']);
    expect(() => parseMessageTypes('Position Report')).toThrow(/--ws-types/);
    expect(() => parseMessageTypes(',')).toThrow(/--ws-types/);
  });

  it('recognises a refusal, and nothing else, as one', () => {
    expect(subscriptionError('{"error": "Api Key Is Not Valid"}')).toBe('Api Key Is Not Valid');
    expect(subscriptionError(' { "error" : "x" }')).toBe('x');
    expect(subscriptionError('{"MessageType":"PositionReport"}')).toBeNull();
    expect(subscriptionError('{"error": 1}')).toBeNull();
    expect(subscriptionError('{"error": "x"')).toBeNull();
  });
});
