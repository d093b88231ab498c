import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { SIGNER_SERVICE } from '@personae/signer';

runService(SIGNER_SERVICE);
