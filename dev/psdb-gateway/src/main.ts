// Command-line entry: `node dev/psdb-gateway/src/main.ts`, configured by environment variables.
import { defaultGatewayConfig, startGateway } from './server.ts';

const env = process.env;
function required(name: string): string {
  const value = env[name];
  if (!value) {
    console.error(`[psdb-gateway] missing environment variable ${name}`);
    process.exit(2);
  }
  return value;
}

const gateway = await startGateway({
  ...defaultGatewayConfig,
  port: Number(env.PSDB_GATEWAY_PORT ?? 3900),
  host: env.PSDB_GATEWAY_HOST ?? '127.0.0.1',
  username: required('PSDB_GATEWAY_USER'),
  password: required('PSDB_GATEWAY_PASSWORD'),
  mysql: {
    host: env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(env.MYSQL_PORT ?? 3306),
    user: required('MYSQL_USER'),
    password: env.MYSQL_PASSWORD ?? '',
    database: required('MYSQL_DATABASE'),
  },
  poolSize: Number(env.PSDB_GATEWAY_POOL_SIZE ?? defaultGatewayConfig.poolSize),
  idleTimeoutMs: Number(env.PSDB_GATEWAY_TX_IDLE_MS ?? defaultGatewayConfig.idleTimeoutMs),
  debug: env.PSDB_GATEWAY_LOG === 'debug',
});
console.log(
  `[psdb-gateway] listening on ${gateway.url} -> mysql ${env.MYSQL_HOST ?? '127.0.0.1'}:${env.MYSQL_PORT ?? 3306}/${env.MYSQL_DATABASE}`,
);

function stop(): void {
  gateway.close().finally(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
