import { findOneById } from '@cg/persistence';
import { runId } from '@cg/testing';
import { Connection, Schema, Types, createConnection } from 'mongoose';

interface Wish {
  _id: Types.ObjectId;
  communityId: Types.ObjectId;
  status: string;
  outbox: unknown[];
}

describe('a document looked up by id within its community', () => {
  let connection: Connection;
  const ours = new Types.ObjectId();
  const theirs = new Types.ObjectId();
  const id = new Types.ObjectId();

  beforeAll(async () => {
    connection = await createConnection(process.env.MONGO_URL!, {
      dbName: `test_${runId()}_find_by_id`,
    }).asPromise();
    const wishes = connection.model<Wish>(
      'Wish',
      new Schema({ communityId: Schema.Types.ObjectId, status: String, outbox: [] }),
    );
    await wishes.create({ _id: id, communityId: ours, status: 'approved', outbox: [{ id: 'e1' }] });
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const wishes = () => connection.model<Wish>('Wish');

  it('is found with its community and the other conditions it meets, without the projected-out fields', async () => {
    const found = await findOneById<Wish>(
      wishes(),
      { communityId: ours, _id: id, status: { $in: ['approved'] } },
      { outbox: 0 },
    );
    expect(String(found?._id)).toBe(String(id));
    expect(found).not.toHaveProperty('outbox');
  });

  it('is not found from another community, nor when another condition fails', async () => {
    expect(await findOneById<Wish>(wishes(), { communityId: theirs, _id: id })).toBeNull();
    expect(await findOneById<Wish>(wishes(), { communityId: ours, _id: id, status: 'claimed' })).toBeNull();
  });

  it('passes a filter whose _id is an operator on as it is', async () => {
    const found = await findOneById<Wish>(wishes(), { communityId: ours, _id: { $in: [id] } });
    expect(String(found?._id)).toBe(String(id));
  });
});
