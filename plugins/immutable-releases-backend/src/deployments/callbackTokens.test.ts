import { isCallbackToken, newCallbackToken } from './callbackTokens';

describe('callback tokens', () => {
  it('accepts the token whose hash was stored, and nothing else', () => {
    const { token, hash } = newCallbackToken();
    expect(hash).not.toContain(token);
    expect(isCallbackToken(token, hash)).toBe(true);
    expect(isCallbackToken(newCallbackToken().token, hash)).toBe(false);
    expect(isCallbackToken(`${token}x`, hash)).toBe(false);
  });

  it('refuses a missing token, and any token where none was issued', () => {
    const { token, hash } = newCallbackToken();
    expect(isCallbackToken(undefined, hash)).toBe(false);
    expect(isCallbackToken('', hash)).toBe(false);
    expect(isCallbackToken(token, null)).toBe(false);
  });

  it('issues a different token each time', () => {
    expect(newCallbackToken().token).not.toBe(newCallbackToken().token);
  });
});
