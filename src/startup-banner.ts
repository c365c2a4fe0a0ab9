import { AppConfig } from './config/app-config';

export interface BannerFacts {
  config: AppConfig;
  embedded: boolean;
  seeded: boolean;
  address: string;
}

/** The newcomer's first screen: where the API is and how to talk to it. */
export function printBanner({ config, embedded, seeded, address }: BannerFacts): void {
  const url = `${address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost')}/graphql`;
  const lines = [
    '',
    '  Duare is running.',
    `  GraphQL:   ${url}   (POST JSON; header content-type: application/json)`,
    `  Health:    ${address}/health/ready`,
    `  Database:  ${embedded ? `embedded PostgreSQL (data in ${config.database.embedded.dataDir})` : 'DATABASE_URL'}`,
    `  Demo data: ${config.demoData ? (seeded ? 'loaded now' : 'present') : 'off'}`,
    '',
    '  Try:',
    `  curl -s ${url} -H 'content-type: application/json' \\`,
    `    -d '{"query":"{ municipalities { edges { node { code nameEn wards(first: 5) { edges { node { number nameBn councillorStatus } } } } } } }"}'`,
    '',
    '  Stop with Ctrl-C.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
