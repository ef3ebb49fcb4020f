import Foundation
import LotboxAPI
import LotboxTestSupport
import Testing
@testable import LotboxSync

/// The box's client key file: made 0600, never replaced, refused when others may read it or
/// when its halves do not belong together.
@Suite(.timeLimit(.minutes(5))) struct ClientKeyTests {
    @Test func keygenWritesAPrivateFileAndNeverReplacesIt() throws {
        let path = try TemporaryFolder.make() + "/upstream.key"
        let key = try ClientKey.create(at: path)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode == 0o600)
        let read = try ClientKey.read(path: path)
        #expect(read.publicKey == key.publicKey)
        #expect(read.publicText.count == 43)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: UpstreamKeyError.self) { try ClientKey.create(at: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aKeyOthersMayReadIsRefused() throws {
        let path = try TemporaryFolder.make() + "/upstream.key"
        _ = try ClientKey.create(at: path)
        chmod(path, 0o644)
        do {
            _ = try ClientKey.read(path: path)
            Issue.record("a 0644 key file was read")
        } catch {
            #expect("\(error)".contains("mode 644"), "\(error)")
        }
    }

    @Test func halvesThatDoNotBelongTogetherAreRefused() throws {
        let folder = try TemporaryFolder.make()
        let one = try ClientKey.create(at: folder + "/one.key")
        let two = try ClientKey.create(at: folder + "/two.key")
        let mixed = folder + "/mixed.key"
        let text = "public \(one.publicText)\nsecret \(Base64URL.encode(two.secretKey))\n"
        FileManager.default.createFile(atPath: mixed, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try ClientKey.read(path: mixed)
            Issue.record("a key file with mismatched halves was read")
        } catch {
            #expect("\(error)".contains("does not belong"), "\(error)")
        }
    }
}
