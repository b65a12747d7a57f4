/// A config the gateway cannot start with; the message names the file, the
/// model (where there is one), the field and what to write instead.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
