#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A readers-writer lock that guards the map size.
///
/// LMDB allows `mdb_env_set_mapsize` only while no transaction of this process is open, and does
/// not check it. Every transaction therefore holds this lock shared for its whole life, and a map
/// resize holds it exclusively. glibc's default rwlock prefers readers, so shared holders never
/// wait for each other.
final class ResizeLock: @unchecked Sendable {
    // Safe to share: the pthread rwlock is designed for concurrent use from many threads, and the
    // pointer is allocated once in init and freed only in deinit, when no thread can hold it.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func lockShared() { pthread_rwlock_rdlock(lock) }
    func lockExclusive() { pthread_rwlock_wrlock(lock) }
    func unlock() { pthread_rwlock_unlock(lock) }
}

/// An identifier for the calling thread, used to detect a write requested from inside a read.
@inline(__always)
func currentThreadID() -> UInt {
    #if canImport(Darwin)
    UInt(bitPattern: pthread_self())
    #else
    UInt(pthread_self())
    #endif
}
