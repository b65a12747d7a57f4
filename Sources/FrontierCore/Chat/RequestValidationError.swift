/// A request the gateway cannot accept as sent; `param` names the field.
public struct RequestValidationError: Error, Equatable, Sendable {
    public var param: String?
    public var message: String

    public init(param: String?, message: String) {
        self.param = param
        self.message = message
    }
}
