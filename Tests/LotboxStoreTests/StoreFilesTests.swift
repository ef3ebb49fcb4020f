import Foundation
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// The store's files are the daemon's: mode 0660 once opened, secrets 0600 from the first byte.
@Suite(.timeLimit(.minutes(10))) struct StoreFilesTests {
    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : nil
    }

    @Test func anOpenStoreAndItsWALAndSHMAreMode0660WhateverTheUmask() throws {
        let folder = try TemporaryFolder.make()
        let path = folder + "/lotbox.sqlite"
        // The daemon's umask (0027) would make them 0640: the group could not write. (umask is
        // the process's; tests running beside this one run as root, which modes do not stop.)
        let previous = umask(0o027)
        defer { umask(previous) }
        let store = try LotStore(path: path, create: true)
        _ = try store.addSection(name: "Vault", actor: "test")
        let modes = StoreFiles.paths(of: path).map { mode($0) }
        #expect(modes == [0o660, 0o660, 0o660], "\(modes.map { $0.map { String($0, radix: 8) } ?? "missing" })")
    }

    @Test func aSecretIsMode0600AndNeverReplaced() throws {
        let folder = try TemporaryFolder.make()
        let path = folder + "/lotbox.secret"
        try StoreFiles.writeSecret(Array(repeating: 7, count: 32), to: path)
        #expect(mode(path) == 0o600)
        #expect(FileManager.default.contents(atPath: path)?.count == 32)
        #expect(throws: StoreError.self) { try StoreFiles.writeSecret([1], to: path) }
        #expect(FileManager.default.contents(atPath: path)?.first == 7)
    }

    @Test func theOwnerOfAStoreNotMadeYetIsItsFolders() throws {
        let folder = try TemporaryFolder.make()
        let owner = try #require(StoreFiles.owner(of: folder + "/not-yet.sqlite"))
        #expect(owner.uid == geteuid())
        // Root on a store root owns: nothing to switch, nothing refused.
        try StoreFiles.actAsOwner(of: folder + "/not-yet.sqlite")
        #expect(geteuid() == 0 || geteuid() == owner.uid)
    }
}
