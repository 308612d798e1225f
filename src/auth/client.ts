import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { cognitoSettings } from '../env.ts';
import { CognitoClient } from './cognito.ts';

export function cognitoFor(c: Context<AppEnv>): CognitoClient {
  return new CognitoClient(cognitoSettings(c.get('env')));
}
