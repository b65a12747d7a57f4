/// Kinds of sensitive data the detector finds. Findings carry the category
/// and the position, never the value, so they are safe to log and store.
public enum PIICategory: String, Sendable, Hashable, CaseIterable, Comparable {
    case email
    case phone
    /// A US social security number (the name predates the other countries' identifiers).
    case nationalID = "national_id"
    case ukNationalInsurance = "uk_national_insurance"
    case caSocialInsurance = "ca_social_insurance"
    case deTaxID = "de_tax_id"
    case inAadhaar = "in_aadhaar"
    /// A person's name where the text marks it as one: a title, a label, a signature.
    case personName = "person_name"
    case creditCard = "credit_card"
    case iban
    case dateOfBirth = "date_of_birth"
    case postalAddress = "postal_address"
    case ipAddress = "ip_address"
    case secret
    case medicalRecordNumber = "medical_record_number"

    public static func < (lhs: PIICategory, rhs: PIICategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One piece of sensitive data: its category and where it is (UTF-8 byte
/// offsets into the text). Deliberately without the matched text.
public struct PIIFinding: Sendable, Hashable, CustomStringConvertible {
    public var category: PIICategory
    public var utf8Range: Range<Int>

    public init(category: PIICategory, utf8Range: Range<Int>) {
        self.category = category
        self.utf8Range = utf8Range
    }

    public var description: String { "\(category.rawValue)@\(utf8Range.lowerBound)..<\(utf8Range.upperBound)" }
}
