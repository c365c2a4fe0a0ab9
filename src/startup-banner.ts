import { AppConfig } from './config/app-config';
import { DEMO_ACCOUNTS } from './demo/demo-data';

export interface BannerFacts {
  config: AppConfig;
  embedded: boolean;
  seeded: boolean;
  address: string;
  /** Whether dist/console holds a built coordinator console. */
  consoleBuilt: boolean;
}

function signInLines(config: AppConfig, url: string): string[] {
  if (!config.demoData || config.isProduction) {
    return [
      '  Sign in with a staff account. To create a municipality, its wards and its first',
      '  administrator: node dist/cli.js bootstrap --help (npm run cli -- bootstrap --help in',
      '  development); docs/operations.md walks through going live.',
    ];
  }
  const [admin] = DEMO_ACCOUNTS;
  return [
    '  Demo sign-ins (development only; the passwords are public):',
    ...DEMO_ACCOUNTS.map((a) => `    ${a.role.padEnd(17)} ${a.username.padEnd(18)} ${a.password}`),
    '',
    '  Try:',
    `  TOKEN=$(curl -s ${url} -H 'content-type: application/json' \\`,
    `    -d '{"query":"mutation { signIn(input: { login: \\"${admin.username}\\", password: \\"${admin.password}\\" }) { accessToken } }"}' \\`,
    `    | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')`,
    `  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `    -d '{"query":"{ wards(filter: { councillorStatus: VACANT }) { edges { node { number nameBn helplineWhatsappNumber } } } }"}'`,
  ];
}

/** The newcomer's first screen: where the API is and how to talk to it. */
export function printBanner({
  config,
  embedded,
  seeded,
  address,
  consoleBuilt,
}: BannerFacts): void {
  const base = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const url = `${base}/graphql`;
  const lines = [
    '',
    '  Duare is running.',
    `  Console:   ${consoleBuilt ? `${base}/   (coordinators and field agents, in a browser)` : 'not built (npm run build builds it)'}`,
    `  GraphQL:   ${url}   (POST JSON; header content-type: application/json)`,
    `  Health:    ${address}/health/ready`,
    `  Database:  ${embedded ? `embedded PostgreSQL (data in ${config.database.embedded.dataDir})` : 'DATABASE_URL'}`,
    `  Demo data: ${config.demoData ? (seeded ? 'loaded now' : 'present') : 'off'}`,
    '',
    ...signInLines(config, url),
    '',
    '  Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
