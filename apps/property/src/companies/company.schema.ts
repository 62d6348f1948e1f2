import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ProgrammeKind } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** A property-services company (物业公司). District-wide: one company may serve several communities. */
@Schema({ collection: 'property_companies', versionKey: false })
export class PropertyCompany {
  _id: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) creditCode: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) partyBranch?: { name: string; secretary?: string; members?: number };
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
}

export const PropertyCompanySchema = SchemaFactory.createForClass(PropertyCompany);
// One company per unified social credit code.
PropertyCompanySchema.index({ creditCode: 1 }, { unique: true });

/** A company serving a community for a contract period; dates are calendar days, both inclusive. */
@Schema({ collection: 'property_contracts', versionKey: false })
export class ServiceContract {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) companyId: Types.ObjectId;
  @Prop({ required: true }) companyName: string;
  @Prop({ required: true }) startsOn: string;
  @Prop({ required: true }) endsOn: string;
  /** How many contracts the community had before this one: two contracts recorded at once cannot share it. */
  @Prop({ required: true }) sequence: number;
  @Prop({ required: true }) recordedBy: string;
  @Prop({ required: true }) recordedAt: Date;
}

export const ServiceContractSchema = SchemaFactory.createForClass(ServiceContract);
// Numbers the contracts of a community: the unique key lets one of two contracts recorded at once in, so an overlap check cannot be raced past.
ServiceContractSchema.index({ communityId: 1, sequence: 1 }, { unique: true });
// Contracts of a community: the list, the overlap check and "who serves us on day X".
ServiceContractSchema.index({ communityId: 1, startsOn: 1 });

/** A service programme the company runs in a community (elderly-care visits, handyman service). */
@Schema({ collection: 'property_programmes', versionKey: false })
export class ServiceProgramme {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) companyId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ type: String, enum: ProgrammeKind, required: true }) kind: ProgrammeKind;
  @Prop() schedule?: string;
  @Prop() description?: string;
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
}

export const ServiceProgrammeSchema = SchemaFactory.createForClass(ServiceProgramme);
// Programmes of a community (and of its current company), paginated by _id (the programme list, the current service).
ServiceProgrammeSchema.index({ communityId: 1, companyId: 1, _id: 1 });
