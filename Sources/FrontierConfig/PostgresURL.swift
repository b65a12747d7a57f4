import Foundation

/// The parts of a `postgres://` URL the config checks before the ledger opens it.
public enum PostgresURL {
    /// libpq's sslmode values (`allow` is treated as `prefer`).
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// The `sslmode` query parameter, if the URL has one.
    public static func sslMode(in url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == "sslmode" }?.value
    }
}
