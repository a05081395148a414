/** Countries a partner's company can be registered in (ISO 3166-1 alpha-2). Tax number rules: see tax-number.ts. */
export const COUNTRIES = [
  'RO', 'HU', 'MD', 'BG', 'AT', 'BE', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'IE', 'IT',
  'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RS', 'SE', 'SI', 'SK', 'UA', 'US',
] as const;
export type Country = (typeof COUNTRIES)[number];
