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
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Pure values: ULIDs, quantities, money, OpenTHC vocabulary. No I/O.
        .target(name: "LotboxCore"),
        // The lot store: OpenTHC model on SQLite through GRDB, its invariants and change feed.
        .target(
            name: "LotboxStore",
            dependencies: [
                "LotboxCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `lotbox bench NAME`: measured figures, one JSON line each.
        .target(name: "LotboxBench", dependencies: ["LotboxCore", "LotboxStore"]),
        // The executable only wires the libraries to the command line.
        .executableTarget(
            name: "lotbox",
            dependencies: [
                "LotboxCore", "LotboxStore", "LotboxBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LotboxCoreTests", dependencies: ["LotboxCore"]),
        .testTarget(
            name: "LotboxStoreTests",
            dependencies: ["LotboxCore", "LotboxStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "LotboxCLITests", dependencies: ["LotboxCore"]),
    ],
    swiftLanguageModes: [.v6]
)
