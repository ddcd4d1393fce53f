import { redact } from './redact';

describe('redact', () => {
  it('replaces a secret field of a logged object', () => {
    expect(redact({ otp: '739164', cardId: '1337' })).toEqual({ otp: '[redacted]', cardId: '1337' });
  });

  it('replaces a secret field inside JSON text, quoted or not, whatever the spacing', () => {
    const text = redact('body {"cardId":"1337","otp": "7Q4K9X2M","pin":1234} sent') as string;
    expect(text).toBe('body {"cardId":"1337","otp": "[redacted]","pin":"[redacted]"} sent');
  });

  it('handles escaped quotes inside a secret value', () => {
    expect(redact('{"otp":"a\\"b"}')).toBe('{"otp":"[redacted]"}');
  });
});
