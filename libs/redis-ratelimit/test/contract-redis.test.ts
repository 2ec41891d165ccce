import { FULL_CLIENTS } from './support/clients.js';
import { describeContract, redisHarness } from './support/contract.js';
import { connectRedis } from './support/services.js';

for (const kind of FULL_CLIENTS) {
  describeContract(`standalone Redis, ${kind.name}`, async () => {
    const { client: redis, close } = await kind.standalone();
    return redisHarness(redis, connectRedis(), close);
  });
}
