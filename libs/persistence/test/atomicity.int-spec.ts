import { mongo } from 'mongoose';
import { runId } from '@cg/testing';

/**
 * Canaries of the premise the services are written on: on the server this run uses, one conditional update or
 * one unique insert decides a race. If a server ever fails one of these, every "exactly one wins" in the services
 * is void, so the suite fails here first.
 */
describe('the database decides races in one write', () => {
  const clients: mongo.MongoClient[] = [];
  let collection: (name: string) => mongo.Collection<mongo.Document>;
  const dbName = `test_${runId()}_atomicity`;

  beforeAll(async () => {
    // Fifty separate connections, as fifty service requests would use.
    for (let i = 0; i < 50; i++)
      clients.push(await new mongo.MongoClient(process.env.MONGO_URL!, { maxPoolSize: 1 }).connect());
    collection = (name) => clients[0].db(dbName).collection(name);
  });

  afterAll(async () => {
    await clients[0]?.db(dbName).dropDatabase();
    await Promise.all(clients.map((c) => c.close()));
  });

  const on = (i: number, name: string) => clients[i].db(dbName).collection<mongo.Document>(name);

  it('lets exactly as many guarded increments win as the guard allows', async () => {
    for (let round = 0; round < 3; round++) {
      const _id = `activity-${round}`;
      await collection('places').insertOne({ _id: _id as never, taken: 0 });
      const results = await Promise.all(
        clients.map((_, i) =>
          on(i, 'places').updateOne({ _id: _id as never, taken: { $lt: 20 } }, { $inc: { taken: 1 } }),
        ),
      );
      expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(20);
      expect((await collection('places').findOne({ _id: _id as never }))?.taken).toBe(20);
    }
  });

  it('loses none of 50 × 10 unguarded increments of one document', async () => {
    await collection('counters').insertOne({ _id: 'total' as never, n: 0 });
    await Promise.all(
      clients.map(async (_, i) => {
        for (let k = 0; k < 10; k++)
          await on(i, 'counters').updateOne({ _id: 'total' as never }, { $inc: { n: 1 } });
      }),
    );
    expect((await collection('counters').findOne({ _id: 'total' as never }))?.n).toBe(500);
  });

  it('lets one of many updates guarded by the same version win', async () => {
    await collection('ballots').insertOne({ _id: 'b' as never, version: 0, status: 'open' });
    const results = await Promise.all(
      clients.map((_, i) =>
        on(i, 'ballots').findOneAndUpdate(
          { _id: 'b' as never, version: 0 },
          { $set: { status: `closed-by-${i}` }, $inc: { version: 1 } },
          { returnDocument: 'before' },
        ),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await collection('ballots').findOne({ _id: 'b' as never }))?.version).toBe(1);
  });

  it('accepts one of many inserts of the same unique key', async () => {
    const votes = collection('votes');
    await votes.createIndex({ ballotId: 1, unitId: 1 }, { unique: true });
    const outcomes = await Promise.allSettled(
      clients.map((_, i) => on(i, 'votes').insertOne({ ballotId: 'b', unitId: 'u1', by: i })),
    );
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(rejected.every((o) => (o.reason as { code?: number }).code === 11000)).toBe(true);
    expect(await votes.countDocuments({ ballotId: 'b' })).toBe(1);
  });

  it('carries an event pushed to the embedded outbox only with the winning update', async () => {
    await collection('wishes').insertOne({ _id: 'w' as never, status: 'open', outbox: [] });
    await Promise.all(
      clients.map((_, i) =>
        on(i, 'wishes').updateOne({ _id: 'w' as never, status: 'open' }, {
          $set: { status: 'claimed', claimedBy: i },
          $push: { outbox: { type: 'claimed', by: i } },
        } as never),
      ),
    );
    const wish = await collection('wishes').findOne({ _id: 'w' as never });
    expect(wish?.outbox).toHaveLength(1);
    expect(wish?.outbox[0].by).toBe(wish?.claimedBy);
  });
});
