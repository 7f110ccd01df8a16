// `make feed-key`: writes a new usign (Ed25519) key pair for signing the feed, outside git.
//   node scripts/feed-keygen.mjs [--dir ~/.config/smartgrid/usign] [--comment TEXT]
import { runPkgTool } from './make-ipk.mjs';

process.exitCode = await runPkgTool(['keygen', ...process.argv.slice(2)]);
