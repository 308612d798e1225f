// Applies drizzle/ migrations through the PlanetScale driver (the same path production uses).
//   DATABASE_URL=mysql://user:pass@aws.connect.psdb.cloud/crefans node dev/db/migrate.ts
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/planetscale-serverless/migrator';
import { createDb } from '../../src/db/client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function applyMigrations(databaseUrl: string): Promise<void> {
  await migrate(createDb(databaseUrl), { migrationsFolder: MIGRATIONS_FOLDER });
}

if (import.meta.main) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  await applyMigrations(url);
  console.log('migrations applied');
}
