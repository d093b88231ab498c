import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import {
  IDENTITY_ROLES,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_SUBJECT_LENGTH,
  type IdentityRole,
} from '../../domain/identities';

/** Body of POST /v1/signer/identities. The tenant is the admin's own; it is not a field. */
export class RegisterIdentityDto {
  @ApiProperty({
    example: 'apikey:0190a5d0-…',
    description: 'Principal subject (`apikey:<id>` or a JWT sub)',
  })
  @IsString()
  @Length(1, MAX_SUBJECT_LENGTH)
  @Matches(/^[\x21-\x7e]+$/, { message: 'subject must be printable ASCII without spaces' })
  subject!: string;

  @ApiProperty({ maxLength: MAX_DISPLAY_NAME_LENGTH, example: 'Release bot' })
  @IsString()
  @Length(1, MAX_DISPLAY_NAME_LENGTH)
  @Matches(/\S/, { message: 'displayName must not be blank' })
  displayName!: string;

  @ApiProperty({ enum: IDENTITY_ROLES, isArray: true, example: ['pack-signer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(IDENTITY_ROLES.length)
  @IsIn(IDENTITY_ROLES, { each: true })
  roles!: IdentityRole[];
}
