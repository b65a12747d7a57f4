import FrontierRouting

extension FuzzTarget {
    /// An operator's recognizer from arbitrary bytes (the first line its pattern, the rest the text it scans):
    /// a pattern is compiled or refused with a reason, never traps; a compiled one reports findings inside the
    /// text, in order, never overlapping, and each at most the longest match.
    public static let piiPattern = FuzzTarget(name: "pii-pattern") { bytes in
        let split = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        let pattern = String(decoding: bytes[..<split], as: UTF8.self)
        let text = split < bytes.endIndex ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : ""
        guard let recognizer = try? PatternRecognizer(name: "fuzz", category: .medicalRecordNumber, pattern: pattern, context: ["mrn"]) else { return }
        let findings = PIIDetector(operatorRules: OperatorRecognizers(patterns: [recognizer])).findings(in: text)
        var end = 0
        for finding in findings {
            precondition(finding.utf8Range.lowerBound >= end, "findings overlap or are out of order")
            precondition(finding.utf8Range.upperBound <= text.utf8.count, "a finding past the end of the text")
            end = finding.utf8Range.upperBound
        }
    }
}
