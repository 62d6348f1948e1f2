import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';
import { CommunityPath } from '../http/paths';

export class BallotPath extends CommunityPath {
  @ApiProperty({ description: 'Ballot id' })
  @IsMongoId()
  ballotId: string;
}

export class BallotProxyPath extends BallotPath {
  @ApiProperty({ description: 'Proxy authorisation id' })
  @IsMongoId()
  proxyId: string;
}
