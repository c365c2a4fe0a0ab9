/**
 * Checks a Duare certificate without the server:
 *   npm run verify-certificate -- <certificate.pdf | signed.json | file with an old QR text> --keys <duare-keys.json>
 * The keys file is what `GET /.well-known/duare-keys.json` answers (save it once).
 * Exit code 0: valid; 1: not valid; 2: wrong use.
 */
import { readFileSync } from 'node:fs';
import { verifyOffline } from '../src/certificates/offline-verification';

function main(args: string[]): number {
  const keysAt = args.indexOf('--keys');
  const file = args.find((arg, i) => !arg.startsWith('--') && i !== keysAt + 1);
  if (!file || keysAt < 0 || !args[keysAt + 1]) {
    process.stderr.write(
      'usage: npm run verify-certificate -- <certificate.pdf | qr.txt> --keys <duare-keys.json>\n',
    );
    return 2;
  }
  const keys = (
    JSON.parse(readFileSync(args[keysAt + 1], 'utf8')) as {
      keys: Array<{ keyId: string; publicKey: string }>;
    }
  ).keys;
  const result = verifyOffline(readFileSync(file), keys);
  if (!result.valid) {
    process.stdout.write(`NOT VALID: ${result.reason}\n`);
    return 1;
  }
  const { number, type, issuedAt, validUntil } = result.facts as Record<string, string>;
  process.stdout.write(
    `VALID ${result.kind} signature (key ${result.keyId}): ${number} ${type}, issued ${issuedAt}${validUntil ? `, valid until ${validUntil}` : ''}\n` +
      'Revocation is not known offline: check the verification page as well.\n',
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
