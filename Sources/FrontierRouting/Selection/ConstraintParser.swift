public import FrontierCore

/// Reads a request's constraints from its `x-frontier-*` headers and the
/// body's `frontier` object (the body wins), over the configured defaults.
/// A value that does not parse is a 400 naming the header or field.
/// The defaults' cost and latency caps (a route's) are ceilings: a request
/// may lower them, never lift them, as it may narrow the privacy zone only.
public enum ConstraintParser {
    public static func parse(header: (String) -> String?, body: JSONObject?, defaults: Constraints) throws(APIError) -> Constraints {
        var c = defaults
        func number(_ name: String, _ field: String) throws(APIError) -> Double? {
            if let value = body?[field], !value.isNull {
                guard let d = value.doubleValue, d >= 0 else { throw invalid("frontier.\(field)", "a non-negative number") }
                return d
            }
            if let text = header(name) {
                guard let d = Double(text.trimmingSpaces), d >= 0, d.isFinite else { throw invalid(name, "a non-negative number") }
                return d
            }
            return nil
        }
        func text(_ name: String, _ field: String) throws(APIError) -> String? {
            if let value = body?[field], !value.isNull {
                guard let s = value.stringValue else { throw invalid("frontier.\(field)", "a string") }
                return s
            }
            return header(name).map { String($0.trimmingSpaces) }
        }
        c.maxCostUSD = Self.lower(try number("x-frontier-max-cost-usd", "max_cost_usd"), ceiling: defaults.maxCostUSD)
        c.maxLatencyMs = Self.lower(try number("x-frontier-max-latency-ms", "max_latency_ms"), ceiling: defaults.maxLatencyMs)
        if let q = try number("x-frontier-min-quality", "min_quality") {
            guard q <= 1 else { throw invalid("min_quality", "a number from 0 to 1") }
            c.minQuality = q
        }
        if let zone = try text("x-frontier-privacy", "privacy") {
            guard let parsed = PrivacyZone(rawValue: zone) else { throw invalid("privacy", "one of any, on-prem, local") }
            c.privacy = c.privacy.narrowed(to: parsed)
        }
        if let objective = try text("x-frontier-objective", "objective") {
            guard let parsed = Objective(rawValue: objective) else { throw invalid("objective", "one of cheapest, balanced, best") }
            c.objective = parsed
        }
        return c
    }

    /// The requested cap, held under the ceiling.
    static func lower(_ requested: Double?, ceiling: Double?) -> Double? {
        guard let requested else { return ceiling }
        return ceiling.map { min($0, requested) } ?? requested
    }

    private static func invalid(_ name: String, _ expected: String) -> APIError {
        APIError(status: 400, type: "invalid_request_error", code: "invalid_constraint", param: name, message: "'\(name)' must be \(expected).")
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
