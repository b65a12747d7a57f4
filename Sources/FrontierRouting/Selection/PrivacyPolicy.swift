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
    /// The built-in categories that count as PII (the operator's own always count).
    public var categories: Set<PIICategory>
    /// `privacy.recognizers` and `privacy.deny_lists`; nil when none are configured.
    public var operatorRules: OperatorRecognizers?
    /// The files the deny lists were read from: a reload of the rules watches them beside the config.
    public var ruleFiles: [String] = []

    public init(
        piiZone: PrivacyZone? = nil, unscannableZone: PrivacyZone? = nil, onViolation: PIIViolationAction = .refuse, categories: Set<PIICategory> = Set(PIICategory.allCases),
        operatorRules: OperatorRecognizers? = nil
    ) {
        self.piiZone = piiZone
        self.unscannableZone = unscannableZone
        self.onViolation = onViolation
        self.categories = categories
        self.operatorRules = operatorRules
    }

    /// The detector of this policy's categories: one built from the config and shared by everything that
    /// scans a request (the planner, `frontier eval`, the ledger's record), so no two disagree about a prompt.
    public var detector: PIIDetector { PIIDetector(categories: categories, operatorRules: operatorRules) }

    /// Whether anything the request carries could narrow `requested`: only then is it scanned.
    public func couldNarrow(_ requested: PrivacyZone) -> Bool {
        (piiZone.map { $0 > requested } ?? false) || (unscannableZone.map { $0 > requested } ?? false)
    }

    /// A request's zone from everything it sends, scanned by `detector` (this policy's) when the policy could
    /// narrow `requested`: the one entry for named models, routes, cascades, embeddings and `frontier eval`
    /// (`auto` reaches ``zone(requested:pii:unscannable:)`` with the same detector's findings, in its features).
    public func zone(of request: ChatRequest, requested: PrivacyZone, detector: PIIDetector) -> ZoneVerdict {
        guard couldNarrow(requested) else { return ZoneVerdict(zone: requested, reason: nil, fields: [], scanned: false) }
        let content = SentContent(request)
        let (findings, fields) = detector.scan(content)
        let (zone, reason) = zone(requested: requested, pii: Array(Set(findings.map(\.category))).sorted(), unscannable: content.unscannable)
        return ZoneVerdict(zone: zone, reason: reason, fields: fields, scanned: true)
    }

    /// The zone a request may go to: its own, narrowed by the policy for what it carries, and why.
    /// Every zone is decided here.
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

/// A request's zone, why, where its PII was found (never the values), and whether it was scanned at all.
public struct ZoneVerdict: Sendable {
    public var zone: PrivacyZone
    public var reason: PrivacyReason?
    public var fields: [FieldFinding]
    /// False when the policy could not narrow the zone, so nothing was scanned.
    public var scanned: Bool
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
