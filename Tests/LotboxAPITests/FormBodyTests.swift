import Testing
@testable import LotboxAPI

/// PHP-style forms become the same tree a JSON body would.
@Suite(.timeLimit(.minutes(5)))
struct FormBodyTests {
    @Test func nestedListsOfObjectsBecomeArrays() throws {
        let value = try FormBody.parse("source%5B0%5D%5Bid%5D=A&source[0][qty]=10&source[1][id]=B&source[1][qty]=2.5&product_id=P")
        #expect(value == .object([
            "source": .array([.object(["id": .string("A"), "qty": .string("10")]), .object(["id": .string("B"), "qty": .string("2.5")])]),
            "product_id": .string("P"),
        ]))
    }

    @Test func objectsAppendsAndSpaces() throws {
        let value = try FormBody.parse("contact[id]=X&name=Blue+Dream&tag[]=a&tag[]=b")
        #expect(value["contact"]?.id == "X")
        #expect(value["name"]?.text == "Blue Dream")
        #expect(value["tag"] == .array([.string("a"), .string("b")]))
    }

    @Test func malformedFormsAreRefusedNamingTheField() {
        for (form, words) in [("a[0=1", "unclosed"), ("a=1&a=2", "twice"), ("a=1&a[b]=2", "both"), ("[x]=1", "no name"), ("a=%zz", "percent")] {
            do {
                _ = try FormBody.parse(form)
                Issue.record("\(form) was taken")
            } catch let error as FormBody.Malformed {
                #expect(error.description.contains(words), "\(form): \(error.description)")
            } catch {
                Issue.record("\(form): \(error)")
            }
        }
    }
}
