import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * Counts the SQL statements the application sends. Tests pin the number of statements
 * per GraphQL operation with it (N+1 guard); it never logs statement text, which can
 * carry personal data.
 */
export class QueryCounter extends AbstractLogger {
  private count = 0;

  get statements(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }

  override logQuery(): void {
    this.count += 1;
  }

  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[]): void {
    // Statement text is deliberately not logged.
  }
}
