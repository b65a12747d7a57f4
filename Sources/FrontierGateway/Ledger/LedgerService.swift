public import FrontierLedger
public import ServiceLifecycle

/// Runs the ledger writer beside the HTTP server. Listed before the server
/// in the service group, it stops after it: requests still in flight write
/// their records, then the writer commits what is queued and returns.
public struct LedgerService: Service {
    let writer: LedgerWriter

    public init(writer: LedgerWriter) {
        self.writer = writer
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await writer.run()
        } onGracefulShutdown: {
            writer.stop()
        }
    }
}
