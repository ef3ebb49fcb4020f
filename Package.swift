// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "lotbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lotbox", targets: ["lotbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", exact: "0.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        // BoringSSL for the API's TLS (HummingbirdTLS); pinned as resolved, like swift-nio.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        // The outbox worker's HTTP client towards an upstream (honours no proxy variables unless told).
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // /metrics: the swift-metrics API at the choke points, Prometheus's text format out.
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    ],
    targets: [
        // Pure values: ULIDs, quantities, money, OpenTHC vocabulary. No I/O.
        .target(name: "LotboxCore"),
        // C libraries, one shim each. Only adapter files import them: the encoders of LotboxBarcodes, text
        // and outputs of LotboxLabels, IPPPrinter, the keyboard decoder and evdev reader and the SHA-256 of
        // LotboxScanning, libsodium in LotboxAPI/Auth, libcrypto's X.509 in LotboxAPI/TLS, adjtimex in
        // lotbox/Doctor, and the SHA-256 of LotboxStore's row hash (a test in LotboxCoreTests checks this list against the sources).
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZint", providers: [.apt(["libzint-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCups", providers: [.apt(["libcups2-dev"])]),
        .systemLibrary(name: "CXKBCommon", pkgConfig: "xkbcommon", providers: [.apt(["libxkbcommon-dev", "xkb-data"])]),
        .systemLibrary(name: "CEvdev"),
        // adjtimex(2): whether the kernel's clock is synchronised (`lotbox doctor`).
        .systemLibrary(name: "CClock"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        // Barcode symbols as module matrices, encoded by libqrencode and libzint.
        .target(name: "LotboxBarcodes", dependencies: ["CQRencode", "CZint"]),
        // Labels: 1-bit bitmaps at the printer's dots, barcodes placed on whole dots, image outputs.
        .target(
            name: "LotboxLabels",
            dependencies: [
                "LotboxCore", "LotboxBarcodes", "CZlib", "CPangoCairo", "CCups",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        // What a template sees of a lot or a sale, read from the store: the one module that knows
        // both, so the label engine stands alone and the store knows nothing of labels.
        .target(name: "LotboxLabelData", dependencies: ["LotboxCore", "LotboxStore", "LotboxLabels"]),
        // Printing through libcups: CUPS queues and IPP Everywhere printers by URI.
        .target(name: "LotboxPrinting", dependencies: ["CCups"]),
        // The label queue's printer side: render, submit, follow, record.
        .target(
            name: "LotboxPrintService",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxLabels", "LotboxLabelData", "LotboxPrinting",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The appliance's configuration file (/etc/lotbox/lotbox.toml): printers, scanners, stations.
        .target(
            name: "LotboxConfig",
            dependencies: ["LotboxStore", "LotboxLabels", "LotboxPrinting", "LotboxPrintService", "LotboxScanning", "LotboxStations",
                           .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Scanners: evdev, serial and stream readers on threads of their own, framing, the scan log.
        .target(
            name: "LotboxScanning",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxMetrics", "CXKBCommon", "CEvdev", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Stations: the receiving dock and the retail kiosk, state machines fed by recorded scans.
        .target(
            name: "LotboxStations",
            dependencies: ["LotboxCore", "LotboxStore", "LotboxScanning", "LotboxMetrics", .product(name: "Logging", package: "swift-log")]
        ),
        // The metrics' names and the one-line calls the choke points make (swift-metrics: a no-op
        // until `serve` bootstraps the Prometheus backend).
        .target(name: "LotboxMetrics", dependencies: [.product(name: "Metrics", package: "swift-metrics")]),
        // The lot store: OpenTHC model on SQLite through GRDB, its invariants and change feed.
        .target(
            name: "LotboxStore",
            dependencies: [
                "LotboxCore", "LotboxMetrics", "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own step and reset, for the reads decoded by position (Positional/).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `lotbox bench NAME`: measured figures, one JSON line each.
        .target(
            name: "LotboxBench",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxAPI", "LotboxLabels", "LotboxPrintService", "LotboxScanning", "LotboxStations",
                "LotboxSync", "LotboxConfig",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The OpenTHC REST API over HTTP (Hummingbird): v2024 sessions, the envelope, the routes.
        // Handlers reach the store only through StoreThreads, never on the shared pool. TLS when
        // the config names a certificate (HummingbirdTLS); libcrypto checks and makes certificates.
        .target(
            name: "LotboxAPI",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxMetrics", "CSodium", "COpenSSL",
                // The staff screens' server-rendered pages (Sources/LotboxAPI/Pages, files in Pages/).
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The client side of v2024 and the outbox worker: every compliance event pushed to an
        // upstream OpenTHC API (another lotbox), off the shared pool for its store work.
        .target(
            name: "LotboxSync",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxAPI", "LotboxConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The executable only wires the libraries to the command line.
        .executableTarget(
            name: "lotbox",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxBench", "LotboxBarcodes", "LotboxLabels", "LotboxLabelData", "LotboxPrinting", "LotboxPrintService",
                "LotboxScanning", "LotboxConfig", "LotboxStations", "LotboxAPI", "LotboxSync", "LotboxMetrics", "CClock",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LotboxCoreTests", dependencies: ["LotboxCore"]),
        .testTarget(
            name: "LotboxStoreTests",
            dependencies: ["LotboxCore", "LotboxStore", "LotboxTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "LotboxScanningTests",
                    dependencies: ["LotboxCore", "LotboxStore", "LotboxScanning", "LotboxTestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LotboxStationsTests",
                    dependencies: ["LotboxCore", "LotboxStore", "LotboxScanning", "LotboxStations", "LotboxLabelData", "LotboxTestSupport",
                                   .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LotboxAPITests", dependencies: ["LotboxAPI", "LotboxStore", "LotboxTestSupport",
                                                          .product(name: "NIOCore", package: "swift-nio"),
                                                          .product(name: "NIOPosix", package: "swift-nio"),
                                                          .product(name: "NIOHTTP1", package: "swift-nio")]),
        .testTarget(name: "LotboxSyncTests", dependencies: ["LotboxSync", "LotboxAPI", "LotboxStore", "LotboxConfig", "LotboxTestSupport",
                                                           .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "LotboxConfigTests", dependencies: ["LotboxConfig", "LotboxStore", "LotboxTestSupport"]),
        .testTarget(name: "LotboxCLITests", dependencies: ["LotboxCore", "LotboxLabels", "LotboxScanning", "LotboxStore", "LotboxTestSupport"]),
        // Real decoders (zxing-cpp, zbar) on rendered files, shared by the tests.
        .target(name: "LotboxTestSupport", dependencies: ["LotboxLabels"], path: "Tests/LotboxTestSupport"),
        .testTarget(name: "LotboxPrintingTests",
                    dependencies: ["LotboxPrinting", "LotboxPrintService", "LotboxStore", "LotboxLabels", "LotboxTestSupport"]),
        .testTarget(name: "LotboxBarcodesTests", dependencies: ["LotboxBarcodes", "LotboxLabels", "LotboxTestSupport"]),
        .testTarget(name: "LotboxLabelsTests",
                    dependencies: ["LotboxCore", "LotboxStore", "LotboxBarcodes", "LotboxLabels", "LotboxLabelData", "LotboxTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
