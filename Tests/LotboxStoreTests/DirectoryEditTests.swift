import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Editing companies and contacts of the directory: checked as adds are, guarded by the hash
/// the caller read, audited.
@Suite(.timeLimit(.minutes(5))) struct DirectoryEditTests {
    @Test func companiesAndContactsChangeWithTheHashRead() throws {
        let store = try LotStore(path: try TemporaryFolder.make() + "/lotbox.sqlite", create: true)
        let company = try store.addCompany(name: "Green Acres LLC", code: "C-1", actor: "t")
        let renamed = try store.setCompany(company.id, name: "Green Acres Inc", code: "", ifMatch: company.hash, actor: "t")
        #expect(renamed.name == "Green Acres Inc" && renamed.code == nil && renamed.hash != company.hash)
        #expect(throws: StoreError.changedMeanwhile(kind: "company", id: company.id)) {
            try store.setCompany(company.id, name: "Back Again", ifMatch: company.hash, actor: "t")
        }
        #expect(throws: StoreError.invalid("nothing to change; give name or code")) { try store.setCompany(company.id, actor: "t") }
        #expect(throws: StoreError.notFound(kind: "company", key: "nobody")) { try store.setCompany("nobody", name: "X", actor: "t") }

        let contact = try store.addContact(name: "Dana", type: "driver", companyKey: company.id, email: "dana@example.com", actor: "t")
        let moved = try store.setContact(contact.id, type: "manager", email: "", phone: "555-0100", ifMatch: contact.hash, actor: "t")
        #expect(moved.type == "Manager" && moved.email == nil && moved.phone == "555-0100" && moved.name == "Dana")
        let cursor = try store.latestCursor()
        #expect(throws: StoreError.changedMeanwhile(kind: "contact", id: contact.id)) {
            try store.setContact(contact.id, name: "Dan", ifMatch: contact.hash, actor: "t")
        }
        #expect(throws: StoreError.invalid("contact type 'Boss' is unknown; expected one of \(LotStore.contactTypes.joined(separator: ", "))")) {
            try store.setContact(contact.id, type: "Boss", actor: "t")
        }
        #expect(throws: StoreError.self) { try store.setContact(contact.id, name: "Da\u{00}na", actor: "t") }
        #expect(try store.latestCursor() == cursor)
        // The same values again change nothing and write nothing.
        #expect(try store.setContact(contact.id, name: "Dana", actor: "t") == moved)
        #expect(try store.latestCursor() == cursor)
        #expect(try store.contact(id: contact.id) == moved)
    }
}
