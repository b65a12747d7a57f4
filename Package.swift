// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Frontier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "frontier", targets: ["frontier"]),
        .executable(name: "frontier-upstream-double", targets: ["FrontierUpstreamDouble"]),
        .executable(name: "frontier-router-bench", targets: ["FrontierRouterBench"]),
        .executable(name: "frontier-ledger-bench", targets: ["FrontierLedgerBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // OTLP export of traces and the GenAI client metrics (`telemetry.otlp`), wired in the executable only.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "FrontierCore",
            // OrderedDictionary: JSON objects keep the client's key order on the way to the upstream.
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict
        ),
        .target(
            name: "FrontierRouting",
            dependencies: ["FrontierCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "FrontierAnalysis",
            dependencies: ["FrontierCore", "FrontierRouting"],
            swiftSettings: strict
        ),
        // The audit trail and cost records: hash chain, SQLite and PostgreSQL stores, the writer, reports.
        .target(
            name: "FrontierLedger",
            dependencies: [
                "FrontierCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `frontier eval`: suites through the gateway's providers against live models.
        .target(
            name: "FrontierEval",
            dependencies: ["FrontierCore", "FrontierAnalysis", "FrontierProviders", "FrontierRouting"],
            swiftSettings: strict
        ),
        .target(
            name: "FrontierProviders",
            dependencies: [
                "FrontierCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // AsyncThrowingChannel: a stream's events handed over with backpressure.
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FrontierConfig",
            dependencies: [
                "FrontierCore",
                "FrontierRouting",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "FrontierGateway",
            dependencies: [
                "FrontierCore",
                // Canary suites: the eval case format and its graders.
                "FrontierAnalysis",
                "FrontierConfig",
                "FrontierLedger",
                "FrontierRouting",
                "FrontierProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Spans at the pipeline's stages, against whatever tracer the executable hands in.
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "frontier",
            dependencies: [
                "FrontierCore",
                "FrontierAnalysis",
                "FrontierConfig",
                "FrontierEval",
                "FrontierGateway",
                "FrontierLedger",
                "FrontierProviders",
                "FrontierRouting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // A misbehaving upstream on demand (500s, 429s, hangs, cut streams) and
        // the fast loopback upstream of the bench. Tests and bench only.
        .target(
            name: "FrontierTestUpstream",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FrontierUpstreamDouble",
            dependencies: [
                "FrontierTestUpstream",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Fuzz bodies: arbitrary bytes into each parser and translator, trapping on a broken invariant.
        // The corpus replay test runs them; scripts/fuzz runs them under libFuzzer.
        .target(
            name: "FrontierFuzzTargets",
            dependencies: ["FrontierCore", "FrontierRouting", "FrontierProviders"],
            swiftSettings: strict
        ),
        // The router microbenchmark (scripts/bench-router).
        .executableTarget(name: "FrontierRouterBench", dependencies: ["FrontierCore", "FrontierRouting"], swiftSettings: strict),
        .executableTarget(
            name: "FrontierLedgerBench",
            dependencies: ["FrontierCore", "FrontierLedger", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(name: "FrontierCoreTests", dependencies: ["FrontierCore"]),
        .testTarget(name: "FrontierConfigTests", dependencies: ["FrontierConfig"]),
        .testTarget(name: "FrontierRoutingTests", dependencies: ["FrontierRouting"], resources: [.copy("Resources")]),
        .testTarget(name: "FrontierAnalysisTests", dependencies: ["FrontierAnalysis", "FrontierRouting"]),
        .testTarget(
            name: "FrontierLedgerTests",
            dependencies: ["FrontierLedger", "FrontierCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "FrontierProvidersTests", dependencies: ["FrontierProviders"]),
        .testTarget(name: "FrontierFuzzTargetsTests", dependencies: ["FrontierFuzzTargets"]),
        .testTarget(
            name: "FrontierGatewayTests",
            dependencies: [
                "FrontierGateway",
                "FrontierConfig",
                "FrontierProviders",
                "FrontierEval",
                "FrontierAnalysis",
                "FrontierLedger",
                "FrontierTestUpstream",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
    ]
)

// libFuzzer executables, one per fuzz body, only when scripts/fuzz asks for them
// (FRONTIER_FUZZ=1): they need coverage and sanitizer flags no other build wants.
if Context.environment["FRONTIER_FUZZ"] != nil {
    package.targets.append(.target(name: "FrontierFuzzDriver", dependencies: ["FrontierFuzzTargets"], path: "Fuzz/Driver", swiftSettings: strict))
    for name in ["JSONParser", "ChatRequest", "ServerSentEvents", "PIIDetector", "AnthropicTranslation", "InboundTranslation", "RouterFile", "PIIPattern", "Pseudonymize"] {
        package.targets.append(.executableTarget(
            name: "Fuzz\(name)", dependencies: ["FrontierFuzzDriver", "FrontierFuzzTargets"], path: "Fuzz/\(name)", swiftSettings: strict))
    }
}
