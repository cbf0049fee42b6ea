import { objectStorePatchSchema } from '../../app/object-store-service.ts';

/** A change of the object-store settings; the secret may be sent, never read back. */
export const objectStorePatch = objectStorePatchSchema;
