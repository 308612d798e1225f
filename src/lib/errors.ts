// One error type for the whole API. Handlers throw `new ApiError('CODE', 'message')`; the status comes
// from this table, so a code always means the same status everywhere.
// 401 = "who are you?", 403 = "you may not", 404 also for what the viewer must not know exists.

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_CODE: 400,
  CODE_EXPIRED: 400,
  INVALID_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  REAUTH_REQUIRED: 401,
  INSUFFICIENT_BALANCE: 402,
  FORBIDDEN: 403,
  USER_NOT_CONFIRMED: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_EXISTS: 409,
  HANDLE_TAKEN: 409,
  NICKNAME_TAKEN: 409,
  ALREADY_CREATOR: 409,
  ALREADY_CONFIRMED: 409,
  IDEMPOTENCY_CONFLICT: 409,
  LEVEL_TAKEN: 409,
  MEMBERSHIP_HAS_SUBSCRIBERS: 409,
  MEMBERSHIP_INACTIVE: 409,
  ALREADY_SUBSCRIBED: 409,
  CANNOT_SUBSCRIBE_OWN: 400,
  NOTHING_TO_REFUND: 409,
  NOT_FOR_SALE: 409,
  CONTENT_LOCKED: 403,
  ALREADY_REPORTED: 409,
  COMMENTS_DISABLED: 403,
  ALREADY_FOLLOWING: 409,
  CANNOT_FOLLOW_SELF: 400,
  REFUND_WINDOW_PASSED: 403,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_FILE_TYPE: 415,
  UPLOAD_QUOTA_EXCEEDED: 429,
  UPLOAD_INCOMPLETE: 409,
  UPLOAD_SIZE_MISMATCH: 409,
  MEDIA_NOT_READY: 409,
  INVALID_STATE: 409,
  INVALID_SIGNATURE: 401,
  REPLAYED: 409,
  STORAGE_UNAVAILABLE: 503,
  AMOUNT_MISMATCH: 400,
  PAYMENT_FAILED: 400,
  PAYMENT_NOT_CREDITED: 502,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SIGN_IN_LOCKED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface ErrorDetail {
  path?: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** User-facing default messages (Korean, as the web client shows them). */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  BAD_REQUEST: '잘못된 요청입니다.',
  VALIDATION_FAILED: '입력값이 올바르지 않습니다.',
  INVALID_JSON: '요청 본문이 올바른 JSON이 아닙니다.',
  INVALID_CODE: '인증 코드가 올바르지 않습니다.',
  CODE_EXPIRED: '인증 코드가 만료되었습니다. 새 코드를 요청해 주세요.',
  INVALID_PASSWORD: '비밀번호가 정책에 맞지 않습니다.',
  UNAUTHENTICATED: '로그인이 필요합니다.',
  INVALID_CREDENTIALS: '이메일 또는 비밀번호가 올바르지 않습니다.',
  SESSION_EXPIRED: '세션이 만료되었습니다. 다시 로그인해 주세요.',
  REAUTH_REQUIRED: '보안을 위해 다시 로그인한 뒤 시도해 주세요.',
  INSUFFICIENT_BALANCE: '콩(KNG) 잔액이 부족합니다.',
  FORBIDDEN: '권한이 없습니다.',
  USER_NOT_CONFIRMED: '이메일 인증이 완료되지 않았습니다.',
  ACCOUNT_DISABLED: '이용이 제한된 계정입니다.',
  NOT_FOUND: '요청한 리소스를 찾을 수 없습니다.',
  METHOD_NOT_ALLOWED: '허용되지 않은 메서드입니다.',
  CONFLICT: '이미 존재하거나 충돌하는 요청입니다.',
  EMAIL_EXISTS: '이미 가입된 이메일입니다.',
  HANDLE_TAKEN: '이미 사용 중인 핸들입니다.',
  NICKNAME_TAKEN: '이미 사용 중인 닉네임입니다.',
  ALREADY_CREATOR: '이미 크리에이터입니다.',
  ALREADY_CONFIRMED: '이미 인증이 완료된 계정입니다.',
  IDEMPOTENCY_CONFLICT: '같은 멱등성 키로 다른 요청이 이미 처리되었습니다.',
  LEVEL_TAKEN: '같은 레벨의 멤버십이 이미 있습니다.',
  MEMBERSHIP_HAS_SUBSCRIBERS: '구독자가 있는 멤버십은 삭제할 수 없습니다.',
  MEMBERSHIP_INACTIVE: '판매 중이 아닌 멤버십입니다.',
  ALREADY_SUBSCRIBED: '이미 구독 중인 멤버십입니다.',
  CANNOT_SUBSCRIBE_OWN: '자신의 멤버십은 구독할 수 없습니다.',
  NOTHING_TO_REFUND: '환불할 결제가 없습니다.',
  NOT_FOR_SALE: '개별 구매할 수 없는 포스팅입니다.',
  CONTENT_LOCKED: '멤버십 또는 구매가 필요한 포스팅입니다.',
  ALREADY_REPORTED: '이미 신고한 대상입니다. 처리 결과를 기다려 주세요.',
  COMMENTS_DISABLED: '댓글이 허용되지 않은 포스팅입니다.',
  ALREADY_FOLLOWING: '이미 팔로우하고 있습니다.',
  CANNOT_FOLLOW_SELF: '자기 자신은 팔로우할 수 없습니다.',
  REFUND_WINDOW_PASSED: '환불 가능 기간이 지났습니다.',
  PAYLOAD_TOO_LARGE: '요청 본문이 너무 큽니다.',
  FILE_TOO_LARGE: '파일이 너무 큽니다.',
  UNSUPPORTED_FILE_TYPE: '지원하지 않는 파일 형식입니다.',
  UPLOAD_QUOTA_EXCEEDED: '오늘 업로드할 수 있는 한도를 넘었습니다.',
  UPLOAD_INCOMPLETE: '업로드가 끝나지 않았습니다. 파일을 먼저 올려 주세요.',
  UPLOAD_SIZE_MISMATCH: '올린 파일의 크기가 신고한 크기와 다릅니다.',
  MEDIA_NOT_READY: '미디어가 아직 처리 중입니다.',
  INVALID_STATE: '지금 상태에서는 할 수 없는 작업입니다.',
  INVALID_SIGNATURE: '서명이 올바르지 않습니다.',
  REPLAYED: '이미 처리된 요청입니다.',
  STORAGE_UNAVAILABLE: '저장소에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  AMOUNT_MISMATCH: '결제 금액이 주문 금액과 다릅니다.',
  PAYMENT_FAILED: '결제에 실패했습니다.',
  PAYMENT_NOT_CREDITED: '콩 적립에 실패해 결제를 취소했습니다.',
  PAYMENT_PROVIDER_UNAVAILABLE: '결제사 응답이 없습니다. 잠시 후 다시 시도해 주세요.',
  UNSUPPORTED_MEDIA_TYPE: '지원하지 않는 Content-Type입니다. application/json으로 보내 주세요.',
  RATE_LIMITED: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
  SIGN_IN_LOCKED: '로그인 시도가 너무 많아 잠시 잠겼습니다. 잠시 후 다시 시도해 주세요.',
  INTERNAL_ERROR: '서버 내부 오류가 발생했습니다.',
  SERVICE_UNAVAILABLE: '일시적으로 서비스를 이용할 수 없습니다.',
};
