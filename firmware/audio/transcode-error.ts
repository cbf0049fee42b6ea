/**
 * Why a recording could not be transcoded. `code` is stable: the archive
 * keeps the original when it sees any of them.
 */
export type TranscodeErrorCode =
  /** Not a WAV the recorder or the archive writes (bad header, unsupported format, damaged ADPCM block). */
  | 'SOURCE_INVALID'
  /** The header declares more audio than the file holds. */
  | 'SOURCE_TRUNCATED'
  /** The MP3 encoder (lame or the built-in one) failed. */
  | 'ENCODER_FAILED';

export class TranscodeError extends Error {
  constructor(
    readonly code: TranscodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TranscodeError';
  }
}
