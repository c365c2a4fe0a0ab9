/** Environment variables through which the global setup tells test files where to go. */
export const ADMIN_URL_VAR = 'DUARE_TEST_ADMIN_URL';
export const TEMPLATE_VAR = 'DUARE_TEST_TEMPLATE_DB';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
