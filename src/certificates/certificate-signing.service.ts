import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { SigningKeyRow } from './entities/signing-key.entity';
import { findOnePlain } from '../database/plain-find';

const DEMO_KEY_ID = 'duare-demo';

function readPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
}

export const publicKeyBase64 = (key: KeyObject) =>
  (createPublicKey(key).export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');

/** Verifies with a published key (SPKI DER, base64), without the server: the offline check. */
export function verifyWithPublicKey(
  publicKey: string,
  payload: string,
  signature: string,
): boolean {
  try {
    const key = parsedPublicKey(publicKey);
    return verify(null, Buffer.from(payload, 'utf8'), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * Published keys, parsed once: parsing the DER took as long as the Ed25519 check itself on
 * every public verification (bench/README.md, profiling). A handful of keys exist at a time;
 * the map is emptied if an offline check ever feeds it many.
 */
const PARSED_KEYS = new Map<string, KeyObject>();
const PARSED_KEYS_MAX = 64;

function parsedPublicKey(publicKey: string): KeyObject {
  let key = PARSED_KEYS.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    if (PARSED_KEYS.size >= PARSED_KEYS_MAX) PARSED_KEYS.clear();
    PARSED_KEYS.set(publicKey, key);
  }
  return key;
}

/**
 * Ed25519 signing of certificates. The private key comes from configuration; outside
 * production, without one, Duare generates a demo key once and keeps it. Every public key
 * ever used stays published, so certificates signed before a rotation keep verifying.
 */
@Injectable()
export class CertificateSigningService implements OnModuleInit {
  private key: { id: string; privateKey: KeyObject } | null = null;
  /** Public keys by id (see `publicKeyOf`). */
  private readonly publicKeys = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { signingKey, keyId } = this.config.certificates;
    const keys = this.dataSource.getRepository(SigningKeyRow);
    if (signingKey) {
      const privateKey = readPrivateKey(signingKey);
      const publicKey = publicKeyBase64(privateKey);
      await keys.createQueryBuilder().insert().values({ keyId, publicKey }).orIgnore().execute();
      const stored = await keys.findOneByOrFail({ keyId });
      if (stored.publicKey !== publicKey) {
        throw new Error(
          `CERTIFICATE_KEY_ID ${keyId} is already the id of another key; rotate to a new id`,
        );
      }
      this.key = { id: keyId, privateKey };
      return;
    }
    if (this.config.isProduction) {
      this.logger.warn('CERTIFICATE_SIGNING_KEY is not set: no certificate can be issued');
      return;
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
    // Several instances may start at once: the first demo key stored wins.
    await keys
      .createQueryBuilder()
      .insert()
      .values({ keyId: DEMO_KEY_ID, publicKey: publicKeyBase64(privateKey), demoPrivateKey: der })
      .orIgnore()
      .execute();
    const demo = await keys.findOneByOrFail({ keyId: DEMO_KEY_ID });
    this.key = { id: DEMO_KEY_ID, privateKey: readPrivateKey(demo.demoPrivateKey ?? der) };
  }

  /** The key that signs now. */
  signer(): { keyId: string; sign: (payload: string) => string } {
    const key = this.key;
    if (!key)
      throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'No certificate signing key is configured');
    return {
      keyId: key.id,
      sign: (payload) =>
        sign(null, Buffer.from(payload, 'utf8'), key.privateKey).toString('base64url'),
    };
  }

  async publishedKeys(): Promise<
    Array<{
      keyId: string;
      algorithm: string;
      publicKey: string;
      createdAt: Date;
      retiredAt: Date | null;
    }>
  > {
    const rows = await this.dataSource
      .getRepository(SigningKeyRow)
      .find({ order: { createdAt: 'ASC' } });
    return rows.map((row) => ({
      keyId: row.keyId,
      algorithm: 'Ed25519',
      publicKey: row.publicKey,
      createdAt: row.createdAt,
      retiredAt: row.retiredAt,
    }));
  }

  async verify(keyId: string, payload: string, signature: string): Promise<boolean> {
    const publicKey = await this.publicKeyOf(keyId);
    if (!publicKey) return false;
    const memo = `${keyId}:${signature}`;
    if (this.goodSignatures.get(memo) === payload) return true;
    const good = verifyWithPublicKey(publicKey, payload, signature);
    if (good) this.goodSignatures.set(memo, payload);
    return good;
  }

  /**
   * Signatures found good, each with the payload it was good for. Every public check of a
   * certificate verifies its signature again (the Ed25519 check was the largest cost of
   * `verifyCertificate` the app adds, bench/README.md round 8), and a key never changes
   * under its id: the same key, signature and payload are good again. A payload that differs
   * in anything (stored content changed) is checked again, and fails.
   */
  private readonly goodSignatures = new LRUCache<string, string>({ max: 2_000 });

  /**
   * A key's public half, read once per id and kept: a key never changes under its id (a new
   * key is a new id, and the start-up check refuses another key under a stored id), so the
   * row need not be read for every verification. Only keys that exist are kept (an unknown
   * id is asked again, it may be stored by another instance later); bounded like
   * `PARSED_KEYS`.
   */
  private async publicKeyOf(keyId: string): Promise<string | null> {
    const kept = this.publicKeys.get(keyId);
    if (kept) return kept;
    const row = await findOnePlain(this.dataSource.manager, SigningKeyRow, { keyId });
    if (!row) return null;
    if (this.publicKeys.size >= PARSED_KEYS_MAX) this.publicKeys.clear();
    this.publicKeys.set(keyId, row.publicKey);
    return row.publicKey;
  }
}
