/** A new partner's contact person is not a user yet: write to Romanian companies in Romanian, to others in English. */
export function contactLocale(country: string): 'en' | 'ro' {
  return country === 'RO' ? 'ro' : 'en';
}
