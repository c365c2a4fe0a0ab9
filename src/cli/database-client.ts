import { Client } from 'pg';
import { asEnvironmentError } from './cli-runtime';

/** One plain connection for commands that need a few statements, not the whole app. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: 'duare-cli',
  });
  // A server that ends the connection must not crash the command with an unhandled 'error'.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw asEnvironmentError(error, new URL(url).host);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
