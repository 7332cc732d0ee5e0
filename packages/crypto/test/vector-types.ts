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

/** The fingerprint of a public key and an address (test/vectors/fingerprint.json). */
export interface FingerprintVector {
  readonly publicKeyText: string;
  /** The compressed point. */
  readonly publicKey: string;
  /** As given, before normalisation. */
  readonly address: string;
  readonly normalizedAddress: string;
  /** `"amtsbote fingerprint v1" ‖ point ‖ UTF-8(normalized address)`. */
  readonly input: string;
  /** SHA-256 of the input: the binary fingerprint. */
  readonly digest: string;
  /** The 60 digits in 12 groups of 5. */
  readonly fingerprint: string;
}

export interface SafetyNumberVector {
  readonly a: { readonly publicKeyText: string; readonly address: string };
  readonly b: { readonly publicKeyText: string; readonly address: string };
  readonly safetyNumber: string;
}

/** A key and address that cannot have a fingerprint. */
export interface NegativeFingerprintVector {
  readonly name: string;
  readonly publicKeyText: string;
  readonly address: string;
  readonly error: CryptoErrorCode;
}

export interface FingerprintVectors {
  readonly description: string;
  readonly fingerprints: readonly FingerprintVector[];
  readonly safetyNumbers: readonly SafetyNumberVector[];
  readonly negative: readonly NegativeFingerprintVector[];
}

export interface InclusionVector {
  readonly index: number;
  readonly treeSize: number;
  readonly proof: readonly string[];
}

export interface ConsistencyVector {
  readonly firstSize: number;
  readonly secondSize: number;
  readonly proof: readonly string[];
}

/** A proof that must not verify, with the roots and leaf hash it is checked against. */
export interface NegativeProofVector {
  readonly name: string;
  readonly inclusion?: InclusionVector & { readonly leafHash: string; readonly rootHash: string };
  readonly consistency?: ConsistencyVector & { readonly firstRoot: string; readonly secondRoot: string };
  readonly error: CryptoErrorCode;
}

/** A Merkle tree (test/vectors/merkle.json): the RFC 6962 reference leaves, every root and proof. */
export interface MerkleVectors {
  readonly description: string;
  /** The leaves' bytes. */
  readonly leaves: readonly string[];
  readonly leafHashes: readonly string[];
  /** `roots[n]`: the root of the first `n` leaves, from 0 to all. */
  readonly roots: readonly string[];
  /** Every `index < treeSize ≤ leaves.length`. */
  readonly inclusion: readonly InclusionVector[];
  /** Every `0 ≤ firstSize ≤ secondSize ≤ leaves.length`. */
  readonly consistency: readonly ConsistencyVector[];
  readonly negative: readonly NegativeProofVector[];
}

/** A log entry with its fields (test/vectors/log.json). */
export interface LogEntryVector {
  readonly action: 'publish' | 'retire';
  readonly keyKind: 'personal' | 'department' | 'organisation';
  /** As given to the encoder; the decoded entry has it normalised. */
  readonly address: string;
  readonly normalizedAddress: string;
  readonly publicKeyText: string;
  readonly timestamp: number;
  readonly sequence: number;
  readonly fingerprint: string;
  readonly encoded: string;
  readonly leafHash: string;
}

/** Bytes that must not decode as a log entry. */
export interface NegativeLogEntryVector {
  readonly name: string;
  readonly encoded: string;
  readonly error: CryptoErrorCode;
}

/** A signed tree head with the ECDSA nonce `k` that made its signature (so it can be reproduced). */
export interface TreeHeadVector {
  readonly logId: string;
  readonly treeSize: number;
  readonly timestamp: number;
  readonly rootHash: string;
  /** The signed bytes (everything but the signature). */
  readonly tbs: string;
  readonly k: string;
  readonly signed: string;
}

/** A signed tree head that must not verify for `logId` under `logPublicKeyText`. */
export interface NegativeTreeHeadVector {
  readonly name: string;
  readonly logPublicKeyText: string;
  readonly logId: string;
  readonly signed: string;
  readonly error: CryptoErrorCode;
}

/** A small key transparency log: entries, its tree, two signed tree heads and the proofs between them. */
export interface LogVectors {
  readonly description: string;
  /** The log's signing key: private scalar and compressed public point (hex), and the text form. */
  readonly logKey: KeyPairVector;
  readonly entries: readonly LogEntryVector[];
  /** `roots[n]` for n = 0 … entries.length. */
  readonly roots: readonly string[];
  readonly treeHeads: readonly TreeHeadVector[];
  /** Of every entry in the whole log. */
  readonly inclusion: readonly InclusionVector[];
  /** From the first tree head's size to the second's. */
  readonly consistency: ConsistencyVector;
  readonly negativeEntries: readonly NegativeLogEntryVector[];
  readonly negativeTreeHeads: readonly NegativeTreeHeadVector[];
}
