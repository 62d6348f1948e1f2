import { ApiProperty } from '@nestjs/swagger';
import { IsMongoId } from 'class-validator';
import { CommunityPath } from '../http/paths';

export class ActivityPath extends CommunityPath {
  @ApiProperty({ description: 'Activity id' })
  @IsMongoId()
  activityId: string;
}

export class RegistrationPath extends ActivityPath {
  @ApiProperty({ description: 'Registration id' })
  @IsMongoId()
  registrationId: string;
}

export class ShiftPath extends CommunityPath {
  @ApiProperty({ description: 'Volunteer shift id' })
  @IsMongoId()
  shiftId: string;
}

export class SignUpPath extends ShiftPath {
  @ApiProperty({ description: 'Sign-up id' })
  @IsMongoId()
  signUpId: string;
}

export class MicroWishPath extends CommunityPath {
  @ApiProperty({ description: 'Micro-wish id' })
  @IsMongoId()
  wishId: string;
}
