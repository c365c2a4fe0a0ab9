/**
 * The values every certificate text may use, whatever its type: the holder's, the ward's and
 * the municipality's (filled at issuance in certificates.service.ts).
 */
export const HOLDER_PLACEHOLDERS = [
  'holderName',
  'guardianName',
  'guardianRelation',
  'address',
  'wardNumber',
  'wardName',
  'municipalityName',
] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * What is wrong with a pair of texts, checked when saved so that issuance never prints a
 * dash for a misspelt name: every placeholder must be known, both languages must say the
 * same things, and every declared attribute must be used.
 */
export function templateProblems(
  templateBn: string,
  templateEn: string,
  attributeCodes: readonly string[],
): Array<{ field: string; message: string }> {
  const known = new Set<string>([...HOLDER_PLACEHOLDERS, ...attributeCodes]);
  const bn = placeholdersIn(templateBn);
  const en = placeholdersIn(templateEn);
  const problems: Array<{ field: string; message: string }> = [];
  const unknownIn = (field: string, used: string[]) => {
    const unknown = used.filter((p) => !known.has(p));
    if (unknown.length > 0) {
      problems.push({
        field,
        message: `unknown placeholders ${unknown.map((p) => `{{${p}}}`).join(', ')}: use ${[...known].map((p) => `{{${p}}}`).join(', ')}, or declare the request attribute in attributeCodes`,
      });
    }
  };
  unknownIn('templateBn', bn);
  unknownIn('templateEn', en);
  const onlyBn = bn.filter((p) => known.has(p) && !en.includes(p));
  const onlyEn = en.filter((p) => known.has(p) && !bn.includes(p));
  if (onlyBn.length > 0 || onlyEn.length > 0) {
    problems.push({
      field: 'templateEn',
      message: `the two texts must use the same placeholders (only in Bengali: ${onlyBn.join(', ') || 'none'}; only in English: ${onlyEn.join(', ') || 'none'})`,
    });
  }
  const unused = attributeCodes.filter((code) => !bn.includes(code) && !en.includes(code));
  if (unused.length > 0) {
    problems.push({
      field: 'attributeCodes',
      message: `declared but used by neither text: ${unused.join(', ')}`,
    });
  }
  return problems;
}
