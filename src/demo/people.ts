import { hash32, mix32, pickBy, unit } from './random';

/**
 * The people (and companies) behind model rows. A person is a pure function of its index
 * and the seed, so the generator stores no per-person data, and the same person shows up
 * in several syncs (audiences overlap in real workspaces).
 */
export interface Person {
  index: number;
  firstName: string;
  lastName: string | null;
  email: string;
  phone: string | null;
  country: string;
  city: string;
  company: string;
  title: string;
  /** Seconds since the Unix epoch. */
  createdAt: number;
  /** Data problems that make some destinations reject the row. */
  emailIssue: 'none' | 'malformed' | 'fake';
  countryInvalid: boolean;
  /** Deleted in the destination (Mailchimp forbids re-import). */
  deleted: boolean;
  unsubscribed: boolean;
  /** The first name is hostile markup typed into a signup form. */
  hostile: boolean;
}

const FIRST_NAMES = [
  'jane',
  'john',
  'maria',
  'wei',
  'fatima',
  'lucas',
  'emma',
  'noah',
  'olivia',
  'liam',
  'sofia',
  'mateo',
  'aisha',
  'yuki',
  'hannah',
  'david',
  'chloe',
  'arjun',
  'ines',
  'pierre',
  'lena',
  'omar',
  'grace',
  'tomas',
  'mei',
  'samuel',
  'zoe',
  'ivan',
  'nora',
  'felix',
  'amara',
  'kenji',
  'laura',
  'diego',
  'elif',
  'jonas',
  'priya',
  'marco',
  'anna',
  'kwame',
  'sara',
  'oliver',
  'leila',
  'hugo',
  'isla',
  'rafael',
  'freya',
  'ali',
];
const LAST_NAMES = [
  'doe',
  'smith',
  'garcia',
  'chen',
  'khan',
  'muller',
  'rossi',
  'dubois',
  'tanaka',
  'kowalski',
  'silva',
  'nguyen',
  'johnson',
  'brown',
  'martin',
  'schmidt',
  'lopez',
  'wilson',
  'andersen',
  'costa',
  'ivanova',
  'okafor',
  'patel',
  'kim',
  'novak',
  'jensen',
  'moreau',
  'fischer',
  'santos',
  'walker',
  'yilmaz',
  'haddad',
  'berg',
  'ito',
  'murphy',
  'meyer',
];
const CONSUMER_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'icloud.com',
  'hotmail.com',
  'proton.me',
  'gmx.de',
  'orange.fr',
];
const MALFORMED_DOMAINS = ['gmail', 'gmial..com', 'yahoo,com', 'outlook.c', '@hotmail.com'];
const COMPANIES = [
  'Northwind Traders',
  'Acme Retail',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Hooli',
  'Stark Logistics',
  'Wayne Foods',
  'Pied Piper',
  'Soylent Labs',
  'Tyrell Systems',
  'Cyberdyne Media',
  'Wonka Brands',
  'Vandelay Imports',
  'Oscorp Energy',
  'Aperture Finance',
  'Blue Sun Mobility',
  'Massive Dynamic',
  'Dunder Paper',
  'Gringotts Bank',
];
const TITLES = [
  'Marketing Manager',
  'Head of Growth',
  'Data Engineer',
  'VP Sales',
  'CRM Specialist',
  'Founder',
  'Product Manager',
  'Analyst',
  'CFO',
  'Operations Lead',
];
/** Weighted towards the markets a US/EU retailer sells in. */
const COUNTRIES = [
  'US',
  'US',
  'US',
  'US',
  'GB',
  'GB',
  'DE',
  'DE',
  'FR',
  'CA',
  'AU',
  'NL',
  'ES',
  'IT',
  'SE',
  'BR',
  'JP',
  'IE',
  'PL',
  'MX',
];
const INVALID_COUNTRIES = ['Atlantis', 'N/A', 'Untied States', 'Deutschland ', '--', 'U.S.A'];
const CITIES: Record<string, string[]> = {
  US: ['New York', 'Austin', 'Seattle', 'Chicago', 'Denver'],
  GB: ['London', 'Manchester', 'Leeds'],
  DE: ['Berlin', 'Munich', 'Hamburg'],
  FR: ['Paris', 'Lyon', 'Nantes'],
  CA: ['Toronto', 'Vancouver'],
  AU: ['Sydney', 'Melbourne'],
  NL: ['Amsterdam', 'Utrecht'],
  ES: ['Madrid', 'Valencia'],
  IT: ['Milan', 'Rome'],
  SE: ['Stockholm'],
  BR: ['Sao Paulo'],
  JP: ['Tokyo', 'Osaka'],
  IE: ['Dublin'],
  PL: ['Warsaw'],
  MX: ['Mexico City'],
};
const CALLING_CODES: Record<string, string> = {
  US: '+1',
  CA: '+1',
  GB: '+44',
  DE: '+49',
  FR: '+33',
  AU: '+61',
  NL: '+31',
  ES: '+34',
  IT: '+39',
  SE: '+46',
  BR: '+55',
  JP: '+81',
  IE: '+353',
  PL: '+48',
  MX: '+52',
};
/** Real signup forms collect these; the extension must show them as text, never render them. */
export const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(document.domain)</script>',
  "Robert'); DROP TABLE students;--",
  '{{constructor.constructor("alert(1)")()}}',
];

