import Crypto
import Foundation
import FrontierCore
import FrontierLedger
import Logging

/// Fills a ledger with synthetic requests for the dashboard's benchmark (scripts/bench-dashboard): N records
/// over the last D days, in time order, through the store's own append (chain, checkpoints and usage sums as
/// the gateway writes them), with the shape of a platform team's traffic: 20 keys, 4 routes, 6 models, 14
/// domains, 1 in 5 requests after a fallback, 3 % refused or failed.
///
/// Usage: frontier-ledger-bench --sqlite PATH | --postgres URL [--records 1000000] [--days 30]
@main
struct LedgerFill {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(i...(i + 1)) }
            return arguments[i + 1]
        }
        let sqlite = option("--sqlite"), postgres = option("--postgres")
        let count = option("--records").flatMap(Int.init) ?? 1_000_000
        let days = option("--days").flatMap(Int64.init) ?? 30
        guard (sqlite == nil) != (postgres == nil) else {
            FileHandle.standardError.write(Data("usage: frontier-ledger-bench --sqlite PATH | --postgres URL [--records N] [--days D]\n".utf8))
            exit(2)
        }
        // The key the gateway derives from FRONTIER_LEDGER_KEY=frontier-bench-ledger-key, so `audit verify` passes on the result.
        let key = SymmetricKey(data: SHA256.hash(data: Array("frontier-bench-ledger-key".utf8)))
        let linker = ChainLinker(checkpointEvery: 1_000, key: key)
        let store: any LedgerStore
        if let sqlite { store = try SQLiteLedgerStore(path: sqlite, linker: linker) } else {
            store = try await PostgresLedgerStore(url: postgres ?? "", linker: linker, logger: Logger(label: "fill"))
        }
        let models = ["gemma-local", "med-7b", "code-7b", "gpt-4o-mini", "gpt-4o", "claude-sonnet"]
        let prices = [0.0, 0.0, 0.0, 0.15, 2.5, 3.0]
        let routes = ["auto", "clinic", "gpt-4o", "med-7b"]
        let domains = ["health", "law", "math", "code", "business", "history", "biology", "chemistry", "physics", "economics",
                       "psychology", "philosophy", "engineering", "other"]
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let start = now - days * 86_400_000
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let began = ContinuousClock.now
        var written = 0
        while written < count {
            let batch = min(2_000, count - written)
            var entries: [LedgerEntry] = []
            entries.reserveCapacity(batch)
            for i in written..<(written + batch) {
                let r = next()
                let m = Int(r % 6), status = r % 100 < 2 ? 429 : r % 100 < 3 ? 502 : 200
                let input = 200 + Int((r >> 8) % 1_500), output = 50 + Int((r >> 20) % 400)
                var attempts: [LedgerRecord.Attempt] = []
                if (r >> 32) % 5 == 0 { attempts.append(.init(model: models[(m + 1) % 6], outcome: "error", latencyMs: 30, error: "HTTP 503")) }
                if status == 200 {
                    let cost = (Double(input) * prices[m] + Double(output) * prices[m] * 4) / 1_000_000
                    attempts.append(.init(model: models[m], outcome: "served", inputTokens: input, outputTokens: output, costUSD: cost,
                                          firstTokenMs: 80, latencyMs: Double(200 + (r >> 40) % 900)))
                }
                entries.append(.request(LedgerRecord(
                    requestID: "req_\(i)", timeMs: start + Int64(i) * (now - start) / Int64(count), apiKeyID: "key_\((r >> 44) % 20)",
                    route: routes[Int((r >> 48) % 4)], model: status == 200 ? models[m] : nil, status: status, decision: "model=\(models[m])",
                    attempts: attempts, piiCategories: [], domain: domains[Int((r >> 52) % 14)], promptHMAC: "hmac", latencyMs: 250)))
            }
            _ = try await store.append(entries)
            written += batch
            if written % 100_000 == 0 { print("\(written) records, \(ContinuousClock.now - began)") }
        }
        print("filled \(count) records over \(days) days in \(ContinuousClock.now - began)")
        await store.close()
    }
}
