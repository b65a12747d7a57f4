import FrontierConfig
import FrontierRouting
import Logging
public import ServiceLifecycle

/// Reloads `privacy.recognizers` and `privacy.deny_lists` when the config file or one of its deny-list
/// files changes (checked every `interval`, as the router file is): rules that load replace those of every
/// planner that serves a request (the live router, an experiment's candidate; the ledger's record reads the
/// live one), for the next requests. A config that does not load (a pattern the engine refuses, a deny list
/// that cannot be read) is logged and the running rules stay. Only these rules reload: another change to
/// the privacy section is logged as taking effect at the next start.
public struct PrivacyRulesWatcher: Service {
    let configFile: String
    let started: PrivacyPolicy
    let planners: [PlannerHolder]
    let interval: Duration
    let logger: Logger

    public func run() async throws {
        var files = [configFile] + started.ruleFiles
        var seen = files.map(RouterFileWatcher.stamp)
        while !Task.isCancelledOrShuttingDown {
            await Task.pause(for: interval)
            let stamps = files.map(RouterFileWatcher.stamp)
            guard stamps != seen else { continue }
            seen = stamps
            let privacy: PrivacyPolicy
            do {
                privacy = try ConfigLoader().load(file: configFile).router.privacy
            } catch {
                logger.error("the config changed but cannot be loaded; the running privacy rules stay", metadata: ["error": "\(error.description)"])
                continue
            }
            for holder in planners { holder.update { $0.replacingOperatorRules(privacy.operatorRules) } }
            // The new rules may name other deny-list files: watch those from now on.
            files = [configFile] + privacy.ruleFiles
            seen = files.map(RouterFileWatcher.stamp)
            let rules = privacy.operatorRules
            logger.notice("privacy rules reloaded", metadata: [
                "recognizers": "\(rules?.patterns.count ?? 0)", "deny_lists": "\(rules?.denyLists.count ?? 0)",
                "deny_list_terms": "\(rules?.denyLists.reduce(0) { $0 + $1.count } ?? 0)",
            ])
            if Self.withoutRules(privacy) != Self.withoutRules(started) {
                logger.warning("privacy settings other than recognizers and deny lists changed: they take effect at the next start")
            }
        }
    }

    private static func withoutRules(_ policy: PrivacyPolicy) -> PrivacyPolicy {
        var policy = policy
        policy.operatorRules = nil
        policy.ruleFiles = []
        return policy
    }
}

extension GatewayServer {
    /// Watches the config file `configFile` (the one this gateway started from) and its deny lists, and reloads
    /// the operator's privacy rules when they change.
    public func privacyRulesWatcher(configFile: String, interval: Duration = .seconds(2)) -> PrivacyRulesWatcher {
        PrivacyRulesWatcher(
            configFile: configFile, started: configuration.router.privacy,
            planners: [planners] + (experiment.map { [$0.planners] } ?? []), interval: interval, logger: logger)
    }
}
