// Applies the reference data (categories, KNG, treasury wallet, transfer reasons) to any database.
//   DATABASE_URL=mysql://user:pass@aws.connect.psdb.cloud/crefans node dev/seed/reference.ts
import { createDb } from '../../src/db/client.ts';
import { applyReferenceData } from '../../src/db/reference-data.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(2);
}
await applyReferenceData(createDb(url));
console.log('reference data applied');
