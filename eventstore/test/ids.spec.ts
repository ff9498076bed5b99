import { commandEventId, uuidFromName } from '../src/index.js';

describe('deterministic event ids', () => {
  it('gives the same UUID for the same name and a different one for another name', () => {
    expect(uuidFromName('cmd-1:0')).toBe(uuidFromName('cmd-1:0'));
    expect(uuidFromName('cmd-1:0')).not.toBe(uuidFromName('cmd-1:1'));
  });

  it('never changes: ids already in the log must be derived again identically (SHA-1 of the UTF-8 name)', () => {
    expect(uuidFromName('cmd-1:0')).toBe('a7b407f8-ba42-5fd0-a3a3-4b879c508329');
    expect(uuidFromName('place:ord-é:0')).toBe('841b9f74-b3cf-5166-bae4-be89c7455db5');
  });

  it('lays the hash out as a version 5, RFC 4122 variant UUID', () => {
    expect(uuidFromName('anything')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('numbers a command’s events by their index', () => {
    expect([0, 1, 2].map((i) => commandEventId('cmd-7', i))).toEqual([uuidFromName('cmd-7:0'), uuidFromName('cmd-7:1'), uuidFromName('cmd-7:2')]);
  });
});
