import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { verifyPassword } from '../auth/password';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DEMO_ACCOUNTS } from './demo-data';

/** Why a production start is refused while demo sign-ins still work. */
export class PublishedDemoPasswordsError extends Error {
  constructor(readonly usernames: string[]) {
    super(
      `Refusing to start in production: the demo account(s) ${usernames.join(', ')} still ` +
        'sign in with the password published in the README (this database was seeded in ' +
        'development). Give each a new password (resetStaffPassword, as another administrator) ' +
        `or deactivate it — UPDATE staff_accounts SET active = false WHERE username IN ` +
        `(${usernames.map((u) => `'${u}'`).join(', ')}) — then start again.`,
    );
    this.name = 'PublishedDemoPasswordsError';
  }
}

/** Active demo accounts whose password is still the published one. */
export async function accountsWithPublishedPasswords(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ username: string; password_hash: string }> = await dataSource.query(
    `SELECT username, password_hash FROM staff_accounts WHERE active AND username = ANY($1)`,
    [DEMO_ACCOUNTS.map((a) => a.username)],
  );
  const published = new Map<string, string>(DEMO_ACCOUNTS.map((a) => [a.username, a.password]));
  const still: string[] = [];
  for (const row of rows) {
    if (await verifyPassword(row.password_hash, published.get(row.username)!)) {
      still.push(row.username);
    }
  }
  return still.sort();
}

/**
 * A production start over a database seeded in development would keep the demo
 * administrator signing in with its published password, silently (issue 21): the start
 * fails instead, naming the accounts and how to deal with them.
 */
@Injectable()
export class PublishedDemoAccountsGuard implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.isProduction) return;
    const usernames = await accountsWithPublishedPasswords(this.dataSource);
    if (usernames.length) throw new PublishedDemoPasswordsError(usernames);
  }
}
