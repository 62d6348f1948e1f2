import { ApiProperty } from '@nestjs/swagger';
import { PrincipalView } from '@cg/contracts';
import { IsJWT, IsString, MaxLength } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh', example: 'eyJhbGciOiJIUzI1NiIs...' })
  @IsString()
  @MaxLength(4096)
  @IsJWT()
  refreshToken: string;
}

/** A login or a refresh: a short-lived access token and the refresh token that renews it. */
export class SessionReply {
  @ApiProperty({ description: 'Bearer token for every other route' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 }) expiresIn: number;
  @ApiProperty({
    description: 'Exchanged once at POST /api/v1/auth/refresh for a new pair; revoked by logout',
  })
  refreshToken: string;
  @ApiProperty({ description: 'Seconds until the refresh token expires; then log in again', example: 28800 })
  refreshExpiresIn: number;
  @ApiProperty({ type: PrincipalView }) principal: PrincipalView;
}
