// Entry point: S3_VERIFY_PORT, S3_BACKEND_PORT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY.
import { startVerifyProxy } from './server.ts';

const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`s3-verify: ${name} is required`);
  return v;
};
const server = await startVerifyProxy({
  port: Number(need('S3_VERIFY_PORT')),
  backend: { host: '127.0.0.1', port: Number(need('S3_BACKEND_PORT')) },
  credentials: {
    accessKeyId: need('S3_ACCESS_KEY_ID'),
    secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
  },
  log: (line) => console.log(line),
});
console.log(
  JSON.stringify({
    level: 'info',
    msg: 's3-verify listening',
    port: Number(process.env.S3_VERIFY_PORT),
  }),
);
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
