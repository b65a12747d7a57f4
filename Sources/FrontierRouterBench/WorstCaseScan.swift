import FrontierRouting

/// `scripts/bench-router --worst-case`: the request features on 4 MiB texts
/// built to hurt each scanner (one finding after another, prefixes that make
/// a scanner look far ahead, one token the size of the body). Every line
/// should take a few times what reading 4 MiB takes, never minutes.
enum WorstCaseScan {
    static let size = 4 << 20

    static let shapes: [(name: String, unit: String)] = [
        ("e-mail addresses", "a.b@example.com "),
        ("PEM BEGIN lines, no END", "-----BEGIN RSA PRIVATE KEY----- "),
        ("PEM BEGIN and END", "-----BEGIN PRIVATE KEY----- x -----END PRIVATE KEY----- "),
        ("digits split by spaces", "4 1 1 1 "),
        ("card numbers", "4111 1111 1111 1111 "),
        ("IBAN groups", "DE89 3704 0044 0532 0130 00 "),
        ("IPv6-like colons", "fe80::1:2:3:4 "),
        ("key=value secrets", "api_key=abcdef123456 "),
        ("MRN tokens", "MRN-0048213 "),
        ("house number + street", "12 Baker Street "),
        ("month dates with birth context", "born March 3, 1985 "),
        ("phone numbers", "call (415) 555-0132 "),
        ("one token, no spaces", "a"),
        ("one token of @", "@"),
    ]

    static func run(extractor: FeatureExtractor) {
        let clock = ContinuousClock()
        print("worst-case inputs of \(size >> 20) MiB (release build; features = PII + domain + markers):")
        for (name, unit) in shapes {
            let text = String(repeating: unit, count: size / unit.utf8.count)
            var findings = 0
            let pii = clock.measure { findings = PIIDetector().findings(in: text).count }
            let all = clock.measure { findings &+= extractor.features(ofText: text).pii.count }
            print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) PII \(format(pii)) ms   all features \(format(all)) ms   (\(findings / 2) findings)")
        }
    }

    private static func format(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return String(repeating: " ", count: max(0, 7 - String(Int(ms)).count)) + String(Int(ms.rounded()))
    }
}
