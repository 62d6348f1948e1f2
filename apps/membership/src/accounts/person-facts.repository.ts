import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { BodyKind, PartyMemberStatus } from '@cg/contracts';
import { Connection, Types } from 'mongoose';
import { PersonFacts } from './derived-roles';

/**
 * Reads, at login, the records of other membership features that give a person roles. Read-only, by person,
 * on the collections those features own in this same service database.
 */
@Injectable()
export class PersonFactsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async factsOf(personId: Types.ObjectId, today: string): Promise<PersonFacts> {
    const db = this.connection.db!;
    const [partyMember, volunteer, partner, terms] = await Promise.all([
      db.collection('party_members').findOne({ personId }, { projection: { status: 1 } }),
      db.collection('volunteer_profiles').findOne({ personId }, { projection: { _id: 1 } }),
      db.collection('partners').findOne({ _id: personId }, { projection: { _id: 1 } }),
      db
        .collection('positions')
        .aggregate<{ bodyKind: string; to?: string }>([
          { $match: { 'terms.personId': personId } },
          { $unwind: '$terms' },
          { $match: { 'terms.personId': personId, 'terms.from': { $lte: today } } },
          { $project: { _id: 0, bodyKind: '$terms.bodyKind', to: '$terms.to' } },
        ])
        .toArray(),
    ]);
    return {
      ...(partyMember && { partyMember: { status: partyMember.status as PartyMemberStatus } }),
      volunteer: Boolean(volunteer),
      partner: Boolean(partner),
      bodiesToday: terms.filter((t) => !t.to || t.to >= today).map((t) => t.bodyKind as BodyKind),
    };
  }
}
