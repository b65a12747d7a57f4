import FrontierCore

/// Which arm of an experiment serves a request: a seeded hash of its unit
/// (the request id, or the key id so that one tenant sees one router) below
/// the share goes to the candidate. The same unit and seed always land on the
/// same side, on every instance, with no shared state.
public struct ExperimentAssignment: Sendable, Equatable {
    public enum Unit: String, Sendable {
        case request
        case key
    }

    public var share: Double
    public var unit: Unit
    public var seed: UInt64

    public init(share: Double, unit: Unit = .request, seed: UInt64 = 1) {
        self.share = min(1, max(0, share))
        self.unit = unit
        self.seed = seed
    }

    public func arm(requestID: String, keyID: String?) -> ExperimentGuard.Arm {
        let id = unit == .key ? (keyID ?? requestID) : requestID
        return SeededHash.fraction(id, seed: seed) < share ? .candidate : .live
    }
}
