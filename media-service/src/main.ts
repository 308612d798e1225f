import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const server = serve(
  { fetch: createApp(config).fetch, port: config.PORT, hostname: config.HOST },
  (info) => {
    console.log(JSON.stringify({ level: 'info', msg: 'media-service listening', port: info.port }));
  },
);

function stop(): void {
  server.close(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
