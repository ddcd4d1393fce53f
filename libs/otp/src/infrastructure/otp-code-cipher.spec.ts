import { OtpCodeCipher } from './otp-code-cipher';

describe('OtpCodeCipher', () => {
  const cipher = new OtpCodeCipher(OtpCodeCipher.newKey());

  it('opens what it sealed for the same delivery, and the sealed bytes do not show the code', () => {
    const sealed = cipher.seal('739164', 'delivery-1');
    expect(sealed.includes(Buffer.from('739164'))).toBe(false);
    expect(cipher.open(sealed, 'delivery-1')).toBe('739164');
  });

  it('seals the same code differently every time', () => {
    expect(cipher.seal('739164', 'delivery-1').equals(cipher.seal('739164', 'delivery-1'))).toBe(false);
  });

  it('refuses a code sealed for another delivery, altered bytes, or another key', () => {
    const sealed = cipher.seal('739164', 'delivery-1');
    expect(() => cipher.open(sealed, 'delivery-2')).toThrow();
    const altered = Buffer.from(sealed);
    altered.writeUInt8(altered.readUInt8(altered.length - 1) ^ 1, altered.length - 1);
    expect(() => cipher.open(altered, 'delivery-1')).toThrow();
    expect(() => new OtpCodeCipher(OtpCodeCipher.newKey()).open(sealed, 'delivery-1')).toThrow();
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new OtpCodeCipher(Buffer.alloc(16))).toThrow(RangeError);
  });
});
