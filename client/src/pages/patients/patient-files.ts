/** Small pure helpers of the Patients page (unit-tested in patient-files.test.ts), and the JSON download. */

const normal = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('ro');

/** Whether the name typed to confirm an erasure is the patient's: letters as shown, case and spacing aside. */
export function nameMatches(typed: string, name: string): boolean {
  const t = normal(typed);
  return t.length > 0 && t === normal(name);
}

/** The export as a pretty-printed UTF-8 JSON file. */
export function jsonFile(document: unknown): Blob {
  return new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json;charset=utf-8' });
}

/** Saves the export under its file name (a Blob download: the data never sits in a URL or the browser cache). */
export function downloadJson(fileName: string, document: unknown): void {
  const url = URL.createObjectURL(jsonFile(document));
  const link = window.document.createElement('a');
  link.href = url;
  link.download = fileName;
  window.document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
