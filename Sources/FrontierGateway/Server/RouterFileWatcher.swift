import Foundation
import FrontierConfig
import FrontierRouting
import Logging
public import ServiceLifecycle
import Synchronization

/// The planner requests use now; swapped whole when the router file changes.
final class PlannerHolder: Sendable {
    private let planner: Mutex<RoutePlanner>

    init(_ planner: RoutePlanner) {
        self.planner = Mutex(planner)
    }

    var current: RoutePlanner { planner.withLock { $0 } }

    func replace(_ planner: RoutePlanner) {
        self.planner.withLock { $0 = planner }
    }

    /// Replaces the planner with one made from the current, under the lock: two reloads at once (the router
    /// file and the privacy rules) both land.
    func update(_ change: (RoutePlanner) -> RoutePlanner) {
        planner.withLock { $0 = change($0) }
    }
}

/// Reloads `router.file` when it changes (checked every `interval`): a file
/// that loads replaces the planner for the next requests; one that does not
/// is logged and the running router stays. Learned latencies carry over.
public struct RouterFileWatcher: Service {
    let path: String
    let configuration: FrontierConfiguration
    let holder: PlannerHolder
    let interval: Duration
    let logger: Logger

    public func run() async throws {
        var seen = Self.stamp(path)
        while !Task.isCancelledOrShuttingDown {
            await Task.pause(for: interval)
            let stamp = Self.stamp(path)
            guard stamp != seen, stamp != nil else { continue }
            seen = stamp
            do {
                let (file, keepError) = try RouterArchive(liveFile: path).loadLive(path: path)
                if let keepError { logger.warning("router file version not kept", metadata: ["error": "\(keepError)"]) }
                // The privacy rules stay those running now (they may have been reloaded since the start).
                holder.update { current in
                    GatewayServer.planner(for: configuration, routerFile: file, latency: current.latency, quality: current.quality)
                        .replacingOperatorRules(current.privacy.operatorRules)
                }
                logger.notice("router file reloaded", metadata: [
                    "file": "\(path)", "fitted_at": "\(file.fittedAt)", "router_version": "\(file.digest ?? "")",
                ])
            } catch {
                logger.error("router file changed but cannot be used; the running router stays", metadata: ["error": "\(error.description)"])
            }
        }
    }

    /// Modification time and size: a change to either means a new file.
    static func stamp(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(date):\((attributes[.size] as? NSNumber)?.intValue ?? 0)"
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { isCancelled || isShuttingDownGracefully }

    /// A polling service's pause, ended early by a graceful shutdown: services stop one after another,
    /// so each plain sleep would add its whole interval to the drain.
    static func pause(for duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
