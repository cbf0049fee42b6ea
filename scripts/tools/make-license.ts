/**
 * `scripts/make-license`: issues a license file for one box (docs/license.md).
 *
 *   scripts/make-license --serial ID-06961607923877 --analog 64 [--e1 4] [--voip 256]
 *     [--cloud-platform] [--cloud-seats N] [--screen-pop] [--monitoring] [--transcription]
 *     [--customer NAME] [--id L-...] [--out FILE]
 *
 * The key: LICENSE_SIGNING_KEY (PEM) or LICENSE_SIGNING_KEY_FILE, else the dev key.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { signLicense } from '../../firmware/license/license-file.ts';
import { signingKey } from './signing-key.ts';

const { values } = parseArgs({
  options: {
    serial: { type: 'string' }, analog: { type: 'string', default: '0' }, e1: { type: 'string', default: '0' }, voip: { type: 'string', default: '0' },
    'cloud-platform': { type: 'boolean', default: false }, 'cloud-seats': { type: 'string', default: '0' }, 'screen-pop': { type: 'boolean', default: false },
    monitoring: { type: 'boolean', default: false }, transcription: { type: 'boolean', default: false },
    customer: { type: 'string', default: '' }, id: { type: 'string' }, out: { type: 'string' },
  },
});
if (!values.serial) throw new Error('make-license: --serial is required (the box\'s 设备序列号)');
const key = signingKey('LICENSE_SIGNING_KEY', 'license-signing.dev.key.pem');
const text = signLicense({
  format: 1,
  id: values.id ?? `L-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`,
  serial: values.serial,
  customer: values.customer!,
  issuedAt: new Date().toISOString(),
  channels: { analog: Number(values.analog), e1: Number(values.e1), voip: Number(values.voip) },
  features: {
    cloudPlatform: values['cloud-platform']!, cloudSeats: Number(values['cloud-seats']), screenPop: values['screen-pop']!,
    monitoring: values.monitoring!, transcription: values.transcription!,
  },
}, key.pem);
if (values.out) fs.writeFileSync(values.out, text);
else process.stdout.write(text);
