import Foundation
import LotboxCore
import LotboxTestSupport
import Testing
@testable import LotboxStore

/// Product_Type ids in the three spellings clients send (contract sections 3 and 7): each
/// reaches the same type, kept in lotbox's spelling.
@Suite(.timeLimit(.minutes(5))) struct ProductTypeSpellingTests {
    /// Section 7 of the contract, as written there.
    static let legacy = """
        019KAGVSC0C474J20SEWDM5XSJ→Y9THKSEQ8NFS1J, 019KAGVSC0J008XMJ25DCBK17P→3EZZ4GN6105M64, 019KAGVSC0KANK9BMYFS5BDFCB→RPPDT8NJY2MWQW, \
        019KAGVSC0AT9P3779ATHDK6MC→01KFPCEFB9G1Z2, 019KAGVSC01MVH9QAZ75KEPY4D→YM8J81K9HFGEMQ, 019KAGVSC05QXA1BCA13PNAK5J→GBW49J6YD3WM84, \
        019KAGVSC0CYZQ68Q2184AE10A→AF3TFBB51C8HX6, 019KAGVSC0W8ESY93TK05TPFKN→8ZPGMPR8H2TAXH, 019KAGVSC0Q16ECBP02ET3RRMT→63ECNBAZH32YC3, \
        019KAGVSC06Y7WBPCY2XNHP2FE→R9M5Z9S4T31C4R, 019KAGVSC0K109NHQ92CCKEJW5→ACC942KY9DCERR, 019KAGVSC0VX8100VFN3YXKBYH→NPA4TPCYSKD5XN, \
        019KAGVSC0WMF1XY879SECK50W→GMB39NHCZ8EDEZ, 019KAGVSC03MRD8MDZJXGM5MXF→7N83PFNCX8ZFEF, 019KAGVSC0QXVE5AC12DCNM6RS→BNDY5VJ8JQ6NKP, \
        019KAGVSC0ZHAEQCFNYMXDXWKV→25F95HPG583AJB, 019KAGVSC062S4TRBT5FBJW98V→D9Q4QPFBH0G9H2, 019KAGVSC0EFWWVV8DE89JVNTY→HPB8YG56S0MCAC, \
        019KAGVSC02549AK0RQWFAMNVB→BJ3G5FDAJN60EX
        """

    @Test func everySpellingReachesTheSameType() throws {
        let pairs = Self.legacy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "→") }
        #expect(pairs.count == 19)
        #expect(pairs.nonEmptyAllSatisfy { pair in
            pair.count == 2 && ProductType.find(anySpelling: pair[0])?.id == "018NY6XC00PT" + pair[1]
        })
        // The reference server's seeds: the same suffix, but Plant Tissue's.
        for type in ProductType.all {
            let suffix = String(type.id.dropFirst(12))
            let cre = "010PENTHC0PT" + (suffix == "01KFPCEFB9G1Z2" ? "2BKFPCEFB9G1Z2" : suffix)
            #expect(ProductType.find(anySpelling: cre) == type, "\(cre)")
            #expect(ProductType.find(anySpelling: type.id.lowercased()) == type)
        }
        #expect(ProductType.find(anySpelling: "018NY6XC00PT2BKFPCEFB9G1Z2")?.name == "Plant Tissue")
        #expect(ProductType.find(anySpelling: "010PENTHC0PT01KFPCEFB9G1Z2")?.name == "Plant Tissue")
        #expect(ProductType.find(anySpelling: "pre-roll")?.id == "018NY6XC00PTK2E0W67FMBZP9Q")
        #expect(ProductType.canonicalID("Flower/Dry") == "Flower/Dry")
        #expect(ProductType.find(anySpelling: "010PENTHC0PTNOTATYPE00000") == nil)
        #expect(ProductType.find(anySpelling: "019KAGVSC0NOTINTHESEED0000") == nil)
    }

    @Test func productsKeepLotboxsSpellingWhicheverCameIn() throws {
        let fixture = try StoreFixture()
        let cre = try fixture.store.addProduct(NewProduct(name: "Pre-rolls", typeKey: "010PENTHC0PTK2E0W67FMBZP9Q", packageType: .each,
                                                          unit: "1 g"), actor: "t")
        #expect(cre.type == "018NY6XC00PTK2E0W67FMBZP9Q")
        let legacy = try fixture.store.addProduct(NewProduct(name: "Tissue", typeKey: "019kagvsc0at9p3779athdk6mc", packageType: .bulk), actor: "t")
        #expect(legacy.type == "018NY6XC00PT01KFPCEFB9G1Z2")
        #expect(try fixture.store.setProduct(legacy.id, ProductChanges(typeKey: "010PENTHC0PTY9THKSEQ8NFS1J"), actor: "t").type == "018NY6XC00PTY9THKSEQ8NFS1J")
        #expect(throws: StoreError.invalid("product type '010PENTHC0PTNOTATYPE00000' is unknown; expected a Product_Type name or id (see `lotbox product types`)")) {
            try fixture.store.addProduct(NewProduct(name: "Nope", typeKey: "010PENTHC0PTNOTATYPE00000", packageType: .bulk), actor: "t")
        }
        let document = """
            {"data": {"product": [{"id": "P-CRE-1", "name": "Imported Flower", "type": "010PENTHC0PTZZWCH7XVREHK6T",
                                   "package_type": "bulk", "package_unit_uom": "g"}]}}
            """
        _ = try fixture.store.importDocument(Data(document.utf8), actor: "t")
        #expect(try fixture.store.product(id: "P-CRE-1", license: fixture.license.id)?.type == "018NY6XC00PTZZWCH7XVREHK6T")
    }
}
