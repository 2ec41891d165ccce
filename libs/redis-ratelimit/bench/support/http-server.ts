// One app of the HTTP bench in a process of its own (so the load generator does not share its
// CPU): prints its port, then serves until killed.
//   node bench/support/http-server.ts <framework> <variant> <redis url> <key prefix>
import { startApp, type Framework, type Variant } from './http-apps.ts';

const [framework, variant, redisUrl, prefix] = process.argv.slice(2) as [Framework, Variant, string, string];
const port = await startApp(framework, variant, redisUrl, prefix);
process.stdout.write(`${port}\n`);
