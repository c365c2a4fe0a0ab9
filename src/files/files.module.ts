import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { FILE_STORE } from './file-store';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';
import { LocalFileStore } from './local-file-store';
import { StoredFile } from './stored-file.entity';

/** Files residents and staff send: size and type checks, storage by hash, ward-scoped fetch. */
@Module({
  imports: [AuthModule, TypeOrmModule.forFeature([StoredFile])],
  controllers: [FilesController],
  providers: [
    FilesService,
    {
      provide: FILE_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new LocalFileStore(config.files.directory),
    },
  ],
  exports: [FilesService],
})
export class FilesModule {}
