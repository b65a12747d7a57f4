public import FrontierCore

/// `privacy:` in the config: where requests that carry personal data, or
/// content that cannot be scanned, may go, and which PII categories count.
///
/// ```yaml
/// privacy: {pii: on-prem, on_violation: refuse, unscannable: on-prem, categories: {ip_address: false}}
/// ```
public struct PrivacyPolicy: Sendable, Hashable {
    /// The zone for requests with PII; nil: no PII policy.
    public var piiZone: PrivacyZone?
    /// The zone for requests with parts that cannot be scanned (images, audio, binary files); nil: anywhere.
    public var unscannableZone: PrivacyZone?
    public var onViolation: PIIViolationAction
    /// The categories that count as PII.
    public var categories: Set<PIICategory>

    public init(piiZone: PrivacyZone? = nil, unscannableZone: PrivacyZone? = nil, onViolation: PIIViolationAction = .refuse, categories: Set<PIICategory> = Set(PIICategory.allCases)) {
        self.piiZone = piiZone
        self.unscannableZone = unscannableZone
        self.onViolation = onViolation
        self.categories = categories
    }

    /// The zone a request may go to: its own, narrowed by the policy for what it carries, and why.
    public func zone(
        requested: PrivacyZone, pii: [PIICategory], unscannable: [(path: String, kind: String)]
    ) -> (zone: PrivacyZone, reason: PrivacyReason?) {
        var zone = requested
        var reason: PrivacyReason?
        if let piiZone, !pii.isEmpty, piiZone > zone {
            zone = piiZone
            reason = PrivacyReason(pii: pii, unscannable: [])
        }
        if let unscannableZone, !unscannable.isEmpty, unscannableZone > zone {
            zone = unscannableZone
            reason = PrivacyReason(pii: reason?.pii ?? [], unscannable: Array(Set(unscannable.map(\.kind))).sorted())
        } else if let unscannableZone, !unscannable.isEmpty, unscannableZone >= requested, reason != nil {
            reason?.unscannable = Array(Set(unscannable.map(\.kind))).sorted()
        }
        return (zone, reason)
    }
}

/// Why the policy narrowed a request's zone: the PII categories found, the kinds of content it could not scan.
public struct PrivacyReason: Sendable, Hashable, CustomStringConvertible {
    public var pii: [PIICategory]
    public var unscannable: [String]

    public var description: String {
        var parts: [String] = []
        if !pii.isEmpty { parts.append("the prompt contains \(pii.map(\.rawValue).joined(separator: ", "))") }
        if !unscannable.isEmpty { parts.append("it carries content that cannot be scanned (\(unscannable.joined(separator: ", ")))") }
        return parts.joined(separator: " and ")
    }
}
