import Crypto

/// Computes the next link of the hash chain.
enum ChainHasher {
    /// `SHA-256(previous || canonical)`.
    @inline(__always)
    static func next(previous: ChainHash, canonical: UnsafeRawBufferPointer) -> ChainHash {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonical)
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { ChainHash(loadingFrom: $0) }
    }
}

extension ChainHash {
    /// The chain hash of a record whose canonical bytes are `canonicalBytes`, following the record
    /// whose chain hash is `self`: `SHA-256(self || canonicalBytes)`. Recomputing the chain from
    /// ``genesis`` over an export's canonical bytes proves it intact up to any position.
    public func next(canonicalBytes: UnsafeRawBufferPointer) -> ChainHash {
        ChainHasher.next(previous: self, canonical: canonicalBytes)
    }

    /// The chain hash of a record with `canonicalBytes` following this one; see
    /// ``next(canonicalBytes:)-(UnsafeRawBufferPointer)``.
    public func next(canonicalBytes: [UInt8]) -> ChainHash {
        canonicalBytes.withUnsafeBytes { ChainHasher.next(previous: self, canonical: $0) }
    }
}
