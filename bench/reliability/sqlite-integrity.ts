import Database from 'better-sqlite3';

/** `PRAGMA integrity_check` on a SQLite file, read-only: true when it answers `ok`. */
export function sqliteIntact(file: string): boolean {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
      return rows.length === 1 && rows[0]?.integrity_check === 'ok';
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
