import { Global, Module } from '@nestjs/common';
import { AccountGuard } from './account.guard.js';
import { ApiKeys } from './api-keys.js';

/** Global so every feature module can put AccountGuard on its controllers without importing this module. */
@Global()
@Module({
  providers: [ApiKeys, AccountGuard],
  exports: [ApiKeys, AccountGuard],
})
export class AuthModule {}
