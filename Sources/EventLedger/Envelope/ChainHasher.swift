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
