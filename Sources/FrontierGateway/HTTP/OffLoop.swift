import FrontierCore
import NIOPosix

/// CPU-heavy work on a large request, run off the event loops.
///
/// The event loops are Swift Concurrency's executor here (see main.swift), so
/// a handler that spends 100 ms parsing and scanning a 4 MiB body would stall
/// every connection on its loop, `/healthz` included. Bodies past the
/// threshold are parsed and analysed on NIO's thread pool instead; small
/// ones (nearly all) stay on the loop and pay no thread hop.
enum OffLoop {
    static let thresholdBytes = 64 << 10

    static nonisolated(nonsending) func run<T: Sendable>(ifLarger bytes: Int, _ work: @escaping @Sendable () throws(APIError) -> T) async throws(APIError) -> T {
        guard bytes >= thresholdBytes else { return try work() }
        let result: Result<T, APIError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<T, APIError> in
                do throws(APIError) { return .success(try work()) } catch { return .failure(error) }
            }
        } catch {
            throw .shuttingDown
        }
        return try result.get()
    }
}
