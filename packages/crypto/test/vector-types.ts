/**
 * Shapes of the committed test vectors in test/vectors/*.json. All byte strings are lower-case hex.
 * Generated once by scripts/generate-vectors.ts; never edited by hand.
 */
import type { CryptoErrorCode } from '../src/errors.ts';

/** A stream encrypted with a recorded salt. */
export interface StreamVector {
  readonly name: string;
  readonly fileKey: string;
  readonly chunkSize: number;
  /** The 16 random bytes the encoder drew (the header salt). */
  readonly salt: string;
  readonly plaintext: string;
  readonly ciphertext: string;
}

/** A stream that must fail to decrypt with `error`. */
export interface NegativeStreamVector {
  readonly name: string;
  readonly fileKey: string;
  readonly ciphertext: string;
  readonly error: CryptoErrorCode;
  /** The positive vector it was derived from: any plaintext a stream releases must be a prefix of it. */
  readonly derivedFrom: string;
}

export interface StreamVectors {
  readonly description: string;
  readonly positive: readonly StreamVector[];
  readonly negative: readonly NegativeStreamVector[];
}

/** A P-256 key pair: private scalar (32 bytes) and SEC 1 compressed public key (33 bytes). */
export interface KeyPairVector {
  readonly scalar: string;
  readonly publicKey: string;
  /** The text form, `amtb-pub1-…`. */
  readonly publicKeyText: string;
}

export interface Argon2Vector {
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
}

export interface P256EnvelopeVector {
  readonly name: string;
  readonly fileKey: string;
  readonly recipient: KeyPairVector;
  readonly ephemeral: KeyPairVector;
  readonly envelope: string;
}

export interface PassphraseEnvelopeVector {
  readonly name: string;
  readonly fileKey: string;
  readonly passphrase: string;
  /** Other spellings of the same passphrase that must open it too (Unicode normalization). */
  readonly equivalentPassphrases: readonly string[];
  readonly params: Argon2Vector;
  readonly salt: string;
  readonly envelope: string;
}

export interface PassphrasePrivateKeyVector {
  readonly name: string;
  readonly keyPair: KeyPairVector;
  readonly passphrase: string;
  readonly params: Argon2Vector;
  readonly salt: string;
  readonly wrapped: string;
}

export interface RecoveryCodeVector {
  /** The 17 random bytes drawn. */
  readonly random: string;
  readonly recoveryCode: string;
}

export interface RecoveryPrivateKeyVector {
  readonly name: string;
  readonly keyPair: KeyPairVector;
  readonly recoveryCode: string;
  /** Other ways to type the same code that must be accepted. */
  readonly equivalentCodes: readonly string[];
  readonly salt: string;
  readonly wrapped: string;
}

/** An object that must fail to open with `error`. */
export interface NegativeKeyVector {
  readonly name: string;
  readonly kind: 'p256Envelope' | 'passphraseEnvelope' | 'passphrasePrivateKey' | 'recoveryPrivateKey';
  readonly data: string;
  /** The key pair (p256Envelope), passphrase or recovery code to try. */
  readonly keyPair?: KeyPairVector;
  readonly secret?: string;
  readonly error: CryptoErrorCode;
}

export interface PublicKeyTextVector {
  readonly text: string;
  /** The compressed point it encodes, or the error importing it must throw. */
  readonly publicKey?: string;
  readonly error?: CryptoErrorCode;
}

export interface KeyVectors {
  readonly description: string;
  readonly p256Envelopes: readonly P256EnvelopeVector[];
  readonly passphraseEnvelopes: readonly PassphraseEnvelopeVector[];
  readonly passphrasePrivateKeys: readonly PassphrasePrivateKeyVector[];
  readonly recoveryCodes: readonly RecoveryCodeVector[];
  readonly recoveryPrivateKeys: readonly RecoveryPrivateKeyVector[];
  readonly publicKeyTexts: readonly PublicKeyTextVector[];
  readonly negative: readonly NegativeKeyVector[];
}
