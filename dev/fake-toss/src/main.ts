// Entry point: FAKE_TOSS_PORT, TOSS_SECRET_KEY.
import { startFakeToss } from './server.ts';

const secretKey = process.env.TOSS_SECRET_KEY;
if (!secretKey) throw new Error('fake-toss: TOSS_SECRET_KEY is required');
const { server, url } = await startFakeToss({
  port: Number(process.env.FAKE_TOSS_PORT ?? 0),
  secretKey,
});
console.log(JSON.stringify({ level: 'info', msg: 'fake Toss Payments listening', url }));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
