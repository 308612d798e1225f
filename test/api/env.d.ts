// Bindings the workerd test pool provides (test/vitest.config.ts).
import type * as Main from '../../src/index.ts';

declare global {
  namespace Cloudflare {
    interface Env {
      APP_ENV: string;
      DATABASE_URL: string;
      API_BASE_URL: string;
      CORS_ORIGINS: string;
      LOG_LEVEL: string;
      BUILD_VERSION: string;
      /** JSON of the running test stack (dev/stack/stack.ts StackInfo). */
      TEST_STACK: string;
      /** cognito-local's signing key (JWK JSON), for forging tokens in tests. */
      TEST_COGNITO_PRIVATE_JWK: string;
      COGNITO_ISSUER: string;
      COGNITO_CLIENT_ID: string;
      COGNITO_USER_POOL_ID: string;
      COGNITO_ENDPOINT: string;
      S3_ENDPOINT: string;
      S3_BUCKET: string;
      S3_REGION: string;
      S3_ACCESS_KEY_ID: string;
      S3_SECRET_ACCESS_KEY: string;
      MEDIA_MULTIPART_PART_BYTES: string;
      MEDIA_FORM_UPLOAD_MAX_BYTES: string;
      MEDIA_SERVICE_SECRET: string;
      TOSS_API_URL: string;
      TOSS_SECRET_KEY: string;
      TOSS_CLIENT_KEY: string;
      PLATFORM_FEE_BPS?: string;
      WALLET_QUEUE: Queue;
    }
    interface GlobalProps {
      mainModule: typeof Main;
    }
  }
}
