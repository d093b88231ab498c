import { cardNetwork } from './credit-card.detector';
import { ibanChecksumValid } from './iban.detector';
import { ipv6Valid } from './ip-address.detector';
import { luhnValid } from './luhn';
import { ssnValid } from './national-id.detector';

describe('validators', () => {
  it('Luhn accepts test card numbers and rejects one digit off', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('1234567812345678')).toBe(false);
  });

  it('card networks come from prefix and length', () => {
    expect(cardNetwork('4111111111111111')).toBe('visa');
    expect(cardNetwork('5105105105105100')).toBe('mastercard');
    expect(cardNetwork('2223003122003222')).toBe('mastercard');
    expect(cardNetwork('378282246310005')).toBe('amex');
    expect(cardNetwork('6011000000000004')).toBe('discover');
    expect(cardNetwork('3530111333300000')).toBe('jcb');
    expect(cardNetwork('30569309025904')).toBe('diners');
    expect(cardNetwork('1234567812345670')).toBeUndefined();
    expect(cardNetwork('41111111111111')).toBeUndefined(); // visa has no 14-digit numbers
  });

  it('IBAN mod 97 accepts registry examples and rejects a changed digit', () => {
    for (const iban of [
      'DE89370400440532013000',
      'GB82WEST12345698765432',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'CH9300762011623852957',
    ]) {
      expect(ibanChecksumValid(iban)).toBe(true);
    }
    expect(ibanChecksumValid('DE89370400440532013001')).toBe(false);
    expect(ibanChecksumValid('GB83WEST12345698765432')).toBe(false);
  });

  it('SSN area, group and serial rules', () => {
    expect(ssnValid('123', '45', '6789')).toBe(true);
    expect(ssnValid('000', '12', '3456')).toBe(false);
    expect(ssnValid('666', '12', '3456')).toBe(false);
    expect(ssnValid('912', '70', '1234')).toBe(false);
    expect(ssnValid('123', '00', '4567')).toBe(false);
    expect(ssnValid('123', '45', '0000')).toBe(false);
    expect(ssnValid('078', '05', '1120')).toBe(false); // the Woolworth wallet card
  });

  it('IPv6 text forms', () => {
    for (const ok of [
      '2001:db8::1',
      '::1',
      'fe80::1ff:fe23:4567:890a',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
      '::ffff:192.0.2.1',
    ]) {
      expect(ipv6Valid(ok)).toBe(true);
    }
    for (const bad of [
      '10:30:45',
      '00:1A:2B:3C:4D:5E',
      '1::2::3',
      '2001:db8::12345',
      '::',
      'a:b:c:d:e:f:1:2:3',
    ]) {
      expect(ipv6Valid(bad)).toBe(false);
    }
  });
});