/** People were created up to three years before the demo's anchor. */
const CREATED_SPAN_SECONDS = 3 * 365 * 86400;

const FAKE_LOCALS = ['test', 'asdf', 'noreply', 'fake', 'qwerty'];
const FAKE_DOMAINS = ['example.com', 'test.com', 'mailinator.com'];

function localPart(first: string, last: string, style: number): string {
  switch (style) {
    case 0:
      return `${first}.${last}`;
    case 1:
      return first[0] + last;
    case 2:
      return `${first}_${last}`;
    default:
      return first + last[0];
  }
}

// About one person in a thousand; which markup depends on the index only (not the seed).
const HOSTILE_EVERY = 1009;
const isHostile = (index: number): boolean => index % HOSTILE_EVERY === 17;
const hostileName = (index: number): string => HOSTILE_NAMES[Math.floor(index / HOSTILE_EVERY) % HOSTILE_NAMES.length];

/** The first person at or after `start` whose first name is `<img src=x onerror=alert(1)>`. */
export function firstImgPersonFrom(start: number): number {
  let index = start + ((17 - (start % HOSTILE_EVERY) + HOSTILE_EVERY) % HOSTILE_EVERY);
  while (hostileName(index) !== HOSTILE_NAMES[0]) index += HOSTILE_EVERY;
  return index;
}

const titleCase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Independent-looking draws from one hash: cheaper than hashing the index again per attribute. */
const draw = (base: number, salt: number): number => mix32(base + Math.imul(salt, 0x9e3779b9));

export function personAt(index: number, seed: number, anchorSeconds: number): Person {
  const base = hash32(seed, index, 0x7e0);
  const h = (salt: number): number => draw(base, salt);
  const first = pickBy(FIRST_NAMES, h(1));
  const last = pickBy(LAST_NAMES, h(2));
  const flags = h(3) % 10000;
  const emailIssue = flags < 10 ? 'malformed' : flags < 18 ? 'fake' : 'none';
  // Digits after the names are the index, so every address is unique (names hold no digits).
  const local = localPart(first, last, h(4) % 4) + index;
  let email: string;
  if (emailIssue === 'malformed') {
    const domain = pickBy(MALFORMED_DOMAINS, h(5));
    email = domain.startsWith('@') ? local + domain : `${local}@${domain}`;
  } else if (emailIssue === 'fake') {
    email = `${pickBy(FAKE_LOCALS, h(5))}${index}@${pickBy(FAKE_DOMAINS, h(6))}`;
  } else {
    email = `${local}@${pickBy(CONSUMER_DOMAINS, h(5))}`;
  }
  const countryInvalid = h(7) % 10000 < 15;
  const country = countryInvalid ? pickBy(INVALID_COUNTRIES, h(8)) : pickBy(COUNTRIES, h(8));
  const hostile = isHostile(index);
  const phoneMissing = h(9) % 100 < 18;
  const code = CALLING_CODES[country] ?? '+1';
  return {
    index,
    firstName: hostile ? hostileName(index) : titleCase(first),
    lastName: h(11) % 10000 < 15 ? null : titleCase(last),
    email,
    phone: phoneMissing ? null : `${code}${200000000 + (h(12) % 799999999)}`,
    country,
    city: pickBy(CITIES[country] ?? ['Springfield'], h(13)),
    company: pickBy(COMPANIES, h(14)),
    title: pickBy(TITLES, h(15)),
    createdAt: anchorSeconds - 45 * 86400 - Math.floor(unit(h(16)) * CREATED_SPAN_SECONDS),
    emailIssue,
    countryInvalid,
    deleted: h(17) % 10000 < 20,
    unsubscribed: h(18) % 10000 < 20,
    hostile,
  };
}
