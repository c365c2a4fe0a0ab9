/**
 * One CSV export's query, owned by the module whose table it reads; the exports controller
 * adds the caller's filter and streams it.
 */
export interface ExportQuery {
  /** Column names of the CSV, in order. */
  columns: string[];
  /** `{where}` is replaced by the filter; rows come in a stable order. */
  sql: string;
  /** The values the `status` filter accepts. */
  statuses: readonly string[];
  /** The alias of the main table in `sql`, which the filter's conditions name. */
  table: string;
  /** The main table's column the `from`/`to` days filter. */
  dateColumn: string;
}
