import Foundation
import FrontierCore

/// The drift sections of a catalog model: `expect_identity` and `on_identity_change` (``IdentityExpectation``),
/// `regression` (``RegressionPolicy``), `canary` (``CanarySettings``); read here, beside the model's other fields
/// in ``ConfigLoader``.
extension ConfigLoader {
    static func canary(_ reader: NodeReader, configFile: String) throws(ConfigError) -> CanarySettings? {
        guard let c = try reader.nested(
            "canary", known: ["suite", "every", "on_change", "max_cost_usd_per_run", "samples", "concurrency", "max_output_tokens"])
        else { return nil }
        guard let suite = try c.string("suite") else { throw c.fail("suite", "is required: an eval suite (JSONL, as frontier eval reads) of a few dozen cases.") }
        var settings = CanarySettings(suite: resolve(suite, besideConfig: configFile))
        if let every = try c.string("every") {
            guard let ms = Self.milliseconds(every), ms >= 60_000 else {
                throw c.fail("every", "must be a duration of at least a minute, like 30m, 6h or 24h; got '\(every)'.")
            }
            settings.everyMs = ms
        }
        settings.onChange = try c.bool("on_change") ?? true
        if let cap = try c.double("max_cost_usd_per_run") {
            guard cap > 0, cap.isFinite else { throw c.fail("max_cost_usd_per_run", "must be above 0 (US dollars a run may spend).") }
            settings.maxCostUSDPerRun = cap
        }
        settings.samples = try c.int("samples", minimum: 1, maximum: 20) ?? 1
        settings.concurrency = try c.int("concurrency", minimum: 1, maximum: 16) ?? 2
        settings.maxOutputTokens = try c.int("max_output_tokens", minimum: 1, maximum: 4096) ?? 256
        return settings
    }

    /// `90s`, `30m`, `6h`, `1d` as milliseconds; nil for anything else.
    static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, let amount = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), amount.isFinite, amount > 0,
              amount < 1e7
        else { return nil }
        let seconds: Double? = switch unit {
        case "s": amount
        case "m": amount * 60
        case "h": amount * 3_600
        case "d": amount * 86_400
        default: nil
        }
        return seconds.map { Int64($0 * 1000) }
    }

    static func identityExpectation(_ reader: NodeReader) throws(ConfigError) -> IdentityExpectation {
        let pinned = try reader.string("expect_identity")
        if let pinned, pinned.isEmpty || pinned != ReportedIdentity.bounded(pinned) {
            throw reader.fail("expect_identity", "must be the model name or fingerprint the upstream reports (printable ASCII, at most \(ReportedIdentity.maxLength) characters), like gpt-4o-2024-08-06.")
        }
        var action: IdentityExpectation.Action?
        if let name = try reader.string("on_identity_change") {
            guard let parsed = IdentityExpectation.Action(rawValue: name) else {
                throw reader.fail("on_identity_change", "must be fail (a pinned model answering as another fails over) or watch (record it, keep serving); got '\(name)'.")
            }
            action = parsed
        }
        return IdentityExpectation(pinned: pinned, onChange: action)
    }

    static func regression(_ reader: NodeReader) throws(ConfigError) -> RegressionPolicy {
        guard let r = try reader.nested("regression", known: ["max_quality_drop"]) else { return RegressionPolicy() }
        let drop = try r.double("max_quality_drop") ?? RegressionPolicy().maxQualityDrop
        guard drop > 0, drop < 1 else {
            throw r.fail("max_quality_drop", "must be above 0 and below 1 (a drop in mean score, e.g. 0.05); got \(drop).")
        }
        return RegressionPolicy(maxQualityDrop: drop)
    }
}
