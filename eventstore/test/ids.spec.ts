import { commandEventId, uuidFromName } from '../src/index.js';

describe('deterministic event ids', () => {
  it('gives the same UUID for the same name and a different one for another name', () => {
    expect(uuidFromName('cmd-1:0')).toBe(uuidFromName('cmd-1:0'));
    expect(uuidFromName('cmd-1:0')).not.toBe(uuidFromName('cmd-1:1'));
  });

  it('lays the hash out as a version 5, RFC 4122 variant UUID', () => {
    expect(uuidFromName('anything')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('numbers a command’s events by their index', () => {
    expect([0, 1, 2].map((i) => commandEventId('cmd-7', i))).toEqual([uuidFromName('cmd-7:0'), uuidFromName('cmd-7:1'), uuidFromName('cmd-7:2')]);
  });
});
