import { hashApiKey, newApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('hashes a key to the SHA-256 hex the api_keys rows already hold: a changed hash would lock every account out', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('issues tk_ keys of 32 random bytes, different every time', () => {
    const [a, b] = [newApiKey(), newApiKey()];
    expect(a).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
