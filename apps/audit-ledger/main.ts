import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { AUDIT_SERVICE } from '@personae/audit';

runService(AUDIT_SERVICE);
