// The local "mailbox": cognito-local prints confirmation codes instead of e-mailing them. The runner reads
// them from its output, prints them and appends them to <state dir>/confirmation-codes.jsonl; and it serves
// the current code per address at GET /codes/<email> (stack.json `mailboxUrl`), read from cognito-local's
// own user store (its log output reaches us seconds late), so scripts and tests can confirm sign-ups
// without e-mail.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export interface DeliveredCode {
  email: string;
  code: string;
  at: string;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC.
const ANSI = /\x1b\[[0-9;]*m/g;

type StoredUser = {
  Attributes?: Array<{ Name: string; Value: string }>;
  ConfirmationCode?: string;
  AttributeVerificationCode?: string;
  UserLastModifiedDate?: string;
};

export class Mailbox {
  private readonly latest = new Map<string, DeliveredCode>();
  private readonly file: string;
  private readonly announce: (line: string) => void;
  private destination: string | undefined;
  private server: Server | undefined;
  private userStore: string | undefined;

  constructor(stateDir: string, announce: (line: string) => void) {
    this.file = join(stateDir, 'confirmation-codes.jsonl');
    this.announce = announce;
  }

  /** cognito-local keeps each pool's users, with their pending ConfirmationCode, in one JSON file. */
  useUserStore(cognitoDir: string, userPoolId: string): void {
    this.userStore = join(cognitoDir, '.cognito', 'db', `${userPoolId}.json`);
  }

  private async readStore(): Promise<{ Users?: Record<string, StoredUser> } | undefined> {
    if (!this.userStore || !existsSync(this.userStore)) return undefined;
    // cognito-local rewrites the whole file asynchronously, and concurrent sign-ups overlap their writes:
    // a read can see a torn file for a moment, so it is retried briefly.
    for (let attempt = 0; attempt < 25; attempt++) {
      try {
        return JSON.parse(readFileSync(this.userStore, 'utf8')) as {
          Users?: Record<string, StoredUser>;
        };
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    return undefined;
  }

  private async pendingCode(email: string): Promise<DeliveredCode | undefined> {
    const store = await this.readStore();
    if (!store) return undefined;
    for (const user of Object.values(store.Users ?? {})) {
      const address = user.Attributes?.find((a) => a.Name === 'email')?.Value?.toLowerCase();
      if (address === email && user.ConfirmationCode) {
        return {
          email,
          code: user.ConfirmationCode,
          at: user.UserLastModifiedDate ?? new Date().toISOString(),
        };
      }
    }
    return undefined;
  }

  /** Feed cognito-local's output lines; the delivery box lists Destination before Code. */
  observe(raw: string): void {
    const line = raw.replace(ANSI, '');
    const destination = /Destination:\s+(\S+@\S+?)\s*│?\s*$/.exec(line);
    if (destination) this.destination = destination[1].toLowerCase();
    const code = /Code:\s+(\S+?)\s*│?\s*$/.exec(line);
    if (code && this.destination) {
      const delivered = { email: this.destination, code: code[1], at: new Date().toISOString() };
      this.latest.set(delivered.email, delivered);
      appendFileSync(this.file, `${JSON.stringify(delivered)}\n`);
      this.announce(`confirmation code for ${delivered.email}: ${delivered.code}`);
      this.destination = undefined;
    }
  }

  /** The pending attribute-verification code (a phone or e-mail change) of this e-mail's user. */
  private async attributeCode(email: string): Promise<DeliveredCode | undefined> {
    const store = await this.readStore();
    for (const user of Object.values(store?.Users ?? {})) {
      const address = user.Attributes?.find((a) => a.Name === 'email')?.Value?.toLowerCase();
      if (address === email && user.AttributeVerificationCode) {
        const at = user.UserLastModifiedDate ?? new Date().toISOString();
        return { email, code: user.AttributeVerificationCode, at };
      }
    }
    return undefined;
  }

  async listen(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      // GET /attribute-codes/<email>: the code Cognito sent for an attribute change
      // (UpdateUserAttributes).
      const attr = /^\/attribute-codes\/([^/?]+)$/.exec(req.url ?? '');
      if (attr) {
        void this.attributeCode(decodeURIComponent(attr[1]).toLowerCase())
          .catch(() => undefined)
          .then((found) => {
            res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(found ?? { error: 'no attribute code pending' }));
          });
        return;
      }
      const match = /^\/codes\/([^/?]+)$/.exec(req.url ?? '');
      const email = match ? decodeURIComponent(match[1]).toLowerCase() : '';
      const lookup = match ? this.pendingCode(email) : Promise.resolve(undefined);
      void lookup
        .catch(() => undefined)
        .then((pending) => {
          const found = pending ?? this.latest.get(email);
          res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(found ?? { error: 'no code delivered to this address' }));
        });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${port}`;
  }

  close(): void {
    this.server?.close();
  }
}
