import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ResidentsModule } from '../residents/residents.module';
import { AuditEntry, AuditEntrySchema } from './audit-entry.schema';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: AuditEntry.name, schema: AuditEntrySchema }]),
    ResidentsModule,
  ],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService],
})
export class AuditModule {}
