// Cognito's error types as the API's codes, with the Korean messages the web client shows.
import { ApiError } from '../lib/errors.ts';
import { CognitoError } from './cognito.ts';

type Context = 'signup' | 'confirm' | 'resend' | 'signin' | 'refresh' | 'update';

export function fromCognito(err: unknown, context: Context): unknown {
  if (!(err instanceof CognitoError)) return err;
  switch (err.type) {
    case 'UsernameExistsException':
    case 'AliasExistsException':
      return new ApiError('EMAIL_EXISTS', '이미 가입된 이메일입니다.');
    case 'CodeMismatchException':
      return new ApiError('INVALID_CODE', '인증 코드가 올바르지 않습니다.');
    case 'ExpiredCodeException':
      return new ApiError('CODE_EXPIRED', '인증 코드가 만료되었습니다. 새 코드를 요청해 주세요.');
    case 'UserNotConfirmedException':
      return new ApiError(
        'USER_NOT_CONFIRMED',
        '이메일 인증이 완료되지 않았습니다. 메일함을 확인해 주세요.',
      );
    case 'InvalidPasswordException':
      // cognito-local answers a wrong sign-in password this way; Cognito says NotAuthorizedException.
      if (context === 'signin')
        return new ApiError('INVALID_CREDENTIALS', '이메일 또는 비밀번호가 올바르지 않습니다.');
      return new ApiError(
        'INVALID_PASSWORD',
        '비밀번호는 8자 이상이어야 하며 정책을 만족해야 합니다.',
      );
    case 'InvalidParameterException':
      if (context === 'resend' && /confirmed/i.test(err.message))
        return new ApiError('ALREADY_CONFIRMED', '이미 인증이 완료된 계정입니다.');
      return new ApiError('VALIDATION_FAILED', '입력값이 올바르지 않습니다.');
    case 'NotAuthorizedException':
      if (context === 'confirm' && /CONFIRMED/i.test(err.message))
        return new ApiError('ALREADY_CONFIRMED', '이미 인증이 완료된 계정입니다.');
      if (context === 'refresh')
        return new ApiError('SESSION_EXPIRED', '세션이 만료되었습니다. 다시 로그인해 주세요.');
      if (context === 'update') return new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
      return new ApiError('INVALID_CREDENTIALS', '이메일 또는 비밀번호가 올바르지 않습니다.');
    case 'UserNotFoundException':
      // Never reveal whether an account exists.
      if (context === 'signin')
        return new ApiError('INVALID_CREDENTIALS', '이메일 또는 비밀번호가 올바르지 않습니다.');
      if (context === 'refresh')
        return new ApiError('SESSION_EXPIRED', '세션이 만료되었습니다. 다시 로그인해 주세요.');
      return new ApiError('INVALID_CODE', '인증 코드가 올바르지 않습니다.');
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return new ApiError('RATE_LIMITED', '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.', {
        headers: { 'Retry-After': '60' },
      });
    case 'Unsupported':
      // cognito-local lacks a few operations (ResendConfirmationCode, GlobalSignOut); Cognito has them.
      return new ApiError('SERVICE_UNAVAILABLE', '현재 인증 서버에서 지원하지 않는 기능입니다.', {
        cause: err,
      });
    case 'ServiceUnavailable':
      return new ApiError('SERVICE_UNAVAILABLE', '인증 서버에 연결할 수 없습니다.', { cause: err });
    default:
      return err;
  }
}
