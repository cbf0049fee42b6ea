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
  // NAS backup and cascade
  NAS_TARGET_DISABLED: { http: 409, message: 'This NAS target is off' },
  NAS_UNAVAILABLE: { http: 503, message: 'NAS backup is not available (its queue could not be opened)' },
  CASCADE_NOT_MASTER: { http: 409, message: 'This box is not the master of a cascade' },
  CASCADE_BOX_NOT_FOUND: { http: 404, message: 'No such box in the cascade' },
  CASCADE_BOX_DOWN: { http: 502, message: 'The box of the cascade that holds this recording does not answer' },
  cascade_signature: { http: 401, message: 'The request between boxes is not signed with the cascade\'s secret' },
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
  // system management: network, time, system settings
  NETWORK_PENDING: { http: 409, message: 'A network change is waiting to be confirmed; confirm it or let it return to the previous configuration first' },
  NETWORK_NOT_PENDING: { http: 409, message: 'No network change is waiting to be confirmed (it may have returned to the previous configuration)' },
  NETWORK_APPLY_FAILED: { http: 500, message: 'The network settings could not be applied; the previous configuration is in force' },
  TIME_APPLY_FAILED: { http: 500, message: 'The time settings could not be applied; the previous settings are in force' },
  SYSTEM_APPLY_FAILED: { http: 500, message: 'The system settings could not be applied; the previous settings are in force' },
  // email push, system logs, diagnostics (docs/maintenance.md)
  MAIL_NOT_CONFIGURED: { http: 409, message: 'Email push is not set up: server, sender and a recipient are needed' },
  LOG_NOT_FOUND: { http: 404, message: 'No such saved log' },
  LOG_SAVE_FAILED: { http: 500, message: 'The system log could not be saved' },
  PING_BUSY: { http: 429, message: 'Too many pings are running; wait for one to end' },
  PING_UNAVAILABLE: { http: 503, message: 'The ping tool is not available on this box' },
  // device operations, license and trial, field upgrades (docs/device-management.md)
  confirmation_required: { http: 400, message: 'Type 确认 (or confirm) to confirm this operation' },
  license_invalid: { http: 400, message: 'The file is not a license file' },
  license_signature: { http: 422, message: 'The license is not signed by a trusted key' },
  license_serial: { http: 422, message: 'The license is for another box' },
  not_licensed: { http: 403, message: 'The license of this box does not include this feature' },
  package_invalid: { http: 422, message: 'The file is not an upgrade package, or it is truncated' },
  package_signature: { http: 422, message: 'The upgrade package is not signed by a trusted key' },
  package_tampered: { http: 422, message: 'The upgrade package does not match its signed manifest' },
  package_board: { http: 422, message: 'The upgrade package is for another board model' },
  package_too_old: { http: 409, message: 'This box runs a version too old for the package; install an intermediate version first' },
  downgrade_unconfirmed: { http: 409, message: 'The version is older than the one running; confirm the downgrade' },
  version_not_found: { http: 404, message: 'No such stored version' },
  version_in_use: { http: 409, message: 'The running version cannot be deleted' },
  upgrade_busy: { http: 409, message: 'Another upload or activation is in progress' },
  // cloud seats
  listeners_full: { http: 409, message: 'The channel has as many live listeners as it takes' },
  seat_disabled: { http: 403, message: 'The seat is switched off' },
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
