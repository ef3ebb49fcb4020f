import Foundation
import LotboxCore
import LotboxStations
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// A transfer typed in over the API is a draft until committed, and a canceled one is gone: a
/// real dock (scans through a real reader) refuses both, and takes the draft once committed.
@Suite(.timeLimit(.minutes(10))) struct DockDraftTransferTests {
    static let dock = StationConfig(name: "dock", kind: .dock, license: "R-1")
    static let tag = "1A4FF0100000022000000555"
    static let goneTag = "1A4FF0100000022000000556"
    // Transfer ids a dock can scan: ULIDs, as a manifest's barcode carries.
    static let draft = "01M80TRANSFERDRAFT00000001"
    static let gone = "01M80TRANSFERSECXND0000001"

    @Test func aDraftIsNotReceivedUntilCommittedACanceledOneNever() throws {
        let rig = try StationRig(stations: [Self.dock])
        _ = try rig.store.createIncomingTransfer(from: "S-1", license: rig.shop.id, id: Self.draft, draft: true, actor: "test")
        _ = try rig.store.recordIncomingLine(transfer: Self.draft, license: rig.shop.id, product: "Flower", variety: nil, qty: "100", unitPrice: nil,
                                             packageID: Self.tag, itemID: nil, actor: "test")
        let early = try rig.scan("dock", Self.draft, Self.tag)
        #expect(early.outcomes == [.refused, .refused], "\(early.map(\.message))")
        #expect(early.first?.message.contains("still being recorded") == true, "\(early.map(\.message))")
        #expect(try rig.store.transfer(Self.draft).items.map(\.counted) == [0])

        _ = try rig.store.commitIncomingTransfer(Self.draft, license: rig.shop.id, actor: "test")
        let events = try rig.scan("dock", Self.draft, Self.tag, "LOTBOX:ACCEPT")
        #expect(events.outcomes == [.accepted, .accepted, .accepted], "\(events.map(\.message))")
        #expect(try rig.store.transfer(Self.draft).items.map(\.received) == [100 * 10_000])

        let other = try rig.store.createIncomingTransfer(from: "S-1", license: rig.shop.id, id: Self.gone, draft: true, actor: "test")
        _ = try rig.store.recordIncomingLine(transfer: other.id, license: rig.shop.id, product: "Eighth", variety: nil, qty: "4", unitPrice: nil,
                                             packageID: Self.goneTag, itemID: nil, actor: "test")
        _ = try rig.store.commitIncomingTransfer(other.id, license: rig.shop.id, actor: "test")
        #expect(try rig.store.deleteIncomingTransfer(other.id, license: rig.shop.id, actor: "test") == .requested)
        let gone = try rig.scan("dock", Self.gone, Self.goneTag)
        #expect(gone.outcomes == [.refused, .refused], "\(gone.map(\.message))")
        #expect(gone.first?.message.contains("canceled") == true, "\(gone.map(\.message))")
        try rig.checkInvariants()
    }
}
