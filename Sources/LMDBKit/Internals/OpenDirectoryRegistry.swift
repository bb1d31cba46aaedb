#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The device and inode of an environment directory: the same directory reached through two
/// different paths (a symlink, `..`) has one identity.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path`, or `nil` when it cannot be `stat`ed.
    static func of(path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// The directories this process has open as LMDB environments.
///
/// LMDB documents that an environment must not be opened twice in one process: its POSIX record
/// locks are per process, so closing one handle would release the other's locks.
enum OpenDirectoryRegistry {
    private static let open = Mutex<Set<FileIdentity>>([])

    /// Claims `identity`; returns `false` when it is already claimed.
    static func claim(_ identity: FileIdentity) -> Bool {
        open.withLock { $0.insert(identity).inserted }
    }

    static func release(_ identity: FileIdentity) {
        _ = open.withLock { $0.remove(identity) }
    }
}
