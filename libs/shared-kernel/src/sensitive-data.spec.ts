import { maskCardNumbersIn, REMOVED_SECRET, withoutSecrets } from './sensitive-data';

describe('withoutSecrets', () => {
  it('masks a card number field to its last four digits', () => {
    expect(withoutSecrets({ cardNo: '5555444455554444', card_no: 4111111111111111 })).toEqual({
      cardNo: '************4444',
      card_no: '************1111',
    });
  });

  it('removes secret fields wherever they are nested', () => {
    expect(withoutSecrets({ transactionData: { cvv: '123', pin: 1234, extra: [{ otp: '9999' }] } })).toEqual({
      transactionData: { cvv: REMOVED_SECRET, pin: REMOVED_SECRET, extra: [{ otp: REMOVED_SECRET }] },
    });
  });

  it('masks a Luhn-valid card number written into free text', () => {
    expect(withoutSecrets({ description: 'paid with 4111 1111 1111 1111 at shop' })).toEqual({
      description: 'paid with ************1111 at shop',
    });
  });

  it('leaves ids, amounts and digit runs that are not card numbers alone', () => {
    const body = {
      id: '5555444455554444',
      transactionId: '4111111111111111',
      amount: 5555444455554444,
      description: 'order 1234567890123',
      lastFourDigits: '0911',
    };
    expect(withoutSecrets(body)).toEqual(body);
  });

  it('keeps nulls, booleans and the shape of the body', () => {
    expect(withoutSecrets({ a: null, b: true, c: [1, 'x'] })).toEqual({ a: null, b: true, c: [1, 'x'] });
  });
});

describe('maskCardNumbersIn', () => {
  it('masks dash-grouped numbers and keeps the text around them', () => {
    expect(maskCardNumbersIn('{"n":"4111-1111-1111-1111"}')).toBe('{"n":"************1111"}');
  });
});
