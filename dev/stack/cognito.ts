// cognito-local: the Cognito user-pool JSON API on loopback. The pool and app client are created
// idempotently (looked up by name first), so a second run reuses them.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StackConfig } from './config.ts';
import { httpReady, waitFor, type Managed, type Supervisor } from './processes.ts';

export interface CognitoInfo {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  region: string;
}

export async function cognitoCall<T = Record<string, unknown>>(
  endpoint: string,
  operation: string,
  body: unknown,
): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as T & { __type?: string; message?: string };
  if (!res.ok)
    throw new Error(
      `cognito ${operation} failed: ${res.status} ${json.__type ?? ''} ${json.message ?? ''}`.trim(),
    );
  return json;
}

export async function startCognito(
  sup: Supervisor,
  cfg: StackConfig,
  onLine?: (line: string) => void,
): Promise<{ managed: Managed; info: CognitoInfo }> {
  const dir = join(cfg.stateDir, 'cognito');
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const bin = join(require.resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');
  const endpoint = `http://127.0.0.1:${cfg.ports.cognito}`;
  const managed = sup.start('cognito-local', process.execPath, [bin], {
    cwd: dir,
    // A wide "terminal" keeps cognito-local's boxed code deliveries on one line per field.
    env: { PORT: String(cfg.ports.cognito), HOST: '127.0.0.1', NO_COLOR: '1', COLUMNS: '1000' },
    onLine,
  });
  await waitFor('cognito-local', () => httpReady(`${endpoint}/health`), 60_000, managed.exited);
  const info = await provisionCognito(endpoint, cfg);
  return { managed, info };
}

async function provisionCognito(endpoint: string, cfg: StackConfig): Promise<CognitoInfo> {
  const pools = await cognitoCall<{ UserPools?: Array<{ Id: string; Name: string }> }>(
    endpoint,
    'ListUserPools',
    { MaxResults: 60 },
  );
  let userPoolId = pools.UserPools?.find((p) => p.Name === cfg.cognito.userPoolName)?.Id;
  if (!userPoolId) {
    const created = await cognitoCall<{ UserPool: { Id: string } }>(endpoint, 'CreateUserPool', {
      PoolName: cfg.cognito.userPoolName,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 8 } },
    });
    userPoolId = created.UserPool.Id;
  }
  const clients = await cognitoCall<{
    UserPoolClients?: Array<{ ClientId: string; ClientName: string }>;
  }>(endpoint, 'ListUserPoolClients', { UserPoolId: userPoolId, MaxResults: 60 });
  let clientId = clients.UserPoolClients?.find(
    (c) => c.ClientName === cfg.cognito.clientName,
  )?.ClientId;
  if (!clientId) {
    const created = await cognitoCall<{ UserPoolClient: { ClientId: string } }>(
      endpoint,
      'CreateUserPoolClient',
      {
        UserPoolId: userPoolId,
        ClientName: cfg.cognito.clientName,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      },
    );
    clientId = created.UserPoolClient.ClientId;
  }
  return {
    endpoint,
    userPoolId,
    clientId,
    issuer: `${endpoint}/${userPoolId}`,
    region: cfg.cognito.region,
  };
}
