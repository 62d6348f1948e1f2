import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';

export class CommunityPath {
  @ApiProperty({ description: 'Community id' })
  @IsMongoId()
  communityId: string;
}

export class BuildingPath extends CommunityPath {
  @ApiProperty({ description: 'Building id' })
  @IsMongoId()
  buildingId: string;
}

export class UnitPath extends CommunityPath {
  @ApiProperty({ description: 'Unit id' })
  @IsMongoId()
  unitId: string;
}

export class ResidentPath extends CommunityPath {
  @ApiProperty({ description: 'Person id' })
  @IsMongoId()
  personId: string;
}
