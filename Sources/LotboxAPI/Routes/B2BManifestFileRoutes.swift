import Foundation
import Hummingbird
import LotboxStore
import NIOCore

/// `GET /b2b/outgoing/{id}/file`: the transfer as a file to hand the receiver (by mail, a USB
/// stick, their own lotbox): the OpenTHC B2B manifest `lotbox b2b import` reads, in the usual
/// envelope, offered as a download. Open or committed; another license's transfer is 404.
extension B2BRoutes {
    static var manifestFile: [APIRoute] {
        [
            APIRoute(.get, "/b2b/outgoing/{id}/file") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let manifest = try await call.onStore({ try $0.outgoingManifest(id: id, license: caller.licenseID) }) else {
                    throw APIError.notFound("no outgoing transfer \(id) for this license")
                }
                return file(manifest, id: id)
            },
            // The receiver's copy of a transfer a license here sent it: what its own box brings down to its dock.
            APIRoute(.get, "/b2b/incoming/{id}/file") { call in
                let caller = try call.caller()
                let id = try call.parameter("id")
                guard let manifest = try await call.onStore({ try $0.incomingManifest(id: id, license: caller.licenseID) }) else {
                    throw APIError.notFound("no incoming transfer \(id) sent by a license here for this license")
                }
                return file(manifest, id: id)
            },
        ]
    }

    /// The manifest in the envelope, offered as a download named after the transfer.
    static func file(_ manifest: Data, id: String) -> Response {
        let body = Data("{\"data\": ".utf8) + manifest + Data(", \"meta\": {}}\n".utf8)
        // The name travels in a header: only the id's safe characters go in it.
        let safe = String(id.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }.prefix(64))
        return Response(status: .ok,
                        headers: [.contentType: "application/json; charset=utf-8", .contentDisposition: "attachment; filename=\"b2b-\(safe).json\"",
                                  .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static var manifestFileOperations: [OpenAPIDocument.Operation] {
        typealias D = OpenAPIDocument
        let manifest: [String: Any] = ["type": "object", "required": ["id", "source", "target", "item_list"],
                                       "properties": ["id": D.idText, "source": ["type": "object"], "target": ["type": "object"],
                                                      "item_list": ["type": "array", "items": ["type": "object"]]],
                                       "description": "an OpenTHC B2B manifest, as `lotbox b2b import` reads it"]
        return [
            D.Operation(method: "GET", path: "/b2b/outgoing/{id}/file",
                        summary: "The transfer's manifest as a downloadable OpenTHC JSON file (Content-Disposition: attachment) for the receiver to import",
                        open: false, body: nil, replies: ["200": D.reply("the manifest", manifest)].merging(D.readErrors) { a, _ in a }),
            D.Operation(method: "GET", path: "/b2b/incoming/{id}/file",
                        summary: "The receiver's copy of a transfer a license here sent it, as the same OpenTHC manifest: what the receiver's box brings down to its dock",
                        open: false, body: nil, replies: ["200": D.reply("the manifest", manifest)].merging(D.readErrors) { a, _ in a }),
        ]
    }
}
