// The Cognito user-pool JSON API over fetch (no SDK: the Worker bundle stays small). The user-level
// operations need no IAM credentials; the one admin operation (AdminDeleteUser, for account
// deletion) is SigV4-signed when COGNITO_ADMIN_* credentials are configured (cognito-local accepts
// it unsigned).
import { AwsClient } from 'aws4fetch';
import type { CognitoSettings } from '../env.ts';

export class CognitoError extends Error {
  readonly type: string;
  readonly status: number;

  constructor(type: string, message: string, status: number) {
    super(message);
    this.name = 'CognitoError';
    this.type = type;
    this.status = status;
  }
}

export interface AuthTokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

interface AuthResult {
  AuthenticationResult?: {
    AccessToken: string;
    IdToken: string;
    RefreshToken?: string;
    ExpiresIn: number;
  };
  ChallengeName?: string;
}

async function secretHash(secret: string, username: string, clientId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(username + clientId));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

export class CognitoClient {
  private readonly settings: CognitoSettings;

  constructor(settings: CognitoSettings) {
    this.settings = settings;
  }

  private async call<T>(
    operation: string,
    body: Record<string, unknown>,
    signed = false,
  ): Promise<T> {
    let res: Response;
    try {
      const init = {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      };
      const admin = signed ? this.settings.admin : undefined;
      const { region, endpoint } = this.settings;
      res = admin
        ? await new AwsClient({ ...admin, region, service: 'cognito-idp', retries: 0 }).fetch(
            endpoint,
            init,
          )
        : await fetch(endpoint, init);
    } catch (err) {
      throw new CognitoError(
        'ServiceUnavailable',
        `cognito ${operation} unreachable: ${(err as Error).message}`,
        503,
      );
    }
    const text = await res.text();
    let json: Record<string, unknown>;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    if (!res.ok) {
      // `__type` is e.g. "UsernameExistsException" or "com.amazonaws…#UsernameExistsException".
      const rawType = String(json.__type ?? json.code ?? 'UnknownError');
      const type = rawType.includes('#') ? rawType.slice(rawType.lastIndexOf('#') + 1) : rawType;
      throw new CognitoError(
        type,
        String(json.message ?? json.Message ?? res.statusText),
        res.status,
      );
    }
    return json as T;
  }

  private async withSecret(username: string): Promise<{ SecretHash?: string }> {
    const { clientSecret, clientId } = this.settings;
    return clientSecret ? { SecretHash: await secretHash(clientSecret, username, clientId) } : {};
  }

  async signUp(input: {
    email: string;
    password: string;
    attributes: Record<string, string>;
  }): Promise<{ userSub: string; confirmed: boolean }> {
    const out = await this.call<{ UserSub: string; UserConfirmed: boolean }>('SignUp', {
      ClientId: this.settings.clientId,
      Username: input.email,
      Password: input.password,
      UserAttributes: Object.entries({ email: input.email, ...input.attributes }).map(
        ([Name, Value]) => ({ Name, Value }),
      ),
      ...(await this.withSecret(input.email)),
    });
    return { userSub: out.UserSub, confirmed: out.UserConfirmed };
  }

  async confirmSignUp(email: string, code: string): Promise<void> {
    await this.call('ConfirmSignUp', {
      ClientId: this.settings.clientId,
      Username: email,
      ConfirmationCode: code,
      ...(await this.withSecret(email)),
    });
  }

  async resendConfirmationCode(email: string): Promise<void> {
    await this.call('ResendConfirmationCode', {
      ClientId: this.settings.clientId,
      Username: email,
      ...(await this.withSecret(email)),
    });
  }

  async signIn(email: string, password: string): Promise<AuthTokens> {
    const secret = await this.withSecret(email);
    const out = await this.call<AuthResult>('InitiateAuth', {
      ClientId: this.settings.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: email,
        PASSWORD: password,
        ...(secret.SecretHash ? { SECRET_HASH: secret.SecretHash } : {}),
      },
    });
    return toTokens(out);
  }

  /** `username` is the Cognito username (the user's sub), needed for SECRET_HASH only. */
  async refresh(refreshToken: string, username: string): Promise<AuthTokens> {
    const secret = await this.withSecret(username);
    const out = await this.call<AuthResult>('InitiateAuth', {
      ClientId: this.settings.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: {
        REFRESH_TOKEN: refreshToken,
        ...(secret.SecretHash ? { SECRET_HASH: secret.SecretHash } : {}),
      },
    });
    return toTokens(out);
  }

  async revokeRefreshToken(refreshToken: string): Promise<void> {
    await this.call('RevokeToken', {
      ClientId: this.settings.clientId,
      Token: refreshToken,
      ...(this.settings.clientSecret ? { ClientSecret: this.settings.clientSecret } : {}),
    });
  }

  async globalSignOut(accessToken: string): Promise<void> {
    await this.call('GlobalSignOut', { AccessToken: accessToken });
  }

  /**
   * Removes the user from the pool (account deletion). `username` may be the sub. Answers 'absent'
   * when the user is already gone, so a retried deletion job goes on.
   */
  async adminDeleteUser(username: string): Promise<'deleted' | 'absent'> {
    try {
      const body = { UserPoolId: this.settings.userPoolId, Username: username };
      await this.call('AdminDeleteUser', body, true);
      return 'deleted';
    } catch (err) {
      if (err instanceof CognitoError && err.type === 'UserNotFoundException') return 'absent';
      throw err;
    }
  }

  /** Returns where Cognito sent verification codes (empty when nothing needs verifying). */
  async updateAttributes(
    accessToken: string,
    attributes: Record<string, string>,
  ): Promise<{ codeSentTo: string[] }> {
    type Out = { CodeDeliveryDetailsList?: Array<{ AttributeName?: string }> };
    const out = await this.call<Out>('UpdateUserAttributes', {
      AccessToken: accessToken,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    });
    return { codeSentTo: (out.CodeDeliveryDetailsList ?? []).map((d) => d.AttributeName ?? '') };
  }

  async sendAttributeCode(accessToken: string, attributeName: string): Promise<void> {
    await this.call('GetUserAttributeVerificationCode', {
      AccessToken: accessToken,
      AttributeName: attributeName,
    });
  }

  async verifyAttribute(accessToken: string, attributeName: string, code: string): Promise<void> {
    await this.call('VerifyUserAttribute', {
      AccessToken: accessToken,
      AttributeName: attributeName,
      Code: code,
    });
  }

  async getAttributes(accessToken: string): Promise<Record<string, string>> {
    type Out = { UserAttributes?: Array<{ Name: string; Value: string }> };
    const out = await this.call<Out>('GetUser', { AccessToken: accessToken });
    return Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
  }
}

function toTokens(out: AuthResult): AuthTokens {
  const r = out.AuthenticationResult;
  if (!r)
    throw new CognitoError(
      out.ChallengeName ?? 'ChallengeRequired',
      `sign-in needs the ${out.ChallengeName ?? 'unknown'} challenge`,
      400,
    );
  return {
    accessToken: r.AccessToken,
    idToken: r.IdToken,
    refreshToken: r.RefreshToken,
    expiresIn: r.ExpiresIn,
  };
}
