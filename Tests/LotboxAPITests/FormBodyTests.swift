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

    @Test func aNameGivenTwiceKeepsItsLastValueAsInPHP() throws {
        #expect(try FormBody.parse("a=1&a=2")["a"] == .string("2"))
    }

    @Test func fieldsWithoutANameAreDroppedAsInPHP() throws {
        #expect(try FormBody.parse("=1&[x]=2&a=3") == .object(["a": .string("3")]))
    }

    @Test func oddNamesAreReadAsPHPReadsThem() throws {
        #expect(try FormBody.parse("a[0=1")["a[0"] == .string("1"))
        #expect(try FormBody.parse("a[b]x=1")["a"]?["b"] == .string("1"))
        #expect(try FormBody.parse("a=1&a[b]=2")["a"]?["b"] == .string("2"))
        #expect(try FormBody.parse("a[b]=1&a=2")["a"] == .string("2"))
    }

    @Test func badPercentEncodingIsRefusedNamingTheField() {
        do {
            _ = try FormBody.parse("a=%zz")
            Issue.record("a=%zz was taken")
        } catch let error as FormBody.Malformed {
            #expect(error.description.contains("'a'"), "\(error.description)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
