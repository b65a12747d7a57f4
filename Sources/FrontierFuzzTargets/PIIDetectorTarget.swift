import FrontierRouting

extension FuzzTarget {
    /// The PII detector on any text: findings lie inside the text, in order, and never overlap.
    public static let piiDetector = FuzzTarget(name: "pii") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let findings = PIIDetector().findings(in: text)
        var end = 0
        for finding in findings {
            precondition(finding.utf8Range.lowerBound >= end, "findings overlap or are out of order")
            precondition(finding.utf8Range.upperBound <= text.utf8.count, "a finding past the end of the text")
            end = finding.utf8Range.upperBound
        }
        _ = FeatureExtractor(classifier: nil).features(ofText: text, maxTokens: 100)
    }
}
