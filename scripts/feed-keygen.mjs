// `make feed-key`: writes new key pairs for signing the feeds, outside git: usign (Ed25519) for the
// opkg feed and ECDSA P-256 for the apk feed.
//   node scripts/feed-keygen.mjs [--dir ~/.config/smartgrid/usign] [--apk-dir ~/.config/smartgrid/apk] [--comment TEXT]
import { runPkgTool } from './make-ipk.mjs';

process.exitCode = await runPkgTool(['keygen', ...process.argv.slice(2)]);
