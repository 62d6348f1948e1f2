import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';
import { CommunityPath } from '../http/paths';

export class OwnershipUnitPath extends CommunityPath {
  @ApiProperty({ description: 'Unit id' })
  @IsMongoId()
  unitId: string;
}

export class PersonPath extends CommunityPath {
  @ApiProperty({ description: 'Person id' })
  @IsMongoId()
  personId: string;
}

export class HoursEntryPath extends CommunityPath {
  @ApiProperty({ description: 'Hours ledger entry id' })
  @IsMongoId()
  entryId: string;
}

export class ImportPath extends CommunityPath {
  @ApiProperty({ description: 'Import id' })
  @IsMongoId()
  importId: string;
}
