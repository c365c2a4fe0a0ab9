import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { AccessGuard } from './access.guard';
import { ApiClientResolver } from './api-client.resolver';
import { ApiClientsService } from './api-clients.service';
import { AuthLoaders } from './auth.loaders';
import { AuthResolver } from './auth.resolver';
import { ACCESS_TOKENS } from './auth.tokens';
import { AuthenticatorService } from './authenticator.service';
import { ApiClientWard } from './entities/api-client-ward.entity';
import { ApiClient } from './entities/api-client.entity';
import { AuthSession } from './entities/auth-session.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { RoleGrantRow } from './entities/role-grant.entity';
import { SignInThrottle } from './entities/sign-in-throttle.entity';
import { StaffAccount } from './entities/staff-account.entity';
import { SessionService } from './session.service';
import { SignInThrottleService } from './sign-in-throttle.service';
import { StaffAccountResolver } from './staff-account.resolver';
import { StaffAccountsService } from './staff-accounts.service';
import { AccessTokens } from './tokens';
import { WardStaffResolver } from './ward-staff.resolver';
import { WardStaffService } from './ward-staff.service';

@Module({
  imports: [
    AuditModule,
    TypeOrmModule.forFeature([
      StaffAccount,
      RoleGrantRow,
      AuthSession,
      RefreshToken,
      SignInThrottle,
      ApiClient,
      ApiClientWard,
    ]),
  ],
  providers: [
    {
      provide: ACCESS_TOKENS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new AccessTokens(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds),
    },
    { provide: APP_GUARD, useClass: AccessGuard },
    AuthenticatorService,
    SignInThrottleService,
    SessionService,
    StaffAccountsService,
    ApiClientsService,
    AuthLoaders,
    AuthResolver,
    StaffAccountResolver,
    ApiClientResolver,
    WardStaffService,
    WardStaffResolver,
  ],
  exports: [
    StaffAccountsService,
    ApiClientsService,
    AuthenticatorService,
    AuthLoaders,
    SignInThrottleService,
  ],
})
export class AuthModule {}
