// drizzle-kit: `npm run db:generate` writes SQL migrations into drizzle/ from src/db/schema.
// Migrations are applied by the stack runner (locally) and by `npm run db:migrate` (production); never `push`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'mysql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  casing: undefined,
});
