import { hash32 } from './random';

/**
 * Pieces of third-party error texts that vary per row or per attempt (record ids, request ids,
 * numbers). Real failure texts embed them, which is what makes templating them worthwhile.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

function chars(alphabet: string, h: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[hash32(h, i, 0x61) % alphabet.length];
  return out;
}

/** An 18-character Salesforce record id with the object's key prefix (003 contact, 001 account). */
export const salesforceId = (prefix: string, h: number): string => `${prefix}5e0000${chars(BASE62, h, 9)}`;

export const uuid = (h: number): string => {
  const x = chars(HEX, h, 32);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-a${x.slice(17, 20)}-${x.slice(20)}`;
};

export const hex = (h: number, length: number): string => chars(HEX, h, length);

export const token = (h: number, length: number): string => chars(BASE62, h, length);

/** A number with exactly `length` digits. */
export const digits = (h: number, length: number): string => {
  const first = 1 + (h % 9);
  return String(first) + chars('0123456789', h, length - 1);
};
