import Foundation
import Mustache

/// The staff screens' files, read once when `serve` starts (`[api] pages`, installed in
/// /usr/share/lotbox/pages): the swift-mustache templates and the one stylesheet and script the
/// pages load. Nothing is fetched at run time and nothing is built: the box may be offline, and
/// what the package ships is what the browser gets.
public struct PageFiles: Sendable {
    /// A file served as it is, with the validator a browser revalidates it by.
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
        let etag: String
    }

    public let folder: String
    let library: MustacheLibrary
    let assets: [String: Asset]

    /// Every template a page renders (`NAME.mustache`): a missing one is an error at start, not a
    /// blank screen at the counter.
    public static let templates = ["head", "foot", "signin", "home", "kiosk", "kiosk_sale", "dock", "dock_manifest", "keypad", "queue", "queue_jobs", "customer", "customer_sale", "message",
                                    "lots", "lot", "recall", "sales", "sale", "transfers", "transfer", "scans", "printers", "printers_list", "office_nav",
                                    "scans_list", "scanners", "scanners_list", "settings"]
    static let assetTypes = ["lotbox.css": "text/css; charset=utf-8", "lotbox.js": "text/javascript; charset=utf-8"]

    /// Reads and parses the folder's files; the error names the file and what is wrong with it.
    public static func load(folder: String) throws(PageFilesError) -> PageFiles {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PageFilesError(reason: "the screens' folder \(folder) does not exist; expected the folder with signin.mustache, lotbox.js and lotbox.css")
        }
        var parsed: [String: MustacheTemplate] = [:]
        for name in templates {
            let path = folder + "/" + name + ".mustache"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PageFilesError(reason: "\(path) is missing or unreadable; the screens need every one of \(templates.joined(separator: ", "))")
            }
            do {
                parsed[name] = try MustacheTemplate(string: String(decoding: data, as: UTF8.self))
            } catch {
                throw PageFilesError(reason: "\(path) is not a valid mustache template: \(error)")
            }
        }
        var assets: [String: Asset] = [:]
        for (name, type) in assetTypes {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw PageFilesError(reason: "\(path) is missing or unreadable")
            }
            let bytes = [UInt8](data)
            assets[name] = Asset(bytes: bytes, contentType: type, etag: "\"" + String(Sodium.sha256Hex(bytes).prefix(16)) + "\"")
        }
        return PageFiles(folder: folder, library: MustacheLibrary(templates: parsed), assets: assets)
    }

    /// The first folder of the usual places that holds the screens: `$LOTBOX_PAGES`, `./Pages`
    /// (a checkout), then the package's /usr/share/lotbox/pages.
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let candidates = [environment["LOTBOX_PAGES"], FileManager.default.currentDirectoryPath + "/Pages", "/usr/share/lotbox/pages"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0 + "/signin.mustache") }
    }

    /// A page from its template; `values` are escaped as HTML by mustache's `{{ }}`.
    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? "<!doctype html><title>lotbox</title><p>the page \(name) is missing</p>"
    }
}

public struct PageFilesError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
