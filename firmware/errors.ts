/**
 * One error type for the whole daemon, with stable codes grouped by area.
 * HTTP and the console map codes to status and message here and nowhere else.
 */
export const ERROR_CODES = {
  // board / configuration
  BOARD_FILE_INVALID: { http: 500, message: 'The board file is invalid' },
  CONFIG_INVALID: { http: 500, message: 'The configuration file is invalid' },
  SCENARIO_INVALID: { http: 400, message: 'The scenario file is invalid' },
  // settings
  SETTINGS_DAMAGED: { http: 500, message: 'The settings file was damaged; the last good settings are in use' },
  SETTINGS_WRITE_FAILED: { http: 500, message: 'The settings could not be saved' },
  // line card
  LINECARD_TIMEOUT: { http: 504, message: 'The line card did not answer' },
  LINECARD_REJECTED: { http: 502, message: 'The line card rejected the command' },
  LINECARD_DOWN: { http: 503, message: 'The line card link is down' },
  // channels
  CHANNEL_NOT_FOUND: { http: 404, message: 'No such channel' },
  // E1 trunks
  E1_NOT_AVAILABLE: { http: 404, message: 'This box has no E1 ports (E1 recording is licensed on the RDT)' },
  E1_PORT_NOT_FOUND: { http: 404, message: 'No such E1 port' },
  // records
  RECORD_NOT_FOUND: { http: 404, message: 'No such recording' },
  RECORD_FILE_MISSING: { http: 410, message: 'The recording file is missing from the disk' },
  RECORD_FILE_DAMAGED: { http: 500, message: 'The recording file is damaged and cannot be played' },
  RECORD_FORMAT_UNSUPPORTED: { http: 415, message: 'This recording is stored in a format the box cannot decode here' },
  // encryption at rest (sealed recordings)
  ENCRYPTION_KEY_INVALID: { http: 500, message: 'The encryption key in the configuration must be 64 hexadecimal characters' },
  ENCRYPTION_KEY_MISSING: { http: 500, message: 'This recording is encrypted and no encryption key is configured' },
  ENCRYPTION_KEY_MISMATCH: { http: 500, message: 'This recording was encrypted with a different key than the one configured' },
  SEALED_FILE_DAMAGED: { http: 500, message: 'The encrypted recording is damaged or has been tampered with' },
  SEALED_FILE_TRUNCATED: { http: 500, message: 'The encrypted recording is truncated' },
  SEALED_FILE_UNSUPPORTED: { http: 500, message: 'The encrypted recording uses an unsupported format' },
  SEAL_SOURCE_INVALID: { http: 500, message: 'The recording cannot be encrypted' },
  OBJECT_STORE_UNAVAILABLE: { http: 502, message: 'The copy of this recording in the object store cannot be read' },
  RANGE_NOT_SATISFIABLE: { http: 416, message: 'The requested range is outside the recording' },
  // chain of custody (docs/custody.md)
  CUSTODY_UNAVAILABLE: { http: 503, message: 'The chain of custody is not available' },
  STATEMENT_NOT_FOUND: { http: 404, message: 'No signed statement for this recording' },
  KEY_ROTATION_FAILED: { http: 500, message: 'The device key could not be rotated; it is unchanged' },
  // VoIP
  VOIP_DISABLED: { http: 503, message: 'VoIP recording is not enabled on this box' },
  VOIP_IMPORT_INVALID: { http: 422, message: 'The file is not a phone recording the recorder can read' },
  PAYLOAD_TOO_LARGE: { http: 413, message: 'The upload is too large' },
  // accounts, sign-in and rights (codes as the web UI matches them)
  unauthenticated: { http: 401, message: 'Sign in first' },
  bad_credentials: { http: 401, message: 'Wrong user name or password' },
  wrong_password: { http: 400, message: 'The current password is wrong' },
  locked: { http: 429, message: 'Too many failed sign-ins; try again later' },
  address_not_allowed: { http: 403, message: 'This address may not use the web interface' },
  account_in_use: { http: 409, message: 'The account is already signed in elsewhere' },
  account_expired: { http: 403, message: 'The account has expired' },
  account_disabled: { http: 403, message: 'The account is disabled' },
  weak_password: { http: 400, message: 'A password needs at least 8 characters with letters and digits' },
  password_change_required: { http: 403, message: 'Change the password first' },
  csrf: { http: 403, message: 'The request lacks a valid X-CSRF-Token header' },
  forbidden: { http: 403, message: 'The account may not do this' },
  account_not_found: { http: 404, message: 'No such account' },
  account_exists: { http: 409, message: 'An account with this name exists' },
  last_admin: { http: 409, message: 'The box needs at least one enabled administrator' },
  // concurrent edits
  stale: { http: 409, message: 'Someone else changed this page since it was loaded; reload it' },
  // API input
  BAD_REQUEST: { http: 400, message: 'Invalid request' },
  NOT_FOUND: { http: 404, message: 'Not found' },
  INTERNAL: { http: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class RecorderError extends Error {
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, detail?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'RecorderError';
    this.code = code;
    this.detail = detail;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

export function isRecorderError(e: unknown): e is RecorderError {
  return e instanceof RecorderError;
}
