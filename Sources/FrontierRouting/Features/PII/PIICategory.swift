/// A kind of sensitive data the detector finds: one of the built-in kinds, or a name an operator gave its own
/// recognizer or deny list (`privacy.recognizers[].category`). Findings carry the category and the position,
/// never the value, so they are safe to log and store.
public struct PIICategory: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// A built-in category by its wire name; nil for any other name (``init(operatorDefined:)`` makes those).
    public init?(rawValue: String) {
        guard Self.builtInNames.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// A category by any name (an operator's own, or a built-in one): names are lower case, digits and `_`.
    public init?(operatorDefined name: String) {
        guard Self.isValidName(name) else { return nil }
        self.rawValue = name
    }

    private init(builtIn name: String) {
        self.rawValue = name
    }

    public static let email = PIICategory(builtIn: "email")
    public static let phone = PIICategory(builtIn: "phone")
    /// A US social security number (the name predates the other countries' identifiers).
    public static let nationalID = PIICategory(builtIn: "national_id")
    public static let ukNationalInsurance = PIICategory(builtIn: "uk_national_insurance")
    public static let caSocialInsurance = PIICategory(builtIn: "ca_social_insurance")
    public static let deTaxID = PIICategory(builtIn: "de_tax_id")
    public static let inAadhaar = PIICategory(builtIn: "in_aadhaar")
    /// A person's name where the text marks it as one: a title, a label, a signature.
    public static let personName = PIICategory(builtIn: "person_name")
    public static let creditCard = PIICategory(builtIn: "credit_card")
    public static let iban = PIICategory(builtIn: "iban")
    public static let dateOfBirth = PIICategory(builtIn: "date_of_birth")
    public static let postalAddress = PIICategory(builtIn: "postal_address")
    public static let ipAddress = PIICategory(builtIn: "ip_address")
    public static let secret = PIICategory(builtIn: "secret")
    public static let medicalRecordNumber = PIICategory(builtIn: "medical_record_number")

    /// The built-in categories.
    public static let allCases: [PIICategory] = [
        .email, .phone, .nationalID, .ukNationalInsurance, .caSocialInsurance, .deTaxID, .inAadhaar, .personName,
        .creditCard, .iban, .dateOfBirth, .postalAddress, .ipAddress, .secret, .medicalRecordNumber,
    ]

    private static let builtInNames = Set(allCases.map(\.rawValue))

    /// Whether this is one of the built-in categories.
    public var isBuiltIn: Bool { Self.builtInNames.contains(rawValue) }

    /// 1 to 40 of `a`-`z`, `0`-`9` and `_`, starting with a letter: safe in a metric label, a log line and a placeholder.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 40, first >= 97, first <= 122 else { return false }
        return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    public var description: String { rawValue }

    public static func < (lhs: PIICategory, rhs: PIICategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One piece of sensitive data: its category and where it is (UTF-8 byte
/// offsets into the text). Deliberately without the matched text.
public struct PIIFinding: Sendable, Hashable, CustomStringConvertible {
    public var category: PIICategory
    public var utf8Range: Range<Int>
    /// The rule that found it: built-in, or which of the operator's recognizers or deny lists.
    public var rule: PIIRule

    public init(category: PIICategory, utf8Range: Range<Int>, rule: PIIRule = .builtIn) {
        self.category = category
        self.utf8Range = utf8Range
        self.rule = rule
    }

    public var description: String { "\(category.rawValue)@\(utf8Range.lowerBound)..<\(utf8Range.upperBound)" }
}
