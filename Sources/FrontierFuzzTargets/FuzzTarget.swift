/// One entry point under fuzzing: a body that takes arbitrary bytes and
/// traps (a precondition, a crash) when the code under test misbehaves.
/// The libFuzzer executables (`scripts/fuzz`) and the corpus replay test
/// run the same bodies.
public struct FuzzTarget: Sendable {
    public let name: String
    public let body: @Sendable (UnsafeBufferPointer<UInt8>) -> Void

    public init(name: String, body: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> Void) {
        self.name = name
        self.body = body
    }

    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { body($0) }
    }

    /// Every target, by the name its executable and corpus folder use.
    public static let all: [FuzzTarget] = [.jsonParser, .chatRequest, .serverSentEvents, .piiDetector, .anthropicTranslation, .inboundTranslation, .routerFile, .piiPattern, .pseudonymize]

    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
